import { HierarchySubjects, ImportSubjects, ImportSummary } from '@app/contracts';
import { createSampleForm, SiteForm } from '@app/forms';
import { eventually, TransportKind } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { stageForms } from '../imports/support';
import { ReviewSystem, Unit } from './support/review-system';

/**
 * Life after approval over the real system (NATS or the in-process bus, PostgreSQL, S3): an
 * approved record keeps its 标识码 while its owner asks for 变更 (by edit or by re-import), 关停,
 * 恢复 and 注销; each request climbs the same chain (未审核 at each level, 退回 returns the
 * request, 全部审核 includes it) and takes effect at the final approval; until then the approved
 * content stays current.
 */
describe.each<TransportKind>(['nats', 'in-process'])('life after approval on %s', (transport) => {
  let sys: ReviewSystem;
  let province: Unit; // 河北省, the final reviewer
  let city: Unit; // 秦皇岛市
  let county: Unit; // 海港区, the owner
  let sibling: Unit; // 山海关区, another county of the city
  let stranger: Unit; // 山西省
  const forms: SiteForm[] = [0, 1, 2].map((n) => createSampleForm(n));
  const [a, b, c] = forms;

  beforeAll(async () => {
    sys = await ReviewSystem.start({ transport });
    [province, city, county, sibling, stranger] = await Promise.all(
      ['130000', '130300', '130302', '130303', '140000'].map((code) => sys.unit(code)),
    );
    await sys.importForms(county, forms);
    for (const form of forms) {
      expect((await county.client.post(`/forms/${form.id}/submit`)).status).toBe(200);
      expect((await city.client.post(`/forms/${form.id}/approve`)).status).toBe(200);
      expect((await province.client.post(`/forms/${form.id}/approve`)).body.status).toBe('APPROVED');
    }
  });

  afterAll(async () => {
    await sys?.close();
  });

  const detail = async (unit: Unit, id: string) => (await unit.client.get(`/forms/${id}`)).body;
  const history = async (id: string) =>
    ((await county.client.get(`/forms/${id}/history`)).body as Array<{ action: string; reason: string | null }>).map(
      (row) => row.action,
    );
  const edited = (form: SiteForm, mobile: string): SiteForm => ({
    ...form,
    principal: { ...form.principal, mobile },
  });

  /** Imports as the unit does and answers the summary, whether applied or refused. */
  async function reimport(unit: Unit, list: SiteForm[]): Promise<ImportSummary> {
    const chain = await sys.bus.request(HierarchySubjects.lookup, { ancestorsOf: unit.id });
    const jobId = randomUUID();
    const staged = await stageForms(sys.runtime.config.DATABASE_URL!, jobId, list);
    return sys.bus.request(
      ImportSubjects.commit,
      {
        jobId,
        importer: {
          actor: unit.actor,
          orgUnitId: unit.id,
          code: unit.code,
          chain: chain.map((u) => u.id),
          regionName: chain
            .slice(1)
            .map((u) => u.name)
            .join(' '),
        },
        dryRun: false,
        staged,
        packageKey: null,
      },
      { timeoutMs: 60_000 },
    );
  }

  it('变更 by edit: climbs the chain beside the approved content with a field-by-field diff; 退回 returns the request', async () => {
    const before = await detail(county, a.id);
    const siteCode = before.siteCode as string;
    expect(siteCode).toMatch(/^130302\d{4}$/);
    expect(before).toMatchObject({ lifecycle: 'ACTIVE', lifecycleLabel: '运行中', pendingRequest: null, version: 1 });

    // Only the owner asks; units outside the subtree do not even see the record.
    const change = { ...edited(a, '13900000001'), reason: '负责人更换' };
    expect((await city.client.post(`/forms/${a.id}/change-request`, change)).body.code).toBe('NOT_RECORD_OWNER');
    for (const outsider of [sibling, stranger])
      expect((await outsider.client.post(`/forms/${a.id}/change-request`, change)).body.code).toBe('RECORD_NOT_FOUND');
    // Content that breaks the form rules changes nothing.
    const invalid = await county.client.post(`/forms/${a.id}/change-request`, edited(a, '12345'));
    expect(invalid.status).toBe(422);
    expect(invalid.body.code).toBe('RECORD_FORM_INVALID');
    expect((await county.client.post(`/forms/${a.id}/change-request`, a)).body.code).toBe('RECORD_REQUEST_INVALID');

    const filed = await county.client.post(`/forms/${a.id}/change-request`, change);
    expect(filed.status).toBe(200);
    expect(filed.body).toMatchObject({
      status: 'PENDING',
      statusLabel: '未审核',
      holderOrgUnitId: city.id,
      siteCode,
      principal: { mobile: a.principal.mobile },
      // Who asked, by the unit's name as a clerk reads it, beside the account.
      pendingRequest: {
        kind: 'CHANGE',
        kindLabel: '变更',
        reason: '负责人更换',
        requestedBy: '130302',
        requestedByName: '海港区',
      },
    });
    // Every unit on the path sees the approved content as current and the change beside it.
    for (const unit of [county, city, province]) {
      const seen = await detail(unit, a.id);
      expect(seen.pendingRequest.requestedByName).toBe('海港区');
      expect(seen.principal.mobile).toBe(a.principal.mobile);
      expect(seen.version).toBe(1);
      expect(seen.pendingRequest.changes).toEqual([
        { path: 'principal.mobile', label: '负责人手机', before: a.principal.mobile, after: '13900000001' },
      ]);
    }
    const listed = await city.client.get('/forms?scope=held&requestKind=CHANGE');
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        id: a.id,
        requestKind: 'CHANGE',
        requestKindLabel: '变更',
        lifecycleLabel: '运行中',
      }),
    ]);
    expect(listed.body.total).toBe(1);
    // A second request, or an edit in place, is refused while this one travels.
    const again = await county.client.post(`/forms/${a.id}/change-request`, edited(a, '13900000009'));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('RECORD_REQUEST_PENDING');

    // The city returns the request: it comes back to the owner; the record keeps its content and code.
    const returned = await city.client.post(`/forms/${a.id}/return`, { reason: '请附上任命文件' });
    expect(returned.body).toMatchObject({ status: 'RETURNED', holderOrgUnitId: county.id, siteCode });
    const back = await detail(county, a.id);
    expect(back.principal.mobile).toBe(a.principal.mobile);
    expect(back.pendingRequest.kind).toBe('CHANGE');
    const put = await county.client.put(`/forms/${a.id}`, edited(a, '13900000002'));
    expect(put.status).toBe(409);
    expect(put.body.code).toBe('RECORD_REQUEST_PENDING');
    expect((await county.client.delete(`/forms/${a.id}`)).body.code).toBe('RECORD_REQUEST_PENDING');

    // Filed again with new content, approved by the city, then by 全部审核 at the province.
    const refiled = await county.client.post(`/forms/${a.id}/change-request`, edited(a, '13900000002'));
    expect(refiled.body).toMatchObject({ status: 'PENDING', holderOrgUnitId: city.id });
    expect(refiled.body.pendingRequest.changes[0].after).toBe('13900000002');
    expect((await city.client.post(`/forms/${a.id}/approve`)).body).toMatchObject({
      status: 'PENDING',
      holderOrgUnitId: province.id,
    });
    expect((await detail(province, a.id)).principal.mobile).toBe(a.principal.mobile);
    const all = await province.client.post('/forms/review-all');
    expect(all.body).toMatchObject({ approved: 1, forwarded: 0 });

    const after = await detail(county, a.id);
    expect(after).toMatchObject({
      status: 'APPROVED',
      siteCode,
      version: 2,
      pendingRequest: null,
      principal: { mobile: '13900000002' },
    });
    // History keeps both versions and says what happened.
    const versions = await sys.sql(
      `SELECT version, content #>> '{principal,mobile}' AS mobile FROM review.record_version WHERE record_id = $1 ORDER BY version`,
      [a.id],
    );
    expect(versions).toEqual([
      { version: 1, mobile: a.principal.mobile },
      { version: 2, mobile: '13900000002' },
    ]);
    expect(await history(a.id)).toEqual(
      expect.arrayContaining(['request-change', 'return', 'approve', 'request-applied']),
    );
    const notices = await eventually(async () => {
      const rows = await sys.sql(
        `SELECT title FROM notification.notice WHERE org_unit_id = $1 AND title LIKE '变更申请%'`,
        [county.id],
      );
      return rows.length >= 2 ? rows : undefined;
    });
    expect(notices.map((row) => row.title).sort()).toEqual([
      `变更申请已审核通过：${a.site.siteName}`,
      `变更申请被退回：${a.site.siteName}`,
    ]);
  });

  it('变更 by re-import: an approved record becomes a change request, not an overwrite or a refusal', async () => {
    const first = await reimport(county, [edited(b, '13900000011')]);
    expect(first).toMatchObject({ applied: true, updated: 1, rejected: 0 });
    const pending = await detail(city, b.id);
    expect(pending).toMatchObject({
      status: 'PENDING',
      holderOrgUnitId: city.id,
      principal: { mobile: b.principal.mobile },
      pendingRequest: { kind: 'CHANGE' },
    });
    // Re-importing again while it waits updates the request, where it waits.
    expect(await reimport(county, [edited(b, '13900000012')])).toMatchObject({ applied: true, updated: 1 });
    const updated = await detail(city, b.id);
    expect(updated).toMatchObject({ status: 'PENDING', holderOrgUnitId: city.id });
    expect(updated.pendingRequest.changes).toEqual([
      expect.objectContaining({ path: 'principal.mobile', after: '13900000012' }),
    ]);
    await city.client.post(`/forms/${b.id}/approve`);
    expect((await province.client.post(`/forms/${b.id}/approve`)).body.status).toBe('APPROVED');
    expect((await detail(county, b.id)).principal.mobile).toBe('13900000012');
    expect(await history(b.id)).toEqual(expect.arrayContaining(['request-change', 'reimport', 'request-applied']));
  });

  it('关停 with a reason and a reopening date, withdrawn while untouched; 恢复 brings the site back', async () => {
    const siteCode = (await detail(county, c.id)).siteCode;
    const close = (body: object) => county.client.post(`/forms/${c.id}/lifecycle-request`, body);
    const noDate = await close({ kind: 'CLOSE', reason: '网站改版' });
    expect(noDate.status).toBe(422);
    expect(noDate.body.code).toBe('RECORD_REQUEST_INVALID');
    expect((await close({ kind: 'CLOSE', reason: '网站改版', expectedReopenDate: '2020-01-01' })).status).toBe(422);
    expect((await close({ kind: 'REOPEN', reason: '改版完成' })).body.code).toBe('RECORD_REQUEST_INVALID');
    expect((await close({ kind: 'PAUSE', reason: '网站改版' })).status).toBe(400);
    const noReason = await close({ kind: 'CLOSE', reason: '', expectedReopenDate: '2099-03-01' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(noReason.body.details)).toContain('申请理由');
    expect(
      (await city.client.post(`/forms/${c.id}/lifecycle-request`, { kind: 'DEREGISTER', reason: '整合' })).body.code,
    ).toBe('NOT_RECORD_OWNER');

    const request = { kind: 'CLOSE', reason: '网站改版', expectedReopenDate: '2099-03-01' };
    expect((await close(request)).body).toMatchObject({
      status: 'PENDING',
      holderOrgUnitId: city.id,
      lifecycle: 'ACTIVE',
      pendingRequest: { kind: 'CLOSE', kindLabel: '关停', reason: '网站改版', expectedReopenDate: '2099-03-01' },
    });
    expect((await city.client.post(`/forms/${c.id}/withdraw-request`)).body.code).toBe('NOT_RECORD_OWNER');
    const withdrawn = await county.client.post(`/forms/${c.id}/withdraw-request`);
    expect(withdrawn.body).toMatchObject({ status: 'APPROVED', pendingRequest: null, lifecycle: 'ACTIVE', siteCode });

    await close(request);
    await city.client.post(`/forms/${c.id}/approve`);
    // The city has acted: the owner can no longer withdraw.
    const late = await county.client.post(`/forms/${c.id}/withdraw-request`);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('RECORD_STATE_CONFLICT');
    expect((await province.client.post(`/forms/${c.id}/approve`)).body.status).toBe('APPROVED');
    expect(await detail(county, c.id)).toMatchObject({
      lifecycle: 'CLOSED',
      lifecycleLabel: '已关停',
      closedReason: '网站改版',
      expectedReopenDate: '2099-03-01',
      pendingRequest: null,
      siteCode,
    });
    const closed = await province.client.get('/forms?lifecycle=CLOSED');
    expect(closed.body.items.map((item: { id: string }) => item.id)).toEqual([c.id]);
    expect(closed.body.items[0].lifecycleLabel).toBe('已关停');
    const none = await province.client.get('/forms?requestKind=NONE&lifecycle=ACTIVE');
    expect(none.body.items.map((item: { id: string }) => item.id).sort()).toEqual([a.id, b.id].sort());

    await county.client.post(`/forms/${c.id}/lifecycle-request`, { kind: 'REOPEN', reason: '改版完成' });
    expect((await province.client.get('/forms?requestKind=REOPEN')).body.total).toBe(1);
    await city.client.post(`/forms/${c.id}/approve`);
    await province.client.post(`/forms/${c.id}/approve`);
    expect(await detail(county, c.id)).toMatchObject({
      lifecycle: 'ACTIVE',
      closedReason: null,
      expectedReopenDate: null,
    });
    expect(await history(c.id)).toEqual(
      expect.arrayContaining(['request-close', 'withdraw', 'request-reopen', 'request-applied']),
    );
  });

  it('注销 is for good: read-only with RECORD_DEREGISTERED, the 标识码 kept and never reused', async () => {
    const siteCode = (await detail(county, c.id)).siteCode as string;
    await county.client.post(`/forms/${c.id}/lifecycle-request`, { kind: 'DEREGISTER', reason: '网站已整合到门户' });
    await city.client.post(`/forms/${c.id}/approve`);
    await province.client.post(`/forms/${c.id}/approve`);
    expect(await detail(county, c.id)).toMatchObject({
      lifecycle: 'DEREGISTERED',
      lifecycleLabel: '已注销',
      siteCode,
    });

    const refusals = [
      await county.client.put(`/forms/${c.id}`, edited(c, '13900000021')),
      await county.client.delete(`/forms/${c.id}`),
      await county.client.post(`/forms/${c.id}/change-request`, edited(c, '13900000021')),
      await county.client.post(`/forms/${c.id}/lifecycle-request`, { kind: 'REOPEN', reason: '恢复运行' }),
      await province.client.post(`/forms/${c.id}/return`, { reason: '请核实' }),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('RECORD_DEREGISTERED');
      expect(refused.body.message).toContain('已注销');
    }
    const reimported = await reimport(county, [edited(c, '13900000021')]);
    expect(reimported).toMatchObject({ applied: false, rejected: 1 });
    expect(await detail(county, c.id)).toMatchObject({ lifecycle: 'DEREGISTERED', siteCode, version: 1 });
    expect((await province.client.get('/forms?lifecycle=DEREGISTERED')).body.items[0]).toMatchObject({
      id: c.id,
      lifecycleLabel: '已注销',
    });

    // The owner's next site takes the next number: a 注销 site's 标识码 is not given again.
    const next = createSampleForm(3);
    await sys.importForms(county, [next]);
    await county.client.post(`/forms/${next.id}/submit`);
    await city.client.post(`/forms/${next.id}/approve`);
    const approved = await province.client.post(`/forms/${next.id}/approve`);
    const codes = await sys.sql(`SELECT site_code FROM review.record WHERE owner_org_unit_id = $1`, [county.id]);
    expect(new Set(codes.map((row) => row.site_code)).size).toBe(codes.length);
    expect(approved.body.siteCode).not.toBe(siteCode);
    expect(approved.body.siteCode > siteCode).toBe(true);
  });

  it('audits every request and its travel, in Chinese', async () => {
    const rows = await eventually(async () => {
      const found = await sys.sql(
        `SELECT action FROM identity.audit_log WHERE action LIKE 'record.request-%' OR (action = 'record.approve' AND details ? 'requestKind')`,
      );
      return found.length >= 10 ? found : undefined;
    });
    const actions = new Set(rows.map((row) => row.action));
    for (const action of [
      'record.request-change',
      'record.request-close',
      'record.request-reopen',
      'record.request-deregister',
      'record.request-withdraw',
      'record.approve',
    ])
      expect(actions).toContain(action);
    const page = await sys.sql(`SELECT details FROM identity.audit_log WHERE action = 'record.request-close' LIMIT 1`);
    expect(page[0].details).toMatchObject({ reason: '网站改版', expectedReopenDate: '2099-03-01' });
  });
});
