import { createSampleForm, SiteForm } from '@app/forms';
import { writePackage, writeTemplate } from '@app/package';
import { craftZip, unpack } from '@app/package/testing/craft-zip';
import { compoundFile, xlsxToXls } from '@app/package/testing/craft-xls';
import { encode } from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ApiClient,
  firstLogin,
  loginDownTheTree,
  startTestInfrastructure,
  TestInfrastructure,
  withClient,
  workbookOf,
} from '@app/testing';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { RunningSystem, startSystem, untilStarted } from '../../apps/standalone/src/system';
import { CitySystem, importAndWait, recordCounts, startCitySystem, upload } from './support';

const ROOT_PASSWORD = 'Root-Pass-2026';
const MAX_UPLOAD = 3 * 1024 * 1024;

/** Import over real NATS, PostgreSQL and S3: packages and templates into records. */
describe('import', () => {
  let infra: TestInfrastructure;
  let system: RunningSystem;
  let city: ApiClient;
  let otherCity: ApiClient;
  let province: ApiClient;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    const config = infra.config({ ROOT_PASSWORD, IMPORT_MAX_UPLOAD_BYTES: MAX_UPLOAD });
    system = await startSystem({ config, transport: infra.transport('nats', config) });
    // The first start's tree, accounts and workbooks: login answers 503 until then.
    await untilStarted(system);
    const anonymous = new ApiClient((await system.gateway.getUrl()).replace('[::1]', '127.0.0.1'));
    const clients = await loginDownTheTree(anonymous, ROOT_PASSWORD, ['130000', '130300']);
    city = clients.get('130300')!;
    province = clients.get('130000')!;
    // A second city of the same province (石家庄市), from the province's workbook.
    const row = (await workbookOf(clients.get('130000')!, '130100')).rows.find((r) => r.code === '130100')!;
    otherCity = await firstLogin(anonymous, '130100', row.password);
  });

  afterAll(async () => {
    await system?.close();
    await infra?.teardown();
  });

  it('creates records owned by the importing unit, with 地区/部门 from that unit; the same package again is unchanged', async () => {
    const forms = [0, 1, 2].map((n) => createSampleForm(n));
    const job = await importAndWait(city, await pack(forms), '上报文件.zip');
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      dryRun: false,
      progress: { done: 3, total: 3 },
      report: { applied: true, created: 3, updated: 0, unchanged: 0, rejected: 0 },
    });
    const rows = await withClient(infra.database.url, (c) =>
      c.query(
        'SELECT status, region_code, region_name, current_version FROM review.record WHERE id = ANY($1::uuid[])',
        [forms.map((f) => f.id)],
      ),
    );
    expect(rows.rows).toEqual(
      Array(3).fill({ status: 'DRAFT', region_code: '130300', region_name: '河北省 秦皇岛市', current_version: 1 }),
    );

    const again = await importAndWait(city, await pack(forms), '上报文件.zip');
    expect(again.report).toMatchObject({ applied: true, created: 0, updated: 0, unchanged: 3 });

    const edited = [
      { ...forms[0], site: { ...forms[0].site, officeAddress: '河北省秦皇岛市海港区新地址1号' } },
      forms[1],
      forms[2],
    ];
    const update = await importAndWait(city, await pack(edited), '上报文件（修改）.zip');
    expect(update.report).toMatchObject({ applied: true, created: 0, updated: 1, unchanged: 2 });
    const versions = await withClient(infra.database.url, (c) =>
      c.query(
        'SELECT version, imported_by, content #>> $2 AS address FROM review.record_version WHERE record_id = $1 ORDER BY version',
        [forms[0].id, '{site,officeAddress}'],
      ),
    );
    expect(versions.rows.map((r) => [r.version, r.imported_by])).toEqual([
      [1, '130300'],
      [2, '130300'],
    ]);
    expect(versions.rows[1].address).toBe('河北省秦皇岛市海港区新地址1号');
  });

  it('previews with dryRun: the same report, nothing changed', async () => {
    const before = await recordCounts(infra.database.url);
    const forms = [createSampleForm(10), createSampleForm(11)];
    const job = await importAndWait(city, await pack(forms), '预检.zip', true);
    expect(job.report).toMatchObject({ applied: false, dryRun: true, created: 2, rejected: 0 });
    expect(await recordCounts(infra.database.url)).toEqual(before);
  });

  it('lists every invalid form and field, refuses a form owned by another unit, and applies nothing', async () => {
    const mine = createSampleForm(20);
    await importAndWait(city, await pack([mine]), 'a.zip');
    const before = await recordCounts(infra.database.url);

    const theirs = await importAndWait(otherCity, await pack([mine, createSampleForm(21)]), 'b.zip');
    expect(theirs.report).toMatchObject({ applied: false, rejected: 1, created: 1 });
    expect(theirs.report.forms.find((f: { formId: string }) => f.formId === mine.id)).toMatchObject({
      outcome: 'rejected',
      errors: [{ field: 'id' }],
    });

    const bad = createSampleForm(22);
    const broken = {
      ...bad,
      principal: { ...bad.principal, mobile: '138001380001' },
      contact: { ...bad.contact, email: 'a@b.cn；c@d.cn' },
    };
    const entries = unpack(await pack([bad, createSampleForm(23)]));
    // Write the invalid content with a matching hash, as a buggy tool might.
    const rebuilt = await rewriteForm(entries, bad.id, broken);
    const invalid = await importAndWait(city, rebuilt, 'c.zip');
    expect(invalid.status).toBe('SUCCEEDED');
    expect(invalid.report).toMatchObject({ applied: false, rejected: 1, created: 1 });
    const errors = invalid.report.forms
      .find((f: { formId: string }) => f.formId === bad.id)
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(errors).toEqual(['contact.email', 'principal.mobile']);
    expect(await recordCounts(infra.database.url)).toEqual(before);
  });

  it('refuses a form field holding a NUL or a bidi override by form and field, at once (no retries), applying nothing', async () => {
    const before = await recordCounts(infra.database.url);
    const bad = createSampleForm(24);
    const broken = {
      ...bad,
      site: { ...bad.site, siteName: `${bad.site.siteName}\u0000` },
      contact: { ...bad.contact, name: '张\u202e三' },
    };
    const rebuilt = await rewriteForm(unpack(await pack([bad, createSampleForm(25)])), bad.id, broken);
    for (const dryRun of [true, false]) {
      const job = await importAndWait(city, rebuilt, 'nul.zip', dryRun);
      expect(job).toMatchObject({ status: 'SUCCEEDED', report: { applied: false, rejected: 1 } });
      expect(job.retry ?? null).toBeNull();
      const rejected = job.report.forms.find((f: { formId: string }) => f.formId === bad.id);
      expect(rejected.outcome).toBe('rejected');
      expect(rejected.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'site.siteName', message: '网站名称含有不允许的空字符（U+0000），请删除' }),
          expect.objectContaining({
            field: 'contact.name',
            message: '联系人姓名含有不允许的文字方向控制符（U+202E），请删除',
          }),
        ]),
      );
    }
    expect(await recordCounts(infra.database.url)).toEqual(before);
  });

  it('reports template rows whose name holds a NUL (_x0000_) or passes every bound, at once and applying nothing', async () => {
    const before = await recordCounts(infra.database.url);
    const [nul, long, fine] = [createSampleForm(26), createSampleForm(27), createSampleForm(28)];
    nul.site.siteName = 'NULHERE某网站';
    long.site.siteName = '长'.repeat(250);
    // The OOXML escape _x0000_ is read back as U+0000.
    const files = unzipSync(await writeTemplate([nul, long, fine]));
    files['xl/sharedStrings.xml'] = strToU8(strFromU8(files['xl/sharedStrings.xml']).replace('NULHERE', 'a_x0000_b'));
    const job = await importAndWait(city, zipSync(files), '模板.xlsx');
    expect(job).toMatchObject({ status: 'SUCCEEDED', report: { applied: false, rejected: 2 } });
    expect(job.retry ?? null).toBeNull();
    const rejected = job.report.forms.filter((f: { outcome: string }) => f.outcome === 'rejected');
    expect(rejected.map((f: { siteName: string }) => f.siteName).sort()).toEqual(
      [`a[U+0000]b某网站`, `${'长'.repeat(199)}…`].sort(),
    );
    expect(rejected.flatMap((f: { errors: Array<{ message: string }> }) => f.errors.map((e) => e.message))).toEqual(
      expect.arrayContaining([
        '网站名称含有不允许的空字符（U+0000），请删除',
        expect.stringContaining('网站名称不能超过100个字'),
      ]),
    );
    expect(await recordCounts(infra.database.url)).toEqual(before);
  });

  it('keeps the status of a record under review when it is re-imported; an approved one becomes a 变更 request', async () => {
    const form = createSampleForm(80);
    await importAndWait(city, await pack([form]), 'review.zip');
    expect((await city.post(`/forms/${form.id}/submit`)).status).toBe(200);
    const edited = { ...form, site: { ...form.site, officeAddress: '审核期间修改的地址' } };
    const during = await importAndWait(city, await pack([edited]), 'during-review.zip');
    expect(during.report).toMatchObject({ applied: true, updated: 1 });
    const pending = (await province.get(`/forms/${form.id}`)).body;
    expect(pending).toMatchObject({ status: 'PENDING', holderOrgUnitId: (await province.get('/me')).body.orgUnitId });
    expect(JSON.stringify(pending)).toContain('审核期间修改的地址');

    expect((await province.post(`/forms/${form.id}/approve`)).status).toBe(200);
    const siteCode = (await city.get(`/forms/${form.id}`)).body.siteCode;
    // After approval a re-import is a 变更 request: the approved content stays current until it is approved.
    const requested = await importAndWait(
      city,
      await pack([{ ...edited, site: { ...edited.site, officeAddress: '审核通过后又改' } }]),
      'after-approval.zip',
    );
    expect(requested.report).toMatchObject({ applied: true, updated: 1, rejected: 0 });
    expect(requested.report.forms[0].warnings.join()).toContain('作为变更申请报送审核');
    const changed = (await province.get(`/forms/${form.id}`)).body;
    expect(changed).toMatchObject({
      status: 'PENDING',
      siteCode,
      site: { officeAddress: '审核期间修改的地址' },
      pendingRequest: { kind: 'CHANGE', changes: [expect.objectContaining({ after: '审核通过后又改' })] },
    });
  });

  it('warns when a homepage is already filed under another form of the unit', async () => {
    const first = createSampleForm(30);
    await importAndWait(city, await pack([first]), 'first.zip');
    const twin = createSampleForm(31);
    twin.site.homepageUrl = first.site.homepageUrl.replace('http://', 'https://') + '/';
    const job = await importAndWait(city, await pack([twin]), 'twin.zip', true);
    expect(job.report.forms[0].warnings[0]).toContain('可能是同一网站重复填报');
  });

  it('imports the Excel template through the same validation and report, keeping the ids in the sheet', async () => {
    const forms = [createSampleForm(40), createSampleForm(41)];
    const job = await importAndWait(city, await writeTemplate(forms), '网站基本信息模板.xlsx');
    expect(job.report).toMatchObject({ applied: true, created: 2 });
    expect(job.report.forms.map((f: { formId: string }) => f.formId).sort()).toEqual(forms.map((f) => f.id).sort());
  });

  clerkToolFiles(() => ({ city, databaseUrl: infra.database.url }));

  describe('refuses a broken package with its own code and changes nothing', () => {
    const cases: Array<[string, () => Promise<Uint8Array>, string]> = [
      ['not a ZIP', async () => strToU8('这不是压缩包'), 'NOT_A_ZIP'],
      [
        'a truncated ZIP',
        async () => {
          const bytes = await pack([createSampleForm(50)]);
          return bytes.slice(0, bytes.length - 40);
        },
        'ZIP_CORRUPT',
      ],
      [
        'no manifest',
        async () => craftZip(unpack(await pack([createSampleForm(51)])).filter((e) => e.name !== 'manifest.json')),
        'MANIFEST_MISSING',
      ],
      [
        'an unknown format',
        async () => editManifest(await pack([createSampleForm(52)]), (m) => ({ ...m, format: 'other-format' })),
        'FORMAT_UNSUPPORTED',
      ],
      [
        'an unknown schema version',
        async () => editManifest(await pack([createSampleForm(53)]), (m) => ({ ...m, schemaVersion: '2099.1' })),
        'SCHEMA_VERSION_UNSUPPORTED',
      ],
      [
        'an entry listed but missing',
        async () => craftZip(unpack(await pack([createSampleForm(54)])).filter((e) => !e.name.startsWith('forms/'))),
        'ENTRY_MISSING',
      ],
      [
        'an entry not listed',
        async () => craftZip([...unpack(await pack([createSampleForm(55)])), { name: 'forms/extra.json', data: '{}' }]),
        'ENTRY_NOT_LISTED',
      ],
      [
        'an edited entry (sha256)',
        async () =>
          craftZip(
            unpack(await pack([createSampleForm(56)])).map((e) =>
              e.name.startsWith('forms/')
                ? { ...e, data: String(new TextDecoder().decode(e.data as Uint8Array)).replace('样例', '改过') }
                : e,
            ),
          ),
        'HASH_MISMATCH',
      ],
      [
        'the same UUID twice',
        async () => {
          const f = createSampleForm(57);
          return pack([f, { ...createSampleForm(58), id: f.id }]).catch(() => duplicateIdPackage(f));
        },
        'DUPLICATE_FORM_ID',
      ],
      [
        'a name with ..',
        async () => craftZip([...unpack(await pack([createSampleForm(59)])), { name: '../evil.json', data: '{}' }]),
        'ENTRY_NAME_UNSAFE',
      ],
      [
        'more than 5,000 forms',
        async () =>
          craftZip(
            Array.from({ length: 5003 }, (_, i) => ({ name: `forms/${i}.json`, data: '{}', method: 0 as const })),
          ),
        'TOO_MANY_FORMS',
      ],
      // 5 MiB of zeros deflate to ~5 KB; the header even says so, but the reader counts what it inflates.
      [
        'a zip bomb (an entry inflating past the limit)',
        async () =>
          craftZip(
            unpack(await pack([createSampleForm(60)])).map((e) =>
              e.name.startsWith('forms/') ? { ...e, data: new Uint8Array(5 * 1024 * 1024), claimedSize: 1000 } : e,
            ),
          ),
        'ENTRY_TOO_LARGE',
      ],
      [
        'a NUL in the manifest (a site name)',
        async () =>
          editManifest(await pack([createSampleForm(61)]), (m) => ({
            ...m,
            forms: (m.forms as Array<Record<string, unknown>>).map((f) => ({ ...f, siteName: `某\u0000网站` })),
          })),
        'MANIFEST_INVALID',
      ],
    ];
    it.each(cases)('%s', async (_name, build, code) => {
      const before = await recordCounts(infra.database.url);
      const job = await importAndWait(city, await build(), 'bad.zip');
      expect(job.status).toBe('FAILED');
      expect(job.error.code).toBe(code);
      expect(job.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(job.report).toBeNull();
      expect(await recordCounts(infra.database.url)).toEqual(before);
    });

    it('a package over the upload limit (413, nothing stored)', async () => {
      const before = await recordCounts(infra.database.url);
      const res = await upload(city, new Uint8Array(MAX_UPLOAD + 1024), 'big.zip');
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await recordCounts(infra.database.url)).toEqual(before);
    });
  });

  it('shows a job and its original package only to its unit', async () => {
    const bytes = await pack([createSampleForm(70)]);
    const job = await importAndWait(city, bytes, '秦皇岛上报文件.zip', true);
    expect((await otherCity.get(`/imports/${job.id}`)).status).toBe(404);
    // The list carries each job's counts (not its forms), as the console's 导入记录 shows them.
    const [listed] = (await city.get('/imports')).body.items;
    expect(listed).toMatchObject({
      id: job.id,
      fileName: '秦皇岛上报文件.zip',
      dryRun: true,
      status: 'SUCCEEDED',
      report: null,
    });
    expect(listed.summary).toEqual({ applied: false, dryRun: true, created: 1, updated: 0, unchanged: 0, rejected: 0 });
    expect((await otherCity.get('/imports')).body.items.map((j: { id: string }) => j.id)).not.toContain(job.id);
    const original = await city.download(`/imports/${job.id}/package`);
    expect(original.status).toBe(200);
    expect(Buffer.compare(original.bytes, Buffer.from(bytes))).toBe(0);
    expect(original.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('秦皇岛上报文件.zip')}`,
    );
    // What a unit uploaded is never rendered in the console's origin.
    expect(original.headers.get('x-content-type-options')).toBe('nosniff');
    expect(original.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect((await otherCity.download(`/imports/${job.id}/package`)).status).toBe(404);
  });
});

/** The files from the tools clerks use again, over the in-process bus (the rest of this file runs on NATS only). */
describe('import on the in-process bus', () => {
  let sys: CitySystem;

  beforeAll(async () => {
    sys = await startCitySystem('in-process', ROOT_PASSWORD, { IMPORT_MAX_UPLOAD_BYTES: MAX_UPLOAD });
  });

  afterAll(async () => {
    await sys?.close();
  });

  clerkToolFiles(() => ({ city: sys.city, databaseUrl: sys.infra.database.url }));
});

/**
 * Files from the tools clerks use (.xls templates, other programs' formats, ZIPs with GBK entry
 * names), imported by the city of the system that `system()` answers once its describe has
 * started it: over NATS with the rest of this file, and again over the in-process bus.
 */
function clerkToolFiles(system: () => { city: ApiClient; databaseUrl: string }): void {
  describe('files from the tools clerks use', () => {
    let city: ApiClient;
    let databaseUrl: string;
    beforeAll(() => {
      ({ city, databaseUrl } = system());
    });

    it('imports an Excel 97–2003 (.xls) template like the .xlsx it was saved from', async () => {
      const forms = [createSampleForm(42), createSampleForm(43, { columnCount: 3 })];
      const xls = xlsxToXls(await writeTemplate(forms));
      const job = await importAndWait(city, xls, '网站基本信息模板.xls');
      expect(job).toMatchObject({ status: 'SUCCEEDED', report: { applied: true, created: 2 } });
      const stored = (await city.get(`/forms/${forms[1].id}`)).body;
      expect(JSON.stringify(stored)).toContain(forms[1].columns[2].url);
    });

    it.each<[string, () => Uint8Array]>([
      ['模板.et', () => compoundFile({ WpsContent: 'x' })],
      ['模板.numbers', () => zipSync({ 'Index/Document.iwa': strToU8('x') })],
      ['模板.csv', () => strToU8('表单编号,网站名称\n,某网站\n')],
      ['模板.zip', () => compoundFile({ EncryptionInfo: 'x', EncryptedPackage: 'y' })],
    ])(
      'refuses %s with TEMPLATE_FORMAT_UNSUPPORTED and says to save it as .xlsx, changing nothing',
      async (name, make) => {
        const before = await recordCounts(databaseUrl);
        const job = await importAndWait(city, make(), name);
        expect(job.status).toBe('FAILED');
        expect(job.error.code).toBe('TEMPLATE_FORMAT_UNSUPPORTED');
        expect(job.error.message).toContain('另存为 .xlsx 后再导入');
        expect(job.error.message).not.toContain('ZIP');
        expect(await recordCounts(databaseUrl)).toEqual(before);
      },
    );

    it('accepts a package re-zipped with GBK entry names (Info-ZIP on files named by Chinese Windows)', async () => {
      const bytes = new Uint8Array(
        readFileSync(resolve(__dirname, '../../libs/package/src/testing/fixtures/gbk-names-rezipped.zip')),
      );
      const job = await importAndWait(city, bytes, '上报文件（重新压缩）.zip', true);
      expect(job).toMatchObject({ status: 'SUCCEEDED', report: { rejected: 0 } });
      expect(job.report.forms.map((f: { siteName: string }) => f.siteName).sort()).toEqual(
        [createSampleForm(0).site.siteName, createSampleForm(1).site.siteName].sort(),
      );
      const forms = [createSampleForm(44), createSampleForm(45)];
      const gbkNamed = unpack(await pack(forms)).map((entry) =>
        /[^ -~]/.test(entry.name)
          ? { ...entry, rawName: new Uint8Array(encode(entry.name, 'cp936')), utf8Flag: false }
          : entry,
      );
      const imported = await importAndWait(city, craftZip(gbkNamed), 'gbk.zip');
      expect(imported.report).toMatchObject({ applied: true, created: 2 });
    });

    it('refuses a GBK-named entry that is not the path the manifest lists (ENTRY_NAME_NOT_UTF8), changing nothing', async () => {
      const before = await recordCounts(databaseUrl);
      const entries = unpack(await pack([createSampleForm(46)]));
      const renamed = entries.map((entry) =>
        entry.name.startsWith('forms/')
          ? {
              ...entry,
              rawName: new Uint8Array(encode(entry.name.replace('.json', '（副本）.json'), 'cp936')),
              utf8Flag: false,
            }
          : entry,
      );
      const job = await importAndWait(city, craftZip(renamed), 'renamed.zip');
      expect(job.status).toBe('FAILED');
      expect(job.error.code).toBe('ENTRY_NAME_NOT_UTF8');
      expect(job.error.message).toContain('（副本）.json');
      expect(await recordCounts(databaseUrl)).toEqual(before);
    });

    it('names the sheet, Excel row and column header of every problem in a template, never an internal code', async () => {
      const [fine, nameless] = [createSampleForm(47), createSampleForm(48)];
      nameless.site.siteName = '';
      nameless.site.layer = '省级门户' as never;
      const workbook = await writeTemplate([fine, nameless]);
      const job = await importAndWait(city, xlsxToXls(workbook), '有问题的模板.xls', true);
      expect(job.report).toMatchObject({ applied: false });
      const rejected = job.report.forms.filter((f: { outcome: string }) => f.outcome === 'rejected');
      const row3 = rejected.find((f: { siteName: string }) => f.siteName === '网站基本信息 第3行（未填网站名称）');
      expect(row3.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ sheet: '网站基本信息', row: 3, header: '网站名称', message: '请填写网站名称' }),
          expect.objectContaining({
            sheet: '网站基本信息',
            row: 3,
            header: '网站类别',
            label: '网站基本信息 第3行 网站类别',
            message: '网站类别应为以下之一：本级门户、本级部门、下属单位',
          }),
        ]),
      );
      const messages = JSON.stringify(
        rejected.flatMap((f: { errors: unknown[] }) => f.errors.map((e) => (e as { message: string }).message)),
      );
      expect(messages).not.toMatch(/own-portal|own-department|subordinate|portal|department/);
    });
  });
}

const pack = (forms: SiteForm[]) =>
  writePackage(forms, { fillerUnit: '秦皇岛市人民政府办公室', generator: { name: 'test', version: '1' } });

async function editManifest(
  bytes: Uint8Array,
  edit: (manifest: Record<string, unknown>) => Record<string, unknown>,
): Promise<Uint8Array> {
  return craftZip(
    unpack(bytes).map((e) =>
      e.name === 'manifest.json'
        ? { ...e, data: JSON.stringify(edit(JSON.parse(new TextDecoder().decode(e.data as Uint8Array)))) }
        : e,
    ),
  );
}

/** Replaces one form's entry and fixes its sha256 in the manifest. */
async function rewriteForm(entries: ReturnType<typeof unpack>, id: string, form: unknown): Promise<Uint8Array> {
  const { sha256Hex } = await import('@app/package');
  const manifestEntry = entries.find((e) => e.name === 'manifest.json')!;
  const manifest = JSON.parse(new TextDecoder().decode(manifestEntry.data as Uint8Array));
  const listed = manifest.forms.find((f: { id: string }) => f.id === id);
  const data = new TextEncoder().encode(JSON.stringify(form, null, 2));
  listed.sha256 = sha256Hex(data);
  return craftZip(
    entries.map((e) =>
      e.name === listed.path
        ? { ...e, data }
        : e.name === 'manifest.json'
          ? { ...e, data: JSON.stringify(manifest) }
          : e,
    ),
  );
}

async function duplicateIdPackage(form: SiteForm): Promise<Uint8Array> {
  const { sha256Hex } = await import('@app/package');
  const data = new TextEncoder().encode(JSON.stringify(form));
  const manifest = {
    format: 'gov-site-report-package',
    formatVersion: 1,
    schemaVersion: '2015.1',
    generator: { name: 't', version: '1' },
    createdAt: new Date().toISOString(),
    fillerUnit: '某单位',
    forms: ['forms/a.json', 'forms/b.json'].map((path) => ({
      id: form.id,
      path,
      sha256: sha256Hex(data),
      siteName: form.site.siteName,
    })),
  };
  return craftZip([
    { name: 'manifest.json', data: JSON.stringify(manifest) },
    { name: 'forms/a.json', data },
    { name: 'forms/b.json', data },
  ]);
}
