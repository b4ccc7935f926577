import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server tests run against (CI: the machine's PostgreSQL, trust auth). */
export function adminDatabaseUrl(): string {
  return process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A new, empty database for one test file, named after the run so the run's teardown can
 * drop it even if the file crashed. Never reuses what an earlier run left.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const runId = process.env.TEST_RUN_ID ?? 'adhoc';
  const name = `gsr_t_${runId}_${randomBytes(4).toString('hex')}`.toLowerCase();
  const admin = adminDatabaseUrl();
  await withClient(admin, (client) => client.query(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
