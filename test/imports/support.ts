import { ApiClient, eventually, withClient } from '@app/testing';

/** Uploads a package as the console does (multipart field `file`) and returns the response. */
export async function upload(client: ApiClient, bytes: Uint8Array, fileName: string, dryRun = false) {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(bytes)]), fileName);
  const res = await fetch(`${client.baseUrl}/api/v1/imports?dryRun=${dryRun}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${client.token}` },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
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
      (SELECT count(*) FROM review.import_stage)::int AS staged`);
    return rows[0];
  });
}
