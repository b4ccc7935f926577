import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Address ranges a probe refuses to connect to unless private targets are allowed: the URLs
 * probed are typed by users, so without this the monitor could be pointed at the machine
 * itself or at the internal network (SSRF). IPv4 rules also match IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`), which Node's BlockList checks against the IPv4 ranges.
 */
const REFUSED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", including the unspecified 0.0.0.0
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT (shared address space)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, including the broadcast address
] as const) {
  REFUSED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fe80::', 10], // link-local
  ['fc00::', 7], // unique local
  ['fec0::', 10], // site-local (deprecated, still private)
  ['ff00::', 8], // multicast
  ['64:ff9b:1::', 48], // local-use IPv4/IPv6 translation
] as const) {
  REFUSED.addSubnet(network, prefix, 'ipv6');
}

/** Whether `address` (an IP literal, IPv6 with or without brackets) is one a probe refuses. */
export function isRefusedAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 0) return true; // not an address at all: nothing safe to connect to
  return REFUSED.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** Raised when a target resolves to (or is) a refused address; classified as `refused-target`. */
export class RefusedTargetError extends Error {
  readonly code = 'ERR_PROBE_REFUSED_TARGET';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, a private, loopback or link-local address`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** Which resolved addresses a probe refuses; isRefusedAddress unless a probe is given another. */
export type AddressPolicy = (address: string) => boolean;

/**
 * A `lookup` for net.connect (set on the http/https agents) that resolves the host name and
 * refuses it when any of its addresses is refused by `policy`: the check is on the address the
 * socket connects to, at connect time, so a name that resolves to a public address when the
 * URL is entered and to 127.0.0.1 later (DNS rebinding) is still refused. Node calls it for host
 * names only; IP literals are checked before the request (see probe.ts).
 */
export function guardedLookup(policy: AddressPolicy = isRefusedAddress) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as LookupAddress[];
      const refused = list.find((entry) => policy(entry.address));
      if (refused) return callback(new RefusedTargetError(hostname, refused.address) as never, '');
      if (!list.length) {
        const empty: NodeJS.ErrnoException = new Error(`${hostname} has no address`);
        empty.code = 'ENOTFOUND';
        return callback(empty, '');
      }
      if (options.all) return callback(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
}
