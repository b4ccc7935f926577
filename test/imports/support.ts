import { createSampleForm, SiteForm } from '@app/forms';
import { writePackage } from '@app/package';
import {
  ApiClient,
  eventually,
  loginDownTheTree,
  startTestInfrastructure,
  TestInfrastructure,
  TransportKind,
  withClient,
} from '@app/testing';
import type { AppConfig } from '@app/platform';
import { prepareStage } from '../../apps/intake/src/jobs/prepare-stage';
import { RunningSystem, startSystem, untilStarted } from '../../apps/standalone/src/system';

/** Uploads a package as the console does (multipart field `file`) and returns the response. */
export async function upload(client: ApiClient, bytes: Uint8Array, fileName: string, dryRun = false) {
  return client.upload(`/imports?dryRun=${dryRun}`, bytes, fileName);
}

/** Uploads and waits for the job to end; returns the job as GET /imports/:id shows it. */
export async function importAndWait(client: ApiClient, bytes: Uint8Array, fileName: string, dryRun = false) {
  const started = await upload(client, bytes, fileName, dryRun);
  if (started.status !== 202) throw new Error(`upload refused: ${started.status} ${JSON.stringify(started.body)}`);
  return jobEnded(client, started.body.jobId);
}

/** Waits for an import job to end (SUCCEEDED or FAILED); returns it as GET /imports/:id shows it. */
export function jobEnded(client: ApiClient, jobId: string, timeoutMs = 120_000, intervalMs = 150) {
  return eventually(
    async () => {
      const job = await client.get(`/imports/${jobId}`);
      return job.body.status === 'SUCCEEDED' || job.body.status === 'FAILED' ? job.body : undefined;
    },
    timeoutMs,
    intervalMs,
  );
}

/** Row counts of everything an import may write. */
export function recordCounts(databaseUrl: string): Promise<Record<string, number>> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query(`SELECT
      (SELECT count(*) FROM review.record)::int AS records,
      (SELECT count(*) FROM review.record_version)::int AS versions,
      (SELECT count(*) FROM review.record_history)::int AS history,
      (SELECT count(*) FROM intake.import_stage)::int AS staged`);
    return rows[0];
  });
}

/**
 * Stages forms for a job as intake does (prepareStage, then the rows into intake.import_stage):
 * what review's commit reads by reference. Answers how many rows were staged.
 */
export async function stageForms(databaseUrl: string, jobId: string, forms: SiteForm[]): Promise<number> {
  const prepared = prepareStage({ forms, invalid: [] }, true);
  await withClient(databaseUrl, async (client) => {
    for (const batch of prepared.batches)
      await client.query(
        `INSERT INTO intake.import_stage (job_id, seq, form_id, site_name, homepage_url, content, content_hash, errors)
         SELECT $1, x.seq, x.form_id, x.site_name, x.homepage_url, x.content, x.content_hash, x.errors
           FROM jsonb_to_recordset($2::jsonb) AS x(seq int, form_id text, site_name text, homepage_url text, content jsonb, content_hash text, errors jsonb)`,
        [jobId, batch],
      );
  });
  return prepared.forms + prepared.invalid;
}

/**
 * The n-th form of a package whose report is well over 1 MB: a 38-character site name (the
 * length that once took review's reply past NATS's limit after it had committed), and a
 * homepage shared with its neighbour, so every form's report row carries a warning too.
 */
export function largeReportForm(n: number): SiteForm {
  const form = createSampleForm(n);
  const suffix = `（第${n + 1}号）`;
  const siteName =
    `河北省秦皇岛市政务服务与政府信息公开综合门户网站集约化平台子站`.repeat(2).slice(0, 38 - suffix.length) + suffix;
  return {
    ...form,
    site: { ...form.site, siteName, homepageUrl: `http://www.shared${Math.floor(n / 2)}.example.gov.cn` },
  };
}

/**
 * 秦皇岛市's package of `count` largeReportForm forms: 5,000 of them make a report of about
 * 2 MB, twice what one bus message may carry.
 */
export async function largeReportPackage(count: number): Promise<{ forms: SiteForm[]; bytes: Uint8Array }> {
  const forms = Array.from({ length: count }, (_, n) => largeReportForm(n));
  const bytes = await writePackage(forms, {
    fillerUnit: '秦皇岛市人民政府办公室',
    generator: { name: 'test', version: '1' },
  });
  return { forms, bytes };
}

/**
 * Every row of a job's report through the API, 100 a page until an empty page (each page
 * answers 200 with the whole report's `total`), and the bytes the rows take as JSON.
 */
export async function wholeReport(
  client: ApiClient,
  jobId: string,
  total: number,
): Promise<{ forms: Array<Record<string, unknown>>; bytes: number }> {
  const forms: Array<Record<string, unknown>> = [];
  let bytes = 0;
  for (let page = 1; ; page++) {
    const res = await client.get(`/imports/${jobId}/report?page=${page}&pageSize=100`);
    expect([page, res.status, res.body.total]).toEqual([page, 200, total]);
    expect(res.body.items.length).toBeLessThanOrEqual(100);
    if (res.body.items.length === 0) break;
    forms.push(...res.body.items);
    bytes += Buffer.byteLength(JSON.stringify(res.body.items));
  }
  return { forms, bytes };
}

/** The whole system on its own infrastructure and transport, with 秦皇岛市 (130300) logged in down the tree. */
export interface CitySystem {
  infra: TestInfrastructure;
  system: RunningSystem;
  city: ApiClient;
  close(): Promise<void>;
}

export async function startCitySystem(
  transport: TransportKind,
  rootPassword: string,
  settings: Partial<AppConfig> = {},
): Promise<CitySystem> {
  const infra = await startTestInfrastructure();
  const config = infra.config({ ROOT_PASSWORD: rootPassword, ...settings });
  let system: RunningSystem;
  try {
    system = await startSystem({ config, transport: infra.transport(transport, config) });
  } catch (err) {
    await infra.teardown();
    throw err;
  }
  await untilStarted(system);
  const anonymous = new ApiClient((await system.gateway.getUrl()).replace('[::1]', '127.0.0.1'));
  const city = (await loginDownTheTree(anonymous, rootPassword, ['130000', '130300'])).get('130300')!;
  return {
    infra,
    system,
    city,
    close: async () => {
      await system.close();
      await infra.teardown();
    },
  };
}
