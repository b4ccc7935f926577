import { ChildProcess, spawn } from 'node:child_process';
import * as http from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { analyzePage, HostLimiter, probe } from '../../assessment/src/monitoring/probe';
import { BenchResult } from './report';

/** Target of the issue: a probe worker sustains this many homepage probes a second. */
const TARGET_PER_SECOND = 200;
/** Probes in flight: one per fixture host (the limiter allows one request per host). */
const CONCURRENCY = Number(process.env.BENCH_PROBE_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_PROBE_SECONDS ?? 5);
const WARMUP_SECONDS = 1;
/** The fixture homepage's newest date, checked on every probe so a broken probe cannot look fast. */
const NEWEST = '2015-03-12';
const FETCHED_AT = new Date('2015-03-12T02:00:00Z');

/**
 * Starts the fixture sites in a child process (so serving them does not share the probing
 * process's event loop): one per host 127.0.0.2…, each serving the ~30 KB GBK homepage.
 */
export async function startSites(count: number): Promise<{ child: ChildProcess; origins: string[] }> {
  const fixture = join(__dirname, '../../assessment/src/monitoring/probe/fixture-site.js');
  const code = `
    const { startFixtureSite } = require(${JSON.stringify(fixture)});
    Promise.all(Array.from({ length: ${count} }, (_, i) => startFixtureSite(0, '127.0.0.' + (i + 2))))
      .then((sites) => console.log(JSON.stringify(sites.map((s) => s.origin))));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fixture sites exited with ${code}`)));
  });
  return { child, origins: JSON.parse(line) as string[] };
}

/** Runs `once` on every origin in parallel, back to back, for `seconds`; answers completions per second. */
export async function rate(
  origins: string[],
  seconds: number,
  once: (origin: string) => Promise<void>,
): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let done = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    origins.map(async (origin) => {
      while (Date.now() < until) {
        await once(origin);
        done++;
      }
    }),
  );
  return done / (Number(process.hrtime.bigint() - started) / 1e9);
}

const bareAgent = new http.Agent({ keepAlive: true, maxFreeSockets: 64 });

/** The limit: the same fetch with plain http.get, the body read whole, nothing decoded or parsed. */
export function bareFetch(origin: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(`${origin}/home`, { agent: bareAgent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          res.statusCode === 200 && Buffer.concat(chunks).length > 0
            ? resolve()
            : reject(new Error(`HTTP ${res.statusCode}`)),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/**
 * Homepage probes a second of one probe worker (the probe: fetch with the SSRF guard's agents,
 * caps and per-host limiter, charset detection and GBK decoding, then the page analysis: dates,
 * blank-column heuristic, links) against fixture sites on loopback, beside the same fetches in
 * a bare loop.
 */
export async function probeBench(): Promise<BenchResult> {
  const { child, origins } = await startSites(CONCURRENCY);
  try {
    const limiter = new HostLimiter(1);
    let bytes = 0;
    const full = async (origin: string): Promise<void> => {
      const result = await probe(`${origin}/home`, { allowPrivateTargets: true, limiter });
      if (!result.reachable) throw new Error(`probe failed: ${result.failure} ${result.detail}`);
      const page = analyzePage(result.html!, result.finalUrl, FETCHED_AT);
      if (page.newestDate !== NEWEST || page.links.length < 100)
        throw new Error(`probe read the page wrong: ${page.newestDate}, ${page.links.length} links`);
      bytes = result.bytes;
    };
    const fetchOnly = async (origin: string): Promise<void> => {
      const result = await probe(`${origin}/home`, { allowPrivateTargets: true, limiter });
      if (!result.reachable) throw new Error(`probe failed: ${result.failure} ${result.detail}`);
    };
    const bare = (origin: string) => bareFetch(origin);

    await rate(origins, WARMUP_SECONDS, full);
    await rate(origins, WARMUP_SECONDS, bare);
    const bareRate = await rate(origins, SECONDS, bare);
    const fetchRate = await rate(origins, SECONDS, fetchOnly);
    const probeRate = await rate(origins, SECONDS, full);
    const fmt = (value: number) => `${Math.round(value).toLocaleString('en-US')} probes/s`;
    return {
      name: 'probe',
      title: 'Website probe: homepage probes a second beside bare fetches',
      targets: [
        {
          what: 'homepage probes of one probe worker (fetch, decode GBK, dates, blank check, links)',
          target: `≥ ${TARGET_PER_SECOND} probes/s`,
          measured: fmt(probeRate),
          limit: `bare http.get loop: ${fmt(bareRate)}`,
          ratio: probeRate / bareRate,
          met: probeRate >= TARGET_PER_SECOND,
          profile:
            probeRate >= TARGET_PER_SECOND
              ? undefined
              : `fetch and decode alone: ${fmt(fetchRate)}; the rest is the HTML parse and analysis (cheerio).`,
        },
      ],
      figures: [
        { label: 'probe + analyzePage', value: fmt(probeRate) },
        { label: 'probe alone (fetch, caps, limiter, charset detection, GBK decode)', value: fmt(fetchRate) },
        { label: 'bare loop (http.get, keep-alive, body read, nothing parsed)', value: fmt(bareRate) },
        { label: 'homepage size (GBK)', value: `${(bytes / 1024).toFixed(1)} KiB` },
        { label: 'concurrency (fixture hosts, one request each at a time)', value: String(CONCURRENCY) },
      ],
      notes: [
        `${SECONDS} s per measure after ${WARMUP_SECONDS} s of warm-up, in one process; the fixture sites (127.0.0.2 to 127.0.0.${CONCURRENCY + 1}, one server each) run in a child process. BENCH_PROBE_CONCURRENCY and BENCH_PROBE_SECONDS change the load and the length.`,
        'Every probe is checked: reachable, the newest date read as 2015-03-12 and over 100 links found.',
        'Loopback only: real sites add network latency, which more probes in flight (more hosts at once) cover; the figure is the CPU a worker spends per probe.',
        'The machine is shared (2 cores): compare the figures of one run with each other.',
      ],
    };
  } finally {
    child.kill();
  }
}
