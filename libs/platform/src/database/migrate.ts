import { DataSource } from 'typeorm';
import { MigrationExecutor } from 'typeorm/migration/MigrationExecutor';

/** Lock namespace for schema migrations (pg_advisory_xact_lock's first key). */
const MIGRATION_LOCK_CLASS = 0x67737201;

export interface MigrationOutcome {
  applied: string[];
}

/**
 * Creates the service's schema when missing and applies its pending migrations, all in one
 * transaction that holds a transaction-scoped advisory lock for that schema: replicas (or a
 * release's migration job) that start together wait for each other instead of racing, and
 * the later ones find nothing left to do. Transaction-scoped, so it also holds through
 * PgBouncer in transaction mode, and a crash never leaves the lock behind; all-or-nothing,
 * so a failed release leaves the schema as the previous release knew it.
 */
export async function migrateUnderLock(dataSource: DataSource, schema: string): Promise<MigrationOutcome> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, schema]);
    // A role that owns its schema but may not create schemas (deploy/postgres) still boots.
    const [{ present }] = (await runner.query('SELECT count(*)::int AS present FROM pg_namespace WHERE nspname = $1', [
      schema,
    ])) as Array<{ present: number }>;
    if (present === 0) await runner.query(`CREATE SCHEMA "${schema.replace(/"/g, '""')}"`);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'all';
    const applied = await executor.executePendingMigrations();
    await runner.commitTransaction();
    return { applied: applied.map((migration) => migration.name) };
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw err;
  } finally {
    await runner.release();
  }
}
