import { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceName } from '@app/contracts';
import { CorrelationInterceptor } from '../context/correlation.interceptor';
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
 * the global validation pipe, error filter and correlation interceptor every service has.
 */
export async function createServiceApp(module: DynamicModule, options: ServiceAppOptions): Promise<INestMicroservice> {
  const logger = new JsonLogger(options.processName ?? options.service, options.config.LOG_LEVEL);
  const app = await NestFactory.createMicroservice(module, {
    strategy: options.transport.createServer(options.service),
    logger,
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new BusExceptionFilter());
  app.useGlobalInterceptors(new CorrelationInterceptor(options.service));
  await app.listen();
  return app;
}
