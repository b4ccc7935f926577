import { DynamicModule, INestMicroservice } from '@nestjs/common';
import { ServiceName } from '@app/contracts';
import { transportFromConfig } from '../bus/transport';
import { ConfigError, loadConfig } from '../config/app-config';
import { createServiceApp } from './create-service-app';
import { ServiceRuntime } from './runtime';

/**
 * Entry point of a service run as its own process (`npm run start:svc -- <service>`):
 * config from the environment, NATS required, stops cleanly on SIGTERM/SIGINT.
 */
export async function runService(
  service: ServiceName,
  moduleFor: (runtime: ServiceRuntime) => DynamicModule,
): Promise<void> {
  let app: INestMicroservice | undefined;
  try {
    const config = loadConfig();
    if (!config.NATS_URL)
      throw new ConfigError(['NATS_URL: 单独运行的服务须通过 NATS 通信（一体化运行请用 npm start）']);
    const runtime = { config, transport: transportFromConfig(config) };
    app = await createServiceApp(moduleFor(runtime), { service, ...runtime });
  } catch (err) {
    process.stderr.write(`${service} 启动失败：${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const stop = async () => {
    await app?.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
