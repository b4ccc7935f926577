import { createSampleForm, SiteForm } from '@app/forms';
import { eventually, TransportKind } from '@app/testing';
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { HierarchySubjects, UnitStatsTable } from '@app/contracts';
import { ReviewSystem, Unit } from './support/review-system';

/**
 * 统计分析, 零报送 and 催报 over the real system (NATS or the in-process bus, PostgreSQL, S3, SMTP): the kept counts
 * always equal a direct count of the records after imports, submissions, approvals, returns,
 * bulk actions and deletions; the table drills down to the counties; a unit sees only its
 * subtree; 零报送 and 催报 follow their rules, are audited and reach the unit (notice, mail).
 */
describe.each<TransportKind>(['nats', 'in-process'])('statistics, 零报送 and 催报 on %s', (transport) => {
  let sys: ReviewSystem;
  let province: Unit; // 河北省
  let city: Unit; // 秦皇岛市
  let haigang: Unit; // 海港区
  let shanhaiguan: Unit; // 山海关区
  let beidaihe: Unit; // 北戴河区
  let shijiazhuang: Unit; // 石家庄市
  let shanxi: Unit; // 山西省
  let next = 0;
  const forms = (n: number): SiteForm[] => Array.from({ length: n }, () => createSampleForm(next++));

  beforeAll(async () => {
    sys = await ReviewSystem.start({ transport });
    [province, city, haigang, shanhaiguan, beidaihe, shijiazhuang, shanxi] = await Promise.all(
      ['130000', '130300', '130302', '130303', '130304', '130100', '140000'].map((code) => sys.unit(code)),
    );
  });

  afterAll(async () => {
    await sys?.close();
  });

  const table = async (unit: Unit, orgUnitId?: string) => {
    const res = await unit.client.get(`/stats/units${orgUnitId ? `?orgUnitId=${orgUnitId}` : ''}`);
    expect(res.status).toBe(200);
    return res.body as UnitStatsTable;
  };

  /** The same numbers counted straight from the records. */
  const direct = async (unitId: string) => {
    const rows = await sys.sql<{ status: string; lifecycle: string; n: string }>(
      `SELECT status, lifecycle, count(*) AS n FROM review.record WHERE owner_chain @> ARRAY[$1]::uuid[] GROUP BY 1, 2`,
      [unitId],
    );
    const byStatus: Record<string, number> = { DRAFT: 0, PENDING: 0, APPROVED: 0, RETURNED: 0 };
    const byLifecycle: Record<string, number> = { ACTIVE: 0, CLOSED: 0, DEREGISTERED: 0 };
    for (const row of rows) {
      byStatus[row.status] += Number(row.n);
      byLifecycle[row.lifecycle] += Number(row.n);
    }
    return { websites: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus, byLifecycle };
  };

  /** Every row of the unit's table (children and total) equals the direct count. */
  const expectExact = async (viewer: Unit, unitId: string) => {
    const stats = await table(viewer, unitId);
    for (const row of [...stats.children, { ...stats.total, orgUnitId: unitId }]) {
      const { websites, byStatus, byLifecycle } = row;
      expect({ unit: row.orgUnitId, websites, byStatus, byLifecycle }).toEqual({
        unit: row.orgUnitId,
        ...(await direct(row.orgUnitId)),
      });
    }
    return stats;
  };

  const chainOf = async (unitId: string): Promise<string[]> => {
    const units = await sys.bus.request(HierarchySubjects.lookup, { ancestorsOf: unitId });
    return units.map((unit) => unit.id);
  };

  const rowOf = (stats: UnitStatsTable, unit: Unit) => stats.children.find((row) => row.orgUnitId === unit.id)!;

  it('keeps the counts equal to a direct count through imports, moves, bulk actions and deletions', async () => {
    const a = forms(5);
    await sys.importForms(haigang, a);
    await sys.importForms(shanhaiguan, forms(3));
    await sys.importForms(city, forms(2));
    let stats = await expectExact(province, province.id);
    expect(rowOf(stats, city)).toMatchObject({ websites: 10, reported: false });
    expect(stats.total.websites).toBe(10);

    // Submit, forward, approve, return; 全部提交 and 全部审核.
    for (const form of a.slice(0, 3)) expect((await haigang.client.post(`/forms/${form.id}/submit`)).status).toBe(200);
    expect((await city.client.post(`/forms/${a[0].id}/approve`)).status).toBe(200);
    expect((await province.client.post(`/forms/${a[0].id}/approve`)).body.status).toBe('APPROVED');
    expect((await city.client.post(`/forms/${a[1].id}/return`, { reason: '名称有误' })).status).toBe(200);
    expect((await shanhaiguan.client.post('/forms/submit-all')).status).toBe(200);
    expect((await city.client.post('/forms/review-all')).status).toBe(200);
    stats = await expectExact(city, city.id);
    expect(rowOf(stats, haigang)).toMatchObject({
      websites: 5,
      byStatus: { DRAFT: 2, PENDING: 1, APPROVED: 1, RETURNED: 1 },
      reported: true,
    });
    expect(rowOf(stats, haigang).lastActivityAt).not.toBeNull();
    expect(rowOf(stats, beidaihe)).toMatchObject({ websites: 0, reported: false, lastActivityAt: null });
    // 本级: the city's own two records, beside its counties.
    expect(stats.own).toMatchObject({ websites: 2, byStatus: { DRAFT: 2 } });
    await expectExact(province, province.id);

    // A deletion, and a lifecycle change written by whatever changes it: counted at once.
    expect((await haigang.client.delete(`/forms/${a[4].id}`)).status).toBe(200);
    await sys.sql(`UPDATE review.record SET lifecycle = 'CLOSED' WHERE id = $1`, [a[0].id]);
    stats = await expectExact(city, city.id);
    expect(rowOf(stats, haigang).byLifecycle).toEqual({ ACTIVE: 3, CLOSED: 1, DEREGISTERED: 0 });
    await sys.sql(`UPDATE review.record SET lifecycle = 'ACTIVE' WHERE id = $1`, [a[0].id]);

    // Many statements later the kept deltas are folded on reading, and stay exact.
    const [late] = forms(1);
    await sys.importForms(beidaihe, [late]);
    for (let i = 0; i < 80; i++) await sys.sql(`UPDATE review.record SET updated_at = now() WHERE id = $1`, [late.id]);
    const deltas = async () =>
      Number((await sys.sql(`SELECT count(*) AS n FROM review.unit_stats WHERE unit_id = $1`, [beidaihe.id]))[0].n);
    expect(await deltas()).toBeGreaterThan(80);
    await expectExact(city, city.id);
    expect(await deltas()).toBe(1);
    await expectExact(province, province.id);
  });

  it('drills down from the province to a city and its counties, with the path back', async () => {
    const top = await table(province);
    expect(top.unit).toMatchObject({ orgUnitId: province.id, name: '河北省' });
    expect(top.children.map((row) => row.name)).toEqual(['石家庄市', '秦皇岛市']);
    expect(rowOf(top, city).childCount).toBeGreaterThan(0);
    const down = await table(province, city.id);
    expect(down.path.map((link) => link.name)).toEqual(['河北省', '秦皇岛市']);
    expect(down.children.map((row) => row.name)).toContain('海港区');
    const sum = down.children.reduce((n, row) => n + row.websites, 0) + down.own.websites;
    expect(sum).toBe(down.total.websites);
    expect(down.total.websites).toBe(rowOf(top, city).websites);
    const county = await table(province, haigang.id);
    expect(county.children).toEqual([]);
    expect(county.path.map((link) => link.name)).toEqual(['河北省', '秦皇岛市', '海港区']);
    // The city's own view starts at the city.
    expect((await table(city)).path.map((link) => link.name)).toEqual(['秦皇岛市']);
  });

  it('shows a unit its own subtree only', async () => {
    for (const [viewer, target] of [
      [haigang, city],
      [shijiazhuang, city],
      [shanxi, province],
    ] as const) {
      const res = await viewer.client.get(`/stats/units?orgUnitId=${target.id}`);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('OUTSIDE_SUBTREE');
      const exported = await viewer.client.get(`/stats/units/export?orgUnitId=${target.id}`);
      expect(exported.status).toBe(403);
    }
    const unknown = await province.client.get(`/stats/units?orgUnitId=${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ORG_UNIT_NOT_FOUND');
    const bad = await province.client.get('/stats/units?orgUnitId=130300');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('零报送: own unit only, refused with records, withdrawable, cleared by the first record, audited', async () => {
    const funing = await sys.unit('130306'); // 抚宁区: no records
    // A unit with records cannot declare it; another unit cannot declare it for a unit.
    const refused = await haigang.client.post(`/org-units/${haigang.id}/zero-report`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ZERO_REPORT_HAS_RECORDS' });
    expect(refused.body.message).toMatch(/已有网站信息/);
    expect((await city.client.post(`/org-units/${funing.id}/zero-report`)).status).toBe(403);
    const nothing = await funing.client.delete(`/org-units/${funing.id}/zero-report`);
    expect({ status: nothing.status, body: nothing.body }).toMatchObject({
      status: 409,
      body: { code: 'ZERO_REPORT_NOT_DECLARED' },
    });

    expect((await table(funing)).canDeclareZeroReport).toBe(true);
    const declared = await funing.client.post(`/org-units/${funing.id}/zero-report`);
    expect(declared.status).toBe(200);
    expect(declared.body).toMatchObject({ orgUnitId: funing.id, zeroReport: true });
    // Declaring twice changes nothing.
    expect((await funing.client.post(`/org-units/${funing.id}/zero-report`)).body.declaredAt).toBe(
      declared.body.declaredAt,
    );
    expect(rowOf(await table(city), funing)).toMatchObject({ websites: 0, zeroReport: true, reported: true });

    expect((await funing.client.delete(`/org-units/${funing.id}/zero-report`)).body.zeroReport).toBe(false);
    expect(rowOf(await table(city), funing)).toMatchObject({ zeroReport: false, reported: false });

    // The same through the contract's body form: {declared: true | false} on POST.
    const on = await funing.client.post(`/org-units/${funing.id}/zero-report`, { declared: true });
    expect(on.body.zeroReport).toBe(true);
    const off = await funing.client.post(`/org-units/${funing.id}/zero-report`, { declared: false });
    expect(off.body.zeroReport).toBe(false);
    const bad = await funing.client.post(`/org-units/${funing.id}/zero-report`, { declared: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');

    // Declared again, then the unit's first record withdraws it.
    expect((await funing.client.post(`/org-units/${funing.id}/zero-report`)).status).toBe(200);
    await sys.importForms(funing, forms(1));
    expect(rowOf(await table(city), funing)).toMatchObject({ websites: 1, zeroReport: false, reported: false });
    expect((await table(funing)).canDeclareZeroReport).toBe(false);

    // A declaration racing a first import still in flight waits for it, then is refused.
    const changli = await sys.unit('130322'); // 昌黎县: no records
    const importing = new Client({ connectionString: sys.infra.database.url });
    await importing.connect();
    try {
      await importing.query('BEGIN');
      await importing.query(
        `INSERT INTO review.record (id, owner_org_unit_id, owner_code, owner_chain, holder_org_unit_id, final_reviewer_org_unit_id,
                                    status, site_name, homepage_url, region_code, region_name, current_version)
         VALUES ($1, $2, '130322', $3::uuid[], $2, $4, 'DRAFT', '昌黎县测试网站', 'http://changli.example.gov.cn', '130322', '河北省 秦皇岛市 昌黎县', 1)`,
        [randomUUID(), changli.id, [...(await chainOf(changli.id))], province.id],
      );
      const declaring = changli.client.post(`/org-units/${changli.id}/zero-report`);
      await eventually(async () => {
        const waiting =
          await sys.sql(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 1765420 AND NOT granted
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
        return waiting.length > 0;
      });
      await importing.query('COMMIT');
      const raced = await declaring;
      expect([raced.status, raced.body.code]).toEqual([409, 'ZERO_REPORT_HAS_RECORDS']);
    } finally {
      await importing.end();
    }
    expect(await sys.sql(`SELECT 1 FROM review.zero_report WHERE org_unit_id = $1`, [changli.id])).toEqual([]);

    const audited = await eventually(async () => {
      const rows = await sys.sql<{ action: string; actor_username: string }>(
        `SELECT action, actor_username FROM identity.audit_log WHERE target_id = $1 AND action LIKE 'org-unit.zero-report.%' ORDER BY at, seq`,
        [funing.id],
      );
      return rows.length === 5 ? rows : undefined;
    });
    expect(audited.map((row) => row.action)).toEqual([
      'org-unit.zero-report.declare',
      'org-unit.zero-report.withdraw',
      'org-unit.zero-report.declare',
      'org-unit.zero-report.withdraw',
      'org-unit.zero-report.declare',
    ]);
    expect(audited.every((row) => row.actor_username === '130306')).toBe(true);
  });

  it('催报: only units below that have not reported or have records waiting, once a day, with notice, mail and audit', async () => {
    const lulong = await sys.unit('130324'); // 卢龙县: nothing reported
    const contact = {
      name: '王五',
      officePhone: '0335-7012345',
      mobile: '13900139001',
      email: 'wangwu@lulong.gov.cn',
      department: '办公室',
    };
    expect((await lulong.client.put(`/org-units/${lulong.id}/contact`, contact)).status).toBe(200);
    // 山海关区: everything it had was approved by the city's 全部审核 → forwarded to the province,
    // nothing waits at it any more: reported, not due.
    const shanhaiguanRow = rowOf(await table(city), shanhaiguan);
    expect(shanhaiguanRow.reported).toBe(true);
    // 海港区 reported but holds drafts and a returned record: due.
    const res = await city.client.post('/stats/reminders', {
      orgUnitIds: [lulong.id, haigang.id, shanhaiguan.id, shijiazhuang.id, city.id, randomUUID()],
    });
    expect(res.status).toBe(200);
    expect(res.body.sent).toEqual(
      expect.arrayContaining([
        { orgUnitId: lulong.id, name: '卢龙县', mailed: true },
        { orgUnitId: haigang.id, name: '海港区', mailed: expect.any(Boolean) },
      ]),
    );
    expect(res.body.sent).toHaveLength(2);
    const reasons = Object.fromEntries(
      res.body.skipped.map((s: { orgUnitId: string; reason: string }) => [s.orgUnitId, s.reason]),
    );
    expect(reasons[shanhaiguan.id]).toBe('REPORTED');
    expect(reasons[shijiazhuang.id]).toBe('OUTSIDE_SUBTREE');
    expect(reasons[city.id]).toBe('OUTSIDE_SUBTREE');
    expect(Object.values(reasons)).toContain('NOT_FOUND');
    expect(res.body.skipped.every((s: { message: string }) => /[\u4e00-\u9fa5]/.test(s.message))).toBe(true);

    // The same day again, from the province this time: the database says no.
    const again = await province.client.post('/stats/reminders', { orgUnitIds: [lulong.id] });
    expect(again.body).toEqual({
      sent: [],
      skipped: [{ orgUnitId: lulong.id, name: '卢龙县', reason: 'ALREADY_REMINDED', message: '今天已催报过' }],
    });
    expect(await sys.sql(`SELECT sender_username FROM review.reminder WHERE org_unit_id = $1`, [lulong.id])).toEqual([
      { sender_username: '130300' },
    ]);

    // The notice in 卢龙县's inbox, and the mail to its contact.
    const notice = await eventually(async () => {
      const items = (await lulong.client.get('/notices')).body.items as Array<{
        kind: string;
        title: string;
        body: string;
      }>;
      return items.find((item) => item.kind === 'reminder');
    });
    expect(notice.title).toContain('秦皇岛市催报');
    expect(notice.body).toContain('尚未报送');
    await sys.mailSettled();
    const mails = sys.smtp.received.filter((mail) => mail.to.includes(contact.email));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain('催报');
    expect(mails[0].text).toContain('王五');

    const audited = await eventually(async () => {
      const rows = await sys.sql(
        `SELECT target_id, actor_username FROM identity.audit_log WHERE action = 'stats.remind' ORDER BY seq`,
      );
      return rows.length === 2 ? rows : undefined;
    });
    expect(audited.map((row) => row.target_id).sort()).toEqual([haigang.id, lulong.id].sort());

    const invalid = await city.client.post('/stats/reminders', { orgUnitIds: [] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details?.[0]?.message ?? invalid.body.message).toContain('请选择要催报的单位');
  });

  it('exports the same table to Excel', async () => {
    const stats = await table(province, city.id);
    const file = await province.client.download(`/stats/units/export?orgUnitId=${city.id}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('spreadsheetml');
    expect(file.headers.get('content-disposition')).toContain(encodeURIComponent('秦皇岛市统计.xlsx'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const rows = (book.getWorksheet('统计')!.getSheetValues().filter(Boolean) as unknown[][]).map((row) =>
      row.slice(1),
    );
    expect(String(rows[0][0])).toContain('秦皇岛市');
    expect(rows[1].slice(0, 11)).toEqual([
      '单位',
      '单位代码',
      '网站数',
      '未提交',
      '未审核',
      '已审核',
      '已退回',
      '运行中',
      '已关停',
      '已注销',
      '报送情况',
    ]);
    const data = rows.slice(2);
    expect(data).toHaveLength(stats.children.length + 2); // the counties, 本级, 合计
    for (const child of stats.children) {
      const line = data.find((row) => row[0] === child.name)!;
      expect(line.slice(2, 7)).toEqual([
        child.websites,
        child.byStatus.DRAFT,
        child.byStatus.PENDING,
        child.byStatus.APPROVED,
        child.byStatus.RETURNED,
      ]);
      expect(line[10]).toBe(child.zeroReport ? '零报送' : child.reported ? '已报送' : '未报送');
    }
    expect(data.find((row) => row[0] === '秦皇岛市（本级）')![2]).toBe(stats.own.websites);
    const total = data[data.length - 1];
    expect([total[0], total[2]]).toEqual(['合计', stats.total.websites]);
  });
});
