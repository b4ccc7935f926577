import { createSampleForm, SiteForm } from '@app/forms';
import { BusClient } from '@app/platform';
import { ApiClient, eventually } from '@app/testing';
import * as iconv from 'iconv-lite';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { AssessmentConfig } from '../../apps/assessment/src/assessment.settings';
import { MonitorRuntime } from '../../apps/assessment/src/monitoring/monitor-runtime';
import { MonitorWorker, MonitorWorkerOptions } from '../../apps/assessment/src/monitoring/monitor-worker';
import { columnHtml } from '../../apps/assessment/src/monitoring/probe/fixture-site';
import { beijingDayStart, DAY_MS } from '../../apps/assessment/src/monitoring/schedule';
import { ReviewSystem, Unit } from '../review/support/review-system';

const HOUR = 3_600_000;
/** The simulated monitoring: the 15 Beijing days before today, driven by the worker's clock. */
const SIM_END = beijingDayStart(Date.now());
const SIM_START = SIM_END - 15 * DAY_MS;
const day = (at: number) => new Date(at + 8 * HOUR).toISOString().slice(0, 10);
const FROM = day(SIM_START);
const TO = day(SIM_END - DAY_MS);

interface Behaviour {
  /** Every n-th homepage request answers 503. */
  failEvery?: number;
  /** The newest homepage item is this many days before SIM_END's day (1: the last simulated day). */
  newestDaysAgo?: number;
  gbk?: boolean;
  blankColumns?: number;
  deadLinks?: number;
}

/** A fixture government site on its own loopback address, with the behaviour asked for. */
interface Fixture {
  name: string;
  behaviour: Behaviour;
  server: Server;
  origin: string;
  homepageRequests: number;
  requests: number;
}

const NEWS = ['关于进一步加强政府网站信息内容建设的意见', '全省政府网站普查工作推进会召开', '政府信息公开工作年度报告'];

function homepage(behaviour: Behaviour): Buffer {
  const items: string[] = [];
  // Items dated each day from SIM_END (today) back: the worker's clock ignores the future ones.
  const first = behaviour.newestDaysAgo ?? 0;
  for (let i = 0; i < 20; i++) {
    const date = day(SIM_END - (first + i) * DAY_MS);
    const [y, m, d] = date.split('-');
    const shown = behaviour.gbk ? `${y}年${Number(m)}月${Number(d)}日` : date;
    items.push(`<li><a href="/news/${i}.htm">${NEWS[i % NEWS.length]}（第${i + 1}期）</a><span>${shown}</span></li>`);
  }
  for (let i = 0; i < (behaviour.deadLinks ?? 0); i++)
    items.push(`<li><a href="/dead/${i}.htm">已经失效的政务公开页面${i + 1}</a></li>`);
  const html = `<html><head><meta ${behaviour.gbk ? 'http-equiv="Content-Type" content="text/html; charset=gb2312"' : 'charset="utf-8"'}>
<title>某某市人民政府门户网站</title></head><body>
<div class="content"><h2>要闻动态</h2><ul>${items.join('\n')}</ul></div></body></html>`;
  return behaviour.gbk ? iconv.encode(html, 'gbk') : Buffer.from(html);
}

async function startFixture(name: string, host: string, behaviour: Behaviour): Promise<Fixture> {
  const fixture = { name, behaviour, homepageRequests: 0, requests: 0 } as Fixture;
  const page = homepage(behaviour);
  const send = (res: ServerResponse, status: number, body: Buffer | string, type = 'text/html; charset=utf-8') => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    fixture.requests++;
    const path = new URL(req.url ?? '/', 'http://fixture').pathname;
    if (path === '/') {
      fixture.homepageRequests++;
      if (behaviour.failEvery && fixture.homepageRequests % behaviour.failEvery === 0)
        return send(res, 503, '<html><body>服务暂不可用</body></html>');
      return send(res, 200, page, behaviour.gbk ? 'text/html' : 'text/html; charset=utf-8');
    }
    if (path.startsWith('/news/')) return send(res, 200, columnHtml(3));
    if (path.startsWith('/col/')) return send(res, 200, columnHtml(path.startsWith('/col/blank') ? 0 : 12));
    send(res, 404, '<html><body>页面不存在</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  fixture.server = server;
  fixture.origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  return fixture;
}

function formFor(n: number, fixture: Fixture): SiteForm {
  const form = createSampleForm(n, { columnCount: fixture.behaviour.blankColumns ?? 3 });
  form.site.homepageUrl = `${fixture.origin}/`;
  form.columns = form.columns.map((column, i) => ({
    ...column,
    url: `${fixture.origin}/col/${i < (fixture.behaviour.blankColumns ?? 0) ? 'blank' : 'list'}${i}/`,
  }));
  return form;
}

/**
 * 监测 over the real system: approved sites of 海港区 (130302, under 秦皇岛市 130300, under
 * 河北省 130000) whose homepages are fixture sites on loopback. The registry is synced from
 * review over the bus and the real probe worker runs what is due on a simulated clock, an hour
 * at a time over the 15 days before today (MONITOR_ENABLED=false: the service runs nothing of
 * its own meanwhile); the API then answers what it stored and proposes.
 */
describe('monitoring (监测)', () => {
  let sys: ReviewSystem;
  let county: Unit;
  let city: Unit;
  let province: Unit;
  let sibling: Unit;
  let root: ApiClient;
  let runtime: MonitorRuntime;
  let clock = SIM_START;
  const fixtures = new Map<string, Fixture>();
  const codes = new Map<string, string>();
  const siteClients = new Map<string, ApiClient>();

  const BEHAVIOURS: Record<string, Behaviour> = {
    fresh: { newestDaysAgo: 0 },
    flaky: { newestDaysAgo: 0, failEvery: 10 },
    stale: { newestDaysAgo: 22 },
    gbk: { newestDaysAgo: 0, gbk: true },
    blank: { newestDaysAgo: 0, blankColumns: 6 },
    broken: { newestDaysAgo: 0, deadLinks: 2 },
  };

  const worker = (options: Partial<MonitorWorkerOptions> = {}) =>
    new MonitorWorker(runtime.repository, {
      perDay: 24,
      concurrency: 8,
      leaseMs: 120_000,
      linksPerDay: 50,
      allowPrivateTargets: true,
      now: () => clock,
      ...options,
    });

  beforeAll(async () => {
    sys = await ReviewSystem.start({
      config: { MONITOR_ENABLED: 'false', MONITOR_ALLOW_PRIVATE_TARGETS: 'true' },
    });
    const names = Object.keys(BEHAVIOURS);
    for (const [i, name] of names.entries())
      fixtures.set(name, await startFixture(name, `127.0.0.${20 + i}`, BEHAVIOURS[name]));
    [county, city, province, sibling] = await Promise.all(
      ['130302', '130300', '130000', '130100'].map((code) => sys.unit(code)),
    );
    root = await eventually(async () => {
      const client = await sys.anonymous.login('bm0100', 'Root-Pass-2026');
      return (await client.get('/me')).body.orgUnitId ? client : undefined;
    });
    const forms = names.map((name, i) => formFor(30 + i, fixtures.get(name)!));
    await sys.importForms(county, forms);
    for (const [i, form] of forms.entries()) {
      expect((await county.client.post(`/forms/${form.id}/submit`)).status).toBe(200);
      expect((await city.client.post(`/forms/${form.id}/approve`)).status).toBe(200);
      expect((await province.client.post(`/forms/${form.id}/approve`)).status).toBe(200);
      const { siteCode, checkCode } = await sys.siteCodes(form.id);
      codes.set(names[i], siteCode);
      siteClients.set(names[i], await sys.anonymous.siteLogin(siteCode, checkCode));
    }
    runtime = sys.system.services.get('assessment')!.get(MonitorRuntime);
  }, 240_000);

  afterAll(async () => {
    await sys?.close();
    for (const fixture of fixtures.values()) {
      fixture.server.closeAllConnections();
      await new Promise((resolve) => fixture.server.close(resolve));
    }
  });

  const path = (name: string) => `/sites/${codes.get(name)}/monitoring`;

  it('syncs the running sites from review into the registry, with their homepage and 栏目 tasks', async () => {
    expect(await runtime.registry.sync(SIM_START)).toMatchObject({ sites: 6, dropped: 0 });
    const tasks = await sys.sql<{ site_code: string; kind: string; n: number }>(
      `SELECT site_code, kind, count(*)::int AS n FROM assessment.monitor_task GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const blank = tasks.filter((t) => t.site_code === codes.get('blank'));
    expect(blank.map((t) => [t.kind, t.n])).toEqual([
      ['COLUMN', 6],
      ['HOMEPAGE', 1],
      ['LINKS', 1],
    ]);
    // Each task first due at its own slot after the sync, within a day.
    const due = await sys.sql<{ due_at: Date }>(`SELECT due_at FROM assessment.monitor_task`);
    for (const { due_at } of due) {
      expect(due_at.getTime()).toBeGreaterThan(SIM_START);
      expect(due_at.getTime()).toBeLessThanOrEqual(SIM_START + DAY_MS);
    }
  });

  it('probes every site 24 times a day and every 栏目 and the links daily over 15 simulated days', async () => {
    // The clock moves an hour at a time (the last tick of a day just before midnight, so every
    // probe runs on the Beijing day it was due); each tick runs what fell due since the last.
    const probeWorker = worker();
    for (let dayStart = SIM_START; dayStart < SIM_END; dayStart += DAY_MS)
      for (let hour = 1; hour <= 24; hour++) {
        clock = dayStart + hour * HOUR - 1;
        await probeWorker.runDue();
      }
    const rows = await sys.sql<{ site_code: string; days: number; min: number; max: number }>(
      `SELECT site_code, count(*)::int AS days, min(homepage_probes)::int AS min, max(homepage_probes)::int AS max
         FROM assessment.monitor_daily WHERE day BETWEEN $1 AND $2 GROUP BY site_code`,
      [FROM, TO],
    );
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row).toMatchObject({ days: 15, min: 24, max: 24 });
    // One stored probe per slot: the raw table holds each (site, task, slot) once.
    const [{ probes, slots }] = await sys.sql(
      `SELECT count(*)::int AS probes, count(DISTINCT (site_code, kind, target, due_at))::int AS slots
         FROM assessment.monitor_probe WHERE kind = 'HOMEPAGE'`,
    );
    expect(probes).toBe(slots);
    expect(probes).toBe(6 * 15 * 24);
    // Partitioned by day.
    const partitions = await sys.sql(
      `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'monitor_probe'`,
    );
    expect(partitions.length).toBeGreaterThanOrEqual(15);
  }, 300_000);

  it('proposes no veto for a site up and fresh, and shows its days in the agreed shape', async () => {
    const res = await county.client.get(`${path('fresh')}?from=${FROM}&to=${TO}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(
      ['siteCode', 'siteName', 'homepageUrl', 'monitored', 'probesPerDay', 'from', 'to', 'days', 'proposals'].sort(),
    );
    expect(res.body).toMatchObject({
      siteCode: codes.get('fresh'),
      homepageUrl: `${fixtures.get('fresh')!.origin}/`,
      monitored: true,
      probesPerDay: 24,
      from: FROM,
      to: TO,
      proposals: [],
    });
    expect(res.body.days).toHaveLength(15);
    const last = res.body.days.at(-1);
    expect(Object.keys(last).sort()).toEqual(
      [
        'day',
        'homepageProbes',
        'homepageFailures',
        'failuresByCause',
        'availability',
        'homepageNewest',
        'columns',
        'blankColumns',
        'linksChecked',
        'brokenLinks',
        'broken',
      ].sort(),
    );
    expect(last).toMatchObject({
      day: TO,
      homepageProbes: 24,
      homepageFailures: 0,
      failuresByCause: {},
      availability: 100,
      homepageNewest: TO,
      blankColumns: 0,
      brokenLinks: 0,
      broken: [],
    });
    expect(last.linksChecked).toBeGreaterThan(0);
    expect(last.columns).toHaveLength(3);
    expect(Object.keys(last.columns[0]).sort()).toEqual(
      ['name', 'url', 'category', 'ok', 'cause', 'newest', 'blank'].sort(),
    );
    expect(last.columns.find((c: { name: string }) => c.name === '政务公开')).toEqual({
      name: '政务公开',
      url: `${fixtures.get('fresh')!.origin}/col/list0/`,
      category: 'information',
      ok: true,
      cause: null,
      newest: '2015-03-02',
      blank: false,
    });
  });

  it('proposes 站点无法访问 for a homepage down 10% of the time', async () => {
    const res = await county.client.get(`${path('flaky')}?from=${FROM}&to=${TO}`);
    const days = res.body.days as Array<{ homepageFailures: number; failuresByCause: Record<string, number> }>;
    const failures = days.reduce((sum, d) => sum + d.homepageFailures, 0);
    // Every 10th of the 375 homepage requests fails: 37, less those that hit one of the 15 daily
    // link checks (which fetch the homepage too) rather than a visit.
    expect(failures).toBeGreaterThanOrEqual(37 - 15);
    expect(failures).toBeLessThanOrEqual(37);
    expect(days.every((d) => Object.keys(d.failuresByCause).every((cause) => cause === 'http-status'))).toBe(true);
    const veto = res.body.proposals.find((p: { key: string }) => p.key === 'site-unreachable');
    expect(veto).toMatchObject({ name: '站点无法访问', kind: 'veto', value: true });
    expect(veto.evidence.visits).toBe(360);
    expect(veto.evidence.percent).toBeGreaterThanOrEqual(5);
    expect(res.body.proposals.map((p: { key: string }) => p.key)).not.toContain('site-not-updated');
  });

  it('proposes 网站不更新 for a homepage whose newest item is 3 weeks old', async () => {
    const res = await county.client.get(`${path('stale')}?from=${FROM}&to=${TO}`);
    expect(res.body.days.at(-1).homepageNewest).toBe(day(SIM_END - 22 * DAY_MS));
    expect(res.body.proposals.map((p: { key: string }) => p.key)).toEqual(['site-not-updated']);
    expect(res.body.proposals[0]).toMatchObject({
      kind: 'veto',
      evidence: { monitoredDays: 15, newest: day(SIM_END - 22 * DAY_MS) },
    });
  });

  it('reads the publish dates of a GBK homepage', async () => {
    const res = await county.client.get(`${path('gbk')}?from=${FROM}&to=${TO}`);
    // Each day the newest item not after that day: 2026年11月30日 read as 2026-11-30.
    for (const d of res.body.days) expect(d.homepageNewest).toBe(d.day);
    expect(res.body.proposals).toEqual([]);
  });

  it('proposes 栏目不更新 for 6 blank columns', async () => {
    const res = await county.client.get(`${path('blank')}?from=${FROM}&to=${TO}`);
    const last = res.body.days.at(-1);
    expect(last.blankColumns).toBe(6);
    expect(last.columns.every((c: { blank: boolean; ok: boolean }) => c.blank && c.ok)).toBe(true);
    const veto = res.body.proposals.find((p: { key: string }) => p.key === 'columns-not-updated');
    expect(veto).toMatchObject({ name: '栏目不更新', kind: 'veto', value: true, evidence: { blankDay: TO } });
    expect(veto.evidence.blank).toHaveLength(6);
    expect(veto.text).toContain('6个空白栏目');
  });

  it('proposes the 链接可用性 deduction for broken links', async () => {
    const res = await county.client.get(`${path('broken')}?from=${FROM}&to=${TO}`);
    const last = res.body.days.at(-1);
    expect(last.brokenLinks).toBe(2);
    expect(last.broken).toEqual(
      expect.arrayContaining([
        { url: `${fixtures.get('broken')!.origin}/dead/0.htm`, cause: 'http-status', status: 404 },
        { url: `${fixtures.get('broken')!.origin}/dead/1.htm`, cause: 'http-status', status: 404 },
      ]),
    );
    expect(res.body.proposals).toEqual([
      expect.objectContaining({ key: 'link-availability', name: '链接可用性', kind: 'deduction', value: 2 }),
    ]);
  });

  it('lets two workers share the queue without probing anything twice', async () => {
    clock = SIM_END + 2 * HOUR;
    const due = await sys.sql<{ n: number; fetches: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE kind IN ('HOMEPAGE', 'LINKS'))::int AS fetches
         FROM assessment.monitor_task WHERE due_at <= $1`,
      [new Date(clock)],
    );
    const before = [...fixtures.values()].reduce((sum, f) => sum + f.homepageRequests, 0);
    const [a, b] = [worker({ concurrency: 2 }), worker({ concurrency: 2 })];
    const [doneA, doneB] = await Promise.all([a.runDue(), b.runDue()]);
    expect(doneA + doneB).toBe(due[0].n);
    expect(due[0].n).toBeGreaterThanOrEqual(6);
    // Each homepage fetched once per task that needs it: nobody probed a task twice.
    const after = [...fixtures.values()].reduce((sum, f) => sum + f.homepageRequests, 0);
    expect(after - before).toBe(due[0].fetches);
    const [{ left }] = await sys.sql(`SELECT count(*)::int AS left FROM assessment.monitor_task WHERE due_at <= $1`, [
      new Date(clock),
    ]);
    expect(left).toBe(0);
  });

  it("takes over a killed worker's claims once its lease runs out; its late results are not stored", async () => {
    clock = SIM_END + 4 * HOUR;
    const killed = worker({ leaseMs: 60_000 });
    const claimed = await killed.claim(100);
    expect(claimed.length).toBeGreaterThanOrEqual(6);
    // The worker dies here holding its claims: nobody else takes them while the lease holds.
    const successor = worker({ leaseMs: 60_000 });
    expect(await successor.runDue()).toBe(0);
    clock += 61_000;
    // (A daily task falling due in that minute is taken too.)
    expect(await successor.runDue()).toBeGreaterThanOrEqual(claimed.length);
    // Had it only stalled, what it stores now is refused: each due probe is stored once.
    for (const task of claimed.slice(0, 3)) expect(await killed.perform(task)).toBe(false);
    for (const task of claimed) {
      const rows = await sys.sql(
        `SELECT worker FROM assessment.monitor_probe WHERE site_code = $1 AND kind = $2 AND target = $3 AND due_at = $4`,
        [task.siteCode, task.kind, task.target, task.dueAt],
      );
      expect(rows).toEqual([{ worker: successor.id }]);
    }
  });

  it('refuses private targets when MONITOR_ALLOW_PRIVATE_TARGETS is false (SSRF)', async () => {
    clock = SIM_END + 6 * HOUR;
    const before = [...fixtures.values()].reduce((sum, f) => sum + f.requests, 0);
    const guarded = worker({ allowPrivateTargets: false });
    expect(await guarded.runDue()).toBeGreaterThanOrEqual(6);
    expect([...fixtures.values()].reduce((sum, f) => sum + f.requests, 0)).toBe(before);
    const rows = await sys.sql<{ ok: boolean; cause: string }>(
      `SELECT DISTINCT ok, cause FROM assessment.monitor_probe WHERE worker = $1`,
      [guarded.id],
    );
    expect(rows).toEqual([{ ok: false, cause: 'refused-target' }]);
  });

  it('shows a site its own monitoring, its owner and the units above; others get 404', async () => {
    const own = await siteClients.get('fresh')!.get(path('fresh'));
    expect(own.status).toBe(200);
    // Default range: the last 7 days, today included.
    expect(own.body.to).toBe(day(Date.now()));
    expect(own.body.from).toBe(day(beijingDayStart(Date.now()) - 6 * DAY_MS));
    for (const client of [county.client, city.client, province.client, root])
      expect((await client.get(path('fresh'))).status).toBe(200);
    for (const client of [sibling.client, siteClients.get('stale')!]) {
      const refused = await client.get(path('fresh'));
      expect(refused.status).toBe(404);
      expect(refused.body).toEqual({ code: 'SITE_NOT_FOUND', message: '未找到该网站，或无权查看其评分' });
    }
  });

  it.each([
    ['from=2026-02-30', '开始日期应为有效日期，格式为 YYYY-MM-DD'],
    ['to=tomorrow', '结束日期应为有效日期，格式为 YYYY-MM-DD'],
    ['from=2026-03-02&to=2026-03-01', '开始日期不能晚于结束日期'],
    ['from=2025-01-01&to=2026-01-02', '查询范围不能超过366天'],
  ])('refuses the range %s', async (query, message) => {
    const res = await county.client.get(`${path('fresh')}?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).toContain(message);
  });

  it('probes a homepage now for the units above the owner and the root, rate-limited and audited', async () => {
    const probePath = (name: string) => `/sites/${codes.get(name)}/probe`;
    // The owner itself and the site may not; outside the subtree the site does not exist.
    const owner = await county.client.post(probePath('fresh'));
    expect(owner.status).toBe(403);
    expect(owner.body).toMatchObject({ code: 'FORBIDDEN', message: '立即探测由网站主办单位的上级单位发起' });
    expect((await siteClients.get('fresh')!.post(probePath('fresh'))).status).toBe(403);
    expect((await sibling.client.post(probePath('fresh'))).body.code).toBe('SITE_NOT_FOUND');

    const probed = await city.client.post(probePath('fresh'));
    expect(probed.status).toBe(200);
    expect(Object.keys(probed.body).sort()).toEqual(
      ['url', 'ok', 'cause', 'causeLabel', 'status', 'elapsedMs', 'newestDate', 'blank', 'linksFound', 'at'].sort(),
    );
    expect(probed.body).toMatchObject({
      url: `${fixtures.get('fresh')!.origin}/`,
      ok: true,
      cause: null,
      causeLabel: null,
      status: 200,
      newestDate: day(Date.now()),
      linksFound: expect.any(Number),
    });
    expect(probed.body.linksFound).toBeGreaterThanOrEqual(20);
    const again = await province.client.post(probePath('fresh'));
    expect(again.status).toBe(429);
    expect(again.body).toMatchObject({ code: 'RATE_LIMITED', message: '该网站刚刚探测过，请60秒后再试' });

    // A failing homepage: the cause in Chinese.
    const flaky = fixtures.get('flaky')!;
    flaky.homepageRequests = 9; // the next request is the 10th: 503
    const failed = await root.post(probePath('flaky'));
    expect(failed.body).toMatchObject({ ok: false, cause: 'http-status', causeLabel: 'HTTP 状态码异常', status: 503 });

    const audited = await eventually(async () => {
      const rows = await sys.sql(
        `SELECT actor_username, details FROM identity.audit_log WHERE action = 'monitoring.probe' ORDER BY at`,
      );
      return rows.length === 2 ? rows : undefined;
    });
    expect(audited[0]).toMatchObject({
      actor_username: '130300',
      details: { siteCode: codes.get('fresh'), ok: true, url: `${fixtures.get('fresh')!.origin}/` },
    });
    expect(audited[1]).toMatchObject({
      details: { siteCode: codes.get('flaky'), ok: false, causeLabel: 'HTTP 状态码异常' },
    });
    const [{ manual }] = await sys.sql(
      `SELECT count(*)::int AS manual FROM assessment.monitor_probe WHERE kind = 'MANUAL'`,
    );
    expect(manual).toBe(2);
  });

  it('runs on its own when enabled: syncs at start, keeps partitions ahead, probes what falls due', async () => {
    const app = sys.system.services.get('assessment')!;
    const own = new MonitorRuntime(app.get(DataSource), app.get(BusClient), {
      ...sys.runtime.config,
      MONITOR_ENABLED: true,
      MONITOR_ALLOW_PRIVATE_TARGETS: true,
      MONITOR_HOMEPAGE_PROBES_PER_DAY: 24,
      MONITOR_WORKER_CONCURRENCY: 4,
      MONITOR_LEASE_SECONDS: 120,
      MONITOR_SYNC_INTERVAL_SECONDS: 600,
      MONITOR_LINKS_PER_DAY: 5,
      MONITOR_MANUAL_PROBE_INTERVAL_SECONDS: 60,
    } as AssessmentConfig);
    const synced = () =>
      sys.sql<{ n: number }>(`SELECT count(*)::int AS n FROM assessment.monitor_site WHERE synced_at > $1`, [
        new Date(SIM_END),
      ]);
    own.onApplicationBootstrap();
    try {
      await eventually(async () => (await synced())[0].n === 6, 30_000);
      // The day after tomorrow's partition: only the maintenance makes it ahead.
      const ahead = `monitor_probe_${day(Date.now() + 2 * DAY_MS).replace(/-/g, '')}`;
      await eventually(async () => {
        const rows = await sys.sql(`SELECT 1 FROM pg_class WHERE relname = $1`, [ahead]);
        return rows.length === 1;
      }, 30_000);
      await sys.sql(`UPDATE assessment.monitor_task SET due_at = now() WHERE site_code = $1 AND kind = 'HOMEPAGE'`, [
        codes.get('fresh'),
      ]);
      // (It runs whatever else is due by the real clock too.)
      const probed = await eventually(async () => {
        const rows = await sys.sql(
          `SELECT ok, newest FROM assessment.monitor_probe WHERE worker = $1 AND site_code = $2 AND kind = 'HOMEPAGE'`,
          [own.worker.id, codes.get('fresh')],
        );
        return rows.length > 0 ? rows : undefined;
      }, 30_000);
      expect(probed[0]).toEqual({ ok: true, newest: expect.any(Date) });
    } finally {
      await own.onApplicationShutdown();
    }
  });

  it('drops a site from the registry and the schedule once review no longer lists it as running', async () => {
    const [{ id }] = await sys.sql(`SELECT id FROM review.record WHERE site_code = $1`, [codes.get('stale')]);
    const close = { kind: 'CLOSE', reason: '网站改版', expectedReopenDate: '2099-03-01' };
    expect((await county.client.post(`/forms/${id}/lifecycle-request`, close)).status).toBe(200);
    expect((await city.client.post(`/forms/${id}/approve`)).status).toBe(200);
    expect((await province.client.post(`/forms/${id}/approve`)).status).toBe(200);
    expect(await runtime.registry.sync(Date.now())).toMatchObject({ sites: 5, dropped: 1 });
    const [{ tasks }] = await sys.sql(
      `SELECT count(*)::int AS tasks FROM assessment.monitor_task WHERE site_code = $1`,
      [codes.get('stale')],
    );
    expect(tasks).toBe(0);
    const res = await county.client.get(`${path('stale')}?from=${FROM}&to=${TO}`);
    expect(res.body).toMatchObject({ monitored: false, homepageUrl: null });
    // The days already stored stay.
    expect(res.body.days).toHaveLength(15);
  });
  it('keeps partitions ahead, drops raw probes after 30 days and daily rows after a year', async () => {
    const partitions = async () =>
      (
        await sys.sql<{ name: string }>(
          `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'monitor_probe' ORDER BY 1`,
        )
      ).map((row) => row.name);
    const name = (at: number) => `monitor_probe_${day(at).replace(/-/g, '')}`;
    const [chain] = await sys.sql(`SELECT owner_chain FROM assessment.monitor_daily LIMIT 1`);
    const old = day(SIM_END - 400 * DAY_MS);
    await sys.sql(`INSERT INTO assessment.monitor_daily (site_code, day, owner_chain) VALUES ($1, $2, $3)`, [
      codes.get('fresh'),
      old,
      chain.owner_chain,
    ]);
    // Kept 30 whole days: on the 31st day after the first simulated day its partition goes.
    const now = SIM_START + 31 * DAY_MS + HOUR;
    const { dropped } = await runtime.repository.maintain(now);
    expect(dropped).toEqual([name(SIM_START)]);
    const left = await partitions();
    expect(left).not.toContain(name(SIM_START));
    expect(left).toContain(name(SIM_START + DAY_MS));
    for (let ahead = 0; ahead <= 2; ahead++) expect(left).toContain(name(now + ahead * DAY_MS));
    const [{ probes }] = await sys.sql(
      `SELECT count(*)::int AS probes FROM assessment.monitor_probe WHERE due_at < $1`,
      [new Date(SIM_START + DAY_MS)],
    );
    expect(probes).toBe(0);
    const daily = await sys.sql(`SELECT day FROM assessment.monitor_daily WHERE day = $1`, [old]);
    expect(daily).toEqual([]);
    const [{ kept }] = await sys.sql(`SELECT count(*)::int AS kept FROM assessment.monitor_daily WHERE day = $1`, [
      FROM,
    ]);
    expect(kept).toBe(6);
  });
});
