import { ipScope, parseIp } from './ip-address';

describe('parseIp', () => {
  it('accepts IPv4 and IPv6, unwraps IPv4-mapped addresses and drops zones', () => {
    expect(parseIp('8.8.8.8')).toEqual({ address: '8.8.8.8', family: 'ipv4' });
    expect(parseIp('2001:4860:4860::8888')).toEqual({ address: '2001:4860:4860::8888', family: 'ipv6' });
    expect(parseIp('::ffff:127.0.0.1')).toEqual({ address: '127.0.0.1', family: 'ipv4' });
    expect(parseIp('::FFFF:8.8.8.8')).toEqual({ address: '8.8.8.8', family: 'ipv4' });
    expect(parseIp('fe80::1%eth0')).toEqual({ address: 'fe80::1', family: 'ipv6' });
  });

  it.each(['not-an-ip', '', '999.1.1.1', '08.8.8.8', '1.2.3', 'localhost', '::ffff:999.0.0.1'])('rejects %p', (ip) => {
    expect(parseIp(ip)).toBeNull();
  });

  it('rejects null', () => expect(parseIp(null)).toBeNull());
});

describe('ipScope', () => {
  const scope = (ip: string) => ipScope(parseIp(ip)!);

  it.each([
    '127.0.0.1',
    '::1',
    '::ffff:127.0.0.1',
    '10.1.2.3',
    '192.168.1.1',
    '172.16.5.4',
    '172.31.255.255',
    '100.64.0.1',
    '100.127.255.254',
    '169.254.10.1',
    'fe80::1',
    'fd00::1',
    'fc00::1',
    '::ffff:192.168.0.10',
  ])('%s is local', (ip) => expect(scope(ip)).toBe('local'));

  it.each([
    '0.0.0.0',
    '192.0.2.1',
    '198.51.100.1',
    '203.0.113.5',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '2001:db8::1',
    'ff02::1',
  ])('%s is reserved', (ip) => expect(scope(ip)).toBe('reserved'));

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '11.0.0.1', '2606:4700:4700::1111'])(
    '%s is public',
    (ip) => expect(scope(ip)).toBe('public'),
  );
});
