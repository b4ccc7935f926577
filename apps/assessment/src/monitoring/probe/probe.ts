import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, Socket } from 'node:net';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { AddressPolicy, guardedLookup, isRefusedAddress, RefusedTargetError } from './address-policy';
import { decodePage, CharsetSource } from './decode';
import { HostLimiter } from './host-limiter';

/** Why a probe failed. */
export type ProbeFailure =
  | 'invalid-url'
  | 'refused-target'
  | 'dns'
  | 'connect'
  | 'tls'
  | 'protocol'
  | 'http-status'
  | 'timeout'
  | 'too-large'
  | 'too-many-redirects';

/** What a user reads for each cause (zh-CN). */
export const PROBE_FAILURE_LABELS: Record<ProbeFailure, string> = {
  'invalid-url': '网址无效',
  'refused-target': '目标地址为内网或本机地址，不予探测',
  dns: '域名解析失败',
  connect: '无法建立连接',
  tls: 'HTTPS 握手失败',
  protocol: '响应不完整或不符合 HTTP 协议',
  'http-status': 'HTTP 状态码异常',
  timeout: '访问超时',
  'too-large': '页面超过大小上限',
  'too-many-redirects': '重定向次数过多',
};

/**
 * The fetcher's name. HTTP header values are bytes, so non-ASCII characters are sent
 * percent-encoded (see headerSafe): sites' logs show `GovSiteMonitor/1.0 (+%E5%85%A8…)`, which
 * decodeURI turns back into this.
 */
export const DEFAULT_USER_AGENT = 'GovSiteMonitor/1.0 (+全国政府网站信息报送系统)';

/** `value` with every non-ASCII character percent-encoded (UTF-8), as a header may carry it. */
export function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]+/g, (run) => encodeURIComponent(run));
}
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

export interface ProbeOptions {
  /** Connect to private, loopback and link-local addresses (MONITOR_ALLOW_PRIVATE_TARGETS=true). Default false. */
  allowPrivateTargets?: boolean;
  /**
   * Which addresses are refused when private targets are not allowed: isRefusedAddress unless
   * given (tests narrow it to check redirects on loopback). Keep one function per policy: each
   * gets its own keep-alive agents.
   */
  refuseAddress?: AddressPolicy;
  /**
   * The whole fetch, redirects included, from when the limiter lets the first request go; past
   * it the probe fails with `timeout`. Default 15 s.
   */
  timeoutMs?: number;
  /** Decoded body bytes read before the probe stops with `too-large`. Default 2 MiB. */
  maxBytes?: number;
  /** Redirects followed; one more fails with `too-many-redirects`. Default 5. */
  maxRedirects?: number;
  userAgent?: string;
  /** Shared by the probes of a worker: one request at a time per host. Without it, no limit. */
  limiter?: HostLimiter;
  /** The clock (tests); default Date.now. */
  now?: () => number;
}

export interface ProbeResult {
  url: string;
  /** The URL of the last response (after redirects). */
  finalUrl: string;
  /** A 2xx answer, read whole within the time and size limits. */
  reachable: boolean;
  failure?: ProbeFailure;
  /** Engineering detail of a failure (error code and message), for the probe log. */
  detail?: string;
  /** The last HTTP status received, if any. */
  status?: number;
  startedAt: Date;
  elapsedMs: number;
  /** Body bytes read (after content decoding) from the last response. */
  bytes: number;
  redirects: number;
  contentType?: string;
  /** The decoded page, for a reachable probe. */
  html?: string;
  charset?: string;
  charsetSource?: CharsetSource;
}

class ProbeStop extends Error {
  /** The status of a response that failed after its head arrived (too large, timed out, cut). */
  status?: number;
  bytes?: number;
  constructor(
    readonly failure: ProbeFailure,
    message: string,
  ) {
    super(message);
  }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Keep-alive agents, one pair per policy: a socket opened for a probe that allows private
 * targets must never be reused by one that does not. A guarded pair resolves names through
 * guardedLookup, so the address is checked when the socket connects.
 */
interface AgentPair {
  http: http.Agent;
  https: https.Agent;
}

function agentPair(lookup?: ReturnType<typeof guardedLookup>): AgentPair {
  const options = { keepAlive: true, maxFreeSockets: 64, ...(lookup ? { lookup: lookup as never } : {}) };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

const openAgents = agentPair();
const guardedAgents = new WeakMap<AddressPolicy, AgentPair>();

function agentsFor(policy: AddressPolicy | null): AgentPair {
  if (!policy) return openAgents;
  let pair = guardedAgents.get(policy);
  if (!pair) {
    pair = agentPair(guardedLookup(policy));
    guardedAgents.set(policy, pair);
  }
  return pair;
}

interface Hop {
  status: number;
  location?: string;
  contentType?: string;
  body?: Buffer;
  bytes: number;
}

/** The phase a request failed in: errors are classified by how far the connection got. */
type Phase = 'dns' | 'connect' | 'tls' | 'http';

function classify(err: unknown, phase: Phase): ProbeStop {
  if (err instanceof ProbeStop) return err;
  const error = err as NodeJS.ErrnoException;
  const detail = `${error.code ?? 'ERROR'}: ${error.message}`;
  if (err instanceof RefusedTargetError) return new ProbeStop('refused-target', detail);
  if (error.code && DNS_CODES.has(error.code)) return new ProbeStop('dns', detail);
  if (phase === 'http') return new ProbeStop('protocol', detail);
  if (phase === 'tls') return new ProbeStop('tls', detail);
  if (phase === 'dns') return new ProbeStop('dns', detail);
  return new ProbeStop('connect', detail);
}

function decompress(res: http.IncomingMessage): Readable {
  switch ((res.headers['content-encoding'] ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return res.pipe(zlib.createGunzip());
    case 'deflate':
      return res.pipe(zlib.createInflate());
    case 'br':
      return res.pipe(zlib.createBrotliDecompress());
    default:
      return res;
  }
}

interface FetchOptions {
  /** null when private targets are allowed. */
  policy: AddressPolicy | null;
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
  now: () => number;
}

/** One request; resolves with the response head and (for a 2xx) its body. */
function fetchOnce(url: URL, options: FetchOptions, deadline: number): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(hostname) && options.policy?.(hostname)) {
      return reject(new ProbeStop('refused-target', `${hostname} is a private, loopback or link-local address`));
    }
    const secure = url.protocol === 'https:';
    const pair = agentsFor(options.policy);
    let phase: Phase = isIP(hostname) ? 'connect' : 'dns';
    let settled = false;
    let status: number | undefined;
    let bytes = 0;
    const finish = (err: unknown, hop?: Hop): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        const stop = classify(err, phase);
        stop.status = status;
        stop.bytes = bytes;
        reject(stop);
      } else resolve(hop!);
    };
    const req = (secure ? https : http).request(url, {
      method: 'GET',
      agent: secure ? pair.https : pair.http,
      headers: {
        'user-agent': headerSafe(options.userAgent),
        accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
        'accept-encoding': 'gzip, deflate, br',
        'accept-language': 'zh-CN,zh;q=0.9',
      },
    });
    req.on('socket', (socket: Socket) => {
      if (!socket.connecting) {
        phase = 'http'; // a kept-alive socket
        return;
      }
      socket.once('lookup', () => (phase = 'connect'));
      socket.once('connect', () => (phase = secure ? 'tls' : 'http'));
      socket.once('secureConnect', () => (phase = 'http'));
    });
    const timer = setTimeout(
      () => finish(new ProbeStop('timeout', `no complete answer within ${options.timeoutMs} ms (${phase})`)),
      Math.max(0, deadline - options.now()),
    );
    req.on('error', (err) => finish(err));
    req.on('response', (res) => {
      phase = 'http';
      status = res.statusCode ?? 0;
      const contentType = res.headers['content-type'];
      if (REDIRECTS.has(status) || status < 200 || status >= 300) {
        // Drained (up to maxBytes) so the socket can be reused; only the status matters.
        const hop: Hop = { status, location: res.headers.location, contentType, bytes: 0 };
        res.on('data', (chunk: Buffer) => {
          hop.bytes += chunk.length;
          if (hop.bytes > options.maxBytes) {
            res.destroy();
            finish(null, hop);
          }
        });
        res.on('end', () => finish(null, hop));
        res.on('error', (err) => finish(err));
        return;
      }
      const chunks: Buffer[] = [];
      const body = decompress(res);
      body.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > options.maxBytes) {
          bytes -= chunk.length; // what was kept
          body.destroy();
          res.destroy();
          finish(new ProbeStop('too-large', `more than ${options.maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      body.on('end', () => finish(null, { status: status!, contentType, body: Buffer.concat(chunks), bytes }));
      body.on('error', (err) => finish(err));
      res.on('error', (err) => finish(err));
      res.on('close', () => {
        if (!res.complete) finish(new ProbeStop('protocol', 'the connection closed before the body was complete'));
      });
    });
    req.end();
  });
}

/**
 * Fetches `url` as the monitor does: GET with the monitor's User-Agent, following up to
 * `maxRedirects` redirects (each target checked again), reading at most `maxBytes`, all within
 * `timeoutMs`, one request at a time per host when a limiter is given. Never throws: every
 * outcome is a ProbeResult, and `failure` says why a probe did not reach the page.
 */
export async function probe(url: string, probeOptions: ProbeOptions = {}): Promise<ProbeResult> {
  const options = {
    policy: probeOptions.allowPrivateTargets ? null : (probeOptions.refuseAddress ?? isRefusedAddress),
    timeoutMs: probeOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBytes: probeOptions.maxBytes ?? DEFAULT_MAX_BYTES,
    maxRedirects: probeOptions.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
    userAgent: probeOptions.userAgent ?? DEFAULT_USER_AGENT,
    now: probeOptions.now ?? Date.now,
  };
  // The clock starts when the first request can go (the limiter's wait for a busy host is not
  // the site's slowness); it covers every hop after that.
  let started = options.now();
  let deadline: number | undefined;
  const result: ProbeResult = {
    url,
    finalUrl: url,
    reachable: false,
    startedAt: new Date(started),
    elapsedMs: 0,
    bytes: 0,
    redirects: 0,
  };
  const done = (failure?: ProbeFailure, detail?: string): ProbeResult => {
    result.elapsedMs = options.now() - started;
    if (failure) {
      result.failure = failure;
      result.detail = detail;
    }
    return result;
  };
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    return done('invalid-url', `not a URL: ${url}`);
  }
  for (;;) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') {
      return done('invalid-url', `not http(s): ${current.href}`);
    }
    result.finalUrl = current.href;
    const target = current;
    let hop: Hop;
    try {
      const run = () => {
        if (deadline === undefined) {
          started = options.now();
          result.startedAt = new Date(started);
          deadline = started + options.timeoutMs;
        }
        return fetchOnce(target, options, deadline);
      };
      hop = probeOptions.limiter ? await probeOptions.limiter.run(target.hostname, run) : await run();
    } catch (err) {
      const stop = err instanceof ProbeStop ? err : classify(err, 'http');
      if (stop.status !== undefined) result.status = stop.status;
      result.bytes = stop.bytes ?? 0;
      return done(stop.failure, stop.message);
    }
    result.status = hop.status;
    result.contentType = hop.contentType;
    result.bytes = hop.bytes;
    if (REDIRECTS.has(hop.status) && hop.location) {
      if (result.redirects >= options.maxRedirects) {
        return done('too-many-redirects', `more than ${options.maxRedirects} redirects`);
      }
      try {
        current = new URL(hop.location, current);
      } catch {
        return done('protocol', `bad Location: ${hop.location}`);
      }
      result.redirects++;
      continue;
    }
    if (hop.status < 200 || hop.status >= 300 || !hop.body) {
      return done('http-status', `HTTP ${hop.status}`);
    }
    const page = decodePage(hop.body, hop.contentType);
    result.html = page.text;
    result.charset = page.charset;
    result.charsetSource = page.source;
    result.reachable = true;
    return done();
  }
}
