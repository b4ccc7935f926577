import { createSampleForm, SiteForm } from '@app/forms';
import { FieldCipher } from '@app/platform';
import { ReviewSystem, Unit } from './support/review-system';

/**
 * The review workflow over real NATS, PostgreSQL and S3: a county's record climbs county →
 * city → province and is approved there with its 标识码; it is returned one level at a
 * time; only the holder acts; codes are allocated without gaps under concurrency; bulk
 * actions are set-based.
 */
describe('review workflow', () => {
  let sys: ReviewSystem;
  let province: Unit; // 河北省
  let city: Unit; // 秦皇岛市
  let county: Unit; // 海港区
  let sibling: Unit; // 山海关区, another county of the city
  let stranger: Unit; // 山西省
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    sys = await ReviewSystem.start();
    [province, city, county, sibling, stranger] = await Promise.all(
      ['130000', '130300', '130302', '130303', '140000'].map((code) => sys.unit(code)),
    );
  });

  afterAll(async () => {
    await sys?.close();
  });

  const form = (n: number): SiteForm => createSampleForm(n);
  const state = async (unit: Unit, id: string) => (await unit.client.get(`/forms/${id}`)).body;
  const act = (unit: Unit, id: string, action: 'submit' | 'approve' | 'return', body?: unknown) =>
    unit.client.post(`/forms/${id}/${action}`, body);

  it('climbs county → city → province and is approved there with the owner’s next 标识码', async () => {
    const forms = [form(0), form(1), form(2)];
    const report = await sys.importForms(county, forms);
    expect(report).toMatchObject({ applied: true, created: 3 });
    [ids.a, ids.b, ids.c] = forms.map((f) => f.id);

    const held = await county.client.get('/forms?scope=held&status=DRAFT');
    expect(held.body.total).toBe(3);
    expect(held.body.items[0]).toMatchObject({
      status: 'DRAFT',
      statusLabel: '未提交',
      ownerOrgUnitId: county.id,
      holderOrgUnitId: county.id,
      siteCode: null,
    });

    // Only the owner submits; then the city holds it, and nobody else may act.
    expect((await act(city, ids.a, 'submit')).body.code).toBe('NOT_RECORD_OWNER');
    const submitted = await act(county, ids.a, 'submit');
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'PENDING', statusLabel: '未审核', holderOrgUnitId: city.id });
    expect((await act(county, ids.a, 'submit')).status).toBe(409);
    for (const outsider of [county, province])
      expect((await act(outsider, ids.a, 'approve')).body.code).toBe('RECORD_STATE_CONFLICT');
    expect((await act(stranger, ids.a, 'approve')).status).toBe(404);

    expect((await act(city, ids.a, 'approve')).body).toMatchObject({
      status: 'PENDING',
      holderOrgUnitId: province.id,
      siteCode: null,
    });
    const approved = await act(province, ids.a, 'approve');
    expect(approved.body).toMatchObject({
      status: 'APPROVED',
      statusLabel: '已审核',
      holderOrgUnitId: province.id,
      siteCode: '1303020001',
    });

    // The second record of the same owner gets the next number; another owner starts at 0001.
    await act(county, ids.b, 'submit');
    await act(city, ids.b, 'approve');
    expect((await act(province, ids.b, 'approve')).body.siteCode).toBe('1303020002');
    const cityForm = form(3);
    await sys.importForms(city, [cityForm]);
    expect((await act(city, cityForm.id, 'submit')).body.holderOrgUnitId).toBe(province.id);
    expect((await act(province, cityForm.id, 'approve')).body.siteCode).toBe('1303000001');
    // A final reviewer's own record is submitted to itself.
    const provinceForm = form(4);
    await sys.importForms(province, [provinceForm]);
    expect((await act(province, provinceForm.id, 'submit')).body).toMatchObject({
      status: 'PENDING',
      holderOrgUnitId: province.id,
    });
    expect((await act(province, provinceForm.id, 'approve')).body).toMatchObject({
      status: 'APPROVED',
      siteCode: '1300000001',
    });
  });

  it('never shows the 校验码, which is stored encrypted, and shows the record to the units on its path only', async () => {
    const [row] = await sys.sql('SELECT check_code_enc FROM review.record WHERE id = $1', [ids.a]);
    expect(row.check_code_enc).toMatch(/^v2\.[0-9a-f]{8}\./);
    const checkCode = new FieldCipher(sys.runtime.config.ENCRYPTION_KEY!).decrypt(
      row.check_code_enc,
      `check-code:${ids.a}`,
    );
    expect(checkCode).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);

    const detail = await county.client.get(`/forms/${ids.a}`);
    expect(detail.body).toMatchObject({
      id: ids.a,
      status: 'APPROVED',
      siteCode: '1303020001',
      ownerOrgUnitId: county.id,
      site: { siteName: form(0).site.siteName },
    });
    for (const unit of [county, city, province]) {
      const list = await unit.client.get(`/forms?scope=subtree&q=${encodeURIComponent('样例1）')}`);
      expect(list.body.items.map((item: { id: string }) => item.id)).toContain(ids.a);
      expect(JSON.stringify(list.body)).not.toContain(checkCode);
      const history = await unit.client.get(`/forms/${ids.a}/history`);
      expect(history.status).toBe(200);
      expect(JSON.stringify(history.body)).not.toContain(checkCode);
    }
    expect(JSON.stringify(detail.body)).not.toContain(checkCode);
    expect(Object.keys(detail.body).some((key) => /check/i.test(key))).toBe(false);
    for (const outsider of [sibling, stranger]) {
      expect((await outsider.client.get(`/forms/${ids.a}`)).status).toBe(404);
      expect((await outsider.client.get(`/forms/${ids.a}/history`)).status).toBe(404);
      expect((await outsider.client.get('/forms?scope=subtree')).body.total).toBe(0);
    }
    const history = (await city.client.get(`/forms/${ids.a}/history`)).body;
    expect(
      history.map((h: { action: string; toStatus: string; actorUsername: string }) => [
        h.action,
        h.toStatus,
        h.actorUsername,
      ]),
    ).toEqual([
      ['import', 'DRAFT', '130302'],
      ['submit', 'PENDING', '130302'],
      ['approve', 'PENDING', '130300'],
      ['approve', 'APPROVED', '130000'],
    ]);
    // Search by URL, and the held list of the province.
    const byUrl = await province.client.get(`/forms?q=${encodeURIComponent('www.site1.example')}`);
    expect(byUrl.body.items.map((item: { id: string }) => item.id)).toEqual([ids.b]);
    expect((await county.client.get('/forms?status=BOGUS')).status).toBe(400);
  });

  it('returns one level at a time; only the owner edits, and the code stays for good', async () => {
    expect((await act(county, ids.a, 'return', { reason: '请核对' })).status).toBe(409);
    expect((await act(city, ids.a, 'return', { reason: '请核对' })).status).toBe(409);
    expect((await act(province, ids.a, 'return', {})).status).toBe(400);
    const toCity = await act(province, ids.a, 'return', { reason: '主办单位名称有误' });
    expect(toCity.body).toMatchObject({
      status: 'RETURNED',
      statusLabel: '已退回',
      holderOrgUnitId: city.id,
      siteCode: '1303020001',
    });
    // At the city: not the owner's yet — the county may not edit, the city may not approve.
    const edited = { ...form(0), id: ids.a, site: { ...form(0).site, sponsorUnit: '秦皇岛市海港区人民政府' } };
    expect((await county.client.put(`/forms/${ids.a}`, edited)).status).toBe(409);
    expect((await act(city, ids.a, 'approve')).status).toBe(409);
    expect((await city.client.put(`/forms/${ids.a}`, edited)).body.code).toBe('NOT_RECORD_OWNER');
    expect((await act(city, ids.a, 'return', { reason: '请海港区修改主办单位' })).body).toMatchObject({
      status: 'RETURNED',
      holderOrgUnitId: county.id,
    });

    const bad = await county.client.put(`/forms/${ids.a}`, {
      ...edited,
      principal: { ...edited.principal, mobile: '123' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'principal.mobile' })]);
    const saved = await county.client.put(`/forms/${ids.a}`, edited);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      version: 2,
      status: 'RETURNED',
      site: { sponsorUnit: '秦皇岛市海港区人民政府' },
    });

    await act(county, ids.a, 'submit');
    await act(city, ids.a, 'approve');
    expect((await act(province, ids.a, 'approve')).body).toMatchObject({ status: 'APPROVED', siteCode: '1303020001' });
    const history = (await county.client.get(`/forms/${ids.a}/history`)).body;
    expect(
      history.filter((h: { action: string }) => h.action === 'return').map((h: { reason: string }) => h.reason),
    ).toEqual(['主办单位名称有误', '请海港区修改主办单位']);
    const [{ n }] = await sys.sql('SELECT count(*)::int AS n FROM review.record WHERE site_code LIKE $1', ['130302%']);
    expect(n).toBe(2);

    // Delete: the owner only, only while the record is back with it.
    expect((await city.client.delete(`/forms/${ids.c}`)).body.code).toBe('NOT_RECORD_OWNER');
    expect((await county.client.delete(`/forms/${ids.a}`)).status).toBe(409);
    expect((await county.client.delete(`/forms/${ids.c}`)).status).toBe(200);
    expect((await county.client.get(`/forms/${ids.c}`)).status).toBe(404);
  });

  it('keeps the status when a record is re-imported during review', async () => {
    const original = form(10);
    await sys.importForms(county, [original]);
    await act(county, original.id, 'submit');
    const changed = { ...original, site: { ...original.site, officeAddress: '秦皇岛市海港区文化路1号' } };
    const report = await sys.importForms(county, [changed]);
    expect(report).toMatchObject({ updated: 1 });
    expect(await state(county, original.id)).toMatchObject({
      status: 'PENDING',
      holderOrgUnitId: city.id,
      version: 2,
      site: { officeAddress: '秦皇岛市海港区文化路1号' },
    });
    ids.reimported = original.id;
  });

  it('answers a double click on approve once: one 200, one 409, one history row', async () => {
    const id = ids.reimported;
    const results = await Promise.all([act(city, id, 'approve'), act(city, id, 'approve')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const [{ n }] = await sys.sql(
      `SELECT count(*)::int AS n FROM review.record_history WHERE record_id = $1 AND action = 'approve'`,
      [id],
    );
    expect(n).toBe(1);
    const twice = await Promise.all([act(province, id, 'approve'), act(province, id, 'approve')]);
    expect(twice.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await state(county, id)).siteCode).toBe('1303020003');
  });

  it('gives 50 parallel approvals of one owner’s records 50 distinct consecutive numbers', async () => {
    const forms = Array.from({ length: 50 }, (_, i) => form(100 + i));
    await sys.importForms(sibling, forms);
    expect((await sibling.client.post('/forms/submit-all')).body).toEqual({ submitted: 50 });
    expect((await city.client.post('/forms/review-all')).body).toEqual({ approved: 0, forwarded: 50 });
    const results = await Promise.all(forms.map((f) => act(province, f.id, 'approve')));
    expect(results.map((r) => r.status)).toEqual(forms.map(() => 200));
    const codes = results.map((r) => r.body.siteCode as string).sort();
    expect(codes).toEqual(Array.from({ length: 50 }, (_, i) => `130303${String(i + 1).padStart(4, '0')}`));
    expect(
      (await sys.sql(`SELECT last_sequence FROM review.site_code_counter WHERE owner_code = '130303'`))[0]
        .last_sequence,
    ).toBe(50);
  });

  it('refuses the 10,000th 标识码 of a unit with a clear error and changes nothing', async () => {
    const funing = await sys.unit('130306');
    await sys.sql(`INSERT INTO review.site_code_counter (owner_code, last_sequence) VALUES ('130306', 9999)`);
    const f = form(300);
    await sys.importForms(funing, [f]);
    await act(funing, f.id, 'submit');
    await act(city, f.id, 'approve');
    const refused = await act(province, f.id, 'approve');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'SITE_CODES_EXHAUSTED',
      message: expect.stringContaining('网站标识码已用完'),
    });
    expect(await state(province, f.id)).toMatchObject({
      status: 'PENDING',
      holderOrgUnitId: province.id,
      siteCode: null,
    });
    expect((await province.client.post('/forms/review-all')).body.code).toBe('SITE_CODES_EXHAUSTED');
    // Returned to its owner, it no longer blocks the province's 全部审核.
    await act(province, f.id, 'return', { reason: '标识码已用完，请联系上级' });
  });

  it('全部审核 racing single approvals in one province: every record approved once, codes consecutive per owner', async () => {
    const [qinglong, changli] = await Promise.all(['130321', '130322'].map((code) => sys.unit(code)));
    const owned = new Map<Unit, SiteForm[]>([
      [qinglong, Array.from({ length: 30 }, (_, i) => form(500 + i))],
      [changli, Array.from({ length: 30 }, (_, i) => form(600 + i))],
    ]);
    for (const [unit, forms] of owned) {
      await sys.importForms(unit, forms);
      expect((await unit.client.post('/forms/submit-all')).body).toEqual({ submitted: 30 });
    }
    expect((await city.client.post('/forms/review-all')).body).toEqual({ approved: 0, forwarded: 60 });
    const all = [...owned.values()].flat();
    // Every other record of each owner is also approved on its own, at the same time.
    const singles = all.filter((_, i) => i % 2 === 0);
    const [bulk, ...single] = await Promise.all([
      province.client.post('/forms/review-all'),
      ...singles.map((f) => act(province, f.id, 'approve')),
    ]);
    expect(bulk.status).toBe(200);
    expect(single.every((r) => r.status === 200 || r.body.code === 'RECORD_STATE_CONFLICT')).toBe(true);
    const singleWins = single.filter((r) => r.status === 200).length;
    expect(bulk.body).toEqual({ approved: 60 - singleWins, forwarded: 0 });
    for (const [unit, forms] of owned) {
      const rows: Array<{ site_code: string; status: string }> = await sys.sql(
        `SELECT site_code, status FROM review.record WHERE id = ANY($1::uuid[]) ORDER BY site_code`,
        [forms.map((f) => f.id)],
      );
      expect(rows.map((r) => r.status)).toEqual(forms.map(() => 'APPROVED'));
      expect(rows.map((r) => r.site_code)).toEqual(
        forms.map((_, i) => `${unit.code}${String(i + 1).padStart(4, '0')}`),
      );
      const [{ last_sequence }] = await sys.sql(
        `SELECT last_sequence FROM review.site_code_counter WHERE owner_code = $1`,
        [unit.code],
      );
      expect(last_sequence).toBe(30);
    }
    // One final approval in each record's history, naming the province and the right holders.
    const history: Array<{ record_id: string; n: number; ok: boolean }> = await sys.sql(
      `SELECT record_id, count(*)::int AS n,
              bool_and(actor_org_unit_id = $2 AND from_status = 'PENDING' AND from_holder_org_unit_id = $2 AND to_holder_org_unit_id = $2) AS ok
         FROM review.record_history WHERE record_id = ANY($1::uuid[]) AND to_status = 'APPROVED' GROUP BY record_id`,
      [all.map((f) => f.id), province.id],
    );
    expect(history).toHaveLength(60);
    expect(history.every((h) => h.n === 1 && h.ok)).toBe(true);
    // One code mail per record, queued by reference (a batch per approval: one for the
    // 全部审核, one per single approval, each naming its records), and a notice per single
    // approval plus one per owner for the 全部审核 (each owner had at least 15 records left to
    // it) in review's outbox.
    const [coded] = await sys.sql(
      `SELECT count(*)::int AS mails, count(DISTINCT r.id)::int AS records, count(*) FILTER (WHERE b.total = 1)::int AS singles
         FROM review.code_mail_batch b, unnest(b.record_ids) AS r(id) WHERE b.record_ids && $1::uuid[]`,
      [all.map((f) => f.id)],
    );
    expect(coded).toEqual({ mails: 60, records: 60, singles: singleWins });
    const [queued] = await sys.sql(
      `SELECT count(*) FILTER (WHERE subject LIKE 'notification.mail.%')::int AS mails,
              count(*) FILTER (WHERE subject LIKE '%notice.create')::int AS notices
         FROM review.outbox WHERE created_at >= (SELECT min(at) FROM review.record_history WHERE record_id = ANY($1::uuid[]) AND to_status = 'APPROVED')`,
      [all.map((f) => f.id)],
    );
    expect(queued).toEqual({ mails: 0, notices: singleWins + 2 });
  });

  it('全部提交 and 全部审核 move 1,000 records set-based, in one transaction each', async () => {
    const forms = Array.from({ length: 1000 }, (_, i) => form(1000 + i));
    await sys.importForms(county, forms);
    expect((await county.client.post('/forms/submit-all')).body).toEqual({ submitted: 1000 });
    expect((await city.client.post('/forms/review-all')).body).toEqual({ approved: 0, forwarded: 1000 });
    expect((await province.client.post('/forms/review-all')).body).toEqual({ approved: 1000, forwarded: 0 });
    const [codes] = await sys.sql(
      `SELECT count(DISTINCT site_code)::int AS distinct_codes, min(site_code) AS first, max(site_code) AS last, count(*) FILTER (WHERE check_code_enc IS NULL)::int AS without_check
         FROM review.record WHERE id = ANY($1::uuid[])`,
      [forms.map((f) => f.id)],
    );
    // 0001–0003 went to the records approved one by one above.
    expect(codes).toEqual({ distinct_codes: 1000, first: '1303020004', last: '1303021003', without_check: 0 });
    expect((await county.client.get('/forms?scope=held&status=DRAFT')).body.total).toBe(0);
    expect((await province.client.get('/forms?status=APPROVED&pageSize=10')).body.total).toBeGreaterThanOrEqual(1000);
    const [{ n }] = await sys.sql(
      `SELECT count(*)::int AS n FROM review.record_history WHERE record_id = ANY($1::uuid[]) AND action = 'approve'`,
      [forms.map((f) => f.id)],
    );
    expect(n).toBe(2000);
  });
});
