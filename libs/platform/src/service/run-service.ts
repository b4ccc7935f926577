import { DynamicModule, INestMicroservice } from '@nestjs/common';
import { ServiceName } from '@app/contracts';
import { transportFromConfig } from '../bus/transport';
import { loadSettings, SettingsClass, SettingsOf } from '../config/app-config';
import { createServiceApp } from './create-service-app';
import { BaseConfig, ServiceRuntime } from './runtime';

/** Alone, an app has no in-process peers: it needs NATS. */
export const SEPARATE_PROCESS_NEEDS = {
  NATS_URL: '单独运行的服务须通过 NATS 通信（一体化运行请用 npm start）',
} as const;

/**
 * Entry point of a service run as its own process (`npm run start:svc -- <service>`):
 * its own settings from the environment (a bad or missing one stops the boot, named),
 * NATS required, stops cleanly on SIGTERM/SIGINT.
 */
export async function runService<S extends readonly SettingsClass[]>(
  service: ServiceName,
  settings: S,
  moduleFor: (runtime: ServiceRuntime<SettingsOf<S> & BaseConfig>) => DynamicModule,
): Promise<void> {
  let app: INestMicroservice | undefined;
  try {
    const config = loadSettings(settings, process.env, {}, { require: SEPARATE_PROCESS_NEEDS }) as SettingsOf<S> &
      BaseConfig;
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
