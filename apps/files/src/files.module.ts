import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule, PlatformModule, ServiceRuntime } from '@app/platform';
import { StorageModule } from '@app/storage';

/** 文件中心 metadata; the objects themselves live in object storage. */
@Module({})
export class FilesModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return {
      module: FilesModule,
      imports: [
        PlatformModule.forApp({ service: 'files', ...runtime }),
        DatabaseModule.forService({ service: 'files', schema: 'files', config: runtime.config, entities: [], migrations: [] }),
        StorageModule.forService(runtime.config, ['files', 'packages']),
      ],
    };
  }
}
