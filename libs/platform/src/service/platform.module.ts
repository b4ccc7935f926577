import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { ServiceName } from '@app/contracts';
import { BusClient } from '../bus/bus-client';
import { createHealthController } from '../health/health.controller';
import { BaseConfig, ServiceRuntime } from './runtime';
import { APP_CONFIG, BUS_CLIENT_PROXY, BUS_TRANSPORT, SERVICE_NAME } from '../tokens';

export interface PlatformOptions extends ServiceRuntime<BaseConfig> {
  /** The bus service this app is; the gateway passes none. */
  service?: ServiceName;
}

/** Config, the bus client and (for services) the health handler, for one app. */
@Global()
@Module({})
export class PlatformModule {
  static forApp(options: PlatformOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: options.config },
      { provide: BUS_TRANSPORT, useValue: options.transport },
      { provide: BUS_CLIENT_PROXY, useFactory: () => options.transport.createClient() },
      { provide: SERVICE_NAME, useValue: options.service ?? 'gateway' },
      BusClient,
    ];
    return {
      module: PlatformModule,
      controllers: options.service ? [createHealthController(options.service)] : [],
      providers,
      exports: [APP_CONFIG, BUS_TRANSPORT, BUS_CLIENT_PROXY, SERVICE_NAME, BusClient],
    };
  }
}
