import { createServiceApp, ServiceRuntime } from '@app/platform';
import {
  ApiClient,
  eventually,
  firstLogin as sharedFirstLogin,
  ownPassword,
  startTestInfrastructure,
  TestInfrastructure,
  withClient,
  workbookOf as sharedWorkbookOf,
  WORKBOOK_HEADER,
} from '@app/testing';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createGatewayApp } from '../../apps/gateway/src/create-gateway-app';
import { SERVICE_MODULES } from '../../apps/standalone/src/services';
import { RunningSystem, startSystem, untilStarted } from '../../apps/standalone/src/system';

const ROOT_PASSWORD = 'Root-Pass-2026';
const SUPPORT_PASSWORD = 'Support-Pass-2026';
const AUDITOR_PASSWORD = 'Auditor-Pass-2026';

/**
 * The org tree and its accounts over real NATS, PostgreSQL and S3, on the sample tree (the
 * national seed is preset-tree.e2e-spec.ts): accounts handed down through workbooks,
 * first-login change, lockout, node requests (also with identity down), the support reset and
 * the audit log.
 */
describe('org tree, accounts and 文件中心', () => {
  let infra: TestInfrastructure;
  let runtime: ServiceRuntime;
  let system: RunningSystem;
  let anonymous: ApiClient;
  const passwords = new Map<string, string>();

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    // Token versions are cached for a minute here, so a token refused sooner than that was
    // refused because identity's revocation event reached the gateway ("session revocation").
    const config = infra.config({ ROOT_PASSWORD, SUPPORT_PASSWORD, AUDITOR_PASSWORD, TOKEN_VERSION_CACHE_MS: 60_000 });
    runtime = { config, transport: infra.transport('nats', config) };
    system = await startSystem(runtime);
    // The first start's tree, accounts and workbooks: login answers 503 until then.
    await untilStarted(system);
    anonymous = new ApiClient((await system.gateway.getUrl()).replace('[::1]', '127.0.0.1'));
  });

  afterAll(async () => {
    await system?.close();
    await infra?.teardown();
  });

  const sql = <T = any>(query: string, params: unknown[] = []) =>
    withClient(infra.database.url, async (client) => (await client.query(query, params)).rows as T[]);

  async function workbookOf(client: ApiClient, expectCode?: string) {
    const book = await sharedWorkbookOf(client, expectCode);
    expect(book.contentDisposition).toContain(`filename*=UTF-8''${encodeURIComponent(book.name)}`);
    expect(book.header).toEqual(WORKBOOK_HEADER);
    return book;
  }

  async function firstLogin(code: string, password: string): Promise<ApiClient> {
    const temporary = await anonymous.login(code, password);
    const blocked = await temporary.get('/files');
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const client = await sharedFirstLogin(anonymous, code, password);
    passwords.set(code, ownPassword(code));
    return client;
  }

  it('hands accounts down: root → province → city, each logging in with the password from its parent’s workbook', async () => {
    // Right after the first start the root's account is linked to its unit within seconds; a
    // token issued before that carries no unit, so log in until it does.
    const root = await eventually(async () => {
      const client = await anonymous.login('bm0100', ROOT_PASSWORD);
      return (await client.get('/me')).body.orgUnitId ? client : undefined;
    });
    const rootBook = await workbookOf(root);
    expect(rootBook.name).toBe('国务院办公厅下级单位账号.xlsx');
    const hebei = rootBook.rows.find((row) => row.code === '130000')!;
    expect(hebei).toMatchObject({ name: '河北省', username: '130000', parent: '国务院办公厅' });
    expect(hebei.password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{10}$/);
    expect(rootBook.rows.some((row) => row.code === 'BT0000')).toBe(true);
    expect(rootBook.rows.some((row) => row.code === 'bm0700')).toBe(true);

    const province = await firstLogin('130000', hebei.password);
    const provinceBook = await workbookOf(province);
    expect(provinceBook.name).toBe('河北省下级单位账号.xlsx');
    const qinhuangdao = provinceBook.rows.find((row) => row.code === '130300')!;
    expect(qinhuangdao).toMatchObject({ name: '秦皇岛市', parent: '河北省' });
    const city = await firstLogin('130300', qinhuangdao.password);
    const me = await city.get('/me');
    expect(me.body).toMatchObject({
      username: '130300',
      mustChangePassword: false,
      orgUnit: { code: '130300', name: '秦皇岛市', parentName: '河北省' },
    });

    // The city cannot fetch the province's workbook, nor see the province's unit.
    const foreign = await city.download(`/files/${provinceBook.id}/download`);
    expect(foreign.status).toBe(403);
    const provinceId = (await province.get('/me')).body.orgUnitId;
    expect((await city.get(`/org-units/${provinceId}`)).status).toBe(403);
    expect((await province.get(`/org-units/${me.body.orgUnitId}`)).status).toBe(200);

    // A county, a leaf, has an empty 文件中心.
    const cityBook = await workbookOf(city);
    const county = cityBook.rows.find((row) => row.code === '130302')!;
    const leaf = await firstLogin('130302', county.password);
    expect((await leaf.get('/files')).body).toEqual({ items: [], total: 0 });
  });

  it('enforces the password policy at the first change', async () => {
    const root = await anonymous.login('bm0100', ROOT_PASSWORD);
    const shanxi = (await workbookOf(root)).rows.find((row) => row.code === '140000')!;
    const temporary = await anonymous.login('140000', shanxi.password);
    const change = (newPassword: string) =>
      temporary.post('/auth/change-password', { currentPassword: shanxi.password, newPassword });
    expect((await change('short')).body).toMatchObject({ code: 'WEAK_PASSWORD', message: '新密码至少8个字符' });
    expect((await change('alllowercase1')).body.code).toBe('WEAK_PASSWORD');
    expect((await change(shanxi.password)).body.message).toBe('新密码不能与初始密码相同');
    expect(
      (await temporary.post('/auth/change-password', { currentPassword: 'wrong', newPassword: 'Good-Pass-2026' })).body
        .code,
    ).toBe('WRONG_PASSWORD');
  });

  it('locks an account after 5 wrong passwords (423) until support unlocks it', async () => {
    const password = passwords.get('130300')!;
    for (let i = 0; i < 4; i++)
      expect((await anonymous.post('/auth/login', { username: '130300', password: 'wrong' })).status).toBe(401);
    const fifth = await anonymous.post('/auth/login', { username: '130300', password: 'wrong' });
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('ACCOUNT_LOCKED');
    expect((await anonymous.post('/auth/login', { username: '130300', password })).status).toBe(423);

    const support = await anonymous.login('support', SUPPORT_PASSWORD);
    expect((await support.post('/admin/accounts/130300/unlock')).status).toBe(200);
    expect((await anonymous.post('/auth/login', { username: '130300', password })).status).toBe(200);
  });

  it('turns an approved node request into a unit whose account is in the parent’s new workbook, even with identity down at approval', async () => {
    const city = await anonymous.login('130300', passwords.get('130300')!);
    const cityId = (await city.get('/me')).body.orgUnitId;
    expect(
      (
        await city.put(`/org-units/${cityId}/contact`, {
          name: '张三',
          officePhone: '0335-3012345',
          mobile: '13800138000',
          email: 'zhangsan@qhd.gov.cn',
          department: '办公室',
        })
      ).status,
    ).toBe(200);
    const bad = await city.post('/node-requests', { name: '某某新区管理委员会', code: '12345', reason: '新设立' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_UNIT_CODE');
    expect((await city.post('/node-requests', { name: '海港区', code: '130302', reason: '重复' })).status).toBe(409);
    expect(
      (await city.post('/node-requests', { name: '别人的新区', code: '130499', reason: '不是本市' })).body.code,
    ).toBe('INVALID_UNIT_CODE');

    const created = await city.post('/node-requests', {
      name: '秦皇岛经济技术开发区管理委员会',
      code: '130371',
      reason: '新设立的开发区需要报送网站',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'PENDING', code: '130371' });
    expect((await city.post(`/node-requests/${created.body.id}/approve`)).status).toBe(403);

    // The root signs in, then identity goes down before the approval.
    const rootClient = await anonymous.login('bm0100', ROOT_PASSWORD);
    await system.services.get('identity')!.close();
    expect((await anonymous.post('/auth/login', { username: 'bm0100', password: ROOT_PASSWORD })).status).toBe(503);
    const approved = await rootClient.post(`/node-requests/${created.body.id}/approve`);
    expect(approved.status).toBe(200);
    const newUnitId = approved.body.orgUnitId;
    expect((await rootClient.post(`/node-requests/${created.body.id}/approve`)).status).toBe(409);
    // The account cannot exist yet; the request waits in hierarchy's outbox.
    expect((await sql("SELECT count(*)::int AS n FROM identity.account WHERE username = '130371'"))[0].n).toBe(0);
    await eventually(
      async () =>
        (
          await sql(
            "SELECT attempts FROM hierarchy.outbox WHERE subject = 'identity.accounts.ensure' AND delivered_at IS NULL",
          )
        )[0]?.attempts >= 1,
    );

    system.services.set(
      'identity',
      await createServiceApp(SERVICE_MODULES.identity(runtime), { service: 'identity', ...runtime }),
    );
    const cityBook = await workbookOf(city, '130371');
    const row = cityBook.rows.find((r) => r.code === '130371')!;
    expect(row).toMatchObject({ name: '秦皇岛经济技术开发区管理委员会', username: '130371', parent: '秦皇岛市' });
    const newUnit = await anonymous.login('130371', row.password);
    expect((await newUnit.get('/me')).body.mustChangePassword).toBe(true);
    const unit = await city.get(`/org-units/${newUnitId}`);
    expect(unit.body).toMatchObject({ code: '130371', level: 3, parentName: '秦皇岛市' });

    const notices = await eventually(async () => {
      const res = await city.get('/notices');
      return res.body.items.length > 0 ? res.body : undefined;
    });
    expect(notices.unread).toBe(1);
    expect(notices.items[0].title).toContain('新增节点申请已通过');
    const list = await city.get('/node-requests?status=APPROVED');
    expect(list.body.items.map((r: { code: string }) => r.code)).toEqual(['130371']);

    // And an email to the contact on record (the embedded default writes .eml files).
    const mails = await eventually(async () => {
      const dir = join(infra.dataDir, 'mail');
      const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.eml')) : [];
      return files.length ? files.map((name) => readFileSync(join(dir, name), 'utf8')) : undefined;
    });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatch(/^To: zhangsan@qhd\.gov\.cn\r?$/m);
    expect(decodeSubject(mails[0])).toBe(
      '【全国政府网站信息报送系统】新增节点申请已通过：秦皇岛经济技术开发区管理委员会',
    );
  });

  it('resets a password to the initial one only with every proof right, and the auditor sees it all', async () => {
    const city = await anonymous.login('130300', passwords.get('130300')!);
    const cityId = (await city.get('/me')).body.orgUnitId;
    const contact = {
      name: '张三',
      officePhone: '０３３５－３０１２３４５',
      mobile: '13800138000',
      email: 'zhangsan@qhd.gov.cn',
      department: '办公室',
    };
    const badContact = await city.put(`/org-units/${cityId}/contact`, {
      ...contact,
      mobile: '13800138000；13900139000',
    });
    expect(badContact.status).toBe(400);
    expect(badContact.body.details).toEqual([expect.objectContaining({ field: 'mobile', label: '手机' })]);
    const saved = await city.put(`/org-units/${cityId}/contact`, contact);
    expect(saved.status).toBe(200);
    expect(saved.body.contact.officePhone).toBe('0335-3012345');

    const root = await anonymous.login('bm0100', ROOT_PASSWORD);
    const provinceBook = await workbookOf(await anonymous.login('130000', passwords.get('130000')!));
    const initial = provinceBook.rows.find((row) => row.code === '130300')!.password;
    const support = await anonymous.login('support', SUPPORT_PASSWORD);
    const proof = {
      contactName: '张三',
      phone: '0335-3012345',
      orgUnitName: '秦皇岛市',
      department: '办公室',
      initialPassword: initial,
    };
    for (const wrong of [
      { department: '信息中心' },
      { phone: '13900000000' },
      { initialPassword: 'Xx23456789' },
      { orgUnitName: '唐山市' },
    ]) {
      const res = await support.post('/admin/accounts/130300/reset-password', { ...proof, ...wrong });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ code: 'RESET_PROOF_MISMATCH', message: '核验信息与登记信息不一致，不能重置' });
    }
    expect((await support.post('/admin/accounts/nobody/reset-password', proof)).body.code).toBe('RESET_PROOF_MISMATCH');
    expect((await root.post('/admin/accounts/130300/reset-password', proof)).status).toBe(403);
    // The mobile on record proves as well as the office phone.
    const reset = await support.post('/admin/accounts/130300/reset-password', { ...proof, phone: '13800138000' });
    expect(reset.status).toBe(200);
    expect(
      (await anonymous.post('/auth/login', { username: '130300', password: passwords.get('130300') })).status,
    ).toBe(401);
    const again = await anonymous.login('130300', initial);
    expect((await again.get('/files')).body.code).toBe('PASSWORD_CHANGE_REQUIRED');

    expect((await root.get('/admin/audit')).status).toBe(403);
    const auditor = await anonymous.login('auditor', AUDITOR_PASSWORD);
    const actions = await eventually(async () => {
      const res = await auditor.get('/admin/audit?pageSize=200');
      const seen = new Set<string>(res.body.items.map((entry: { action: string }) => entry.action));
      return [
        'file.download',
        'node-request.approve',
        'account.reset-to-initial',
        'account.unlock',
        'org-unit.contact.update',
        'auth.locked',
      ].every((a) => seen.has(a))
        ? seen
        : undefined;
    });
    expect(actions.has('auth.change-password')).toBe(true);
    const denied = await auditor.get('/admin/audit?action=file.download&pageSize=200');
    expect(
      denied.body.items.some(
        (entry: { outcome: string; actorUsername: string }) =>
          entry.outcome === 'denied' && entry.actorUsername === '130300',
      ),
    ).toBe(true);
  });

  /**
   * A password change, a support reset, a lockout and a logout revoke every older token, on
   * every gateway replica. The cache keeps versions for 60 s in this file; each refusal below is
   * awaited for at most 10 s, so only identity's fan-out event (heard by both replicas) or the
   * acting replica's own forgetting can explain it. Runs on 石家庄市 (130100), used nowhere else.
   */
  describe('session revocation', () => {
    let second: NestExpressApplication;
    let replicas: string[];
    let password: string;
    let initial: string;

    beforeAll(async () => {
      second = await createGatewayApp(runtime);
      await second.listen(0, '127.0.0.1');
      replicas = [anonymous.baseUrl, (await second.getUrl()).replace('[::1]', '127.0.0.1')];
    });

    afterAll(async () => {
      await second?.close();
    });

    /** Both replicas take the token (each has now cached the account's version). */
    async function acceptedEverywhere(client: ApiClient) {
      for (const base of replicas)
        expect([base, (await new ApiClient(base, client.token).get('/me')).status]).toEqual([base, 200]);
    }

    /** Both replicas refuse the token, long before the cached version would expire. */
    async function refusedEverywhere(client: ApiClient) {
      for (const base of replicas) {
        const res = await eventually(
          async () => {
            const answer = await new ApiClient(base, client.token).get('/me');
            return answer.status === 401 ? answer : undefined;
          },
          10_000,
          50,
        );
        expect(res.body).toEqual({ code: 'UNAUTHENTICATED', message: '登录已失效，请重新登录' });
      }
    }

    it('a password change revokes every token issued before it; a login with the new password works', async () => {
      const province = await anonymous.login('130000', passwords.get('130000')!);
      initial = (await workbookOf(province)).rows.find((row) => row.code === '130100')!.password;
      const first = await anonymous.login('130100', initial);
      const another = await anonymous.login('130100', initial);
      await acceptedEverywhere(first);
      await acceptedEverywhere(another);
      password = ownPassword('130100');
      const changed = await first.post('/auth/change-password', { currentPassword: initial, newPassword: password });
      expect(changed.status).toBe(204);
      await refusedEverywhere(first);
      await refusedEverywhere(another);
      const fresh = await anonymous.login('130100', password);
      await acceptedEverywhere(fresh);
      expect((await fresh.get('/files')).status).toBe(200);
    });

    it('a support reset revokes the account’s tokens', async () => {
      const city = await anonymous.login('130100', password);
      const cityId = (await city.get('/me')).body.orgUnitId;
      const contact = {
        name: '李四',
        officePhone: '0311-86012345',
        mobile: '13900139000',
        email: 'lisi@sjz.gov.cn',
        department: '信息中心',
      };
      expect((await city.put(`/org-units/${cityId}/contact`, contact)).status).toBe(200);
      await acceptedEverywhere(city);
      const support = await anonymous.login('support', SUPPORT_PASSWORD);
      const reset = await support.post('/admin/accounts/130100/reset-password', {
        contactName: '李四',
        phone: '0311-86012345',
        orgUnitName: '石家庄市',
        department: '信息中心',
        initialPassword: initial,
      });
      expect(reset.status).toBe(200);
      try {
        await refusedEverywhere(city);
      } finally {
        // Back to a password of its own for the tests that follow.
        const temporary = await anonymous.login('130100', initial);
        expect(
          (await temporary.post('/auth/change-password', { currentPassword: initial, newPassword: password })).status,
        ).toBe(204);
      }
      await acceptedEverywhere(await anonymous.login('130100', password));
    });

    it('a lockout revokes the account’s tokens', async () => {
      const city = await anonymous.login('130100', password);
      await acceptedEverywhere(city);
      let answer = 0;
      for (let i = 0; i < 10 && answer !== 423; i++)
        answer = (await anonymous.post('/auth/login', { username: '130100', password: 'wrong' })).status;
      try {
        expect(answer).toBe(423);
        await refusedEverywhere(city);
      } finally {
        const support = await anonymous.login('support', SUPPORT_PASSWORD);
        expect((await support.post('/admin/accounts/130100/unlock')).status).toBe(200);
      }
      await acceptedEverywhere(await anonymous.login('130100', password));
    });

    it('logout revokes every token of the caller’s account and no other’s; it is audited', async () => {
      const city = await anonymous.login('130100', password);
      const otherSession = await anonymous.login('130100', password);
      const province = await anonymous.login('130000', passwords.get('130000')!);
      for (const client of [city, otherSession, province]) await acceptedEverywhere(client);
      const out = await city.post('/auth/logout');
      expect(out.status).toBe(204);
      await refusedEverywhere(city);
      await refusedEverywhere(otherSession);
      await acceptedEverywhere(province);
      // A token not yet past the forced password change may log out too.
      const root = await anonymous.login('bm0100', ROOT_PASSWORD);
      const shanxi = (await workbookOf(root)).rows.find((row) => row.code === '140000')!;
      const pending = await anonymous.login('140000', shanxi.password);
      expect((await pending.get('/me')).body.mustChangePassword).toBe(true);
      expect((await pending.post('/auth/logout')).status).toBe(204);
      await refusedEverywhere(pending);
      expect((await anonymous.post('/auth/logout')).status).toBe(401);

      await acceptedEverywhere(await anonymous.login('130100', password));
      const auditor = await anonymous.login('auditor', AUDITOR_PASSWORD);
      const logouts = await auditor.get('/admin/audit?action=auth.logout&pageSize=50');
      expect(logouts.body.items.map((entry: { actorUsername: string }) => entry.actorUsername).sort()).toEqual([
        '130100',
        '140000',
      ]);
    });
  });
});

/** The Subject header, with its RFC 2047 encoded words decoded. */
function decodeSubject(eml: string): string {
  const header = eml.match(/^Subject: (.*(?:\r?\n[ \t].*)*)/m)?.[1] ?? '';
  const words = [...header.matchAll(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi)];
  if (!words.length) return header;
  return Buffer.concat(
    words.map(([, enc, text]) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ),
    ),
  ).toString('utf8');
}
