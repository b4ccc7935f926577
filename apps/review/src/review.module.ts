import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule, PlatformModule, ServiceRuntime } from '@app/platform';
/** The records: form content versions, workflow state, the list/search read side, 标识码 counters. */
@Module({})
export class ReviewModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return {
      module: ReviewModule,
      imports: [
        PlatformModule.forApp({ service: 'review', ...runtime }),
        DatabaseModule.forService({ service: 'review', schema: 'review', config: runtime.config, entities: [], migrations: [] }),
      ],
    };
  }
}
