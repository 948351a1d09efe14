import { UAParser } from 'ua-parser-js';

export interface DeviceDescription {
  browser: string | null;
  os: string | null;
}

/** Longer headers are cut before parsing; real user agents stay well under this. */
export const MAX_USER_AGENT_LENGTH = 512;

const BROWSER_NAMES: Record<string, string> = { 'Mobile Safari': 'Safari' };
const OS_NAMES: Record<string, string> = { 'Mac OS': 'macOS', 'Chromium OS': 'ChromeOS' };

/**
 * Browser and OS of a User-Agent header for the sessions list (ua-parser-js 1.x, MIT).
 * Browser: name and major version ("Chrome 131"); Safari keeps major.minor ("Safari 18.1") because
 * its point releases are the versions people know. OS: as the header claims it, which browsers
 * freeze: Windows NT 10.0 is "Windows 10/11", Safari and Chrome send macOS "10.15.7" on any newer
 * macOS, Chrome on Android sends "Android 10". Anything the parser does not know (curl, bots) is null.
 */
export function describeUserAgent(userAgent: string | null): DeviceDescription {
  if (!userAgent?.trim()) return { browser: null, os: null };
  const { browser, os } = new UAParser(userAgent.slice(0, MAX_USER_AGENT_LENGTH)).getResult();
  return { browser: describeBrowser(browser.name, browser.version), os: describeOs(os.name, os.version) };
}

function describeBrowser(name: string | undefined, version: string | undefined): string | null {
  if (!name) return null;
  const label = BROWSER_NAMES[name] ?? name;
  const parts = version?.split('.') ?? [];
  const shown = label === 'Safari' ? parts.slice(0, 2).join('.') : parts[0];
  return shown ? `${label} ${shown}` : label;
}

function describeOs(name: string | undefined, version: string | undefined): string | null {
  if (!name) return null;
  const label = OS_NAMES[name] ?? name;
  if (!version || label === 'ChromeOS') return label; // ChromeOS sends a platform build, not a release
  return `${label} ${label === 'Windows' && version === '10' ? '10/11' : version}`;
}
