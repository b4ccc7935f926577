import { createSampleForm } from '@app/forms';
import { ApiClient, eventually } from '@app/testing';
import { ReviewSystem, Unit } from '../review/support/review-system';

/**
 * 自查评分 over the real system: a site of 海港区 (130302, under 秦皇岛市 130300, under 河北省
 * 130000) signs in with its codes, fills in the census sheet and submits; the engine's verdict is
 * stored with the sheet version. The owner and every unit above see it, a sibling subtree (石家庄市)
 * and another site do not; the units above may send it back.
 */
describe('self-assessment (自查评分)', () => {
  let sys: ReviewSystem;
  let county: Unit;
  let city: Unit;
  let province: Unit;
  let sibling: Unit;
  let root: ApiClient;
  const sites: Array<{ id: string; siteCode: string; client: ApiClient }> = [];

  const vetoesNone = {
    'site-unreachable': { value: false },
    'site-not-updated': { value: false },
    'columns-not-updated': { value: false },
    'serious-errors': { value: false },
    'poor-response': { value: false },
  };

  beforeAll(async () => {
    sys = await ReviewSystem.start();
    [county, city, province, sibling] = await Promise.all(
      ['130302', '130300', '130000', '130100'].map((code) => sys.unit(code)),
    );
    root = await eventually(async () => {
      const client = await sys.anonymous.login('bm0100', 'Root-Pass-2026');
      return (await client.get('/me')).body.orgUnitId ? client : undefined;
    });
    const forms = [createSampleForm(11), createSampleForm(12)];
    await sys.importForms(county, forms);
    for (const form of forms) {
      expect((await county.client.post(`/forms/${form.id}/submit`)).status).toBe(200);
      expect((await city.client.post(`/forms/${form.id}/approve`)).status).toBe(200);
      expect((await province.client.post(`/forms/${form.id}/approve`)).status).toBe(200);
      const { siteCode, checkCode } = await sys.siteCodes(form.id);
      sites.push({ id: form.id, siteCode, client: await sys.anonymous.siteLogin(siteCode, checkCode) });
    }
  }, 240_000);

  afterAll(async () => {
    await sys?.close();
  });

  const path = (siteCode: string) => `/sites/${siteCode}/self-assessment`;

  it('shows the site, its owner and every unit above the current sheet; a sibling subtree and another site get 404', async () => {
    const [first, second] = sites;
    const own = await first.client.get(path(first.siteCode));
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      siteCode: first.siteCode,
      ownerOrgUnitId: county.id,
      status: 'NOT_STARTED',
      statusLabel: '未填写',
      answers: { vetoes: {}, items: {} },
      result: null,
      sheet: { id: 'census-2015', version: '1', totalPoints: 100, passScore: 60 },
    });
    for (const client of [county.client, city.client, province.client, root])
      expect((await client.get(path(first.siteCode))).status).toBe(200);
    for (const client of [sibling.client, second.client]) {
      const refused = await client.get(path(first.siteCode));
      expect(refused.status).toBe(404);
      expect(refused.body).toEqual({ code: 'SITE_NOT_FOUND', message: '未找到该网站，或无权查看其评分' });
    }
    expect((await city.client.get(path('1303029999'))).body.code).toBe('SITE_NOT_FOUND');
    // Only the site fills it in: the gateway refuses units (403).
    expect((await county.client.put(path(first.siteCode), { vetoes: vetoesNone })).status).toBe(403);
  });

  it('saves drafts, refuses unknown items and bad answers without changing anything, and submits a verdict', async () => {
    const [first] = sites;
    const draft = await first.client.put(path(first.siteCode), {
      vetoes: vetoesNone,
      items: {
        'link-availability': { value: 3, note: '栏目页3个死链', evidenceUrl: 'https://example.gov.cn/shot.png' },
      },
    });
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ status: 'DRAFT', statusLabel: '填写中', result: null });
    expect(draft.body.answers.items['link-availability']).toEqual({
      value: 3,
      note: '栏目页3个死链',
      evidenceUrl: 'https://example.gov.cn/shot.png',
    });

    const unknown = await first.client.put(path(first.siteCode), { items: { 'page-beauty': { value: 1 } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('ASSESSMENT_UNKNOWN_ITEM');
    expect(unknown.body.message).toContain('没有“page-beauty”这一项');
    const badUrl = await first.client.put(path(first.siteCode), {
      items: { attachments: { value: 1, evidenceUrl: 'javascript:alert(1)' } },
    });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.code).toBe('ASSESSMENT_INVALID_ANSWER');
    const badValue = await first.client.put(path(first.siteCode), { items: { survey: { value: 2 } } });
    expect(badValue.body).toMatchObject({
      code: 'ASSESSMENT_INVALID_ANSWER',
      message: '“调查征集类栏目”的答案应为是或否',
    });
    expect((await first.client.get(path(first.siteCode))).body.answers).toEqual(draft.body.answers);

    const early = await first.client.post(`${path(first.siteCode)}/submit`);
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('ASSESSMENT_INCOMPLETE');
    expect(early.body.message).toMatch(/^还有9项未填写：首页可用性、/);

    const rest = await first.client.put(path(first.siteCode), {
      items: {
        'homepage-availability': { value: 1.5 },
        'homepage-columns': { value: 1 },
        'basic-information': { value: 0 },
        consultation: { value: 0 },
        survey: { value: true, note: '一年内未开展调查' },
        interview: { value: false },
        'service-guides': { value: 2 },
        attachments: { value: 0 },
        'online-systems': { value: 0 },
      },
    });
    expect(rest.status).toBe(200);
    const submitted = await first.client.post(`${path(first.siteCode)}/submit`);
    expect(submitted.status).toBe(200);
    // 100 − 5 (1 whole %) − 3 links − 4 (one column) − 5 (no survey) − 2 (guides) = 81.
    expect(submitted.body).toMatchObject({
      status: 'SUBMITTED',
      statusLabel: '已提交',
      submittedAt: expect.any(String),
      result: {
        sheetId: 'census-2015',
        sheetVersion: '1',
        verdict: 'PASS',
        verdictLabel: '合格',
        score: 81,
        vetoes: [],
      },
    });
    expect(submitted.body.result.deductions).toHaveLength(10);
    // The owner and the units above read the same result.
    expect((await city.client.get(path(first.siteCode))).body.result).toEqual(submitted.body.result);

    const late = await first.client.put(path(first.siteCode), { items: { attachments: { value: 1 } } });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('ASSESSMENT_ALREADY_SUBMITTED');
    expect((await first.client.post(`${path(first.siteCode)}/submit`)).status).toBe(409);

    const audited = await eventually(async () => {
      const rows = await sys.sql(
        `SELECT actor_username, actor_org_unit_id, details FROM identity.audit_log WHERE action = 'self-assessment.submit'`,
      );
      return rows.length === 1 ? rows : undefined;
    });
    expect(audited[0]).toMatchObject({
      actor_username: first.siteCode,
      actor_org_unit_id: null,
      details: { siteCode: first.siteCode, verdict: 'PASS', verdictLabel: '合格', score: 81, sheetVersion: '1' },
    });
  });

  it('a veto fails the site outright: no item needed, no score', async () => {
    const [, second] = sites;
    const saved = await second.client.put(path(second.siteCode), {
      vetoes: { ...vetoesNone, 'columns-not-updated': { value: true, note: '空白栏目6个' } },
    });
    expect(saved.status).toBe(200);
    const submitted = await second.client.post(`${path(second.siteCode)}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.body.result).toEqual({
      sheetId: 'census-2015',
      sheetVersion: '1',
      verdict: 'FAIL',
      verdictLabel: '不合格',
      score: null,
      vetoes: [{ key: 'columns-not-updated', name: '栏目不更新' }],
      deductions: [],
    });
    // Submitting gives the site its official verdict, from the self-assessment.
    expect(
      await sys.sql(`SELECT source, verdict, score, vetoes FROM assessment.verdict WHERE site_code = $1`, [
        second.siteCode,
      ]),
    ).toEqual([{ source: 'SELF', verdict: 'FAIL', score: null, vetoes: ['columns-not-updated'] }]);
  });

  it('the owner or a unit above sends a submitted one back; a sibling cannot; the site corrects and resubmits', async () => {
    const [, second] = sites;
    const bySibling = await sibling.client.post(`${path(second.siteCode)}/reopen`, { reason: '请更正' });
    expect(bySibling.status).toBe(404);
    expect((await second.client.post(`${path(second.siteCode)}/reopen`, { reason: '请更正' })).status).toBe(403);
    const reopened = await city.client.post(`${path(second.siteCode)}/reopen`, { reason: '否决项证据不足，请核实' });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'DRAFT', result: null, submittedAt: null });
    // The official verdict (assessment.verdict) went with it.
    const verdictOf = async () =>
      sys.sql(`SELECT source, verdict, score::float AS score, vetoes FROM assessment.verdict WHERE site_code = $1`, [
        second.siteCode,
      ]);
    expect(await verdictOf()).toEqual([]);
    expect((await city.client.post(`${path(second.siteCode)}/reopen`, { reason: '再退' })).body.code).toBe(
      'ASSESSMENT_NOT_SUBMITTED',
    );
    const corrected = await second.client.put(path(second.siteCode), {
      vetoes: { 'columns-not-updated': { value: false } },
      items: {
        ...Object.fromEntries(
          [
            'homepage-availability',
            'link-availability',
            'homepage-columns',
            'basic-information',
            'consultation',
            'service-guides',
            'attachments',
            'online-systems',
          ].map((key) => [key, { value: 0 }]),
        ),
        survey: { value: false },
        interview: { value: false },
      },
    });
    expect(corrected.status).toBe(200);
    const resubmitted = await second.client.post(`${path(second.siteCode)}/submit`);
    expect(resubmitted.body.result).toMatchObject({ verdict: 'PASS', score: 100 });
    expect(await verdictOf()).toEqual([{ source: 'SELF', verdict: 'PASS', score: 100, vetoes: [] }]);
    const reasons = await eventually(async () => {
      const rows = await sys.sql(
        `SELECT actor_username, details FROM identity.audit_log WHERE action = 'self-assessment.reopen'`,
      );
      return rows.length === 1 ? rows : undefined;
    });
    expect(reasons[0]).toMatchObject({
      actor_username: '130300',
      details: { reason: '否决项证据不足，请核实', verdictLabel: '不合格' },
    });
  });
});
