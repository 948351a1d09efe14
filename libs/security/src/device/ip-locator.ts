import maxmind, { CountryResponse, Reader } from 'maxmind';
import { ipScope, parseIp } from './ip-address';

export const LOCAL_NETWORK = 'Local network';

/** Approximate location of a client address for people to read, e.g. "Germany". */
export abstract class IpLocator {
  /** "Local network" for loopback and private ranges; null when unknown or not an IP. Synchronous. */
  abstract locate(ip: string | null): string | null;
}

/** The record shape of @ip-location-db (typed as a MaxMind response to satisfy maxmind's generic). */
interface CountryRecord extends CountryResponse {
  country_code?: string;
}

/** The combined IPv4 + IPv6 country database of @ip-location-db (GeoFeed + WHOIS + ASN). */
export const COUNTRY_DATABASE_MODULE = '@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb';

const countryNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** Country-level lookups in an offline MaxMind-format database held in memory (about 8 MB). */
export class MmdbIpLocator extends IpLocator {
  private constructor(private readonly reader: Reader<CountryRecord>) {
    super();
  }

  /** Reads the whole database once; `locate` is synchronous afterwards. */
  static async open(path = require.resolve(COUNTRY_DATABASE_MODULE)): Promise<MmdbIpLocator> {
    return new MmdbIpLocator(await maxmind.open<CountryRecord>(path));
  }

  override locate(ip: string | null): string | null {
    const parsed = parseIp(ip);
    if (!parsed) return null;
    const scope = ipScope(parsed);
    if (scope !== 'public') return scope === 'local' ? LOCAL_NETWORK : null;
    return countryName(this.reader.get(parsed.address)?.country_code);
  }
}

export function countryName(code: string | undefined): string | null {
  if (!code || !/^[A-Z]{2}$/.test(code) || code === 'ZZ') return null; // ZZ: "Unknown Region"
  return countryNames.of(code) ?? null;
}
