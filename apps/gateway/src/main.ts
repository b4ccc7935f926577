import { loadSettings, transportFromConfig } from '@app/platform';
import { createGatewayApp } from './create-gateway-app';
import { GATEWAY_SETTINGS } from './gateway.settings';

/** The gateway as its own process, talking to the services over NATS. */
async function main(): Promise<void> {
  const config = loadSettings(
    GATEWAY_SETTINGS,
    process.env,
    {},
    {
      require: { NATS_URL: '单独运行的网关须通过 NATS 访问各服务（一体化运行请用 npm start）' },
    },
  );
  const app = await createGatewayApp({ config, transport: transportFromConfig(config) });
  app.enableShutdownHooks();
  await app.listen(config.PORT, '0.0.0.0');
}

main().catch((err) => {
  process.stderr.write(`gateway 启动失败：${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
