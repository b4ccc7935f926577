import { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceName } from '@app/contracts';
import { ActorAssertionVerifier } from '../bus/actor-assertion';
import { ActorAssertionInterceptor } from '../context/actor-assertion.interceptor';
import { CorrelationInterceptor } from '../context/correlation.interceptor';
import { InterceptorChain } from '../context/interceptor-chain';
import { ConfigError } from '../config/app-config';
import { ActorVerificationSettings } from '../config/settings';
import { BusExceptionFilter } from '../errors/bus-exception.filter';
import { createValidationPipe } from '../errors/validation';
import { JsonLogger } from '../logging/json-logger';
import { BaseConfig, ServiceRuntime } from './runtime';

export interface ServiceAppOptions extends ServiceRuntime<BaseConfig> {
  service: ServiceName;
  /** The log's `service` field outside requests; the launcher names the whole process. */
  processName?: string;
}

/**
 * Boots one bus service: its module, subscribed in the queue group named after it, with
 * the global validation pipe, error filter, correlation interceptor and actor-assertion check
 * every service has. A service without the gateway's public key does not start: it could not
 * tell a real caller from a forged one.
 */
export async function createServiceApp(module: DynamicModule, options: ServiceAppOptions): Promise<INestMicroservice> {
  const publicKey = (options.config as Partial<ActorVerificationSettings>).BUS_ACTOR_PUBLIC_KEY;
  if (!publicKey) throw new ConfigError(['BUS_ACTOR_PUBLIC_KEY: 未设置（服务须用网关的公钥核验总线上的身份断言）']);
  const verifier = new ActorAssertionVerifier(publicKey);
  const logger = new JsonLogger(options.processName ?? options.service, options.config.LOG_LEVEL);
  const app = await NestFactory.createMicroservice(module, {
    strategy: options.transport.createServer(options.service),
    logger,
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new BusExceptionFilter());
  // The correlation context first, the actor assertion checked inside it: one slot of Nest's chain.
  app.useGlobalInterceptors(
    new InterceptorChain([new CorrelationInterceptor(options.service), new ActorAssertionInterceptor(verifier)]),
  );
  await app.listen();
  return app;
}
