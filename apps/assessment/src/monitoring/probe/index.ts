/**
 * The website probe of the monitoring (issue 16): evidence instead of self-declaration.
 *
 * - `probe(url, options)` fetches a page as the monitor does and never throws: reachable or not
 *   within 15 s, and why (`dns`, `connect`, `tls`, `protocol`, `http-status`, `timeout`,
 *   `too-large`, `too-many-redirects`, `refused-target`, `invalid-url`; Chinese labels in
 *   PROBE_FAILURE_LABELS), the status, elapsed ms, final URL, bytes and the decoded page.
 * - SSRF: private, loopback, link-local, unique-local, multicast and unspecified targets (IPv4,
 *   IPv6 and IPv4-mapped IPv6) are refused unless `allowPrivateTargets` (the service maps
 *   MONITOR_ALLOW_PRIVATE_TARGETS=true to it). Host names are checked on the address the socket
 *   connects to, by the agents' `lookup`, so DNS rebinding does not get around it; every redirect
 *   target is checked again. Bodies are capped at 2 MiB, redirects at 5; the User-Agent is
 *   `GovSiteMonitor/1.0 (+全国政府网站信息报送系统)`; a shared HostLimiter keeps one request at a
 *   time per host.
 * - Decoding: byte-order mark, Content-Type charset, `<meta>` charset, then chardet's sniffing;
 *   iconv-lite decodes (GB2312/GBK as GB18030, Big5).
 * - `analyzePage(html, url, fetchedAt)`: the newest publish date, whether a column page is blank
 *   (heuristic documented in page.ts) and the same-site links; `sampleLinks` picks a seeded,
 *   reproducible sample of them for the broken-link check.
 */
export { isRefusedAddress, RefusedTargetError } from './address-policy';
export type { AddressPolicy } from './address-policy';
export { decodePage } from './decode';
export type { CharsetSource, DecodedPage } from './decode';
export { beijingDay, findPublishDates, MIN_PLAUSIBLE_YEAR } from './dates';
export { HostLimiter } from './host-limiter';
export { analyzePage, isSameSite, sampleLinks } from './page';
export type { PageAnalysis } from './page';
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  probe,
  PROBE_FAILURE_LABELS,
} from './probe';
export type { ProbeFailure, ProbeOptions, ProbeResult } from './probe';
