import { ApiClient, TransportKind } from '@app/testing';
import { CitySystem, importAndWait, largeReportPackage, recordCounts, startCitySystem, wholeReport } from './support';

const ROOT_PASSWORD = 'Root-Pass-2026';
const FORMS = 5000;
const MB = 1024 * 1024;

jest.setTimeout(600_000);

/**
 * A 5,000-form package whose report is far over the bus's 1 MB, on NATS and on the in-process
 * bus (which enforces the same limit): the dry run and the import both end SUCCEEDED, every
 * record is in, nothing stays staged, and the whole report reads back a page at a time.
 */
describe.each<TransportKind>(['nats', 'in-process'])('a package whose report is over 1 MB, on %s', (transport) => {
  let sys: CitySystem;
  let city: ApiClient;

  beforeAll(async () => {
    sys = await startCitySystem(transport, ROOT_PASSWORD);
    city = sys.city;
  });

  afterAll(async () => {
    await sys?.close();
  });

  it('previews and imports it: SUCCEEDED, all records in, the report paged', async () => {
    const { forms, bytes } = await largeReportPackage(FORMS);
    expect([...forms[0].site.siteName].length).toBe(38);

    const preview = await importAndWait(city, bytes, '五千个网站.zip', true);
    expect(preview).toMatchObject({
      status: 'SUCCEEDED',
      report: { applied: false, dryRun: true, created: FORMS, rejected: 0, formsTotal: FORMS },
    });
    expect(preview.report.forms).toHaveLength(100);
    expect(await recordCounts(sys.infra.database.url)).toMatchObject({ records: 0, staged: 0 });

    const job = await importAndWait(city, bytes, '五千个网站.zip');
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      progress: { done: FORMS, total: FORMS },
      report: { applied: true, created: FORMS, updated: 0, unchanged: 0, rejected: 0, formsTotal: FORMS },
    });
    // One job answer stays small whatever the package: counts and the first page.
    expect(Buffer.byteLength(JSON.stringify(job))).toBeLessThan(MB / 4);
    expect(await recordCounts(sys.infra.database.url)).toEqual({
      records: FORMS,
      versions: FORMS,
      history: FORMS,
      staged: 0,
    });

    const report = await wholeReport(city, job.id, FORMS);
    expect(report.bytes).toBeGreaterThan(1.5 * MB);
    expect(new Set(report.forms.map((f) => f.formId))).toEqual(new Set(forms.map((f) => f.id)));
    expect(report.forms.every((f) => f.outcome === 'created' && (f.warnings as string[]).length === 1)).toBe(true);
  }, 600_000);
});
