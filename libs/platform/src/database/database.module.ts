import { DynamicModule, Logger, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, EntitySchema, MixedList } from 'typeorm';
import { DatabaseSettings } from '../config/settings';
import { DATABASE_PROBE, HealthProbe } from '../health/health-probe';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { dbPoolConnections, dbPoolMax, registerScrapeCollector } from '../metrics/metrics';
import { MigrationOutcome, migrateUnderLock } from './migrate';

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

/** How a service connects: its schema first on the search path, its pool size, its migrations. */
export function postgresOptions(
  options: Pick<DatabaseOptions, 'service' | 'schema' | 'config' | 'migrations'>,
): PostgresConnectionOptions {
  const { config, schema } = options;
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    schema,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: `gsr-${options.service}`,
    // Unqualified names (raw SQL, migrations) resolve in the service's own schema.
    extra: { options: `-c search_path=${schema}` },
  };
}

/**
 * Applies a service's pending migrations and disconnects: the release's migration job
 * (`node scripts/migrate.js <app>`, deploy/README.md) runs it before the new pods start.
 */
export async function migrateService(
  options: Pick<DatabaseOptions, 'service' | 'schema' | 'config' | 'migrations'>,
): Promise<MigrationOutcome> {
  const dataSource = await new DataSource({
    ...postgresOptions(options),
    poolSize: 1,
    applicationName: `gsr-${options.service}-migrate`,
  }).initialize();
  try {
    return await migrateUnderLock(dataSource, options.schema);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * One TypeORM data source per service, in the service's own schema. `synchronize` is off:
 * the schema changes only through migrations, applied at boot under an advisory lock.
 */
@Module({})
export class DatabaseModule {
  static forService(options: DatabaseOptions): DynamicModule {
    const { schema } = options;
    const logger = new Logger('Database');
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...postgresOptions(options), entities: options.entities }),
          dataSourceFactory: async (dataSourceOptions) => {
            const dataSource = await new DataSource(dataSourceOptions!).initialize();
            const { applied } = await migrateUnderLock(dataSource, schema);
            if (applied.length > 0) logger.log({ msg: 'migrations applied', schema, applied });
            collectPoolMetrics(options.service, dataSource, options.config.DATABASE_POOL_SIZE);
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

/** The pg pool under a TypeORM data source (total, idle and waiting counts). */
interface PgPoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** The service's pool use (gsr_db_pool_connections), read at scrape time until the data source closes. */
function collectPoolMetrics(service: string, dataSource: DataSource, poolSize: number | undefined): void {
  const stop = registerScrapeCollector(`${service}:db-pool`, () => {
    if (!dataSource.isInitialized) return stop();
    const pool = (dataSource.driver as unknown as { master?: PgPoolCounts }).master;
    if (!pool) return;
    dbPoolConnections.set({ service, state: 'total' }, pool.totalCount);
    dbPoolConnections.set({ service, state: 'idle' }, pool.idleCount);
    dbPoolConnections.set({ service, state: 'waiting' }, pool.waitingCount);
    // pg's own default when the setting is unset.
    dbPoolMax.set({ service }, poolSize ?? 10);
  });
}
