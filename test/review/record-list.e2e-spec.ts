import { createSampleForm } from '@app/forms';
import { ReviewSystem, Unit } from './support/review-system';

interface ListedItem {
  id: string;
  status: string;
  updatedAt: string;
}

/**
 * GET /forms as it scales: keyset pages (`next` → `after`) that see every record once, totals
 * from the counts kept per (unit, status) that stay exact through imports, moves and deletes,
 * and a search whose total past 1,000 matches says it is only a lower bound.
 */
describe('record list: keyset paging and kept totals', () => {
  let sys: ReviewSystem;
  let province: Unit; // 河北省
  let city: Unit; // 秦皇岛市
  let county: Unit; // 海港区
  let sibling: Unit; // 山海关区
  let stranger: Unit; // 山西省

  beforeAll(async () => {
    sys = await ReviewSystem.start();
    // One at a time: five scrypt logins at once can outlast the bus timeout on a busy machine.
    const units: Unit[] = [];
    for (const code of ['130000', '130300', '130302', '130303', '140000']) units.push(await sys.unit(code));
    [province, city, county, sibling, stranger] = units;
  });

  afterAll(async () => {
    await sys?.close();
  });

  const list = async (unit: Unit, query: string) => {
    const res = await unit.client.get(`/forms?${query}`);
    expect(res.status).toBe(200);
    return res.body as { items: ListedItem[]; total: number; totalExact: boolean; next: string | null };
  };

  /** Every unit's kept count per scope and status equals the rows, as a count(*) finds them. */
  const expectCountsMatchRows = async () => {
    for (const unit of [province, city, county, sibling, stranger])
      for (const scope of ['held', 'subtree'] as const) {
        const column = scope === 'held' ? 'holder_org_unit_id = $1' : 'owner_chain @> ARRAY[$1::uuid]';
        const rows: Array<{ status: string; n: number }> = await sys.sql(
          `SELECT status, count(*)::int AS n FROM review.record WHERE ${column} GROUP BY status`,
          [unit.id],
        );
        const all = await list(unit, `scope=${scope}&pageSize=1`);
        expect(all).toMatchObject({ total: rows.reduce((sum, row) => sum + row.n, 0), totalExact: true });
        for (const status of ['DRAFT', 'PENDING', 'APPROVED', 'RETURNED'])
          expect((await list(unit, `scope=${scope}&status=${status}&pageSize=1`)).total).toBe(
            rows.find((row) => row.status === status)?.n ?? 0,
          );
      }
  };

  it('pages with next/after through every record exactly once, newest first, as page numbers do', async () => {
    // One import: every record has the same update time, so only the id orders them.
    await sys.importForms(
      county,
      Array.from({ length: 120 }, (_, n) => createSampleForm(n)),
    );
    await sys.importForms(
      sibling,
      Array.from({ length: 15 }, (_, n) => createSampleForm(200 + n)),
    );

    const walked: ListedItem[] = [];
    let page = await list(province, 'scope=subtree&pageSize=50');
    expect(page).toMatchObject({ total: 135, totalExact: true });
    walked.push(...page.items);
    while (page.next) {
      page = await list(province, `scope=subtree&pageSize=50&after=${encodeURIComponent(page.next)}`);
      expect(page.total).toBe(135);
      walked.push(...page.items);
    }
    expect(walked).toHaveLength(135);
    expect(new Set(walked.map((item) => item.id)).size).toBe(135);
    const times = walked.map((item) => Date.parse(item.updatedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // Page numbers still work, and give the same rows in the same order.
    const numbered: ListedItem[] = [];
    for (const n of [1, 2, 3]) numbered.push(...(await list(province, `scope=subtree&pageSize=50&page=${n}`)).items);
    expect(numbered.map((item) => item.id)).toEqual(walked.map((item) => item.id));

    // The last page says so; a filtered list pages the same way.
    const held = await list(sibling, 'scope=held&status=DRAFT&pageSize=10');
    expect(held.items).toHaveLength(10);
    const rest = await list(sibling, `scope=held&status=DRAFT&pageSize=10&after=${encodeURIComponent(held.next!)}`);
    expect(rest).toMatchObject({ total: 15, totalExact: true, next: null });
    expect(rest.items).toHaveLength(5);
    expect(new Set([...held.items, ...rest.items].map((item) => item.id)).size).toBe(15);

    // Outside the subtree: nothing, whatever the cursor.
    expect(await list(stranger, `scope=subtree&after=${encodeURIComponent(held.next!)}`)).toEqual({
      items: [],
      total: 0,
      totalExact: true,
      next: null,
      counts: { DRAFT: 0, PENDING: 0, APPROVED: 0, RETURNED: 0 },
    });
    expect((await list(sibling, 'scope=subtree')).total).toBe(15);
    expect((await list(city, 'scope=subtree&pageSize=1')).total).toBe(135);
  });

  it('keeps every total exact through submit, approve, return, bulk moves and delete', async () => {
    await expectCountsMatchRows();
    const [first, second, third] = (await list(county, 'scope=held&status=DRAFT&pageSize=3')).items;
    expect((await county.client.post(`/forms/${first.id}/submit`)).status).toBe(200);
    expect((await list(county, 'scope=held&pageSize=1')).total).toBe(119);
    expect((await list(city, 'scope=held&status=PENDING&pageSize=1')).total).toBe(1);
    expect((await city.client.post(`/forms/${first.id}/approve`)).status).toBe(200);
    expect((await province.client.post(`/forms/${first.id}/approve`)).status).toBe(200);
    expect((await county.client.post(`/forms/${second.id}/submit`)).status).toBe(200);
    expect((await city.client.post(`/forms/${second.id}/return`, { reason: '请补充栏目信息' })).status).toBe(200);
    expect((await county.client.delete(`/forms/${third.id}`)).status).toBe(200);
    await expectCountsMatchRows();
    expect((await list(province, 'scope=subtree&status=APPROVED')).total).toBe(1);
    expect((await list(county, 'scope=held&status=RETURNED')).total).toBe(1);

    expect((await sibling.client.post('/forms/submit-all')).body).toEqual({ submitted: 15 });
    expect((await city.client.post('/forms/review-all')).body).toEqual({ approved: 0, forwarded: 15 });
    await expectCountsMatchRows();
    expect((await list(province, 'scope=held&status=PENDING')).total).toBe(15);
    expect((await list(province, 'scope=subtree&pageSize=1')).total).toBe(134);
  });

  it('counts a search up to 1,000 matches and says when the total is only that bound', async () => {
    const [{ n }] = await sys.sql(
      `SELECT count(*)::int AS n FROM review.record WHERE owner_chain @> ARRAY[$1::uuid] AND homepage_url LIKE '%www.site11%'`,
      [province.id],
    );
    expect(n).toBeGreaterThan(0);
    const few = await list(province, `scope=subtree&q=${encodeURIComponent('www.site11')}`);
    expect(few).toMatchObject({ total: n, totalExact: true, next: null });

    // A counted search pages by cursor too, in the list's order, each match once.
    const q = encodeURIComponent('www.site1');
    const walked: ListedItem[] = [];
    let page = await list(province, `scope=subtree&pageSize=7&q=${q}`);
    walked.push(...page.items);
    while (page.next) {
      page = await list(province, `scope=subtree&pageSize=7&q=${q}&after=${encodeURIComponent(page.next)}`);
      walked.push(...page.items);
    }
    const ordered: Array<{ id: string }> = await sys.sql(
      `SELECT id FROM review.record WHERE owner_chain @> ARRAY[$1::uuid] AND homepage_url LIKE '%www.site1%' ORDER BY updated_at DESC, id`,
      [province.id],
    );
    expect(ordered.length).toBeGreaterThan(14);
    expect(walked.map((item) => item.id)).toEqual(ordered.map((row) => row.id));
    expect(page.total).toBe(ordered.length);
    const second = await list(province, `scope=subtree&pageSize=7&page=2&q=${q}`);
    expect(second.items.map((item) => item.id)).toEqual(ordered.slice(7, 14).map((row) => row.id));

    await sys.importForms(
      city,
      Array.from({ length: 1000 }, (_, n) => createSampleForm(2000 + n)),
    );
    const many = await list(province, `scope=subtree&pageSize=20&q=${encodeURIComponent('样例')}`);
    expect(many).toMatchObject({ total: 1000, totalExact: false });
    expect(many.items).toHaveLength(20);
    expect(many.next).toEqual(expect.any(String));
    // Without a search the total is the kept count: exact at any size.
    expect(await list(province, 'scope=subtree&pageSize=1')).toMatchObject({ total: 1134, totalExact: true });
    // Below the bound a search is counted exactly.
    const fewer = await list(county, `scope=subtree&pageSize=1&q=${encodeURIComponent('样例')}`);
    expect(fewer).toMatchObject({ total: 119, totalExact: true });
  });

  it('refuses a cursor it did not give with 400 VALIDATION_FAILED', async () => {
    for (const after of [
      'bogus',
      '123',
      `12_${'x'.repeat(36)}`,
      `${'9'.repeat(18)}_0b7f4f52-6c8e-4c6f-9b0e-2f1d1c3b9a10`,
    ]) {
      const res = await province.client.get(`/forms?after=${encodeURIComponent(after)}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.details)).toContain('after');
    }
  });

  it('searches addresses by their own part without the www and .gov.cn they share, the whole term still checked', async () => {
    const withAddress = (n: number, homepageUrl: string) => {
      const form = createSampleForm(n);
      return { ...form, site: { ...form.site, homepageUrl } };
    };
    // In 山西省 only: the totals above stay as they are.
    await sys.importForms(stranger, [
      withAddress(9001, 'http://www.site9x.example.gov.cn'),
      withAddress(9002, 'https://site9x.example.org/www'),
      withAddress(9003, 'http://site9y.gov.cn/www.site9'),
    ]);
    const found = async (term: string) =>
      (await list(stranger, `scope=subtree&q=${encodeURIComponent(term)}`)).items
        .map((item) => (item as ListedItem & { homepageUrl: string }).homepageUrl)
        .sort();
    const expected = async (term: string) =>
      (
        await sys.sql<{ url: string }>(
          `SELECT homepage_url AS url FROM review.record WHERE owner_chain @> ARRAY[$1::uuid]
              AND (site_name ILIKE $2 OR homepage_url ILIKE $2) ORDER BY 1`,
          [stranger.id, `%${term}%`],
        )
      ).map((row) => row.url);
    // `site9x` alone would also find the .org address: the whole term is what must match.
    expect(await found('www.site9x')).toEqual(['http://www.site9x.example.gov.cn']);
    expect(await found('HTTP://WWW.SITE9X.example.gov.cn')).toEqual(['http://www.site9x.example.gov.cn']);
    expect(await found('www.site9')).toEqual(['http://site9y.gov.cn/www.site9', 'http://www.site9x.example.gov.cn']);
    for (const term of ['www.site9x', 'site9x', 'www.site9', '.gov.cn/www', 'org/www', 'www.s'])
      expect(await found(term)).toEqual(await expected(term));
  });

  it('finds a record by its new name and address once a re-import renames it, and no longer by the old ones', async () => {
    const form = createSampleForm(9101);
    const before = {
      ...form,
      site: { ...form.site, siteName: '旧名称网站甲乙', homepageUrl: 'http://www.oldname9101.gov.cn' },
    };
    await sys.importForms(stranger, [before]);
    const search = async (term: string) =>
      (await list(stranger, `scope=subtree&q=${encodeURIComponent(term)}`)).items.map((item) => item.id);
    expect(await search('旧名称网站甲乙')).toEqual([form.id]);
    expect(await search('oldname9101')).toEqual([form.id]);
    const after = {
      ...form,
      site: { ...form.site, siteName: '新名称网站丙丁', homepageUrl: 'http://www.newname9101.gov.cn' },
    };
    await sys.importForms(stranger, [after]);
    expect(await search('新名称网站丙丁')).toEqual([form.id]);
    expect(await search('newname9101')).toEqual([form.id]);
    expect(await search('旧名称网站甲乙')).toEqual([]);
    expect(await search('oldname9101')).toEqual([]);
    // The search's copy holds exactly what every record holds.
    const [drift] = await sys.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM review.record r FULL JOIN review.record_site s ON s.id = r.id
        WHERE s.id IS NULL OR r.id IS NULL OR s.site_name <> r.site_name OR s.homepage_url <> r.homepage_url
           OR s.owner_chain <> r.owner_chain`,
    );
    expect(drift.n).toBe(0);
  });
});
