import { DynamicModule, Logger, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, EntitySchema, MixedList } from 'typeorm';
import { DatabaseSettings } from '../config/settings';
import { DATABASE_PROBE, HealthProbe } from '../health/health-probe';
import { migrateUnderLock } from './migrate';

export interface DatabaseOptions {
  service: string;
  /** The PostgreSQL schema this service owns; no other service reads it. */
  schema: string;
  config: DatabaseSettings;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

/**
 * One TypeORM data source per service, in the service's own schema. `synchronize` is off:
 * the schema changes only through migrations, applied at boot under an advisory lock.
 */
@Module({})
export class DatabaseModule {
  static forService(options: DatabaseOptions): DynamicModule {
    const { config, schema } = options;
    const logger = new Logger('Database');
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            type: 'postgres' as const,
            url: config.DATABASE_URL,
            schema,
            entities: options.entities,
            migrations: options.migrations,
            migrationsTableName: 'migrations',
            synchronize: false,
            migrationsRun: false,
            logging: false,
            poolSize: config.DATABASE_POOL_SIZE,
            applicationName: `gsr-${options.service}`,
            // Unqualified names (raw SQL, migrations) resolve in the service's own schema.
            extra: { options: `-c search_path=${schema}` },
          }),
          dataSourceFactory: async (dataSourceOptions) => {
            const dataSource = await new DataSource(dataSourceOptions!).initialize();
            const { applied } = await migrateUnderLock(dataSource, schema);
            if (applied.length > 0) logger.log({ msg: 'migrations applied', schema, applied });
            return dataSource;
          },
        }),
      ],
      providers: [
        {
          provide: DATABASE_PROBE,
          useFactory: (dataSource: DataSource): HealthProbe => ({
            name: 'database',
            check: async () => void (await dataSource.query('SELECT 1')),
          }),
          inject: [getDataSourceToken()],
        },
      ],
      exports: [DATABASE_PROBE, TypeOrmModule],
    };
  }
}
