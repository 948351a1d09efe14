import ipaddr from 'ipaddr.js';

/**
 * The key a per-address throttle counts under. An IPv6 client usually holds a whole /64 (one
 * subscriber's network), so counting per single address would give it 2^64 budgets: IPv6 counts
 * per /64. IPv4, and IPv4 mapped into IPv6, count per address.
 */
export function clientKey(ip: string | null | undefined): string {
  if (!ip || !ipaddr.isValid(ip)) return 'unknown';
  const address = ipaddr.process(ip); // ::ffff:1.2.3.4 becomes 1.2.3.4
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(':')}::/64`;
}
