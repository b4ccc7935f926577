import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule, PlatformModule, ServiceRuntime } from '@app/platform';
import { StorageModule } from '@app/storage';

/** Import jobs: reads, verifies and validates packages; stateless CPU work, scales out as a queue group. */
@Module({})
export class IntakeModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return {
      module: IntakeModule,
      imports: [
        PlatformModule.forApp({ service: 'intake', ...runtime }),
        DatabaseModule.forService({ service: 'intake', schema: 'intake', config: runtime.config, entities: [], migrations: [] }),
        StorageModule.forService(runtime.config, ['packages']),
      ],
    };
  }
}
