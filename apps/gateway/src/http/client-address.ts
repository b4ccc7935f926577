/**
 * The caller's address as the per-IP limits count it: Express's `req.ip`, which believes
 * X-Forwarded-For only from the proxies in TRUST_PROXY. An IPv4 client seen on a dual-stack
 * socket (`::ffff:10.0.0.1`) counts as its IPv4 address.
 */
export function clientKey(ip: string | undefined): string {
  return (ip ?? 'unknown').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '').slice(0, 100);
}
