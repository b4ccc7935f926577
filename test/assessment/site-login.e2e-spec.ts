import { createSampleForm } from '@app/forms';
import { SiteSubjects } from '@app/contracts';
import { ApiClient, eventually } from '@app/testing';
import { ReviewSystem, Unit } from '../review/support/review-system';

/**
 * 网站登录（自查评分）over the real system: an approved site signs in with its 标识码 and
 * 校验码; wrong codes are refused alike and lock the site on that client like a password; the
 * token it gets opens nothing but the site's own assessment (every other route answers 403).
 */
describe('site login (标识码 + 校验码)', () => {
  let sys: ReviewSystem;
  let city: Unit;
  let site: { id: string; siteCode: string; checkCode: string; siteName: string };

  beforeAll(async () => {
    sys = await ReviewSystem.start();
    city = await sys.unit('130300');
    const province = await sys.unit('130000');
    const form = createSampleForm(1);
    await sys.importForms(city, [form]);
    expect((await city.client.post(`/forms/${form.id}/submit`)).status).toBe(200);
    expect((await province.client.post(`/forms/${form.id}/approve`)).status).toBe(200);
    site = { id: form.id, siteName: form.site.siteName, ...(await sys.siteCodes(form.id)) };
  }, 180_000);

  afterAll(async () => {
    await sys?.close();
  });

  const auditOf = (action: string) =>
    sys.sql(
      `SELECT outcome, actor_username, actor_org_unit_id, target_id, details FROM identity.audit_log WHERE action = $1 ORDER BY at, seq`,
      [action],
    );

  it('signs a site in with its codes: a SITE token for that one site, audited without the 校验码', async () => {
    const res = await sys.anonymous.from('10.1.0.1').post('/site-auth/login', {
      siteCode: site.siteCode,
      checkCode: site.checkCode.toLowerCase(),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 1800,
      site: { siteCode: site.siteCode, siteName: site.siteName, ownerOrgUnitId: city.id },
    });
    const claims = JSON.parse(Buffer.from(res.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ roles: ['SITE'], site: site.siteCode, orgUnitId: null, sub: site.id });
    const [entry] = await auditOf('site-auth.login');
    expect(entry).toMatchObject({ outcome: 'success', actor_username: site.siteCode, actor_org_unit_id: null });
    expect(JSON.stringify(await auditOf('site-auth.login'))).not.toContain(site.checkCode);
  });

  it('refuses a wrong 校验码 and an unknown 标识码 with one answer, and changes nothing', async () => {
    const client = sys.anonymous.from('10.1.0.2');
    const wrongCode = site.checkCode === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA';
    const wrong = await client.post('/site-auth/login', { siteCode: site.siteCode, checkCode: wrongCode });
    const unknown = await client.post('/site-auth/login', { siteCode: '1303009999', checkCode: site.checkCode });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'INVALID_SITE_CREDENTIALS', message: '网站标识码或校验码错误' });
    }
    const malformed = await client.post('/site-auth/login', { siteCode: '13030', checkCode: '12' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(malformed.body.details)).toContain('网站标识码应为10位字母或数字');
    expect(JSON.stringify(malformed.body.details)).toContain('校验码应为6位字母或数字');
    const failures = await auditOf('site-auth.login');
    expect(failures.filter((e) => e.outcome === 'failure').map((e) => e.details.siteCode)).toEqual([
      site.siteCode,
      '1303009999',
    ]);
    expect(JSON.stringify(failures)).not.toContain(wrongCode);
  });

  it('locks the site on a client after 5 wrong codes, like an account, while other clients still get in', async () => {
    const guesser = sys.anonymous.from('10.1.0.3');
    const wrongCode = site.checkCode === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ';
    const answers: number[] = [];
    for (let i = 0; i < 5; i++)
      answers.push((await guesser.post('/site-auth/login', { siteCode: site.siteCode, checkCode: wrongCode })).status);
    expect(answers).toEqual([401, 401, 401, 401, 423]);
    const locked = await guesser.post('/site-auth/login', { siteCode: site.siteCode, checkCode: site.checkCode });
    expect(locked.status).toBe(423);
    expect(locked.body.code).toBe('ACCOUNT_LOCKED');
    expect(locked.body.message).toMatch(/^连续输错校验码5次，此网站标识码在本机已锁定，请\d+分钟后再试$/);
    const [lockEntry] = await auditOf('site-auth.locked');
    expect(lockEntry).toMatchObject({ outcome: 'failure', details: { siteCode: site.siteCode, client: '10.1.0.3' } });
    // The owner, from its own client, is not locked out by someone guessing elsewhere.
    const other = await sys.anonymous
      .from('10.1.0.4')
      .post('/site-auth/login', { siteCode: site.siteCode, checkCode: site.checkCode });
    expect(other.status).toBe(200);
  });

  it('a SITE token opens no account, unit, record or admin route', async () => {
    const siteClient: ApiClient = await sys.anonymous.from('10.1.0.5').siteLogin(site.siteCode, site.checkCode);
    for (const path of ['/me', '/forms', `/forms/${site.id}`, `/org-units/${city.id}`, '/notices', '/admin/audit']) {
      const res = await siteClient.get(path);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 403, code: 'FORBIDDEN' });
      expect(res.body.message).toBe('网站登录只能用于本网站的自查评分');
    }
    const logout = await siteClient.post('/auth/logout');
    expect(logout.status).toBe(403);
    // Public routes answer it as anyone.
    expect((await siteClient.get('/public/form-schema')).status).toBe(200);
  });

  it('the approval mail says what the codes are for', async () => {
    await sys.mailSettled();
    const mail = await eventually(async () =>
      sys.smtp.received.find((m) => m.text?.includes(`网站标识码：${site.siteCode}`)),
    );
    expect(mail.text).toContain('网站标识码和校验码合起来是本网站的自查评分登录凭据');
  });

  it('lists coded sites page by page for assessment: within a subtree, with the 栏目 of the approved content', async () => {
    const province = await sys.unit('130000');
    const other = await sys.unit('130100'); // 石家庄市: owns nothing
    const all = await sys.bus.request(SiteSubjects.list, { limit: 1000 });
    expect(all.sites.map((s) => s.siteCode)).toContain(site.siteCode);
    const listed = all.sites.find((s) => s.siteCode === site.siteCode)!;
    const form = createSampleForm(1);
    expect(listed).toMatchObject({
      recordId: site.id,
      siteName: site.siteName,
      ownerOrgUnitId: city.id,
      lifecycle: 'ACTIVE',
      homepageUrl: form.site.homepageUrl,
    });
    expect(listed.ownerChain).toEqual([expect.any(String), province.id, city.id]);
    expect(listed.columns.map((c) => c.name)).toEqual(form.columns.map((c) => c.name));
    expect((await sys.bus.request(SiteSubjects.list, { limit: 1000, withinOrgUnitId: other.id })).sites).toEqual([]);
    const after = await sys.bus.request(SiteSubjects.list, { limit: 1000, after: site.siteCode });
    expect(after.sites.map((s) => s.siteCode)).not.toContain(site.siteCode);
  });

  it('refuses the right codes of a 关停 site with the reason, audited, without counting a failure', async () => {
    const province = await sys.unit('130000');
    const request = { kind: 'CLOSE', reason: '网站改版', expectedReopenDate: '2099-03-01' };
    expect((await city.client.post(`/forms/${site.id}/lifecycle-request`, request)).status).toBe(200);
    expect((await province.client.post(`/forms/${site.id}/approve`)).status).toBe(200);
    for (let i = 0; i < 6; i++) {
      const res = await sys.anonymous
        .from('10.1.0.6')
        .post('/site-auth/login', { siteCode: site.siteCode, checkCode: site.checkCode });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'SITE_NOT_ACTIVE' });
      expect(res.body.message).toContain('已关停');
    }
    const denied = await eventually(async () => {
      const rows = (await auditOf('site-auth.login')).filter((row: any) => row.outcome === 'denied');
      return rows.length ? rows : undefined;
    });
    expect(denied[0]).toMatchObject({ actor_username: site.siteCode, details: { lifecycle: 'CLOSED' } });
    const active = await sys.bus.request(SiteSubjects.list, { limit: 1000, activeOnly: true });
    expect(active.sites.map((s) => s.siteCode)).not.toContain(site.siteCode);

    // Reopened, the same client signs in at once: the refusals were no failures.
    await city.client.post(`/forms/${site.id}/lifecycle-request`, { kind: 'REOPEN', reason: '改版完成' });
    expect((await province.client.post(`/forms/${site.id}/approve`)).status).toBe(200);
    const back = await sys.anonymous
      .from('10.1.0.6')
      .post('/site-auth/login', { siteCode: site.siteCode, checkCode: site.checkCode });
    expect(back.status).toBe(200);
  });
});
