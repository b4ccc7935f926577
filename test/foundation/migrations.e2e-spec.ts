import { createServiceApp, migrateUnderLock } from '@app/platform';
import {
  createTestDatabase,
  startTestInfrastructure,
  TestDatabase,
  TestInfrastructure,
  withClient,
} from '@app/testing';
import { INestMicroservice } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Account } from '../../apps/identity/src/accounts/account.entity';
import { AuditLogRepository } from '../../apps/identity/src/audit/audit-log.repository';
import { verifyAuditLog } from '../../apps/identity/src/audit/audit.service';
import { IDENTITY_MIGRATIONS } from '../../apps/identity/src/identity.module';
import { SERVICE_MODULES } from '../../apps/standalone/src/services';

function identityDataSource(url: string, migrations: readonly unknown[] = IDENTITY_MIGRATIONS): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    schema: 'identity',
    entities: [Account],
    migrations: migrations as Array<new () => object>,
    migrationsTableName: 'migrations',
    extra: { options: '-c search_path=identity' },
  });
}

describe('migrations at boot', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('migrates a fresh schema once when two replicas run migrations at the same moment, and again is a no-op', async () => {
    const sources = [identityDataSource(database.url), identityDataSource(database.url)];
    await Promise.all(sources.map((source) => source.initialize()));
    try {
      const outcomes = await Promise.all(sources.map((source) => migrateUnderLock(source, 'identity')));
      const applied = outcomes.map((outcome) => outcome.applied).sort((a, b) => b.length - a.length);
      const all = IDENTITY_MIGRATIONS.map((migration) => migration.name);
      expect(all[0]).toBe('CreateAccounts1764180000000');
      expect(applied).toEqual([all, []]);

      const again = await migrateUnderLock(sources[0], 'identity');
      expect(again.applied).toEqual([]);

      const rows = await withClient(database.url, (client) =>
        client.query('SELECT name FROM identity.migrations ORDER BY id'),
      );
      expect(rows.rows.map((row) => row.name)).toEqual(IDENTITY_MIGRATIONS.map((migration) => migration.name));
      const tables = await withClient(database.url, (client) =>
        client.query("SELECT table_schema, table_name FROM information_schema.tables WHERE table_name = 'account'"),
      );
      expect(tables.rows).toEqual([{ table_schema: 'identity', table_name: 'account' }]);
    } finally {
      await Promise.all(sources.map((source) => source.destroy()));
    }
  });
});

describe('the audit log hash chain migration', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('chains the entries stored before it, in the order they were stored, so they verify', async () => {
    const chained = IDENTITY_MIGRATIONS.findIndex((migration) => migration.name === 'AuditLogHashChain1764500000000');
    const before = identityDataSource(database.url, IDENTITY_MIGRATIONS.slice(0, chained));
    await before.initialize();
    try {
      await migrateUnderLock(before, 'identity');
      for (let n = 0; n < 2500; n++)
        await before.query(
          `INSERT INTO audit_log (id, at, service, action, outcome, actor_username, details, stored_at)
           VALUES (gen_random_uuid(), now() - make_interval(secs => $1), 'review', 'record.approve', 'success', '130300', $2, now() + make_interval(secs => $1))`,
          [n, JSON.stringify({ siteName: `网站${n}`, n, nested: { z: 1, a: [n] } })],
        );
    } finally {
      await before.destroy();
    }
    const after = identityDataSource(database.url);
    await after.initialize();
    try {
      expect((await migrateUnderLock(after, 'identity')).applied).toContain('AuditLogHashChain1764500000000');
      const result = await verifyAuditLog(new AuditLogRepository(after));
      expect(result).toMatchObject({ ok: true, checked: 2500, headSeq: 2500, anchorSeq: 0 });
      // Stored order, not event time: seq 1 is the first row stored (n = 0).
      const [first] = await after.query(`SELECT details->>'n' AS n FROM audit_log WHERE seq = 1`);
      expect(first.n).toBe('0');
      await expect(after.query(`UPDATE audit_log SET outcome = 'denied' WHERE seq = 7`)).rejects.toThrow(
        /审计日志只能追加/,
      );
    } finally {
      await after.destroy();
    }
  });
});

describe('services booting together on a fresh database', () => {
  let infra: TestInfrastructure;
  const apps: INestMicroservice[] = [];

  beforeAll(async () => {
    infra = await startTestInfrastructure();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await infra?.teardown();
  });

  it('boots two identity replicas and every other service at once without a race', async () => {
    const config = infra.config({
      ROOT_PASSWORD: 'Root-Pass-2026',
      SUPPORT_PASSWORD: 'Support-Pass-2026',
      AUDITOR_PASSWORD: 'Auditor-Pass-2026',
    });
    const boots = (
      ['identity', 'identity', 'hierarchy', 'intake', 'review', 'files', 'notification', 'assessment'] as const
    ).map((service) => {
      const runtime = { config, transport: infra.transport('in-process', config) };
      return createServiceApp(SERVICE_MODULES[service](runtime), { service, ...runtime });
    });
    apps.push(...(await Promise.all(boots)));

    const schemas = await withClient(infra.database.url, (client) =>
      client.query(
        "SELECT schema_name FROM information_schema.schemata WHERE schema_name NOT LIKE 'pg_%' AND schema_name NOT IN ('information_schema', 'public') ORDER BY 1",
      ),
    );
    expect(schemas.rows.map((row) => row.schema_name)).toEqual([
      'assessment',
      'files',
      'hierarchy',
      'identity',
      'intake',
      'notification',
      'review',
    ]);
    const migrations = await withClient(infra.database.url, (client) =>
      client.query('SELECT count(*)::int AS n FROM identity.migrations'),
    );
    expect(migrations.rows[0].n).toBe(IDENTITY_MIGRATIONS.length);
    // The system accounts exist once, however many replicas created them.
    const accounts = await withClient(infra.database.url, (client) =>
      client.query('SELECT username, must_change_password FROM identity.account ORDER BY username'),
    );
    expect(accounts.rows).toEqual([
      { username: 'auditor', must_change_password: false },
      { username: 'bm0100', must_change_password: false },
      { username: 'support', must_change_password: false },
    ]);
  });
});
