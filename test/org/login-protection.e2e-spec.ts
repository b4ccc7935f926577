import { ServiceRuntime } from '@app/platform';
import {
  ApiClient,
  ApiResponse,
  eventually,
  startTestInfrastructure,
  TestInfrastructure,
  withClient,
  WorkbookRow,
  workbookOf,
} from '@app/testing';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createGatewayApp } from '../../apps/gateway/src/create-gateway-app';
import { RunningSystem, startSystem, untilStarted } from '../../apps/standalone/src/system';

import { KdfPool } from '../../apps/identity/src/accounts/kdf-pool';

const ROOT_PASSWORD = 'Root-Pass-2026';
const SUPPORT_PASSWORD = 'Support-Pass-2026';
/** The full scrypt cost (password-hasher's COST.N). */
const FULL_COST = 2 ** 15;
/** This system's limit per client across accounts (the default is 30). */
const CLIENT_LIMIT = 10;

/**
 * Login protection on its own system: the gateway trusts the test's loopback as a proxy
 * (TRUST_PROXY=127.0.0.1), so each X-Forwarded-For address is a client of its own. Pair
 * locks, the per-client limit, the system accounts' delay, root ↔ support unlock, the
 * password change's guesses, the same work for every username, and a gateway that trusts no
 * proxy.
 */
describe('login protection', () => {
  let infra: TestInfrastructure;
  let runtime: ServiceRuntime;
  let system: RunningSystem;
  let anonymous: ApiClient;
  let root: ApiClient;
  let rows: WorkbookRow[];

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    const config = infra.config({ TRUST_PROXY: '127.0.0.1', LOGIN_CLIENT_MAX_FAILURES: CLIENT_LIMIT });
    runtime = { config, transport: infra.transport('nats', config) };
    system = await startSystem(runtime);
    // The first start's tree, accounts and workbooks: login answers 503 until then.
    await untilStarted(system);
    anonymous = new ApiClient((await system.gateway.getUrl()).replace('[::1]', '127.0.0.1'));
    // Right after the first start the root's account is linked to its unit within seconds.
    root = await eventually(async () => {
      const client = await anonymous.from('10.9.0.1').login('bm0100', ROOT_PASSWORD);
      return (await client.get('/me')).body.orgUnitId ? client : undefined;
    });
    rows = (await workbookOf(root)).rows;
  });

  afterAll(async () => {
    await system?.close();
    await infra?.teardown();
  });

  const sql = <T = any>(query: string, params: unknown[] = []) =>
    withClient(infra.database.url, async (client) => (await client.query(query, params)).rows as T[]);

  const account = (code: string) => rows.find((row) => row.code === code)!;
  const login = (client: ApiClient, username: string, password: string) =>
    client.post('/auth/login', { username, password });
  /** An answer without the parts that differ by the moment it was given. */
  const answer = (res: ApiResponse) => ({
    status: res.status,
    code: res.body.code,
    message: res.body.message,
    details: res.body.details && Object.keys(res.body.details).sort(),
  });

  it('locks the (account, client) pair: the same account still logs in from another client', async () => {
    const attacker = anonymous.from('10.1.0.1');
    const { username, password } = account('130000');
    for (let i = 0; i < 4; i++)
      expect((await login(attacker, username, 'wrong')).body).toEqual({
        code: 'INVALID_CREDENTIALS',
        message: '账号或密码错误',
      });
    const fifth = await login(attacker, username, 'wrong');
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('ACCOUNT_LOCKED');
    expect((await login(attacker, username, password)).status).toBe(423);

    expect((await login(anonymous.from('10.1.0.2'), username, password)).status).toBe(200);
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers an unknown username exactly as a real one, its lock included', async () => {
    const real: ApiResponse[] = [];
    const unknown: ApiResponse[] = [];
    for (let i = 0; i < 6; i++) {
      real.push(await login(anonymous.from('10.2.0.1'), account('140000').username, 'wrong'));
      unknown.push(await login(anonymous.from('10.2.0.2'), 'nosuch01', 'wrong'));
    }
    expect(real.map((res) => res.status)).toEqual([401, 401, 401, 401, 423, 423]);
    expect(unknown.map(answer)).toEqual(real.map(answer));
  });

  it(`turns a client away (429, Retry-After) after ${CLIENT_LIMIT} failed logins across accounts`, async () => {
    const client = anonymous.from('10.3.0.1');
    const usernames = [...rows.map((row) => row.username), ...[1, 2, 3, 4, 5].map((i) => `nobody${i}`)];
    expect(usernames).toHaveLength(CLIENT_LIMIT);
    for (const username of usernames) expect((await login(client, username, 'wrong')).status).toBe(401);
    const { username, password } = account('130000');
    const refused = await login(client, username, password);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^本机登录失败次数过多，请\d+(秒|分钟)后再试$/),
    });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Only that client.
    expect((await login(anonymous.from('10.3.0.2'), username, password)).status).toBe(200);
  });

  it('never locks bm0100 or support: the failing client waits longer each time, other clients log in', async () => {
    for (const [username, password] of [
      ['bm0100', ROOT_PASSWORD],
      ['support', SUPPORT_PASSWORD],
    ]) {
      const failing = anonymous.from(username === 'support' ? '10.4.0.1' : '10.4.1.1');
      for (let i = 0; i < 5; i++) expect((await login(failing, username, 'wrong')).status).toBe(401);
      const early = await login(failing, username, password);
      expect(early.status).toBe(429);
      expect(early.body).toMatchObject({
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/^密码错误次数过多，请\d+秒后再试$/),
      });
      expect(Number(early.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await login(anonymous.from('10.4.2.1'), username, password)).status).toBe(200);
      // The wait runs out by itself: never a lock.
      await eventually(async () => (await login(failing, username, password)).status === 200, 30_000, 1000);
    }
  });

  it('lets root unlock support and support unlock root, and records both', async () => {
    const delay = async (client: ApiClient, username: string, password: string) => {
      for (let i = 0; i < 5; i++) await login(client, username, 'wrong');
      expect((await login(client, username, password)).status).toBe(429);
    };
    const supportDesk = anonymous.from('10.5.0.1');
    await delay(supportDesk, 'support', SUPPORT_PASSWORD);
    const unlocked = await root.post('/admin/accounts/support/unlock');
    expect(unlocked).toMatchObject({ status: 200, body: { unlocked: true } });
    const support = await supportDesk.login('support', SUPPORT_PASSWORD);

    // The root may unlock the support account only.
    expect((await root.post(`/admin/accounts/${account('130000').username}/unlock`)).body.code).toBe('FORBIDDEN');

    const rootDesk = anonymous.from('10.5.0.2');
    await delay(rootDesk, 'bm0100', ROOT_PASSWORD);
    expect((await support.post('/admin/accounts/bm0100/unlock')).status).toBe(200);
    expect((await login(rootDesk, 'bm0100', ROOT_PASSWORD)).status).toBe(200);

    const audit = await sql(
      `SELECT actor_username AS actor, target_id AS target FROM identity.audit_log WHERE action = 'account.unlock' ORDER BY at`,
    );
    expect(audit).toEqual([
      { actor: 'bm0100', target: 'support' },
      { actor: 'support', target: 'bm0100' },
    ]);
  });

  it('counts wrong current passwords at a password change like failed logins', async () => {
    const { username, password } = account('110000');
    const desk = anonymous.from('10.6.0.1');
    const signedIn = await desk.login(username, password);
    const change = () =>
      signedIn.post('/auth/change-password', { currentPassword: 'wrong', newPassword: 'Good-Pass-2026' });
    for (let i = 0; i < 4; i++) expect((await change()).body.code).toBe('WRONG_PASSWORD');
    expect((await change()).body.code).toBe('ACCOUNT_LOCKED');
    expect((await login(desk, username, password)).status).toBe(423);
    expect((await login(anonymous.from('10.6.0.2'), username, password)).status).toBe(200);
  });

  it('refuses a new password equal to the current one', async () => {
    const res = await root.post('/auth/change-password', {
      currentPassword: ROOT_PASSWORD,
      newPassword: ROOT_PASSWORD,
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'WEAK_PASSWORD', message: '新密码不能与当前密码相同' });
  });

  it('spends one full-cost hash on every login, whoever the username belongs to, and answers alike', async () => {
    // Every hash of identity goes through its KDF pool: the spy sees each one's cost.
    const scrypt = jest.spyOn(KdfPool.prototype, 'scrypt');
    try {
      const costs = async (username: string, password: string) => {
        scrypt.mockClear();
        const res = await login(anonymous.from('10.7.0.1'), username, password);
        const calls = scrypt.mock.calls.map(([task]) => task.options.N);
        return { res, calls };
      };
      const initial = account('bm0700');
      const unknown = await costs('nosuch07', 'Wrong-Pass-1');
      const onInitial = await costs(initial.username, 'Wrong-Pass-1');
      const own = await costs('bm0100', 'Wrong-Pass-1');
      for (const kind of [unknown, onInitial, own]) {
        expect(kind.calls).toEqual([FULL_COST]);
        expect({ status: kind.res.status, body: kind.res.body }).toEqual({
          status: 401,
          body: { code: 'INVALID_CREDENTIALS', message: '账号或密码错误' },
        });
      }
      const right = await costs(initial.username, initial.password);
      expect(right.res.status).toBe(200);
      expect(right.calls).toEqual([FULL_COST]);
    } finally {
      scrypt.mockRestore();
    }
  });

  it('believes X-Forwarded-For only from TRUST_PROXY: without it, rotating the header does not escape the limit', async () => {
    const untrusting: NestExpressApplication = await createGatewayApp({
      ...runtime,
      config: { ...runtime.config, TRUST_PROXY: undefined },
    });
    await untrusting.listen(0, '127.0.0.1');
    try {
      const direct = new ApiClient((await untrusting.getUrl()).replace('[::1]', '127.0.0.1'));
      const statuses: number[] = [];
      for (let i = 0; i <= CLIENT_LIMIT; i++)
        statuses.push((await login(direct.from(`172.16.0.${i + 1}`), `rotating${i}`, 'wrong')).status);
      expect(statuses).toEqual([...Array(CLIENT_LIMIT).fill(401), 429]);
    } finally {
      await untrusting.close();
    }
  });
});
