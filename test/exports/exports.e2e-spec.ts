import { createSampleForm } from '@app/forms';
import { eventually, TransportKind } from '@app/testing';
import ExcelJS from 'exceljs';
import { ReviewSystem, Unit } from '../review/support/review-system';

interface ListedItem {
  id: string;
  siteName: string;
  status: string;
  lifecycleLabel: string;
  requestKindLabel: string | null;
}

/** The workbook's sheets as rows of cell texts keyed by header. */
async function readWorkbook(bytes: Buffer): Promise<Record<string, Array<Record<string, string>>>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheets: Record<string, Array<Record<string, string>>> = {};
  workbook.eachSheet((sheet) => {
    const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const rows: Array<Record<string, string>> = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const values = (row.values as unknown[]).slice(1);
      rows.push(Object.fromEntries(headers.map((header, i) => [header, values[i] == null ? '' : String(values[i])])));
    });
    sheets[sheet.name] = rows;
  });
  return sheets;
}

/**
 * Excel exports of the records list through the gateway, on the whole system (NATS or the
 * in-process bus, PostgreSQL, S3): the file holds exactly what the list shows the caller (scope, filters,
 * order), every field under its Chinese header and 栏目 on their own sheet; too many rows for a
 * direct download is 409 EXPORT_TOO_LARGE, and 后台导出 lands in 文件中心 → 导出 with a notice.
 */
describe.each<TransportKind>(['nats', 'in-process'])('records export (Excel) on %s', (transport) => {
  let sys: ReviewSystem;
  let province: Unit; // 河北省, the final reviewer
  let city: Unit; // 秦皇岛市
  let county: Unit; // 海港区
  let sibling: Unit; // 山海关区
  let stranger: Unit; // 山西省
  const countyForms = Array.from({ length: 25 }, (_, n) => createSampleForm(n, { columnCount: n % 3 }));

  beforeAll(async () => {
    sys = await ReviewSystem.start({ transport, config: { EXPORT_SYNC_MAX_ROWS: '30' } });
    const units: Unit[] = [];
    for (const code of ['130000', '130300', '130302', '130303', '140000']) units.push(await sys.unit(code));
    [province, city, county, sibling, stranger] = units;
    await sys.importForms(county, countyForms);
    await sys.importForms(
      sibling,
      Array.from({ length: 8 }, (_, n) => createSampleForm(100 + n, { columnCount: 2 })),
    );
    await sys.importForms(
      stranger,
      Array.from({ length: 3 }, (_, n) => createSampleForm(200 + n)),
    );
  });

  afterAll(async () => {
    await sys?.close();
  });

  const listAll = async (unit: Unit, query: string): Promise<ListedItem[]> => {
    const items: ListedItem[] = [];
    let after = '';
    for (;;) {
      const res = await unit.client.get(`/forms?${query}&pageSize=200${after}`);
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      if (!res.body.next) return items;
      after = `&after=${encodeURIComponent(res.body.next)}`;
    }
  };

  it('exports exactly the list the caller sees: same rows, same order, every field, 栏目 on the second sheet', async () => {
    const listed = await listAll(county, 'scope=subtree');
    expect(listed).toHaveLength(25);
    const res = await county.client.download('/forms/export?scope=subtree');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    expect(res.headers.get('x-export-rows')).toBe('25');
    const sheets = await readWorkbook(res.bytes);
    expect(Object.keys(sheets)).toEqual(['网站基本信息', '栏目信息']);
    const forms = sheets['网站基本信息'];
    expect(forms.map((row) => row['表单编号'])).toEqual(listed.map((item) => item.id));
    expect(forms.map((row) => row['网站名称'])).toEqual(listed.map((item) => item.siteName));
    const [first] = forms;
    for (const header of [
      '网站标识码',
      '状态',
      '首页网址',
      '网站类型',
      '主办单位',
      '负责人手机',
      '联系人电子邮箱',
      '栏目数',
    ])
      expect(Object.keys(first)).toContain(header);
    expect(first['状态']).toBe('未提交');
    expect(['门户网站', '部门网站']).toContain(first['网站类型']); // options in words, not codes
    // 栏目: one row per 栏目 of each exported record, tied to its site.
    const [{ n }] = await sys.sql<{ n: number }>(
      `SELECT coalesce(sum(jsonb_array_length(v.content->'columns')), 0)::int AS n
         FROM review.record r JOIN review.record_version v ON v.record_id = r.id AND v.version = r.current_version
        WHERE r.owner_org_unit_id = $1`,
      [county.id],
    );
    expect(n).toBeGreaterThan(0);
    expect(sheets['栏目信息']).toHaveLength(n);
    const ids = new Set(listed.map((item) => item.id));
    for (const column of sheets['栏目信息']) {
      expect(ids.has(column['表单编号'])).toBe(true);
      expect(['信息公开', '互动交流', '办事服务']).toContain(column['类别']);
    }
  });

  it('follows the filters and never crosses into another subtree', async () => {
    const submitted = (await listAll(sibling, 'scope=held&status=DRAFT')).slice(0, 3);
    for (const item of submitted) expect((await sibling.client.post(`/forms/${item.id}/submit`)).status).toBe(200);

    const pending = await readWorkbook((await city.client.download('/forms/export?scope=held&status=PENDING')).bytes);
    expect(pending['网站基本信息'].map((row) => row['表单编号']).sort()).toEqual(submitted.map((s) => s.id).sort());
    expect(pending['网站基本信息'].every((row) => row['状态'] === '未审核')).toBe(true);

    const searched = await listAll(county, `scope=subtree&q=${encodeURIComponent('样例1')}`);
    const found = await readWorkbook(
      (await county.client.download(`/forms/export?scope=subtree&q=${encodeURIComponent('样例1')}`)).bytes,
    );
    expect(found['网站基本信息'].map((row) => row['表单编号'])).toEqual(searched.map((item) => item.id));

    // The sibling sees only its own; another province sees none of Hebei's.
    const own = await readWorkbook((await sibling.client.download('/forms/export')).bytes);
    expect(own['网站基本信息']).toHaveLength(8);
    const other = await readWorkbook((await stranger.client.download('/forms/export')).bytes);
    expect(other['网站基本信息']).toHaveLength(3);
    const hebei = new Set([...(await listAll(city, 'scope=subtree'))].map((item) => item.id));
    expect(other['网站基本信息'].some((row) => hebei.has(row['表单编号']))).toBe(false);

    // A region (the list's region picker): only that county's records, as the list shows them.
    const regionList = await listAll(city, `scope=subtree&status=DRAFT&orgUnitId=${county.id}`);
    expect(regionList.length).toBeGreaterThan(0);
    const region = await readWorkbook(
      (await city.client.download(`/forms/export?scope=subtree&status=DRAFT&orgUnitId=${county.id}`)).bytes,
    );
    expect(region['网站基本信息'].map((row) => row['表单编号'])).toEqual(regionList.map((item) => item.id));
    // A region outside the caller's subtree exports nothing of it.
    const outside = await readWorkbook(
      (await county.client.download(`/forms/export?scope=subtree&orgUnitId=${stranger.id}`)).bytes,
    );
    expect(outside['网站基本信息']).toHaveLength(0);

    // Bad filters: a clear Chinese message, nothing written.
    const bad = await county.client.get('/forms/export?status=DONE');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('shows each site’s 存续状态, a closed site’s reason and date, and the pending request as the list does', async () => {
    const [running, closing, changing] = countyForms;
    const approve = async (id: string) => {
      expect((await county.client.post(`/forms/${id}/submit`)).status).toBe(200);
      expect((await city.client.post(`/forms/${id}/approve`)).status).toBe(200);
      expect((await province.client.post(`/forms/${id}/approve`)).body.status).toBe('APPROVED');
    };
    for (const form of [running, closing, changing]) await approve(form.id);
    // 关停, approved up the chain; 变更, filed and waiting at the city.
    const close = { kind: 'CLOSE', reason: '网站改版', expectedReopenDate: '2099-03-01' };
    expect((await county.client.post(`/forms/${closing.id}/lifecycle-request`, close)).status).toBe(200);
    expect((await city.client.post(`/forms/${closing.id}/approve`)).status).toBe(200);
    expect((await province.client.post(`/forms/${closing.id}/approve`)).body.status).toBe('APPROVED');
    const change = { ...changing, principal: { ...changing.principal, mobile: '13900000001' }, reason: '负责人更换' };
    expect((await county.client.post(`/forms/${changing.id}/change-request`, change)).status).toBe(200);

    const listed = await listAll(county, 'scope=subtree');
    const rows = (await readWorkbook((await county.client.download('/forms/export?scope=subtree')).bytes))[
      '网站基本信息'
    ];
    // Every row in the list's words: 存续状态 is its lifecycleLabel, 申请类型 its requestKindLabel.
    expect(rows.map((row) => [row['表单编号'], row['存续状态'], row['申请类型']])).toEqual(
      listed.map((item) => [item.id, item.lifecycleLabel, item.requestKindLabel ?? '']),
    );
    const byId = new Map(rows.map((row) => [row['表单编号'], row]));
    const columns = (id: string) => {
      const row = byId.get(id)!;
      return [row['状态'], row['申请类型'], row['存续状态'], row['关停原因'], row['预计恢复日期']];
    };
    expect(columns(running.id)).toEqual(['已审核', '', '运行中', '', '']);
    expect(columns(closing.id)).toEqual(['已审核', '', '已关停', '网站改版', '2099-03-01']);
    expect(columns(changing.id)).toEqual(['未审核', '变更', '运行中', '', '']);
    // While the 变更 waits, the row keeps the approved content.
    expect(byId.get(changing.id)!['负责人手机']).toBe(changing.principal.mobile);

    // The list's lifecycle and request filters export exactly their rows.
    const closed = await readWorkbook((await county.client.download('/forms/export?lifecycle=CLOSED')).bytes);
    expect(closed['网站基本信息'].map((row) => row['表单编号'])).toEqual([closing.id]);
    const changes = await readWorkbook((await county.client.download('/forms/export?requestKind=CHANGE')).bytes);
    expect(changes['网站基本信息'].map((row) => row['表单编号'])).toEqual([changing.id]);
  });

  it('turns a download over EXPORT_SYNC_MAX_ROWS into 后台导出: 202 with the job, which completes', async () => {
    const res = await city.client.get('/forms/export?scope=subtree');
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/api/v1/exports/${res.body.id}`);
    expect(res.body).toMatchObject({ kind: 'records', folder: '导出', filters: { scope: 'subtree' } });
    const done = await eventually(async () => {
      const job = await city.client.get(`/exports/${res.body.id}`);
      return job.body.status === 'DONE' ? job.body : undefined;
    }, 60_000);
    expect(done.rows).toBe((await listAll(city, 'scope=subtree')).length);
    expect(done.rows).toBeGreaterThan(30);
  });

  it('runs 后台导出 as a job: the workbook lands in 文件中心 → 导出 with a notice, downloads, and only its unit sees it', async () => {
    const created = await city.client.post('/exports', { kind: 'records', filters: { scope: 'subtree' } });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ kind: 'records', folder: '导出', filters: { scope: 'subtree' } });
    const done = await eventually(async () => {
      const res = await city.client.get(`/exports/${created.body.id}`);
      expect(res.status).toBe(200);
      return res.body.status === 'DONE' ? res.body : undefined;
    }, 60_000);
    expect(done).toMatchObject({ statusLabel: '已完成', rows: 33, fileId: created.body.id });
    expect(done.fileName).toMatch(/^报送记录-\d{8}-\d{4}\.xlsx$/);

    const files = await city.client.get(`/files?folder=${encodeURIComponent('导出')}`);
    expect(files.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: done.fileId, name: done.fileName, folder: '导出' })]),
    );
    const file = await city.client.download(`/files/${done.fileId}/download`);
    expect(file.status).toBe(200);
    const sheets = await readWorkbook(file.bytes);
    expect(sheets['网站基本信息'].map((row) => row['表单编号'])).toEqual(
      (await listAll(city, 'scope=subtree')).map((item) => item.id),
    );

    const notice = await eventually(async () => {
      const res = await city.client.get('/notices?page=1&pageSize=20');
      return (res.body.items as Array<{ title: string; body: string }>).find((n) => n.title.includes('导出完成'));
    }, 30_000);
    expect(notice!.body).toContain('文件中心 → 导出');
    expect(notice!.body).toContain(done.fileName);

    // Another unit: the job is not found and the file is not theirs.
    expect((await county.client.get(`/exports/${created.body.id}`)).body.code).toBe('EXPORT_NOT_FOUND');
    expect((await stranger.client.get(`/exports/${created.body.id}`)).status).toBe(404);
    expect((await county.client.get(`/files/${done.fileId}/download`)).status).toBe(403);

    // Bad requests change nothing.
    const bad = await city.client.post('/exports', { kind: 'stats', filters: { scope: 'subtree' } });
    expect(bad.status).toBe(400);
    expect((await city.client.post('/exports', { kind: 'records' })).status).toBe(400);
  });

  it('survives the death of the files process running it: the job is taken over once its lease runs out', async () => {
    // What a files replica killed mid-export leaves behind: a RUNNING job, leased to a process
    // that no longer renews it. (The test runs with files stopped, so nobody else takes it.)
    await sys.stop('files');
    const [{ id }] = await sys.sql<{ id: string }>(
      `INSERT INTO files.export_job (id, org_unit_id, requester, kind, filters, status, attempts, lease_owner, lease_until, started_at)
       VALUES (gen_random_uuid(), $1, $2, 'records', '{"scope":"subtree","status":"DRAFT"}', 'RUNNING', 1,
               'dead-host:4242:1', now() + interval '2 seconds', now())
       RETURNING id::text`,
      [county.id, JSON.stringify(county.actor)],
    );
    await sys.startService('files');
    const done = await eventually(async () => {
      const res = await county.client.get(`/exports/${id}`);
      return res.body.status === 'DONE' ? res.body : undefined;
    }, 60_000);
    const [job] = await sys.sql<{ attempts: number; lease_owner: string | null }>(
      'SELECT attempts, lease_owner FROM files.export_job WHERE id = $1',
      [id],
    );
    expect(job).toEqual({ attempts: 2, lease_owner: null });
    const file = await readWorkbook((await county.client.download(`/files/${done.fileId}/download`)).bytes);
    expect(file['网站基本信息'].map((row) => row['表单编号'])).toEqual(
      (await listAll(county, 'scope=subtree&status=DRAFT')).map((item) => item.id),
    );
  });

  it('audits who exported what and how many rows', async () => {
    const entries = await eventually(async () => {
      const rows = await sys.sql<{
        action: string;
        outcome: string;
        actor_username: string;
        details: Record<string, any>;
      }>(
        `SELECT action, outcome, actor_username, details FROM identity.audit_log WHERE action LIKE 'export.%' ORDER BY seq`,
      );
      return rows.some((row) => row.action === 'export.complete') ? rows : undefined;
    }, 30_000);
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'export.records', outcome: 'success', actor_username: '130302' }),
        expect.objectContaining({ action: 'export.records', outcome: 'denied', actor_username: '130300' }),
        expect.objectContaining({ action: 'export.request', actor_username: '130300' }),
        expect.objectContaining({ action: 'export.complete', actor_username: '130300' }),
      ]),
    );
    const job = entries.find((row) => row.action === 'export.records' && row.details.mode === 'job');
    expect(job?.details).toMatchObject({ rows: 33, filters: { scope: 'subtree' } });
  });

  it('is for unit accounts: the auditor and support get 403', async () => {
    const auditor = await sys.anonymous.login('auditor', 'Auditor-Pass-2026');
    expect((await auditor.get('/forms/export')).status).toBe(403);
    expect((await auditor.post('/exports', { kind: 'records', filters: { scope: 'subtree' } })).status).toBe(403);
  });

  it('exports the audit log in the background for the auditor only: the list’s entries, in Chinese, downloadable by that auditor', async () => {
    const auditor = await sys.anonymous.login('auditor', 'Auditor-Pass-2026');
    // Every audit entry of the exports so far has reached identity (they travel by outbox)…
    await eventually(async () => {
      const [{ waiting }] = await sys.sql<{ waiting: number }>(
        `SELECT (SELECT count(*) FROM review.outbox WHERE subject = 'identity.audit.append' AND delivered_at IS NULL)
              + (SELECT count(*) FROM files.outbox WHERE subject = 'identity.audit.append' AND delivered_at IS NULL) AS waiting`,
      );
      return Number(waiting) === 0;
    }, 30_000);
    // …and no entry this export makes (its request, its completion) is among those it exports.
    const filters = { action: 'export.records,record.submit' };
    const created = await auditor.post('/exports', { kind: 'audit', filters });
    expect(created.status).toBe(202);
    const done = await eventually(async () => {
      const res = await auditor.get(`/exports/${created.body.id}`);
      return res.body.status === 'DONE' ? res.body : undefined;
    }, 60_000);
    expect(done.fileName).toMatch(/^审计日志-\d{8}-\d{4}\.xlsx$/);
    const list = await auditor.get(`/admin/audit?action=${filters.action}&pageSize=200`);
    expect(done.rows).toBe(list.body.total);
    const file = await auditor.download(`/exports/${created.body.id}/download`);
    expect(file.status).toBe(200);
    const sheet = (await readWorkbook(file.bytes))['审计日志'];
    expect(sheet.map((row) => row['记录编号'])).toEqual(list.body.items.map((item: { id: string }) => item.id));
    expect(sheet.map((row) => row['详情'])).toEqual(list.body.items.map((item: { summary: string }) => item.summary));
    expect(sheet.length).toBeGreaterThan(3);
    expect(new Set(sheet.map((row) => row['操作']))).toEqual(new Set(['导出报送记录', '提交审核']));

    // Units cannot ask for it, nor see or download the auditor's.
    const refused = await city.client.post('/exports', { kind: 'audit', filters: {} });
    expect(refused.status).toBe(403);
    expect((await city.client.get(`/exports/${created.body.id}`)).status).toBe(404);
    expect((await city.client.get(`/exports/${created.body.id}/download`)).status).toBe(404);
    // Bad audit filters: the list's own messages, nothing stored.
    const bad = await auditor.post('/exports', { kind: 'audit', filters: { action: 'DROP TABLE', extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});
