import { AccountSubjects, AuditEntry } from '@app/contracts';
import { createSampleForm } from '@app/forms';
import { ApiClient, eventually, TransportKind, withClient } from '@app/testing';
import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { AuditRetention } from '../../apps/identity/src/audit/audit-retention';
import { ReviewSystem, Unit } from './support/review-system';

const AUDITOR_PASSWORD = 'Auditor-Pass-2026';
const VERIFY_ENTRY = resolve(__dirname, '../../dist/apps/identity/src/audit/verify-main.js');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * The audit log as a hash chain over real services (NATS or the in-process bus): entries from
 * every service chained in identity, verified by the AUDITOR endpoint and by `npm run
 * audit:verify`'s entry, refused UPDATE/DELETE, tampering found, the retention purge, Chinese
 * names and the Excel export.
 */
describe.each<TransportKind>(['nats', 'in-process'])('audit log (chain, retention, Excel) on %s', (transport) => {
  let sys: ReviewSystem;
  let county: Unit;
  let city: Unit;
  let auditor: ApiClient;
  const form = createSampleForm(0);

  beforeAll(async () => {
    sys = await ReviewSystem.start({ transport });
    [county, city] = await Promise.all(['130302', '130300'].map((code) => sys.unit(code)));
    auditor = await sys.anonymous.login('auditor', AUDITOR_PASSWORD);
    // Real actions of several services: a failed login, a contact change, an import, a submit and a return.
    expect((await sys.anonymous.post('/auth/login', { username: '130300', password: 'wrong-password' })).status).toBe(
      401,
    );
    const contact = {
      name: '李四',
      officePhone: '0335-3012345',
      mobile: '13800138000',
      email: 'li@qhd.gov.cn',
      department: '办公室',
    };
    expect((await city.client.put(`/org-units/${city.id}/contact`, contact)).status).toBe(200);
    await sys.importForms(county, [form]);
    expect((await county.client.post(`/forms/${form.id}/submit`)).status).toBe(200);
    expect((await city.client.post(`/forms/${form.id}/return`, { reason: '主办单位名称有误' })).status).toBe(200);
    // Every entry delivered (outboxes relayed) before the checks start.
    await eventually(async () => {
      const res = await auditor.get('/admin/audit?action=record.return');
      return res.body.total === 1 ? true : undefined;
    });
  });

  afterAll(async () => {
    await sys?.close();
  });

  const verifyScript = async (): Promise<{ code: number; out: string }> => {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [VERIFY_ENTRY], {
        env: { ...process.env, DATABASE_URL: sys.infra.database.url },
      });
      return { code: 0, out: stdout };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: `${e.stdout}${e.stderr}` };
    }
  };
  /** As the database superuser, with every trigger off for this one transaction. */
  const behindTriggers = (statements: Array<[string, unknown[]]>) =>
    withClient(sys.infra.database.url, async (client) => {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      for (const [sql, params] of statements) await client.query(sql, params);
      await client.query('COMMIT');
    });
  /** File downloads as files would send them through its outbox. */
  const downloads = (count: number, n = 0): AuditEntry[] =>
    Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      at: new Date().toISOString(),
      service: 'files',
      action: 'file.download',
      outcome: 'success' as const,
      actorAccountId: null,
      actorUsername: '130300',
      actorOrgUnitId: city.id,
      targetType: 'file',
      targetId: randomUUID(),
      details: { name: `并发${n}-${i}.xlsx` },
      correlationId: null,
    }));
  const count = async () => Number((await sys.sql('SELECT count(*) AS n FROM identity.audit_log'))[0].n);

  it('chains every entry, appended concurrently from many callers, and verifies (endpoint and npm run audit:verify)', async () => {
    // 20 deliveries of 5 entries each at once, one of them delivered twice: one gap-free chain.
    const batch = (n: number): AuditEntry[] => downloads(5, n);
    const batches = Array.from({ length: 20 }, (_, n) => batch(n));
    const stored = await Promise.all(
      [...batches, batches[0]].map((entries) => sys.bus.request(AccountSubjects.appendAudit, { entries })),
    );
    expect(stored.reduce((sum, s) => sum + s.stored, 0)).toBe(100);

    const rows = await sys.sql<{ seq: string; prev_hash: string; hash: string }>(
      'SELECT seq, prev_hash, hash FROM identity.audit_log ORDER BY seq',
    );
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);

    const verified = await auditor.get('/admin/audit/verify');
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true, firstBroken: null, anchorSeq: 0 });
    expect(verified.body.checked).toBeGreaterThanOrEqual(rows.length);
    expect(verified.body.message).toContain('校验通过');
    const script = await verifyScript();
    expect(script.code).toBe(0);
    expect(script.out).toMatch(/^OK 审计日志校验通过：已核对 \d+ 条记录/);

    for (const path of ['/admin/audit/verify', '/admin/audit/export', '/admin/audit/actions'])
      expect((await city.client.get(path)).status).toBe(403);
  });

  it('takes an account row before the chain head, so a logout never deadlocks with an account change', async () => {
    // Found on npm start: a logout during the first start's seeding (which changes accounts,
    // then appends to the chain) deadlocked and answered 500.
    const unit = await sys.unit('130303');
    const [{ id }] = await sys.sql<{ id: string }>('SELECT id FROM identity.account WHERE username = $1', ['130303']);
    await withClient(sys.infra.database.url, async (client) => {
      await client.query('BEGIN');
      await client.query('UPDATE identity.account SET updated_at = now() WHERE id = $1', [id]);
      const logout = unit.client.post('/auth/logout');
      // The logout now waits for this transaction's account row…
      await eventually(async () => {
        const waiting = await sys.sql(
          "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        return waiting.length > 0 ? true : undefined;
      });
      // …and this one goes on to the chain head, as the seeding does: no deadlock either way.
      await client.query('SELECT last_seq FROM identity.audit_chain WHERE id = 1 FOR UPDATE');
      await client.query('COMMIT');
      expect((await logout).status).toBe(204);
    });
    expect((await unit.client.get('/me')).status).toBe(401);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the log, and moving the chain head back', async () => {
    const [first] = await sys.sql('SELECT id FROM identity.audit_log ORDER BY seq LIMIT 1');
    for (const statement of [
      `UPDATE identity.audit_log SET action = 'auth.login' WHERE id = '${first.id}'`,
      `DELETE FROM identity.audit_log WHERE id = '${first.id}'`,
      'TRUNCATE identity.audit_log CASCADE',
      // Even a transaction that claims to be the purge may delete only up to the anchor.
      `BEGIN; SELECT set_config('gsr.audit_purge', 'on', true); DELETE FROM identity.audit_log WHERE id = '${first.id}'; COMMIT`,
      'UPDATE identity.audit_chain SET last_seq = last_seq - 1',
      'DELETE FROM identity.audit_chain',
    ])
      await expect(sys.sql(statement)).rejects.toThrow(/审计日志/);
    expect((await sys.sql('SELECT id FROM identity.audit_log WHERE id = $1', [first.id])).length).toBe(1);
  });

  it('shows actions, actors, targets and details in Chinese, filtered by a list of actions', async () => {
    const actions = await auditor.get('/admin/audit/actions');
    expect(actions.body).toEqual(expect.arrayContaining([{ code: 'record.return', name: '退回' }]));

    const page = await auditor.get(
      '/admin/audit?action=record.return,record.submit,org-unit.contact.update&pageSize=50',
    );
    expect(page.status).toBe(200);
    expect(new Set(page.body.items.map((e: { action: string }) => e.action))).toEqual(
      new Set(['record.return', 'record.submit', 'org-unit.contact.update']),
    );
    const byAction = (action: string) => page.body.items.find((e: { action: string }) => e.action === action);
    expect(byAction('record.return')).toMatchObject({
      actionName: '退回',
      outcomeName: '成功',
      actorName: '秦皇岛市（130300）',
      targetName: `网站「${form.site.siteName}」`,
    });
    expect(byAction('record.return').summary).toBe(
      `网站「${form.site.siteName}」由「未审核」变为「已退回」，现由海港区处理；退回原因：主办单位名称有误`,
    );
    expect(byAction('record.submit')).toMatchObject({ actionName: '提交审核', actorName: '海港区（130302）' });
    expect(byAction('org-unit.contact.update')).toMatchObject({
      actionName: '修改联系人',
      targetName: '秦皇岛市（130300）',
      summary: '修改秦皇岛市（130300）的联系人信息',
    });

    const logins = await auditor.get('/admin/audit?action=auth.login&actor=130300&pageSize=200');
    expect(logins.body.items.map((e: { actionName: string }) => e.actionName)).toEqual(
      expect.arrayContaining(['登录成功', '登录失败']),
    );
    const all = await auditor.get('/admin/audit?pageSize=200');
    for (const e of all.body.items) {
      expect(`${e.actionName}${e.targetName}${e.summary}`).not.toMatch(UUID);
      expect(e.summary).not.toMatch(/[{}]/);
      expect(e.actionName).toMatch(/^[\u4e00-\u9fff]+$/);
    }
    expect((await auditor.get('/admin/audit?action=record.return;drop')).status).toBe(400);
  });

  it('exports the filtered log to Excel with Chinese headers, and records the export', async () => {
    const filter = 'action=record.return,record.submit';
    const listed = (await auditor.get(`/admin/audit?${filter}&pageSize=200`)).body;
    const file = await auditor.download(`/admin/audit/export?${filter}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('spreadsheetml');
    expect(file.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('审计日志.xlsx')}`,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('审计日志')!;
    const rows = sheet.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows[0].slice(1, 8)).toEqual(['序号', '时间（北京时间）', '操作人', '操作', '结果', '对象', '详情']);
    const data = rows.slice(1).map((r) => r.slice(1));
    expect(data).toHaveLength(listed.total);
    expect(data.map((r) => r[0])).toEqual(listed.items.map((e: { seq: number }) => e.seq));
    const returned = data.find((r) => r[3] === '退回')!;
    expect(returned).toEqual(
      expect.arrayContaining(['秦皇岛市（130300）', '成功', `网站「${form.site.siteName}」`, 'record.return']),
    );
    expect(returned[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    // More than one page of the bus (500): every entry once, in the list's order.
    await sys.bus.request(AccountSubjects.appendAudit, { entries: downloads(600) });
    const many = (await auditor.get('/admin/audit?action=file.download&pageSize=1')).body.total;
    expect(many).toBeGreaterThanOrEqual(600);
    const big = await auditor.download('/admin/audit/export?action=file.download');
    const bigBook = new ExcelJS.Workbook();
    await bigBook.xlsx.load(big.bytes as unknown as ArrayBuffer);
    const seqs = (bigBook.getWorksheet('审计日志')!.getSheetValues().filter(Boolean) as unknown[][])
      .slice(1)
      .map((r) => r[1] as number);
    expect(seqs).toHaveLength(many);
    expect(new Set(seqs).size).toBe(many);

    const exported = await auditor.get('/admin/audit?action=audit.export');
    expect(exported.body.items.map((e: { summary: string }) => e.summary)).toEqual([
      `导出审计日志 ${many} 条到 Excel`,
      `导出审计日志 ${listed.total} 条到 Excel`,
    ]);
    expect(exported.body.items[0]).toMatchObject({ actionName: '导出审计日志', actorName: '审计员（auditor）' });
  });

  it('names a row changed behind the trigger as the first broken link (endpoint and npm run audit:verify)', async () => {
    const [victim] = await sys.sql(`SELECT * FROM identity.audit_log WHERE action = 'record.return'`);
    await behindTriggers([
      [`UPDATE identity.audit_log SET details = details || '{"reason": "无"}' WHERE id = $1`, [victim.id]],
    ]);
    const verified = await auditor.get('/admin/audit/verify');
    expect(verified.body).toMatchObject({
      ok: false,
      checked: Number(victim.seq) - 1,
      firstBroken: { entryId: victim.id, seq: Number(victim.seq), at: victim.at.toISOString() },
    });
    expect(verified.body.firstBroken.problem).toContain('内容被改动');
    const script = await verifyScript();
    expect(script.code).toBe(1);
    expect(script.out).toContain(`entry=${victim.id}`);
    expect(script.out).toContain('内容被改动');

    // Put back as it was, the chain holds again; deleting the entry instead is found too.
    await behindTriggers([[`UPDATE identity.audit_log SET details = $2 WHERE id = $1`, [victim.id, victim.details]]]);
    expect((await auditor.get('/admin/audit/verify')).body.ok).toBe(true);
    await behindTriggers([[`DELETE FROM identity.audit_log WHERE id = $1`, [victim.id]]]);
    const gap = (await auditor.get('/admin/audit/verify')).body;
    expect(gap.ok).toBe(false);
    expect(gap.firstBroken.seq).toBe(Number(victim.seq) + 1);
    expect(gap.firstBroken.problem).toContain(`缺少序号 ${victim.seq}`);
    expect((await verifyScript()).out).toContain(`seq=${Number(victim.seq) + 1}`);
    await behindTriggers([
      [
        `INSERT INTO identity.audit_log SELECT * FROM jsonb_populate_record(NULL::identity.audit_log, $1::jsonb)`,
        [JSON.stringify(victim)],
      ],
    ]);
    expect((await auditor.get('/admin/audit/verify')).body.ok).toBe(true);
  });

  it('purges entries past the retention period and what remains still verifies', async () => {
    const before = await count();
    const [middle] = await sys.sql(
      `SELECT seq, at FROM identity.audit_log ORDER BY seq OFFSET (SELECT count(*) / 2 FROM identity.audit_log) LIMIT 1`,
    );
    const [boundary] = await sys.sql(`SELECT min(seq) AS seq FROM identity.audit_log WHERE at >= $1`, [middle.at]);
    const retention = sys.system.services.get('identity')!.get(AuditRetention);
    // The purge as it runs 180 days after `middle`: everything before the first younger entry goes.
    const purged = await retention.purge(new Date(middle.at.getTime() + 180 * 24 * 3600 * 1000));
    expect(purged).toBeGreaterThan(0);
    const [head] = await sys.sql('SELECT anchor_seq, last_seq FROM identity.audit_chain');
    expect(Number(head.anchor_seq)).toBe(Number(boundary.seq) - 1);
    const [{ min }] = await sys.sql('SELECT min(seq) AS min FROM identity.audit_log');
    expect(Number(min)).toBe(Number(boundary.seq));
    expect(await count()).toBe(before - purged + 1);

    const verified = (await auditor.get('/admin/audit/verify')).body;
    expect(verified).toMatchObject({ ok: true, anchorSeq: Number(boundary.seq) - 1, headSeq: Number(head.last_seq) });
    expect(verified.checked).toBe(Number(head.last_seq) - Number(head.anchor_seq));
    expect((await verifyScript()).code).toBe(0);
    const entry = (await auditor.get('/admin/audit?action=audit.purge')).body.items[0];
    expect(entry).toMatchObject({ actionName: '清理过期审计日志', actorName: '系统' });
    expect(entry.summary).toContain(`清理 ${purged} 条审计记录`);

    // Removing the oldest remaining entry and moving the anchor past it by hand is found too.
    const [oldest] = await sys.sql('SELECT id, seq, hash FROM identity.audit_log ORDER BY seq LIMIT 1');
    await behindTriggers([
      ['DELETE FROM identity.audit_log WHERE id = $1', [oldest.id]],
      ['UPDATE identity.audit_chain SET anchor_seq = $1, anchor_hash = $2', [oldest.seq, oldest.hash]],
    ]);
    const moved = (await auditor.get('/admin/audit/verify')).body;
    expect(moved).toMatchObject({ ok: false, firstBroken: { entryId: null, seq: Number(oldest.seq) } });
    expect(moved.firstBroken.problem).toContain('起点被改动');
    expect((await verifyScript()).code).toBe(1);
  });
});
