import ExcelJS from 'exceljs';
import { AssessmentStatsTable } from '@app/contracts';
import { eventually } from '@app/testing';
import { ReviewSystem, Unit } from '../review/support/review-system';
import { CodedSite, codedSites, items, selfAssess, vetoes } from './support/coded-sites';

/**
 * 评分统计 on a known set, over the real system. 秦皇岛市 (130300) has 海港区 (4 sites),
 * 山海关区 (2 sites) and one site of its own:
 *
 * - 海港区: h1 自查 合格 100, h2 自查 合格 90, h3 自查 不合格 (栏目不更新), h4 none;
 * - 山海关区: s1 自查 合格 100 then 检查 不合格 (站点无法访问 + 严重错误), s2 检查 合格 80;
 * - 秦皇岛市 本级: c1 自查 不合格 (互动回应差).
 */
describe('assessment statistics (评分统计)', () => {
  let sys: ReviewSystem;
  let province: Unit;
  let city: Unit;
  let haigang: Unit;
  let shanhaiguan: Unit;
  let sibling: Unit;
  let h: CodedSite[];
  let s: CodedSite[];
  let c: CodedSite[];

  beforeAll(async () => {
    sys = await ReviewSystem.start();
    [province, city, haigang, shanhaiguan, sibling] = await Promise.all(
      ['130000', '130300', '130302', '130303', '130100'].map((code) => sys.unit(code)),
    );
    h = await codedSites(sys, haigang, [city, province], 4);
    s = await codedSites(sys, shanhaiguan, [city, province], 2);
    c = await codedSites(sys, city, [province], 1);

    await selfAssess(sys, h[0], { vetoes: vetoes(), items: items() });
    await selfAssess(sys, h[1], { vetoes: vetoes(), items: items({ 'link-availability': 10 }) });
    await selfAssess(sys, h[2], { vetoes: vetoes('columns-not-updated') });
    await selfAssess(sys, s[0], { vetoes: vetoes(), items: items() });
    await selfAssess(sys, c[0], { vetoes: vetoes('poor-response') });

    const inspection = await city.client.post('/inspections', {
      name: '山海关区全面检查',
      orgUnitId: shanhaiguan.id,
      sample: { mode: 'all' },
    });
    expect(inspection.status).toBe(201);
    const score = async (site: CodedSite, answers: object) => {
      const path = `/inspections/${inspection.body.id}/sites/${site.siteCode}`;
      expect((await city.client.put(path, answers)).status).toBe(200);
      expect((await city.client.post(`${path}/submit`)).status).toBe(200);
    };
    const twoVetoes = { ...vetoes('site-unreachable'), 'serious-errors': vetoes('serious-errors')['serious-errors'] };
    await score(s[0], { vetoes: twoVetoes });
    await score(s[1], { vetoes: vetoes(), items: items({ 'link-availability': 15, survey: true }) });
  }, 300_000);

  afterAll(async () => {
    await sys?.close();
  });

  const none = {
    sites: 0,
    assessed: 0,
    pass: 0,
    fail: 0,
    byVeto: {},
    bySource: { SELF: 0, INSPECTION: 0 },
    averageScore: null,
  };
  const haigangCounts = {
    sites: 4,
    assessed: 3,
    pass: 2,
    fail: 1,
    byVeto: { 'columns-not-updated': 1 },
    bySource: { SELF: 3, INSPECTION: 0 },
    averageScore: 95,
  };
  const shanhaiguanCounts = {
    sites: 2,
    assessed: 2,
    pass: 1,
    fail: 1,
    byVeto: { 'site-unreachable': 1, 'serious-errors': 1 },
    bySource: { SELF: 0, INSPECTION: 2 },
    averageScore: 80,
  };
  const cityTotal = {
    sites: 7,
    assessed: 6,
    pass: 3,
    fail: 3,
    byVeto: { 'columns-not-updated': 1, 'site-unreachable': 1, 'serious-errors': 1, 'poor-response': 1 },
    bySource: { SELF: 4, INSPECTION: 2 },
    averageScore: 90,
  };

  it('counts each child region, the unit itself and the total exactly', async () => {
    const res = await city.client.get('/assessment/stats');
    expect(res.status).toBe(200);
    const table = res.body as AssessmentStatsTable;
    expect(table.unit).toEqual({ orgUnitId: city.id, code: '130300', name: '秦皇岛市' });
    expect(table.vetoes.map((veto) => veto.name)).toEqual([
      '站点无法访问',
      '网站不更新',
      '栏目不更新',
      '严重错误',
      '互动回应差',
    ]);
    const row = (unit: Unit) => table.children.find((child) => child.orgUnitId === unit.id);
    expect(row(haigang)).toEqual({ orgUnitId: haigang.id, code: '130302', name: '海港区', ...haigangCounts });
    expect(row(shanhaiguan)).toEqual({
      orgUnitId: shanhaiguan.id,
      code: '130303',
      name: '山海关区',
      ...shanhaiguanCounts,
    });
    for (const other of table.children.filter((child) => ![haigang.id, shanhaiguan.id].includes(child.orgUnitId)))
      expect(other).toMatchObject(none);
    expect(table.own).toEqual({
      sites: 1,
      assessed: 1,
      pass: 0,
      fail: 1,
      byVeto: { 'poor-response': 1 },
      bySource: { SELF: 1, INSPECTION: 0 },
      averageScore: null,
    });
    expect(table.total).toEqual(cityTotal);

    // The province sees 秦皇岛市 as one row with the same numbers; a child sees only its own subtree.
    const provincial = (await province.client.get('/assessment/stats')).body as AssessmentStatsTable;
    expect(provincial.children.find((child) => child.orgUnitId === city.id)).toMatchObject(cityTotal);
    const drilled = await province.client.get(`/assessment/stats?orgUnitId=${city.id}`);
    expect(drilled.body.total).toEqual(cityTotal);
    expect((await haigang.client.get('/assessment/stats')).body.total).toEqual(haigangCounts);
  });

  it('refuses a unit outside the caller’s subtree', async () => {
    for (const [viewer, target] of [
      [sibling, city],
      [haigang, city],
      [haigang, shanhaiguan],
    ] as const) {
      for (const path of [
        `/assessment/stats?orgUnitId=${target.id}`,
        `/assessment/failures?orgUnitId=${target.id}`,
        `/assessment/stats/export?orgUnitId=${target.id}`,
      ]) {
        const res = await viewer.client.get(path);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('OUTSIDE_SUBTREE');
      }
    }
    expect((await city.client.get('/assessment/stats?orgUnitId=nope')).status).toBe(400);
  });

  it('lists the 不合格 sites with their vetoes, source and evidence', async () => {
    const res = await city.client.get('/assessment/failures?page=1&pageSize=2');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(3);
    expect(res.body.items).toHaveLength(2);
    const all = (await city.client.get('/assessment/failures?pageSize=50')).body.items as Array<
      Record<string, unknown>
    >;
    const bySite = new Map(all.map((item) => [item.siteCode, item]));
    expect(all.map((item) => item.siteCode)).toEqual([...bySite.keys()].sort());
    expect(bySite.get(h[2].siteCode)).toMatchObject({
      source: 'SELF',
      sourceLabel: '自查',
      inspectionId: null,
      score: null,
      vetoes: [{ key: 'columns-not-updated', name: '栏目不更新' }],
      evidence: [
        {
          key: 'columns-not-updated',
          name: '栏目不更新',
          note: 'columns-not-updated 属实',
          evidenceUrl: 'https://evidence.example.gov.cn/columns-not-updated.png',
        },
      ],
    });
    expect(bySite.get(s[0].siteCode)).toMatchObject({
      source: 'INSPECTION',
      sourceLabel: '检查',
      inspectionId: expect.any(String),
      vetoes: [
        { key: 'site-unreachable', name: '站点无法访问' },
        { key: 'serious-errors', name: '严重错误' },
      ],
    });
    expect(bySite.get(c[0].siteCode)).toMatchObject({ source: 'SELF', vetoes: [{ key: 'poor-response' }] });
    expect(
      (await haigang.client.get('/assessment/failures')).body.items.map((i: { siteCode: string }) => i.siteCode),
    ).toEqual([h[2].siteCode]);
  });

  it('exports the table and the 不合格 list to Excel', async () => {
    const file = await city.client.download('/assessment/stats/export');
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('spreadsheetml');
    expect(file.headers.get('content-disposition')).toContain(encodeURIComponent('秦皇岛市评分统计.xlsx'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const values = (name: string) =>
      (book.getWorksheet(name)!.getSheetValues().filter(Boolean) as unknown[][]).map((row) => row.slice(1));
    const stats = values('评分统计');
    expect(String(stats[0][0])).toContain('秦皇岛市 政府网站评分统计');
    expect(stats[1]).toEqual([
      '单位',
      '单位代码',
      '网站数',
      '已评分',
      '合格',
      '不合格',
      '合格率',
      '平均分',
      '自查结论',
      '检查结论',
      '否决：站点无法访问',
      '否决：网站不更新',
      '否决：栏目不更新',
      '否决：严重错误',
      '否决：互动回应差',
    ]);
    const byName = new Map(stats.slice(2).map((row) => [row[0], row]));
    expect(byName.get('海港区')).toEqual(['海港区', '130302', 4, 3, 2, 1, '66.7%', 95, 3, 0, 0, 0, 1, 0, 0]);
    expect(byName.get('山海关区')).toEqual(['山海关区', '130303', 2, 2, 1, 1, '50.0%', 80, 0, 2, 1, 0, 0, 1, 0]);
    expect(byName.get('秦皇岛市（本级）')).toEqual([
      '秦皇岛市（本级）',
      '130300',
      1,
      1,
      0,
      1,
      '0.0%',
      undefined,
      1,
      0,
      0,
      0,
      0,
      0,
      1,
    ]);
    expect(stats[stats.length - 1]).toEqual(['合计', undefined, 7, 6, 3, 3, '50.0%', 90, 4, 2, 1, 0, 1, 1, 1]);
    const failures = values('不合格网站');
    expect(failures[0]).toEqual([
      '网站标识码',
      '网站名称',
      '结论来源',
      '得分',
      '单项否决',
      '说明与证据',
      '评定时间（北京时间）',
    ]);
    expect(failures.slice(1).map((row) => row[0])).toEqual([h[2].siteCode, s[0].siteCode, c[0].siteCode].sort());
    const inspected = failures.find((row) => row[0] === s[0].siteCode)!;
    expect(inspected.slice(2, 5)).toEqual(['检查', undefined, '站点无法访问、严重错误']);
    const audited = await eventually(async () => {
      const rows = await sys.sql(
        `SELECT actor_username, target_type, target_id, details FROM identity.audit_log WHERE action = 'assessment.stats.export'`,
      );
      return rows.length === 1 ? rows : undefined;
    });
    expect(audited[0]).toMatchObject({
      actor_username: '130300',
      target_type: 'org-unit',
      target_id: city.id,
      details: { unitName: '秦皇岛市', rows: stats.length - 2, failures: 3 },
    });
  });
});
