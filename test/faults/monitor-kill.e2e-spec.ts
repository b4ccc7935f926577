import { createSampleForm } from '@app/forms';
import { writePackage } from '@app/package';
import { eventually, withClient } from '@app/testing';
import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { importAndWait } from '../imports/support';
import { startTestCluster, TestCluster, unitClients } from './support';

jest.setTimeout(240_000);

/** Sites answering at once, then sites whose homepages hang until released. */
const FAST = 4;
const SLOW = 8;
/** Probes each replica runs at once: fewer than the slow sites, so some stay unclaimed. */
const CONCURRENCY = 3;
/** The shortest lease the setting allows (MONITOR_LEASE_SECONDS ≥ 30). */
const LEASE_SECONDS = 30;

/** A fixture government site on a loopback address of its own (the worker goes one request at a time per host). */
interface FixtureSite {
  server: Server;
  origin: string;
  slow: boolean;
  /** Requests received, by path. */
  requests: string[];
  /** Answers held back while the gate is closed (a slow site's), until released or the client goes. */
  held: Set<ServerResponse>;
}

/** While closed, slow sites hold every answer: a probe of one is under way until the gate opens. */
const gate = { open: false, release: [] as Array<() => void> };

function page(): string {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  return `<html><head><meta charset="utf-8"><title>某某市人民政府门户网站</title></head><body>
<div class="content"><h2>要闻动态</h2><ul>
<li><a href="/news/1.htm">关于进一步加强政府网站信息内容建设的意见</a><span>${today}</span></li>
<li><a href="/news/2.htm">全省政府网站普查工作推进会召开</a><span>${today}</span></li>
</ul></div></body></html>`;
}

async function startSite(host: string, slow: boolean): Promise<FixtureSite> {
  const body = Buffer.from(page());
  const site = { slow, requests: [], held: new Set() } as unknown as FixtureSite;
  site.server = createServer((req, res) => {
    site.requests.push(new URL(req.url ?? '/', 'http://fixture').pathname);
    const answer = () => {
      site.held.delete(res);
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
      res.end(body);
    };
    if (!slow || gate.open) return answer();
    site.held.add(res);
    res.on('close', () => site.held.delete(res));
    gate.release.push(answer);
  });
  await new Promise<void>((done) => site.server.listen(0, host, done));
  site.origin = `http://${host}:${(site.server.address() as AddressInfo).port}`;
  return site;
}

/** `<host>:<pid>:<worker>[:<claim>]` (a worker's id, a claim's lease owner): the pid. */
const pidOf = (owner: string) => Number(/^.*?:(\d+):[0-9a-f]{8}(?::[0-9a-f]{8})?$/.exec(owner)?.[1]);

interface ProbeRow {
  site_code: string;
  kind: string;
  target: string;
  due_at: Date;
  probed_at: Date;
  worker: string;
  ok: boolean;
  status: number | null;
}

/**
 * Monitoring on the cluster of `npm run cluster` with two assessment replicas, each running the
 * probe worker of production (MONITOR_ENABLED) on the leased queue in PostgreSQL, against
 * fixture sites on loopback. The homepages of twelve approved sites fall due at once; four
 * answer, eight hang. The replica holding hung probes is killed with SIGKILL; what it stored
 * stays, and the other replica probes what it held once the lease runs out — each due slot
 * stored once, in the raw probes and in the daily counts.
 */
describe('monitoring: a probe worker killed (SIGKILL) while it holds claims', () => {
  let sys: TestCluster;
  const sites: FixtureSite[] = [];

  const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
    withClient(sys.cluster.databaseUrl, async (c) => (await c.query(text, params)).rows as T[]);

  beforeAll(async () => {
    for (let i = 0; i < FAST + SLOW; i++) sites.push(await startSite(`127.0.0.${70 + i}`, i >= FAST));
    sys = await startTestCluster({
      replicas: { assessment: 2 },
      appEnv: {
        assessment: {
          MONITOR_ENABLED: 'true',
          MONITOR_ALLOW_PRIVATE_TARGETS: 'true',
          MONITOR_LEASE_SECONDS: String(LEASE_SECONDS),
          MONITOR_WORKER_CONCURRENCY: String(CONCURRENCY),
          MONITOR_SYNC_INTERVAL_SECONDS: '2',
          // One homepage slot a day: a site's own slot falls in the test's minute only by rare chance.
          MONITOR_HOMEPAGE_PROBES_PER_DAY: '1',
        },
      },
    });
  });

  afterAll(async () => {
    gate.open = true;
    gate.release.splice(0).forEach((answer) => answer());
    await sys?.teardown();
    for (const site of sites) {
      site.server.closeAllConnections();
      await new Promise((done) => site.server.close(done));
    }
  });

  afterEach(() => {
    if (sys.unexpectedExits.length) console.log(sys.logs.join('\n'));
    expect(sys.unexpectedExits).toEqual([]);
  });

  it('keeps what the dead worker stored; the other replica probes its claims after the lease, each slot once', async () => {
    // Twelve sites of 秦皇岛市, approved by 河北省: coded and running, so monitored.
    const units = await unitClients(sys.api);
    const [province, city] = ['130000', '130300'].map((code) => units.get(code)!);
    const forms = sites.map((site, i) => {
      const form = createSampleForm(70_000 + i, { fillerUnit: '秦皇岛市人民政府办公室' });
      form.site.homepageUrl = `${site.origin}/`;
      form.columns = form.columns.map((column, c) => ({ ...column, url: `${site.origin}/col/${c}/` }));
      return form;
    });
    const bytes = await writePackage(forms, {
      fillerUnit: '秦皇岛市人民政府办公室',
      generator: { name: 'test', version: '1' },
    });
    expect(await importAndWait(city, bytes, '十二个网站.zip')).toMatchObject({
      status: 'SUCCEEDED',
      report: { created: FAST + SLOW },
    });
    expect((await city.post('/forms/submit-all')).body).toEqual({ submitted: FAST + SLOW });
    expect((await province.post('/forms/review-all')).body).toEqual({ approved: FAST + SLOW, forwarded: 0 });

    // The replicas' registry sync schedules each site's tasks.
    await eventually(
      async () => (await sql(`SELECT 1 FROM assessment.monitor_task WHERE kind = 'HOMEPAGE'`)).length === FAST + SLOW,
      60_000,
    );
    // The homepage slots fall due now (the fast sites' a minute earlier: claimed first); the
    // daily 栏目 and links checks are kept out of the way, a day on.
    const fastUrls = sites.filter((site) => !site.slow).map((site) => `${site.origin}/`);
    const moved = await sql<{ site_code: string; kind: string; target: string; due_at: Date }>(
      `UPDATE assessment.monitor_task
          SET due_at = CASE WHEN kind <> 'HOMEPAGE' THEN now() + interval '1 day'
                            WHEN target = ANY($1) THEN date_trunc('second', now()) - interval '2 minutes'
                            ELSE date_trunc('second', now()) - interval '1 minute' END
        WHERE lease_owner IS NULL
        RETURNING site_code, kind, target, due_at`,
      [fastUrls],
    );
    const slots = moved.filter((task) => task.kind === 'HOMEPAGE');
    expect(slots).toHaveLength(FAST + SLOW);
    const slotKey = (row: { site_code: string; target: string; due_at: Date }) =>
      `${row.site_code} ${row.target} ${row.due_at.toISOString()}`;
    const homepageProbes = () =>
      sql<ProbeRow>(
        `SELECT site_code, kind, target, due_at, probed_at, worker, ok, status FROM assessment.monitor_probe
          WHERE kind = 'HOMEPAGE' ORDER BY site_code, due_at`,
      );
    const liveClaims = () =>
      sql<{ site_code: string; target: string; due_at: Date; lease_owner: string; lease_until: Date }>(
        `SELECT site_code, target, due_at, lease_owner, lease_until FROM assessment.monitor_task
          WHERE lease_owner IS NOT NULL AND lease_until > now() ORDER BY site_code`,
      );
    const heldNow = () => sites.reduce((n, site) => n + site.held.size, 0);

    // Both replicas at work: every fast site stored, and every claim left is a probe under way
    // (its request held by a slow site).
    const claims = await eventually(
      async () => {
        const stored = await homepageProbes();
        const live = await liveClaims();
        return stored.length === FAST && live.length > 0 && live.length === heldNow() ? live : undefined;
      },
      60_000,
      100,
    );
    const [victimPid] = claims.map((claim) => pidOf(claim.lease_owner));
    const victim = [...sys.cluster.members.values()].find((member) => member.pid === victimPid)!;
    const survivor = [...sys.cluster.members.values()].find(
      (member) => member.app === 'assessment' && member !== victim,
    )!;
    expect(victim.app).toBe('assessment');
    const victimClaims = claims.filter((claim) => pidOf(claim.lease_owner) === victim.pid);
    expect(victimClaims.length).toBeGreaterThan(0);
    // Each of its claims is a slow site's homepage whose request the site holds right now.
    for (const claim of victimClaims) {
      const site = sites.find((s) => `${s.origin}/` === claim.target)!;
      expect([claim.target, site.slow, site.held.size]).toEqual([claim.target, true, 1]);
    }
    const storedBefore = await homepageProbes();
    const dailyBefore = await sql(`SELECT * FROM assessment.monitor_daily ORDER BY site_code, day`);
    expect(storedBefore.map(slotKey).sort()).toEqual(
      slots
        .filter((slot) => fastUrls.includes(slot.target))
        .map(slotKey)
        .sort(),
    );

    await sys.cluster.kill(victim.name, 'SIGKILL');
    // Dead, it still holds them in the queue: leased to it until the lease runs out.
    expect((await liveClaims()).filter((claim) => pidOf(claim.lease_owner) === victim.pid)).toEqual(victimClaims);
    // The sites answer again (the survivor's hung probes now finish); the victim's requests went with it.
    gate.open = true;
    gate.release.splice(0).forEach((answer) => answer());

    // Every due slot stored in the end: the victim's claims only once their lease ran out (a
    // slot still missing by then shows in the comparison below).
    await eventually(
      async () => {
        const done = new Set((await homepageProbes()).map(slotKey));
        return slots.every((slot) => done.has(slotKey(slot)));
      },
      LEASE_SECONDS * 1000 + 60_000,
      250,
    ).catch(() => undefined);
    const stored = await homepageProbes();

    // (2) What was stored before the kill is still there, unchanged.
    expect(stored).toEqual(expect.arrayContaining(storedBefore));
    // (3) Each moved slot stored once, and nothing else: no lost task, no double probe.
    expect(stored.map(slotKey).sort()).toEqual(slots.map(slotKey).sort());
    expect(stored.every((row) => row.ok && row.status === 200)).toBe(true);
    // The victim's claims: probed by the survivor, not before their lease ran out.
    for (const claim of victimClaims) {
      const row = stored.find((probe) => slotKey(probe) === slotKey(claim))!;
      expect(pidOf(row.worker)).toBe(survivor.pid);
      expect(row.probed_at.getTime()).toBeGreaterThanOrEqual(claim.lease_until.getTime());
      // Fetched twice: the victim's request cut by the kill, then the survivor's.
      expect(sites.find((site) => `${site.origin}/` === claim.target)!.requests.filter((p) => p === '/')).toHaveLength(
        2,
      );
    }
    // The victim stored nothing after its death: its rows are those from before.
    expect(stored.filter((row) => pidOf(row.worker) === victim.pid)).toEqual(
      storedBefore.filter((row) => pidOf(row.worker) === victim.pid),
    );
    // The queue: no claim left, every homepage moved past the slot done.
    const tasks = await sql<{ site_code: string; due_at: Date; lease_owner: string | null }>(
      `SELECT site_code, due_at, lease_owner FROM assessment.monitor_task WHERE kind = 'HOMEPAGE'`,
    );
    for (const task of tasks) {
      const slot = slots.find((s) => s.site_code === task.site_code)!;
      expect([task.site_code, task.lease_owner, task.due_at > slot.due_at]).toEqual([task.site_code, null, true]);
    }
    // The daily counts: one visit per site, none failed; the rows from before the kill only grew.
    const daily = await sql<{ site_code: string; homepage_probes: number; homepage_failures: number }>(
      `SELECT site_code, sum(homepage_probes)::int AS homepage_probes, sum(homepage_failures)::int AS homepage_failures
         FROM assessment.monitor_daily GROUP BY site_code ORDER BY site_code`,
    );
    expect(daily).toEqual(
      slots
        .map((slot) => ({ site_code: slot.site_code, homepage_probes: 1, homepage_failures: 0 }))
        .sort((a, b) => a.site_code.localeCompare(b.site_code)),
    );
    for (const row of dailyBefore)
      expect(daily.find((d) => d.site_code === row.site_code)).toMatchObject({
        homepage_probes: row.homepage_probes,
        homepage_failures: row.homepage_failures,
      });
  });
});
