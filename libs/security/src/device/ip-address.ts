import { BlockList, isIP } from 'node:net';

export type IpScope = 'local' | 'reserved' | 'public';

export interface ParsedIp {
  address: string;
  family: 'ipv4' | 'ipv6';
}

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * Validates an address as Node reports it: the zone (`fe80::1%eth0`) is dropped and an IPv4-mapped
 * IPv6 address in dotted form (`::ffff:10.0.0.1`, what Node gives on a dual-stack socket) becomes
 * the IPv4 address. Anything that is not an IP address is null.
 */
export function parseIp(ip: string | null): ParsedIp | null {
  const text = ip?.trim().replace(/%.*$/, '') ?? '';
  const address = MAPPED_IPV4.exec(text)?.[1] ?? text;
  const version = isIP(address);
  return version === 0 ? null : { address, family: version === 4 ? 'ipv4' : 'ipv6' };
}

const local = subnets([
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16], // loopback, RFC 1918
  ['169.254.0.0', 16],
  ['100.64.0.0', 10], // link-local, CGNAT (RFC 6598)
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10], // loopback, ULA, link-local
]);

// Not routable on the internet (unspecified, documentation, benchmarking, multicast, reserved):
// a client cannot really come from these, and the country databases hold stray entries for some.
const reserved = subnets([
  ['0.0.0.0', 8],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
  ['::', 128],
  ['2001:db8::', 32],
  ['ff00::', 8],
]);

export function ipScope({ address, family }: ParsedIp): IpScope {
  if (local.check(address, family)) return 'local';
  return reserved.check(address, family) ? 'reserved' : 'public';
}

function subnets(ranges: Array<[string, number]>): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ranges) list.addSubnet(network, prefix, isIP(network) === 4 ? 'ipv4' : 'ipv6');
  return list;
}
