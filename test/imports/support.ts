import { SiteForm } from '@app/forms';
import { ApiClient, eventually, withClient } from '@app/testing';
import { prepareStage } from '../../apps/intake/src/jobs/prepare-stage';

/** Uploads a package as the console does (multipart field `file`) and returns the response. */
export async function upload(client: ApiClient, bytes: Uint8Array, fileName: string, dryRun = false) {
  return client.upload(`/imports?dryRun=${dryRun}`, bytes, fileName);
}

/** Uploads and waits for the job to end; returns the job as GET /imports/:id shows it. */
export async function importAndWait(client: ApiClient, bytes: Uint8Array, fileName: string, dryRun = false) {
  const started = await upload(client, bytes, fileName, dryRun);
  if (started.status !== 202) throw new Error(`upload refused: ${started.status} ${JSON.stringify(started.body)}`);
  return eventually(
    async () => {
      const job = await client.get(`/imports/${started.body.jobId}`);
      return job.body.status === 'SUCCEEDED' || job.body.status === 'FAILED' ? job.body : undefined;
    },
    120_000,
    150,
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
