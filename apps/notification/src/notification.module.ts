import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule, PlatformModule, ServiceRuntime } from '@app/platform';
/** Outbox of mail, in-app notices and email delivery. */
@Module({})
export class NotificationModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return {
      module: NotificationModule,
      imports: [
        PlatformModule.forApp({ service: 'notification', ...runtime }),
        DatabaseModule.forService({ service: 'notification', schema: 'notification', config: runtime.config, entities: [], migrations: [] }),
      ],
    };
  }
}
