import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { createSampleForm } from '@app/forms';
import { writePackage } from '@app/package';
import { AppConfig, FieldCipher, fieldKeyId } from '@app/platform';
import {
  adminDatabaseUrl,
  ApiClient,
  loginDownTheTree,
  ownPassword,
  startTestInfrastructure,
  TestInfrastructure,
  withClient,
  workbookOf,
} from '@app/testing';
import { ObjectStorage } from '@app/storage';
import { RunningSystem, startSystem, untilStarted } from '../../apps/standalone/src/system';
import { importAndWait } from '../imports/support';

const ROOT = resolve(__dirname, '../..');
const ROOT_PASSWORD = 'Root-Pass-2026';
const BUCKETS = ['gsr-packages', 'gsr-files', 'gsr-evidence'];

/** Runs the operator CLI as an operator does (the built dist/), with the deployment's settings. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/apps/cli/src/main.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Backup and restore of PostgreSQL and S3 together (`backup`, `restore`), and the rotation of
 * JWT_SECRET and ENCRYPTION_KEY (`rekey`), on a real system over NATS, PostgreSQL and s3rver.
 */
describe('operations: backup, restore, key rotation', () => {
  let infra: TestInfrastructure;
  let config: AppConfig;
  let system: RunningSystem | undefined;
  let anonymous: ApiClient;
  let city: ApiClient;
  let storage: ObjectStorage;
  let work: string;
  let packageBytes: Uint8Array;
  let jobId: string;
  let evidenceId: string;
  const evidenceBytes = randomBytes(4096);
  const formIds: string[] = [];

  const opsEnv = (): Record<string, string> => ({
    DATABASE_URL: infra.database.url,
    S3_ENDPOINT: infra.s3.endpoint,
    S3_ACCESS_KEY: infra.s3.accessKey,
    S3_SECRET_KEY: infra.s3.secretKey,
  });

  async function start(overrides: Partial<AppConfig> = {}): Promise<void> {
    const runtime = { ...config, ...overrides } as AppConfig;
    system = await startSystem({ config: runtime, transport: infra.transport('nats', runtime) });
    await untilStarted(system);
    anonymous = new ApiClient((await system.gateway.getUrl()).replace('[::1]', '127.0.0.1'));
    city = anonymous.withToken(city?.token ?? '');
  }

  async function stop(): Promise<void> {
    await system?.close();
    system = undefined;
  }

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    config = infra.config({ ROOT_PASSWORD });
    storage = new ObjectStorage({
      endpoint: infra.s3.endpoint,
      accessKey: infra.s3.accessKey,
      secretKey: infra.s3.secretKey,
      region: 'us-east-1',
    });
    work = mkdtempSync(join(tmpdir(), 'gsr-backup-'));
    await start();
    const units = await loginDownTheTree(anonymous, ROOT_PASSWORD, ['130000', '130300']);
    city = units.get('130300')!;
    const forms = [0, 1, 2].map((n) => createSampleForm(300 + n));
    formIds.push(...forms.map((f) => f.id));
    packageBytes = await writePackage(forms, {
      fillerUnit: '秦皇岛市人民政府办公室',
      generator: { name: 'test', version: '1' },
    });
    const job = await importAndWait(city, packageBytes, '上报文件.zip');
    expect(job.status).toBe('SUCCEEDED');
    jobId = job.id ?? job.jobId;
    // One site coded and signed in with its codes keeps a screenshot as evidence (评分证据).
    const codedId = formIds[1];
    expect((await city.post(`/forms/${codedId}/submit`)).status).toBe(200);
    expect((await units.get('130000')!.post(`/forms/${codedId}/approve`)).status).toBe(200);
    const [coded] = await withClient(
      infra.database.url,
      async (c) => (await c.query(`SELECT site_code, check_code_enc FROM review.record WHERE id = $1`, [codedId])).rows,
    );
    const checkCode = new FieldCipher(config.ENCRYPTION_KEY!).decrypt(coded.check_code_enc, `check-code:${codedId}`);
    const siteCode = coded.site_code as string;
    const site = await anonymous.siteLogin(siteCode, checkCode);
    const uploaded = await site.upload(
      `/sites/${siteCode}/self-assessment/evidence?key=homepage-availability`,
      evidenceBytes,
      '首页截图.png',
    );
    expect(uploaded.status).toBe(201);
    evidenceId = uploaded.body.id;
  });

  afterAll(async () => {
    await stop();
    await infra?.teardown();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** What a restore must bring back: the rows users depend on and every object's bytes. */
  async function state() {
    const rows = await withClient(infra.database.url, async (c) => ({
      records: (
        await c.query(
          `SELECT id, site_name, homepage_url, status, current_version, owner_org_unit_id FROM review.record ORDER BY id`,
        )
      ).rows,
      versions: (
        await c.query(`SELECT record_id, version, content FROM review.record_version ORDER BY record_id, version`)
      ).rows,
      accounts: (
        await c.query(
          `SELECT username, password_hash, initial_password_enc, org_unit_id FROM identity.account ORDER BY username`,
        )
      ).rows,
      units: (await c.query(`SELECT id, code, name FROM hierarchy.org_unit ORDER BY code`)).rows,
      jobs: (await c.query(`SELECT id, status FROM intake.import_job ORDER BY id`)).rows,
      files: (await c.query(`SELECT * FROM files.file ORDER BY id`)).rows,
      evidence: (await c.query(`SELECT * FROM assessment.evidence_file ORDER BY id`)).rows,
    }));
    return { ...rows, objects: await objectsNow() };
  }

  /** Every object of the system's buckets: its SHA-256 and content type. */
  async function objectsNow() {
    const objects: Record<string, { sha256: string; contentType: string }> = {};
    for (const bucket of BUCKETS) {
      if (!(await storage.client.bucketExists(bucket))) continue;
      for await (const item of storage.list(bucket, '')) {
        const bytes = await storage.get(bucket, item.key);
        const stat = await storage.stat(bucket, item.key);
        objects[`${bucket}/${item.key}`] = {
          sha256: createHash('sha256').update(bytes).digest('hex'),
          contentType: stat!.contentType,
        };
      }
    }
    return objects;
  }

  it('backs up, wipes PostgreSQL and S3, restores: the same records and files come back and the system works', async () => {
    const before = await state();
    expect(before.records.map((r) => r.id).sort()).toEqual([...formIds].sort());
    expect(Object.keys(before.objects).some((key) => key.startsWith('gsr-packages/'))).toBe(true);
    expect(Object.keys(before.objects).some((key) => key.startsWith('gsr-files/'))).toBe(true);
    expect(Object.keys(before.objects).filter((key) => key.startsWith('gsr-evidence/'))).toHaveLength(1);

    // Online: the system keeps running while the backup is taken.
    const dir = join(work, 'backup-1');
    const made = await cli(['backup', '--out', dir], opsEnv());
    expect([made.code, made.stderr]).toEqual([0, '']);
    expect(made.stdout).toContain('备份完成');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'gsr-backup', formatVersion: 1, database: { name: infra.database.name } });
    expect(manifest.database.sha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(dir, manifest.database.file)))
        .digest('hex'),
    );
    expect(manifest.database.schemas.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining(['files', 'hierarchy', 'identity', 'intake', 'notification', 'review']),
    );
    const saved: Record<string, string> = {};
    for (const bucket of manifest.buckets)
      for (const object of bucket.objects) {
        expect(
          createHash('sha256')
            .update(readFileSync(join(dir, object.file)))
            .digest('hex'),
        ).toBe(object.sha256);
        saved[`${bucket.name}/${object.key}`] = object.sha256;
      }
    for (const [key, object] of Object.entries(before.objects)) expect([key, saved[key]]).toEqual([key, object.sha256]);

    // A second backup into the same directory is refused: a backup is never overwritten.
    const again = await cli(['backup', '--out', dir], opsEnv());
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('BACKUP_TARGET_NOT_EMPTY');

    // Into a system that holds data: refused without --force, nothing changed.
    const refused = await cli(['restore', '--from', dir], opsEnv());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('RESTORE_TARGET_NOT_EMPTY');

    // A damaged copy is refused before anything changes, even with --force.
    const damaged = join(work, 'damaged');
    cpSync(dir, damaged, { recursive: true });
    const victim = join(
      damaged,
      manifest.buckets.find((b: { objects: unknown[] }) => b.objects.length > 0).objects[0].file,
    );
    const bytes = readFileSync(victim);
    bytes[0] ^= 0xff;
    writeFileSync(victim, bytes);
    const corrupt = await cli(['restore', '--from', damaged, '--force'], opsEnv());
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toContain('BACKUP_CORRUPT');

    // With --force (the services stopped), the data in place is replaced by the backup's.
    await stop();
    await withClient(infra.database.url, (c) =>
      c.query(`UPDATE review.record SET site_name = 'changed after the backup'`),
    );
    await storage.put(BUCKETS[1], 'made-after-the-backup.txt', Buffer.from('later'), 'text/plain');
    const replaced = await cli(['restore', '--from', dir, '--force'], opsEnv());
    expect([replaced.code, replaced.stderr]).toEqual([0, '']);
    expect(await state()).toEqual(before);

    // Total loss: the database dropped and made again empty, every object and bucket gone.
    await withClient(adminDatabaseUrl(), async (c) => {
      await c.query(`DROP DATABASE "${infra.database.name}" WITH (FORCE)`);
      await c.query(`CREATE DATABASE "${infra.database.name}" ENCODING 'UTF8' TEMPLATE template0`);
    });
    for (const bucket of BUCKETS) {
      const keys: string[] = [];
      for await (const item of storage.list(bucket, '')) keys.push(item.key);
      for (const key of keys) await storage.remove(bucket, key);
      await storage.client.removeBucket(bucket);
    }
    expect(await objectsNow()).toEqual({});

    const restored = await cli(['restore', '--from', dir], opsEnv());
    expect([restored.code, restored.stderr]).toEqual([0, '']);
    expect(restored.stdout).toContain('恢复完成');
    expect(await state()).toEqual(before);

    // The system runs on what came back: the session from before, a fresh login, the lists,
    // the uploaded package and the account workbook, byte for byte.
    await start();
    const list = await city.get('/forms');
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { id: string }) => item.id).sort()).toEqual([...formIds].sort());
    const fresh = await anonymous.login('130300', ownPassword('130300'));
    expect((await fresh.get('/forms')).body.items).toHaveLength(3);
    const evidence = await fresh.download(`/evidence/${evidenceId}`);
    expect([evidence.status, evidence.bytes.equals(evidenceBytes)]).toEqual([200, true]);
    const original = await fresh.download(`/imports/${jobId}/package`);
    expect(original.status).toBe(200);
    expect(Buffer.compare(original.bytes, Buffer.from(packageBytes))).toBe(0);
    expect((await workbookOf(fresh)).rows.length).toBeGreaterThan(0);
  });

  it('rotates JWT_SECRET and ENCRYPTION_KEY: old tokens and sealed fields still work, rekey reseals every field, then the old keys go', async () => {
    const oldJwt = config.JWT_SECRET!;
    const oldKey = config.ENCRYPTION_KEY!;
    const newJwt = randomBytes(32).toString('hex');
    const newKey = randomBytes(32).toString('hex');
    const province = await anonymous.login('130000', ownPassword('130000'));
    // An account that never logged in: its initial password is a sealed field identity opens at login.
    const shijiazhuang = (await workbookOf(province, '130100')).rows.find((r) => r.code === '130100')!;
    const sealed = async () =>
      withClient(infra.database.url, async (c) =>
        (
          await c.query(`SELECT initial_password_enc AS v FROM identity.account WHERE initial_password_enc IS NOT NULL`)
        ).rows.map((r) => r.v as string),
      );
    expect((await sealed()).every((v) => v.startsWith(`v2.${fieldKeyId(oldKey)}.`))).toBe(true);
    // An approved record: its 校验码 is sealed (and mailed; the sent mail keeps an emptied body).
    const recordId = formIds[0];
    expect((await city.post(`/forms/${recordId}/submit`)).status).toBe(200);
    expect((await province.post(`/forms/${recordId}/approve`)).body.siteCode).toMatch(/^\d{10}$/);
    const checkCodeEnc = async () =>
      withClient(
        infra.database.url,
        async (c) =>
          (await c.query(`SELECT check_code_enc FROM review.record WHERE id = $1`, [recordId])).rows[0]
            .check_code_enc as string,
      );
    const checkCode = new FieldCipher(oldKey).decrypt(await checkCodeEnc(), `check-code:${recordId}`);

    await stop();
    await start({
      JWT_SECRET: newJwt,
      JWT_PREVIOUS_SECRETS: oldJwt,
      ENCRYPTION_KEY: newKey,
      ENCRYPTION_PREVIOUS_KEYS: oldKey,
    } as Partial<AppConfig>);
    // The token issued before the rotation still works; one signed with a secret nobody set does not.
    expect((await city.get('/forms')).status).toBe(200);
    const claims = JSON.parse(Buffer.from(city.token!.split('.')[1], 'base64url').toString('utf8'));
    const forged = await new JwtService({ secret: randomBytes(32).toString('hex') }).signAsync(claims, {
      algorithm: 'HS256',
    });
    expect((await anonymous.withToken(forged).get('/forms')).status).toBe(401);
    // New tokens are signed with the new secret.
    const fresh = await anonymous.login('130300', ownPassword('130300'));
    await expect(new JwtService({ secret: newJwt }).verifyAsync(fresh.token!)).resolves.toMatchObject({
      username: '130300',
    });
    // A field sealed with the old key still opens (login with the initial password).
    expect((await anonymous.post('/auth/login', { username: '130100', password: shijiazhuang.password })).status).toBe(
      200,
    );

    const env = { DATABASE_URL: infra.database.url, ENCRYPTION_KEY: newKey, ENCRYPTION_PREVIOUS_KEYS: oldKey };
    const run = await cli(['rekey', '--batch', '7'], env);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const count = (await sealed()).length;
    expect(count).toBeGreaterThan(7);
    expect(run.stdout).toContain(`重新加密 ${count} 条`);
    // This one and the site coded before the backup (its evidence test).
    expect(run.stdout).toContain('校验码（review.record.check_code_enc）：共 2 条，重新加密 2 条');
    expect((await sealed()).every((v) => v.startsWith(`v2.${fieldKeyId(newKey)}.`))).toBe(true);
    expect(new FieldCipher(newKey).decrypt(await checkCodeEnc(), `check-code:${recordId}`)).toBe(checkCode);
    // Run again (e.g. after an interruption): nothing left to do.
    const rerun = await cli(['rekey'], env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`重新加密 0 条，已是当前密钥 ${count} 条`);
    const audited = await withClient(infra.database.url, (c) =>
      c.query(`SELECT outcome, target_id, details FROM identity.audit_log WHERE action = 'field.rekey' ORDER BY seq`),
    );
    expect(audited.rows.map((r) => [r.outcome, r.target_id, r.details.resealed])).toEqual([
      ['success', fieldKeyId(newKey), count + 2],
      ['success', fieldKeyId(newKey), 0],
    ]);
    const verify = await new Promise<number>((done) =>
      spawn(process.execPath, [join(ROOT, 'dist/apps/identity/src/audit/verify-main.js')], {
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: infra.database.url },
        stdio: 'ignore',
      }).on('close', (code) => done(code ?? -1)),
    );
    expect(verify).toBe(0);

    // The old key and the old secret removed: fields still open; tokens of the old secret end.
    await stop();
    await start({ JWT_SECRET: newJwt, ENCRYPTION_KEY: newKey } as Partial<AppConfig>);
    expect((await anonymous.post('/auth/login', { username: '130100', password: shijiazhuang.password })).status).toBe(
      200,
    );
    expect((await city.get('/forms')).status).toBe(401);
    expect((await anonymous.withToken(fresh.token!).get('/forms')).status).toBe(200);
  });
});
