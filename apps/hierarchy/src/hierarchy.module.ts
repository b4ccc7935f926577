import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule, PlatformModule, ServiceRuntime } from '@app/platform';
/** Org units (the tree, codes, levels, contact info) and node requests (新增节点申请). */
@Module({})
export class HierarchyModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return {
      module: HierarchyModule,
      imports: [
        PlatformModule.forApp({ service: 'hierarchy', ...runtime }),
        DatabaseModule.forService({ service: 'hierarchy', schema: 'hierarchy', config: runtime.config, entities: [], migrations: [] }),
      ],
    };
  }
}
