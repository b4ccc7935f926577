import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CreateOutbox1764190000000, DatabaseModule, OutboxModule, PlatformModule, ServiceRuntime } from '@app/platform';
import { ImportsController } from './imports/imports.controller';
import { ImportsService } from './imports/imports.service';
import { CreateRecords1764210000000 } from './migrations/1764210000000-CreateRecords';
import { SiteRecord } from './records/record.entity';

export const REVIEW_MIGRATIONS = [CreateOutbox1764190000000, CreateRecords1764210000000];

/** The records: form content versions, workflow state, the list/search read side, 标识码 counters. */
@Module({})
export class ReviewModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return {
      module: ReviewModule,
      imports: [
        PlatformModule.forApp({ service: 'review', ...runtime }),
        DatabaseModule.forService({ service: 'review', schema: 'review', config: runtime.config, entities: [SiteRecord], migrations: REVIEW_MIGRATIONS }),
        TypeOrmModule.forFeature([SiteRecord]),
        OutboxModule.register(),
      ],
      controllers: [ImportsController],
      providers: [ImportsService],
    };
  }
}
