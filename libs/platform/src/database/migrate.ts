import { DataSource } from 'typeorm';

/** Lock namespace for schema migrations (pg_advisory_lock's first key). */
const MIGRATION_LOCK_CLASS = 0x67737201;

export interface MigrationOutcome {
  applied: string[];
}

/**
 * Creates the service's schema and applies its pending migrations, holding a PostgreSQL
 * advisory lock for that schema meanwhile: replicas that boot together wait for each
 * other instead of racing, and the later ones find nothing left to do.
 */
export async function migrateUnderLock(dataSource: DataSource, schema: string): Promise<MigrationOutcome> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, schema]);
    await lockRunner.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return { applied: applied.map((migration) => migration.name) };
  } finally {
    await lockRunner
      .query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, schema])
      .catch(() => undefined);
    await lockRunner.release();
  }
}
