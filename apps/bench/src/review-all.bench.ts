import { ApiClient, loginDownTheTree } from '@app/testing';
import { Client } from 'pg';
import { BENCH_ROOT_PASSWORD, count, startBenchSystem, waitForSeed } from './bench-system';
import { BenchResult, median } from './report';

const RECORDS = 10_000;
const PROVINCE = '130000';
const RUNS = 5;

/**
 * 全部审核 by a province of 10,000 PENDING records (every one a final approval: 标识码 and
 * 校验码, history, audit, notices and mails through the outbox), through the gateway's HTTP
 * route, beside its limit measured in the same run: one plain UPDATE of the same rows.
 */
export async function reviewAllBench(): Promise<BenchResult> {
  const bench = await startBenchSystem('review-all');
  const bus = bench.mode === 'servers' ? 'nats' : 'in-process';
  await waitForSeed(bench.db, bench.startedAt);
  const anonymous = new ApiClient(bench.baseUrl);
  const province = (await loginDownTheTree(anonymous, BENCH_ROOT_PASSWORD, [PROVINCE])).get(PROVINCE)!;
  const provinceId = (await province.get('/me')).body.orgUnitId as string;
  const owners = await count(
    bench.db,
    `SELECT count(*)::int AS n FROM hierarchy.org_unit WHERE path LIKE (SELECT path FROM hierarchy.org_unit WHERE code = '${PROVINCE}') || '%'`,
  );
  const reviewAll: number[] = [];
  const update: number[] = [];
  const seeding: number[] = [];
  const mailed: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      seeding.push(await seedPending(bench.db, provinceId));
      await drainMail(bench.db);
      const started = performance.now();
      const res = await province.post('/forms/review-all');
      reviewAll.push(performance.now() - started);
      if (res.status !== 200 && res.status !== 201)
        throw new Error(`review-all: ${res.status} ${JSON.stringify(res.body)}`);
      if (res.body.approved !== RECORDS) throw new Error(`approved ${JSON.stringify(res.body)}, expected ${RECORDS}`);
      await verify(bench.db, provinceId);
      mailed.push(await codeMailsHandedOver(bench.db));
      // The limit, on the same rows in the same database: put them back, then one UPDATE.
      await bench.db.query(
        `UPDATE review.record SET status = 'PENDING', site_code = NULL, check_code_enc = NULL, coded_at = NULL WHERE holder_org_unit_id = $1`,
        [provinceId],
      );
      await bench.db.query('VACUUM ANALYZE review.record');
      await drainMail(bench.db);
      const updateStarted = performance.now();
      await bench.db.query(
        `UPDATE review.record SET status = 'APPROVED', updated_at = now() WHERE holder_org_unit_id = $1 AND status = 'PENDING'`,
        [provinceId],
      );
      update.push(performance.now() - updateStarted);
    }
  } finally {
    await bench.stop();
  }
  const [reviewMs, updateMs] = [median(reviewAll), median(update)];
  return {
    name: 'review-all',
    targets: [
      {
        what: `全部审核 by a province of ${RECORDS.toLocaleString('en')} PENDING records (标识码, history, notices, mails)`,
        target: '≤ 1 s',
        measured: `${Math.round(reviewMs)} ms (median of ${RUNS})`,
        limit: `one UPDATE of the same rows: ${Math.round(updateMs)} ms`,
        ratio: reviewMs / updateMs,
        met: reviewMs <= 1000,
        profile:
          'Statements of the approving transaction as the PostgreSQL server logged them (servers mode, 2026-12-02, three other test runs on the machine): locking select 50–130 ms; the history rows 145–220 ms (their foreign-key checks ~100 ms), while the 10,000 校验码 are drawn and sealed; the statement that writes the rows 400–540 ms (13 btree entries per row, two of them partial, and three statement triggers), while the notices are built; commit ~100 ms. The database is the critical path; one transaction on two shared cores.',
      },
    ],
    title: `全部审核 by a province of ${RECORDS.toLocaleString('en')} PENDING records${bus === 'nats' ? ' (over NATS)' : ''}`,
    figures: [
      {
        label: 'records (owners)',
        value: `${RECORDS.toLocaleString('en')} PENDING at ${PROVINCE}, owned by ${owners} units of its subtree`,
      },
      {
        label: `POST /forms/review-all over HTTP (median of ${RUNS})`,
        value: `${Math.round(reviewMs)} ms (runs: ${reviewAll.map((ms) => Math.round(ms)).join(', ')})`,
      },
      {
        label: `limit: one UPDATE of the same rows (median of ${RUNS})`,
        value: `${Math.round(updateMs)} ms (runs: ${update.map((ms) => Math.round(ms)).join(', ')})`,
      },
      { label: 'ratio review-all ÷ UPDATE', value: `${(reviewMs / updateMs).toFixed(1)}×` },
      {
        label: `code mails: from the approval to notification holding all ${RECORDS.toLocaleString('en')}, in the background (median)`,
        value: `${(median(mailed) / 1000).toFixed(1)} s (runs: ${mailed.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s)`,
      },
      { label: 'seeding 10,000 PENDING records set-based (median)', value: `${Math.round(median(seeding))} ms` },
    ],
    notes: [
      bus === 'nats'
        ? `One process: gateway, review and the other services talking over the NATS server, the database on the PostgreSQL server, embedded S3; the machine is shared (2 cores).`
        : "One process (`npm start`'s all-in-one): gateway, review and the other services on the in-process bus, embedded PostgreSQL and S3; the machine is shared (2 cores).",
      'Every record is a final approval at the province: a 标识码 per owner (consecutive, checked after each run), a sealed 校验码, a history row each, the audit entry, an in-app notice per owner through the outbox, and a mail each queued by reference in the same transaction (one code_mail_batch row naming the 10,000 records, checked after each run); review renders the mails and hands them to notification after the commit (the figure above: how long until notification holds them all).',
      'Before each timed request the previous run’s notices, code mails and mails (10,000 .eml files) are all done, so no background work competes; the UPDATE runs on the same rows after they are put back to PENDING and vacuumed.',
      'Before/after the move of the search and chain indexes to record_site (2026-12-02, embedded, quiet machine): before, 1,748 ms beside an UPDATE of 1,076 ms; after, 987 ms beside 365 ms. Every move writes a new entry into each index of record (PostgreSQL cannot update in place when an indexed column changes, and status, holder and updated_at all are), so the two pg_trgm GINs (~30 entries per row each) and the chain GIN were paid for by every approval; in record_site they are written only when a record is created, renamed or re-addressed.',
      "What it was before: the approving transaction rendered the 10,000 code mails (~0.3 s of JS) and inserted them into the outbox (~0.3–0.8 s under load, the 校验码 in clear until delivered), its locking select read the sites' people from their versions, and the 校验码 were sealed while the database waited (a CSPRNG call per nonce). Earlier: 10,000 Intl.DateTimeFormat objects for the mails' dates (~0.5 s), the rows updated twice (moves, then codes), the mails' jsonb[] literal escaped in JS, and the people read in a second query.",
    ],
  };
}

/** 10,000 PENDING records held by the province, owned round-robin by the units of its subtree, in two statements. */
async function seedPending(db: Client, provinceId: string): Promise<number> {
  const started = performance.now();
  await db.query('DELETE FROM review.record');
  await db.query('DELETE FROM review.site_code_counter');
  await db.query(
    `WITH RECURSIVE tree AS (
       SELECT id, code, ARRAY[parent_id, id] AS chain FROM hierarchy.org_unit WHERE id = $1
       UNION ALL SELECT u.id, u.code, tree.chain || u.id FROM hierarchy.org_unit u JOIN tree ON u.parent_id = tree.id
     ), owners AS (SELECT row_number() OVER (ORDER BY code) - 1 AS n, id, code, chain FROM tree),
     total AS (SELECT count(*) AS c FROM owners)
     INSERT INTO review.record (id, owner_org_unit_id, owner_code, owner_chain, holder_org_unit_id, final_reviewer_org_unit_id, status,
                                site_name, homepage_url, region_code, region_name, current_version)
     SELECT gen_random_uuid(), o.id, o.code, o.chain, $1, $1, 'PENDING', '测试第' || i || '号政府网站',
            'http://www' || i || '.bench.gov.cn', o.code, '河北省', 1
       FROM generate_series(1, ${RECORDS}) AS i, total JOIN owners o ON true WHERE o.n = i % total.c`,
    [provinceId],
  );
  await db.query(
    `INSERT INTO review.record_version (record_id, version, content, content_hash, imported_by, imported_by_org_unit_id)
     SELECT id, 1, jsonb_build_object('siteName', site_name, 'homepageUrl', homepage_url,
              'principal', jsonb_build_object('name', '张三', 'email', 'p' || md5(id::text) || '@bench.gov.cn'),
              'contact', jsonb_build_object('name', '李四', 'email', 'c' || md5(id::text) || '@bench.gov.cn')),
            md5(id::text) || md5(id::text), 'bench', $1
       FROM review.record`,
    [provinceId],
  );
  await db.query('VACUUM ANALYZE review.record');
  await db.query('ANALYZE review.record_version');
  return performance.now() - started;
}

/**
 * Waits until the previous run's notices and mails are all done: review's outbox delivered,
 * its code mail batches handed to notification, and every mail written (.eml files), so that
 * none of that background work competes with the next measurement.
 */
async function drainMail(db: Client): Promise<void> {
  for (let waited = 0; ; waited += 200) {
    const waiting = await count(
      db,
      `SELECT ((SELECT count(*) FROM review.outbox WHERE delivered_at IS NULL)
             + (SELECT count(*) FROM review.code_mail_batch WHERE done_at IS NULL)
             + (SELECT count(*) FROM notification.mail WHERE status = 'PENDING'))::int AS n`,
    );
    if (waiting === 0) return;
    if (waited > 900_000) throw new Error('the mail did not drain in 15 minutes');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Once the run's code mail batch is done: from the approval to notification holding its last mail, in ms. */
async function codeMailsHandedOver(db: Client): Promise<number> {
  for (let waited = 0; ; waited += 100) {
    const { rows } = await db.query(
      `SELECT (extract(epoch FROM done_at - approved_at) * 1000)::float8 AS ms FROM review.code_mail_batch
        WHERE total = ${RECORDS} ORDER BY id DESC LIMIT 1`,
    );
    if (rows[0]?.ms != null) return rows[0].ms as number;
    if (waited > 900_000) throw new Error('the code mails were not handed over in 15 minutes');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** After each run: every record APPROVED, codes consecutive from 0001 per owner, one history row each. */
async function verify(db: Client, provinceId: string): Promise<void> {
  const bad = await count(
    db,
    `SELECT count(*)::int AS n FROM (
       SELECT owner_code, count(*) AS c, min(right(site_code, 4)::int) AS lo, max(right(site_code, 4)::int) AS hi,
              count(DISTINCT site_code) AS d, bool_and(site_code LIKE owner_code || '____') AS prefixed
         FROM review.record WHERE holder_org_unit_id = '${provinceId}' AND status = 'APPROVED' GROUP BY owner_code
     ) s WHERE lo <> 1 OR hi <> c OR d <> c OR NOT prefixed`,
  );
  const approved = await count(
    db,
    `SELECT count(*)::int AS n FROM review.record WHERE status = 'APPROVED' AND site_code IS NOT NULL AND check_code_enc IS NOT NULL`,
  );
  const history = await count(
    db,
    `SELECT count(*)::int AS n FROM review.record_history WHERE action = 'approve' AND to_status = 'APPROVED'`,
  );
  // The code mails of every record, queued with the approval: one batch naming them all.
  const queued = await count(
    db,
    `SELECT count(*)::int AS n FROM review.code_mail_batch b
      WHERE b.id = (SELECT max(id) FROM review.code_mail_batch)
        AND b.record_ids @> (SELECT array_agg(id) FROM review.record WHERE holder_org_unit_id = '${provinceId}')
        AND b.total = ${RECORDS}`,
  );
  if (bad !== 0 || approved !== RECORDS || history !== RECORDS || queued !== 1)
    throw new Error(
      `after review-all: ${bad} owners with bad codes, ${approved} coded, ${history} history rows, ${queued} mail batches`,
    );
}
