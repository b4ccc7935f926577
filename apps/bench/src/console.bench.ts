import { chromium, Page } from 'playwright-core';
import { BENCH_ROOT_PASSWORD, startBenchSystem, waitForSeed } from './bench-system';
import { BenchResult, median } from './report';

const RUNS = 5;

/** A link as an office sees it: throughput in kbit/s, added round-trip latency in ms. */
interface Link {
  label: string;
  downKbps: number;
  upKbps: number;
  latencyMs: number;
  gzip: boolean;
}

const LINKS: Link[] = [
  { label: 'loopback', downKbps: 0, upKbps: 0, latencyMs: 0, gzip: true },
  { label: 'office link 10 Mbit/s, 40 ms', downKbps: 10_000, upKbps: 5_000, latencyMs: 40, gzip: true },
  { label: 'slow county link 2 Mbit/s, 150 ms', downKbps: 2_000, upKbps: 1_000, latencyMs: 150, gzip: true },
  {
    label: 'slow county link 2 Mbit/s, 150 ms, without gzip',
    downKbps: 2_000,
    upKbps: 1_000,
    latencyMs: 150,
    gzip: false,
  },
];

interface Visit {
  transferBytes: number;
  firstContentfulPaintMs: number;
  loginReadyMs: number;
}

/**
 * The console's first paint in Debian's chromium, cold (a new browser profile each visit, so
 * nothing is cached), over loopback and over emulated office links; then the time from
 * clicking 登录 to the record list on screen.
 */
export async function consoleBench(): Promise<BenchResult> {
  const bench = await startBenchSystem('console');
  // Measured on a settled system, not while the first start still seeds the national tree.
  await waitForSeed(bench.db, bench.startedAt);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const figures: BenchResult['figures'] = [];
  try {
    for (const link of LINKS) {
      const visits: Visit[] = [];
      for (let run = 0; run < RUNS; run++) visits.push(await visit(browser, bench.baseUrl, link));
      figures.push({
        label: `${link.label}: first contentful paint / login form ready (median of ${RUNS})`,
        value: `${median(visits.map((v) => v.firstContentfulPaintMs))} ms / ${median(visits.map((v) => v.loginReadyMs))} ms, ${(visits[0].transferBytes / 1024).toFixed(0)} KB transferred`,
      });
    }
    const logins: LoginTiming[] = [];
    for (let run = 0; run < RUNS; run++) logins.push(await loginToList(browser, bench.baseUrl));
    figures.push({
      label: `loopback: login request sent → 报送记录 list on screen (median of ${RUNS})`,
      value: `${median(logins.map((l) => l.toListMs))} ms`,
    });
    figures.push({
      label: '… of which POST /auth/login (scrypt N=2^15 check, audit)',
      value: `${median(logins.map((l) => l.loginRequestMs))} ms`,
    });
  } finally {
    await browser.close();
    await bench.stop();
  }
  return {
    name: 'console',
    title: 'Web console: first paint and login in a real browser',
    figures,
    notes: [
      'One process as `npm start` runs it (embedded PostgreSQL and S3, in-process bus), Debian chromium headless on the same 2-core machine.',
      'Each visit is a new browser context: no cache, no service worker. Links are emulated with the DevTools protocol (Network.emulateNetworkConditions).',
      'First contentful paint from the Paint Timing API; "login form ready" = navigation start → the 账号 field exists in the page (a MutationObserver installed before the page\'s scripts).',
      'After the login request: GET /me, then the first page of 报送记录 and the unread count (root, on an empty record table).',
      'The console is one self-contained HTML file (scripts and styles inline): one request, then nothing else to fetch before the login form.',
    ],
  };
}

async function visit(browser: import('playwright-core').Browser, baseUrl: string, link: Link): Promise<Visit> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    extraHTTPHeaders: link.gzip ? {} : { 'accept-encoding': 'identity' },
  });
  try {
    const page = await context.newPage();
    if (link.latencyMs) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: link.latencyMs,
        downloadThroughput: (link.downKbps * 1000) / 8,
        uploadThroughput: (link.upKbps * 1000) / 8,
      });
    }
    // Noted inside the page, before any of its scripts run: when the 账号 field first exists.
    await page.addInitScript(() => {
      const probe = window as unknown as { loginReadyAt: number };
      new MutationObserver((_, observer) => {
        if (document.querySelector('input[autocomplete="username"]')) {
          probe.loginReadyAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${baseUrl}/`, { waitUntil: 'commit' });
    await page.getByLabel('账号').waitFor();
    const loginReadyMs = await page.evaluate(() => (window as unknown as { loginReadyAt: number }).loginReadyAt);
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
    const timing = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0].startTime,
      transfer: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).transferSize,
    }));
    return {
      transferBytes: timing.transfer,
      firstContentfulPaintMs: Math.round(timing.fcp),
      loginReadyMs: Math.round(loginReadyMs),
    };
  } finally {
    await context.close();
  }
}

interface LoginTiming {
  /** The login request leaves the page → the record list is on screen. */
  toListMs: number;
  loginRequestMs: number;
}

/** Timed inside the page (Resource Timing + a MutationObserver), so the driver's own latency is left out. */
async function loginToList(browser: import('playwright-core').Browser, baseUrl: string): Promise<LoginTiming> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  try {
    const page: Page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('账号').fill('bm0100');
    await page.getByLabel('密码', { exact: true }).fill(BENCH_ROOT_PASSWORD);
    await page.evaluate(() => {
      const probe = window as unknown as { listAt: number };
      probe.listAt = 0;
      new MutationObserver((_, observer) => {
        if (document.querySelector('[role="tabpanel"] table.forms, [role="tabpanel"] .empty')) {
          probe.listAt = performance.now();
          observer.disconnect();
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('tabpanel').locator('table.forms, .empty').first().waitFor({ timeout: 60_000 });
    return await page.evaluate(() => {
      const login = performance
        .getEntriesByType('resource')
        .find((entry) => entry.name.endsWith('/api/v1/auth/login'))!;
      return {
        toListMs: Math.round((window as unknown as { listAt: number }).listAt - login.startTime),
        loginRequestMs: Math.round(login.duration),
      };
    });
  } finally {
    await context.close();
  }
}
