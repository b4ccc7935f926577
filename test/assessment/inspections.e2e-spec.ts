import { eventually } from '@app/testing';
import { drawSample } from '../../apps/assessment/src/inspection/sample';
import { ReviewSystem, Unit } from '../review/support/review-system';
import { CodedSite, codedSites, items, selfAssess, vetoes } from './support/coded-sites';

/**
 * 检查打分 over the real system: 秦皇岛市 (130300) inspects its subtree — 8 running coded sites
 * of 海港区 (130302) and 山海关区 (130303) — with a seeded sample; inspectors score a sampled
 * site beside its 自查评分, and the inspection's verdict overrides the self-assessment's in
 * assessment.verdict. 河北省 above may see and score; 海港区 below and 石家庄市 beside may not.
 */
describe('inspections (检查打分)', () => {
  let sys: ReviewSystem;
  let province: Unit;
  let city: Unit;
  let haigang: Unit;
  let shanhaiguan: Unit;
  let beidaihe: Unit;
  let sibling: Unit;
  let sites: CodedSite[];

  beforeAll(async () => {
    sys = await ReviewSystem.start();
    [province, city, haigang, shanhaiguan, beidaihe, sibling] = await Promise.all(
      ['130000', '130300', '130302', '130303', '130304', '130100'].map((code) => sys.unit(code)),
    );
    sites = [
      ...(await codedSites(sys, haigang, [city, province], 6)),
      ...(await codedSites(sys, shanhaiguan, [city, province], 2)),
    ].sort((a, b) => (a.siteCode < b.siteCode ? -1 : 1));
  }, 300_000);

  afterAll(async () => {
    await sys?.close();
  });

  const verdictOf = async (siteCode: string) =>
    (
      await sys.sql(
        `SELECT source, inspection_id, verdict, score::float AS score, vetoes FROM assessment.verdict WHERE site_code = $1`,
        [siteCode],
      )
    )[0] ?? null;

  it('draws the sample from its seed: the same seed the same sites, checked against the sampling function', async () => {
    const codes = sites.map((site) => site.siteCode);
    const first = await city.client.post('/inspections', {
      name: '2026年第一次抽查',
      orgUnitId: city.id,
      sample: { mode: 'percent', value: 50, seed: 'qhd-2026-1' },
    });
    expect(first.status).toBe(201);
    const expected = drawSample(codes, { percent: 50 }, 'qhd-2026-1');
    expect(expected).toHaveLength(4);
    expect(first.body).toMatchObject({
      name: '2026年第一次抽查',
      orgUnitId: city.id,
      orgUnitName: '秦皇岛市',
      status: 'OPEN',
      statusLabel: '进行中',
      sample: { mode: 'percent', modeLabel: '按比例抽查', value: 50, seed: 'qhd-2026-1', population: 8 },
      progress: { sampled: 4, notStarted: 4, draft: 0, submitted: 0, pass: 0, fail: 0 },
      inspectingUnitId: city.id,
      inspectingUnitName: '秦皇岛市',
      createdBy: '130300',
    });
    expect(first.body.sites.map((site: { siteCode: string }) => site.siteCode)).toEqual(expected);

    // The province draws again with the same seed over the same unit: the same list.
    const again = await province.client.post('/inspections', {
      name: '复核',
      orgUnitId: city.id,
      sample: { mode: 'percent', value: 50, seed: 'qhd-2026-1' },
    });
    expect(again.body.sites.map((site: { siteCode: string }) => site.siteCode)).toEqual(expected);

    const byCount = await city.client.post('/inspections', {
      name: '海港区三个',
      orgUnitId: haigang.id,
      sample: { mode: 'count', value: 3, seed: 'hg' },
    });
    expect(byCount.status).toBe(201);
    const haigangCodes = codes.filter((code) => code.startsWith('130302'));
    expect(byCount.body.sites.map((site: { siteCode: string }) => site.siteCode)).toEqual(
      drawSample(haigangCodes, { count: 3 }, 'hg'),
    );
    const all = await city.client.post('/inspections', { name: '全部', orgUnitId: city.id, sample: { mode: 'all' } });
    expect(all.body.sites.map((site: { siteCode: string }) => site.siteCode)).toEqual(codes);
    expect(all.body.sample.seed).toMatch(/^[0-9a-f]{16}$/);

    // The city's list: its own three; the province's list has all four; 海港区, though inspected, none.
    const list = await city.client.get('/inspections?page=1&pageSize=10');
    expect(list.body.total).toBe(3);
    expect(list.body.items[0].name).toBe('全部');
    expect((await province.client.get('/inspections')).body.total).toBe(4);
    expect((await haigang.client.get('/inspections')).body.total).toBe(0);
    expect((await haigang.client.get(`/inspections/${byCount.body.id}`)).status).toBe(404);
  });

  it('refuses bad samples, units outside the subtree and units without sites, creating nothing', async () => {
    const before = (await sys.sql(`SELECT count(*)::int AS n FROM assessment.inspection`))[0].n;
    const zero = await city.client.post('/inspections', {
      name: '零',
      orgUnitId: city.id,
      sample: { mode: 'percent', value: 0 },
    });
    expect(zero.status).toBe(400);
    expect(zero.body).toMatchObject({ code: 'VALIDATION_FAILED', message: '抽查比例应大于0且不超过100（%）' });
    const fraction = await city.client.post('/inspections', {
      name: '半个',
      orgUnitId: city.id,
      sample: { mode: 'count', value: 1.5 },
    });
    expect(fraction.body).toMatchObject({ code: 'VALIDATION_FAILED', message: '抽查数量应为不小于1的整数' });
    const noMode = await city.client.post('/inspections', { name: '无', orgUnitId: city.id, sample: {} });
    expect(noMode.status).toBe(400);
    // 海港区 may not inspect its parent; 石家庄市 may not inspect a sibling.
    const upward = await haigang.client.post('/inspections', {
      name: '上级',
      orgUnitId: city.id,
      sample: { mode: 'all' },
    });
    expect(upward.status).toBe(403);
    expect(upward.body.code).toBe('OUTSIDE_SUBTREE');
    const sideways = await sibling.client.post('/inspections', {
      name: '兄弟',
      orgUnitId: city.id,
      sample: { mode: 'all' },
    });
    expect(sideways.status).toBe(403);
    expect(sideways.body.code).toBe('OUTSIDE_SUBTREE');
    const empty = await city.client.post('/inspections', {
      name: '北戴河',
      orgUnitId: beidaihe.id,
      sample: { mode: 'all' },
    });
    expect(empty.status).toBe(422);
    expect(empty.body).toEqual({
      code: 'INSPECTION_NO_SITES',
      message: '「北戴河区」及其下级单位没有运行中的已赋码网站，无法抽查',
    });
    expect((await sys.sql(`SELECT count(*)::int AS n FROM assessment.inspection`))[0].n).toBe(before);
  });

  it('scores a sampled site beside its self-assessment; the inspection verdict overrides the self verdict; reopen restores it', async () => {
    const created = await city.client.post('/inspections', {
      name: '覆盖测试',
      orgUnitId: city.id,
      sample: { mode: 'count', value: 2, seed: 'override' },
    });
    const id = created.body.id as string;
    const [target] = created.body.sites as Array<{ siteCode: string }>;
    const site = sites.find((candidate) => candidate.siteCode === target.siteCode)!;

    // The site's own self-assessment: 合格, 100 — the official verdict, from SELF.
    const siteClient = await selfAssess(sys, site, { vetoes: vetoes(), items: items() });
    expect(await verdictOf(site.siteCode)).toEqual({
      source: 'SELF',
      inspection_id: null,
      verdict: 'PASS',
      score: 100,
      vetoes: [],
    });

    // Ten days of monitoring before today: the homepage failed 3 of its 24 visits each day.
    await sys.sql(
      `INSERT INTO assessment.monitor_daily (site_code, day, owner_chain, homepage_probes, homepage_failures, failures_by_cause, homepage_newest)
       SELECT $1, d::date, '{}', 24, 3, '{"timeout": 3}', d::date
         FROM generate_series((now() AT TIME ZONE 'Asia/Shanghai')::date - 10, (now() AT TIME ZONE 'Asia/Shanghai')::date - 1, interval '1 day') AS d`,
      [site.siteCode],
    );
    const path = `/inspections/${id}/sites/${site.siteCode}`;
    const view = await city.client.get(path);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      inspectionId: id,
      inspectionName: '覆盖测试',
      inspectionStatus: 'OPEN',
      siteCode: site.siteCode,
      status: 'NOT_STARTED',
      answers: { vetoes: {}, items: {} },
      result: null,
      sheet: { id: 'census-2015', version: '1' },
      selfAssessment: { status: 'SUBMITTED', result: { verdict: 'PASS', score: 100 } },
    });
    // Beside the sheet, what monitoring proposes from those days, for the inspectors to confirm:
    // 站点无法访问 (30 of 240 visits failed, 12.5 % ≥ 5 % over ≥ 7 days) and its evidence.
    const { monitoring } = view.body;
    expect(monitoring.daysWithProbes).toBeGreaterThanOrEqual(10);
    expect(monitoring.proposals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'site-unreachable',
          kind: 'veto',
          value: true,
          evidence: expect.objectContaining({ failures: 30 }),
        }),
        expect.objectContaining({ key: 'homepage-availability', kind: 'deduction' }),
      ]),
    );
    // Nothing is filled in by itself: the answers stay the inspectors'.
    expect(view.body.answers).toEqual({ vetoes: {}, items: {} });
    // 海港区 (below the inspecting unit) and 石家庄市 do not see the inspection at all.
    for (const client of [haigang.client, sibling.client]) {
      expect((await client.get(path)).body.code).toBe('INSPECTION_NOT_FOUND');
      expect((await client.get(`/inspections/${id}`)).status).toBe(404);
      expect((await client.put(path, { vetoes: vetoes() })).status).toBe(404);
    }
    // A site that was not drawn is not in the inspection.
    const other = sites.find(
      (candidate) => !created.body.sites.some((s: { siteCode: string }) => s.siteCode === candidate.siteCode),
    )!;
    expect((await city.client.get(`/inspections/${id}/sites/${other.siteCode}`)).body).toEqual({
      code: 'SITE_NOT_FOUND',
      message: '该网站不在本次检查的抽查名单中',
    });

    const bad = await city.client.put(path, { items: { 'page-beauty': { value: 1 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('ASSESSMENT_UNKNOWN_ITEM');
    expect((await city.client.post(`${path}/submit`)).status).toBe(422);

    // The province (above) scores: a veto with its evidence.
    const saved = await province.client.put(path, { vetoes: vetoes('columns-not-updated') });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ status: 'DRAFT', statusLabel: '填写中' });
    const submitted = await city.client.post(`${path}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({
      status: 'SUBMITTED',
      result: { verdict: 'FAIL', score: null, vetoes: [{ key: 'columns-not-updated', name: '栏目不更新' }] },
    });
    expect(await verdictOf(site.siteCode)).toEqual({
      source: 'INSPECTION',
      inspection_id: id,
      verdict: 'FAIL',
      score: null,
      vetoes: ['columns-not-updated'],
    });
    // The self-assessment is kept as it was.
    expect((await siteClient.get(`/sites/${site.siteCode}/self-assessment`)).body.result).toMatchObject({
      verdict: 'PASS',
      score: 100,
    });
    expect((await city.client.put(path, { vetoes: vetoes() })).body.code).toBe('ASSESSMENT_ALREADY_SUBMITTED');

    // The self-assessment sent back and resubmitted does not displace the inspection's verdict.
    expect(
      (await city.client.post(`/sites/${site.siteCode}/self-assessment/reopen`, { reason: '请补充证据' })).status,
    ).toBe(200);
    expect((await verdictOf(site.siteCode))?.source).toBe('INSPECTION');
    expect((await siteClient.post(`/sites/${site.siteCode}/self-assessment/submit`)).status).toBe(200);
    expect((await verdictOf(site.siteCode))?.source).toBe('INSPECTION');

    // 退回 the inspection's result: the self-assessment's verdict stands again.
    const noReason = await city.client.post(`${path}/reopen`, { reason: '  ' });
    expect(noReason.status).toBe(400);
    const reopened = await city.client.post(`${path}/reopen`, { reason: '证据截图不清晰，请重新核实' });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'DRAFT', result: null, submittedAt: null });
    expect(reopened.body.answers.vetoes['columns-not-updated'].value).toBe(true);
    expect(await verdictOf(site.siteCode)).toMatchObject({ source: 'SELF', verdict: 'PASS', score: 100 });
    expect((await city.client.post(`${path}/reopen`, { reason: '再退' })).body.code).toBe('ASSESSMENT_NOT_SUBMITTED');

    // Scored again (no veto, 2 dead links): 98, from the inspection.
    await city.client.put(path, { vetoes: vetoes(), items: items({ 'link-availability': 2 }) });
    expect((await city.client.post(`${path}/submit`)).body.result).toMatchObject({ verdict: 'PASS', score: 98 });
    expect(await verdictOf(site.siteCode)).toMatchObject({ source: 'INSPECTION', verdict: 'PASS', score: 98 });

    const detail = await city.client.get(`/inspections/${id}`);
    expect(detail.body.progress).toEqual({ sampled: 2, notStarted: 1, draft: 0, submitted: 1, pass: 1, fail: 0 });
    expect(detail.body.sites.find((s: { siteCode: string }) => s.siteCode === site.siteCode)).toMatchObject({
      status: 'SUBMITTED',
      verdict: 'PASS',
      verdictLabel: '合格',
      score: 98,
    });

    // Closing: then nothing more changes (409), and closing twice is refused too.
    expect((await haigang.client.post(`/inspections/${id}/close`)).status).toBe(404);
    const closed = await city.client.post(`/inspections/${id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'CLOSED', statusLabel: '已结束', closedAt: expect.any(String) });
    for (const res of [
      await city.client.post(`/inspections/${id}/close`),
      await city.client.post(`${path}/reopen`, { reason: '再退' }),
      await city.client.put(`/inspections/${id}/sites/${created.body.sites[1].siteCode}`, { vetoes: vetoes() }),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ code: 'INSPECTION_CLOSED', message: '该检查已结束，不能再打分、退回或结束' });
    }
    expect(await verdictOf(site.siteCode)).toMatchObject({ source: 'INSPECTION', score: 98 });

    const audited = await eventually(async () => {
      const rows = await sys.sql<{ action: string; actor_username: string; details: Record<string, unknown> }>(
        `SELECT action, actor_username, details FROM identity.audit_log
          WHERE action LIKE 'inspection.%' AND (target_id = $1 OR details->>'inspectionId' = $1) ORDER BY at`,
        [id],
      );
      return rows.length === 7 ? rows : undefined;
    });
    expect(audited.map((row) => [row.action, row.actor_username])).toEqual([
      ['inspection.create', '130300'],
      ['inspection.site.save', '130000'],
      ['inspection.site.submit', '130300'],
      ['inspection.site.reopen', '130300'],
      ['inspection.site.save', '130300'],
      ['inspection.site.submit', '130300'],
      ['inspection.close', '130300'],
    ]);
    expect(audited[3].details).toMatchObject({ reason: '证据截图不清晰，请重新核实', verdictLabel: '不合格' });
  });
});
