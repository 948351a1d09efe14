import { LOCAL_NETWORK, MmdbIpLocator, countryName } from './ip-locator';

describe('MmdbIpLocator on the bundled geo-whois-asn-country database', () => {
  let locator: MmdbIpLocator;
  beforeAll(async () => {
    locator = await MmdbIpLocator.open();
  });

  it.each([
    ['8.8.8.8', 'United States'],
    ['2001:4860:4860::8888', 'United States'],
    ['::ffff:8.8.8.8', 'United States'],
    ['1.1.1.1', 'Australia'], // APNIC's research prefix, registered in Australia
    ['133.242.0.1', 'Japan'],
    ['193.99.144.80', 'Germany'], // heise.de
  ])('%s is in %s', (ip, country) => {
    expect(locator.locate(ip)).toBe(country);
  });

  it.each([
    '127.0.0.1',
    '::1',
    '::ffff:127.0.0.1',
    '10.1.2.3',
    '192.168.1.1',
    '172.16.5.4',
    '100.64.0.1',
    'fe80::1',
    'fd00::1',
  ])('%s is the local network', (ip) => expect(locator.locate(ip)).toBe(LOCAL_NETWORK));

  // The database has stray entries for 172.16/12 and documentation ranges: the range checks come first.
  it.each(['not-an-ip', '', null, '203.0.113.5', '2001:db8::1', '0.0.0.0'])('%p is unknown', (ip) => {
    expect(locator.locate(ip)).toBeNull();
  });

  it('names countries in English and knows nothing of unknown codes', () => {
    expect(countryName('DE')).toBe('Germany');
    expect(countryName('GB')).toBe('United Kingdom');
    expect(countryName('ZZ')).toBeNull();
    expect(countryName('AP')).toBeNull();
    expect(countryName('x')).toBeNull();
    expect(countryName(undefined)).toBeNull();
  });
});
