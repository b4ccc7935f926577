import { createSampleForm, SiteForm } from '@app/forms';
import { writePackage } from '@app/package';
import { ApiClient, startTestInfrastructure, TestInfrastructure, withClient } from '@app/testing';
import { RunningSystem, startSystem, untilStarted } from '../../apps/standalone/src/system';
import { ensureWebBuild } from '../client/support/web-build';
import { importAndWait } from '../imports/support';

const ROOT_PASSWORD = 'Root-Pass-2026';
const NUL = '\u0000';
const RLO = '\u202e';
const UNKNOWN_ID = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';

/** Everything a bad request could have changed. */
function snapshot(databaseUrl: string) {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query(`SELECT
      (SELECT count(*) FROM hierarchy.org_unit)::int AS units,
      (SELECT count(*) FROM hierarchy.node_request)::int AS node_requests,
      (SELECT md5(string_agg(concat_ws('|', contact_name, contact_office_phone, contact_mobile, contact_email,
        contact_department), ',' ORDER BY id)) FROM hierarchy.org_unit) AS contacts,
      (SELECT count(*) FROM review.record)::int AS records,
      (SELECT count(*) FROM review.record_version)::int AS versions,
      (SELECT count(*) FROM review.record_history)::int AS history,
      (SELECT count(*) FROM review.site_code_recovery_attempt)::int AS recoveries,
      (SELECT md5(string_agg(password_hash, ',' ORDER BY id)) FROM identity.account) AS accounts`);
    return rows[0];
  });
}

/**
 * Bad input over the real system (NATS, PostgreSQL): every case is answered 4xx with its
 * code — never 500 — and changes nothing. Also the security headers on the console and on
 * API answers.
 */
describe('bad input and security headers', () => {
  let infra: TestInfrastructure;
  let system: RunningSystem;
  let baseUrl: string;
  let root: ApiClient;
  let support: ApiClient;
  let auditor: ApiClient;
  let rootUnitId: string;
  let recordId: string;
  let imported: SiteForm;

  beforeAll(async () => {
    ensureWebBuild();
    infra = await startTestInfrastructure();
    // The local proxy is trusted, as a TLS-terminating proxy in front of the gateway would be.
    const config = infra.config({ ROOT_PASSWORD, TRUST_PROXY: '127.0.0.1' });
    system = await startSystem({ config, transport: infra.transport('nats', config) });
    // The first start's tree, accounts and workbooks: login answers 503 until then.
    await untilStarted(system);
    baseUrl = (await system.gateway.getUrl()).replace('[::1]', '127.0.0.1');
    const anonymous = new ApiClient(baseUrl);
    root = await anonymous.login('bm0100', ROOT_PASSWORD);
    support = await anonymous.login('support', 'Support-Pass-2026');
    auditor = await anonymous.login('auditor', 'Auditor-Pass-2026');
    for (let i = 0; !rootUnitId && i < 100; i++) {
      rootUnitId = (await root.get('/me')).body.orgUnitId;
      if (!rootUnitId) {
        await new Promise((resolve) => setImmediate(resolve));
        root = await anonymous.login('bm0100', ROOT_PASSWORD);
      }
    }
    const form = (imported = createSampleForm(0));
    const pack = await writePackage([form], { fillerUnit: '国务院办公厅', generator: { name: 'test', version: '1' } });
    const job = await importAndWait(root, pack, 'one.zip');
    expect(job.report).toMatchObject({ applied: true, created: 1 });
    recordId = form.id;
  });

  afterAll(async () => {
    await system?.close();
    await infra?.teardown();
  });

  const send = async (client: ApiClient | undefined, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(client?.token ? { authorization: `Bearer ${client.token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };

  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  const contact = {
    name: '张三',
    officePhone: '010-62345678',
    mobile: '13800138000',
    email: 'a@b.gov.cn',
    department: '办公室',
  };
  // The imported record's own form (same id), to be edited with one bad field.
  const form = () => JSON.parse(JSON.stringify(imported)) as Record<string, Record<string, string>>;

  // Every row has all eight values: jest takes a test function with one parameter more than
  // the row for a done-callback test (and waits for it).
  type Case = [string, () => ApiClient | undefined, string, string, unknown, number, string, RegExp | undefined];
  const cases: Case[] = [
    [
      'login: NUL in the username',
      () => undefined,
      'POST',
      '/auth/login',
      { username: `bm01${NUL}00`, password: 'x' },
      400,
      'VALIDATION_FAILED',
      /^账号（username）含有不允许的空字符（U\+0000），请删除$/,
    ],
    [
      'login: JSON nested 5,000 deep',
      () => undefined,
      'POST',
      '/auth/login',
      `{"username":${deep(5000)},"password":"x"}`,
      400,
      'VALIDATION_FAILED',
      /嵌套/,
    ],
    [
      'login: objects nested 5,000 deep',
      () => undefined,
      'POST',
      '/auth/login',
      deepObject(5000),
      400,
      'VALIDATION_FAILED',
      /嵌套/,
    ],
    [
      'login: a JSON array as the body',
      () => undefined,
      'POST',
      '/auth/login',
      '[[]]',
      400,
      'VALIDATION_FAILED',
      /不支持的字段/,
    ],
    [
      'login: a JSON string as the body',
      () => undefined,
      'POST',
      '/auth/login',
      '"bm0100"',
      400,
      'VALIDATION_FAILED',
      /请求格式有误/,
    ],
    ['records: q given twice', () => root, 'GET', '/forms?q=a&q=b', undefined, 400, 'VALIDATION_FAILED', /q/],
    ['records: q as an object', () => root, 'GET', '/forms?q[a][b]=c', undefined, 400, 'VALIDATION_FAILED', /q/],
    ['records: page=-0', () => root, 'GET', '/forms?page=-0', undefined, 400, 'VALIDATION_FAILED', /page/],
    [
      'change password: NUL',
      () => root,
      'POST',
      '/auth/change-password',
      { currentPassword: `a${NUL}`, newPassword: 'Abcdefg-12345' },
      400,
      'VALIDATION_FAILED',
      /currentPassword/,
    ],
    [
      '标识码找回: NUL in the site name',
      () => undefined,
      'POST',
      '/public/site-code-recovery',
      { siteName: `某${NUL}网站`, homepageUrl: 'http://www.a.gov.cn', personName: '张三', email: 'a@b.gov.cn' },
      400,
      'VALIDATION_FAILED',
      /siteName/,
    ],
    [
      'contact: NUL in the name',
      () => root,
      'PUT',
      `/org-units/${'ROOT'}/contact`,
      { ...contact, name: `张${NUL}三` },
      400,
      'VALIDATION_FAILED',
      /^联系人姓名（name）含有不允许的空字符（U\+0000），请删除$/,
    ],
    [
      'contact: a bidi override in the name',
      () => root,
      'PUT',
      `/org-units/${'ROOT'}/contact`,
      { ...contact, name: `张${RLO}三` },
      400,
      'INVALID_CONTACT',
      /联系人姓名含有不允许的文字方向控制符（U\+202E）/,
    ],
    [
      'contact: a line break in the department',
      () => root,
      'PUT',
      `/org-units/${'ROOT'}/contact`,
      { ...contact, department: '办公\n室' },
      400,
      'INVALID_CONTACT',
      /所在处室含有不允许的换行符/,
    ],
    [
      'contact: a missing department',
      () => root,
      'PUT',
      `/org-units/${'ROOT'}/contact`,
      { ...contact, department: undefined },
      400,
      'VALIDATION_FAILED',
      /^请填写 department$/,
    ],
    [
      'node request: NUL in the unit name',
      () => root,
      'POST',
      '/node-requests',
      { name: `新${NUL}单位`, code: '110199', reason: '机构改革新设' },
      400,
      'VALIDATION_FAILED',
      /^新单位名称（name）含有不允许的空字符/,
    ],
    [
      'node request: U+202E in the unit name',
      () => root,
      'POST',
      '/node-requests',
      { name: `新单位${RLO}gov`, code: '110199', reason: '机构改革新设' },
      400,
      'VALIDATION_FAILED',
      /单位名称含有不允许的文字方向控制符/,
    ],
    [
      'node request: a control character in the unit name',
      () => root,
      'POST',
      '/node-requests',
      { name: '新\u0007单位', code: '110199', reason: '机构改革新设' },
      400,
      'VALIDATION_FAILED',
      /单位名称含有不允许的控制字符（U\+0007）/,
    ],
    [
      'node request: NUL in a rejection reason',
      () => root,
      'POST',
      `/node-requests/${UNKNOWN_ID}/reject`,
      { reason: `不${NUL}符合` },
      400,
      'VALIDATION_FAILED',
      /reason/,
    ],
    [
      'record: NUL in a return reason',
      () => root,
      'POST',
      `/forms/${'RECORD'}/return`,
      { reason: `请${NUL}修改` },
      400,
      'VALIDATION_FAILED',
      /reason/,
    ],
    [
      'record: NUL in a form field (PUT /forms)',
      () => root,
      'PUT',
      `/forms/${'RECORD'}`,
      () => {
        const f = form();
        f.site.siteName = `某${NUL}网站`;
        return f;
      },
      400,
      'VALIDATION_FAILED',
      /site\.siteName.*空字符/,
    ],
    [
      'record: U+202E in the site name (PUT /forms)',
      () => root,
      'PUT',
      `/forms/${'RECORD'}`,
      () => {
        const f = form();
        f.site.siteName = `某网站${RLO}nc.vog`;
        return f;
      },
      422,
      'RECORD_FORM_INVALID',
      /文字方向控制符/,
    ],
    [
      'record: a form nested 5,000 deep',
      () => root,
      'PUT',
      `/forms/${'RECORD'}`,
      `{"site":${deep(5000)}}`,
      400,
      'VALIDATION_FAILED',
      /嵌套/,
    ],
    [
      'records: NUL in q',
      () => root,
      'GET',
      `/forms?q=${encodeURIComponent(NUL)}`,
      undefined,
      400,
      'VALIDATION_FAILED',
      /q/,
    ],
    [
      'records: page=1e20',
      () => root,
      'GET',
      '/forms?page=1e20',
      undefined,
      400,
      'VALIDATION_FAILED',
      /page 应为1到100000的整数/,
    ],
    [
      'records: page=Infinity',
      () => root,
      'GET',
      '/forms?page=Infinity',
      undefined,
      400,
      'VALIDATION_FAILED',
      /page 应为1到100000的整数/,
    ],
    [
      'records: pageSize=1e3',
      () => root,
      'GET',
      '/forms?pageSize=1e3',
      undefined,
      400,
      'VALIDATION_FAILED',
      /pageSize 应为1到200的整数/,
    ],
    ['imports: page=1e20', () => root, 'GET', '/imports?page=1e20', undefined, 400, 'VALIDATION_FAILED', /page/],
    [
      'files: NUL in folder',
      () => root,
      'GET',
      `/files?folder=${encodeURIComponent(NUL)}`,
      undefined,
      400,
      'VALIDATION_FAILED',
      /folder/,
    ],
    ['notices: page=1e20', () => root, 'GET', '/notices?page=1e20', undefined, 400, 'VALIDATION_FAILED', /page/],
    [
      'children: page=1e20',
      () => root,
      'GET',
      `/org-units/${'ROOT'}/children?page=1e20`,
      undefined,
      400,
      'VALIDATION_FAILED',
      /page/,
    ],
    [
      'accounts: a missing q',
      () => support,
      'GET',
      '/admin/accounts',
      undefined,
      400,
      'VALIDATION_FAILED',
      /^请填写 q$/,
    ],
    [
      'accounts: NUL in q',
      () => support,
      'GET',
      `/admin/accounts?q=${encodeURIComponent(`bm${NUL}`)}`,
      undefined,
      400,
      'VALIDATION_FAILED',
      /q/,
    ],
    [
      'support reset: a missing department',
      () => support,
      'POST',
      '/admin/accounts/bm0100/reset-password',
      { contactName: '张三', phone: '010-62345678', orgUnitName: '国务院办公厅', initialPassword: 'x' },
      400,
      'VALIDATION_FAILED',
      /^请填写 department$/,
    ],
    [
      'support reset: NUL in the username',
      () => support,
      'POST',
      `/admin/accounts/${encodeURIComponent(`bm${NUL}`)}/reset-password`,
      { contactName: '张三', phone: '1', orgUnitName: 'x', department: 'x', initialPassword: 'x' },
      400,
      'VALIDATION_FAILED',
      /username/,
    ],
    [
      'audit: NUL in the actor filter',
      () => auditor,
      'GET',
      `/admin/audit?actor=${encodeURIComponent(NUL)}`,
      undefined,
      400,
      'VALIDATION_FAILED',
      /actor/,
    ],
    [
      'audit: NUL in the action filter',
      () => auditor,
      'GET',
      `/admin/audit?action=${encodeURIComponent(`a${NUL}`)}`,
      undefined,
      400,
      'VALIDATION_FAILED',
      /action/,
    ],
    [
      'audit: from=0000-01-01',
      () => auditor,
      'GET',
      '/admin/audit?from=0000-01-01',
      undefined,
      400,
      'VALIDATION_FAILED',
      /from 应为 2000 至 2100 年间/,
    ],
    [
      'audit: from=2026-02-30',
      () => auditor,
      'GET',
      '/admin/audit?from=2026-02-30',
      undefined,
      400,
      'VALIDATION_FAILED',
      /from/,
    ],
    [
      'audit: to=2026-W01 (a week date)',
      () => auditor,
      'GET',
      '/admin/audit?to=2026-W01',
      undefined,
      400,
      'VALIDATION_FAILED',
      /to/,
    ],
    ['audit: page=1e20', () => auditor, 'GET', '/admin/audit?page=1e20', undefined, 400, 'VALIDATION_FAILED', /page/],
  ];

  it.each(cases)('%s', async (_name, client, method, rawPath, body, status, code, message) => {
    const path = rawPath.replace('ROOT', rootUnitId).replace('RECORD', recordId);
    const before = await snapshot(infra.database.url);
    const res = await send(client(), method, path, typeof body === 'function' ? body() : body);
    expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
    if (message) expect(res.body.details?.[0]?.message ?? res.body.message).toMatch(message);
    expect(await snapshot(infra.database.url)).toEqual(before);
  });

  it('still takes the same requests without the bad part', async () => {
    expect((await send(root, 'PUT', `/org-units/${rootUnitId}/contact`, contact)).status).toBe(200);
    expect((await send(root, 'GET', '/forms?page=100000')).status).toBe(200);
    expect((await send(auditor, 'GET', '/admin/audit?from=2026-01-01&to=2100-12-31T23:59:59%2B08:00')).status).toBe(
      200,
    );
    const reason = await send(root, 'POST', `/node-requests/${UNKNOWN_ID}/reject`, { reason: '不符合\n条件' });
    expect(reason.body.code).toBe('NODE_REQUEST_NOT_FOUND');
  });

  it('sends the security headers with the console', async () => {
    const res = await fetch(`${baseUrl}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    const client = await fetch(`${baseUrl}/client`);
    expect(client.headers.get('content-security-policy')).toBe(csp);
  });

  it('sends HSTS only when the request came over TLS through the (trusted, local) proxy', async () => {
    const res = await fetch(`${baseUrl}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    const plain = await fetch(`${baseUrl}/`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });

  it('marks login answers and API answers with personal data no-store, the public schema cacheable', async () => {
    const login = await send(undefined, 'POST', '/auth/login', { username: 'bm0100', password: ROOT_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    const failed = await send(undefined, 'POST', '/auth/login', { username: 'bm0100', password: 'wrong' });
    expect(failed.headers.get('cache-control')).toBe('no-store');
    const me = await send(root, 'GET', '/me');
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(me.headers.get('x-content-type-options')).toBe('nosniff');
    const unit = await send(root, 'GET', `/org-units/${rootUnitId}`);
    expect(unit.headers.get('cache-control')).toBe('no-store');
    const schema = await send(undefined, 'GET', '/public/form-schema');
    expect(schema.status).toBe(200);
    expect(schema.headers.get('cache-control')).not.toBe('no-store');
  });
});
