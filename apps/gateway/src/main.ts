import { ClientProxy } from '@nestjs/microservices';
import {
  BUS_CLIENT_PROXY,
  healthPortFor,
  loadSettings,
  logCrashes,
  ProbeServer,
  ProcessHealth,
  startProbeServer,
  transportFromConfig,
} from '@app/platform/core';
import { createGatewayApp } from './create-gateway-app';
import { GATEWAY_SETTINGS } from './gateway.settings';
import { servicesReport } from './health/services-report';
import { StartupReadiness } from './health/startup-readiness';

/** The gateway as its own process, talking to the services over NATS. */
async function main(): Promise<void> {
  logCrashes('gateway');
  const config = loadSettings(
    GATEWAY_SETTINGS,
    process.env,
    {},
    {
      require: { NATS_URL: '单独运行的网关须通过 NATS 访问各服务（一体化运行请用 npm start）' },
    },
  );
  const transport = transportFromConfig(config);
  // Probes first: liveness answers while the gateway boots; readiness once it listens.
  const health = new ProcessHealth('gateway', transport, config.BUS_DOWN_RESTART_SECONDS);
  const port = healthPortFor('gateway', config.HEALTH_PORT);
  let probes: ProbeServer | undefined;
  if (port > 0) probes = await startProbeServer(port, health);
  const app = await createGatewayApp({ config, transport });
  app.enableShutdownHooks();
  await app.listen(config.PORT, '0.0.0.0');
  // Ready = the gateway listens and the bus is reachable. Each service's state is reported in
  // the body but decides nothing: one service down must not take every gateway out.
  const readiness = app.get(StartupReadiness);
  health.attach({
    busClient: app.get<ClientProxy>(BUS_CLIENT_PROXY),
    probes: [],
    report: () => servicesReport(readiness),
  });
  if (probes) {
    const close = () => void probes.close();
    process.once('SIGTERM', close);
    process.once('SIGINT', close);
  }
}

main().catch((err) => {
  process.stderr.write(`gateway 启动失败：${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
