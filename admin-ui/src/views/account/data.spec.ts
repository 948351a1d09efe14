import { describe, expect, it } from 'vitest';
import type { Passkey, SecurityState } from '../../api/me';
import {
  activeSessionsInOrder,
  defaultPasskeyName,
  deviceName,
  endedToggleLabel,
  enabledMethods,
  isLastMethod,
  isLastPasskeyAndFactor,
  isPasskeyNameValid,
  PASSKEY_NAME_MAX,
  preferredReauthMethod,
  recoveryCodesDocument,
  recoveryCodesFileName,
  sessionEndWords,
} from './data';

const laptop: Passkey = {
  id: 'pk-1',
  name: 'Laptop',
  createdAt: '2030-01-01T00:00:00Z',
  lastUsedAt: null,
  backedUp: true,
  deviceType: 'multiDevice',
};
const key: Passkey = { ...laptop, id: 'pk-2', name: 'YubiKey', backedUp: false, deviceType: 'singleDevice' };

function security(on: { totp?: boolean; email?: boolean; passkeys?: Passkey[] } = {}): SecurityState {
  return {
    password: { changedAt: null },
    totp: { enabled: on.totp ?? false, enabledAt: null },
    email: { enabled: on.email ?? false, enabledAt: null, address: 'ann@example.com' },
    recoveryCodes: { remaining: 0, generatedAt: null },
    passkeys: on.passkeys ?? [],
  };
}

describe('second factors of the account page', () => {
  it('counts any passkey as a second factor', () => {
    expect(enabledMethods(security())).toEqual([]);
    expect(enabledMethods(security({ passkeys: [laptop] }))).toEqual(['passkey']);
    expect(enabledMethods(security({ totp: true, email: true, passkeys: [laptop, key] }))).toEqual([
      'totp',
      'email',
      'passkey',
    ]);
    // A server from before passkeys sends none.
    expect(enabledMethods({ ...security({ email: true }), passkeys: undefined } as unknown as SecurityState)).toEqual([
      'email',
    ]);
  });

  it('warns before the only second factor goes, passkeys included', () => {
    expect(isLastMethod(security({ totp: true }), 'totp')).toBe(true);
    expect(isLastMethod(security({ totp: true, passkeys: [laptop] }), 'totp')).toBe(false);
    expect(isLastMethod(security({ passkeys: [laptop] }), 'passkey')).toBe(true);
  });

  it('warns before removing a passkey only when it is the last passkey and nothing else is on', () => {
    expect(isLastPasskeyAndFactor(security({ passkeys: [laptop] }), 'pk-1')).toBe(true);
    expect(isLastPasskeyAndFactor(security({ passkeys: [laptop, key] }), 'pk-1')).toBe(false);
    expect(isLastPasskeyAndFactor(security({ email: true, passkeys: [laptop] }), 'pk-1')).toBe(false);
    expect(isLastPasskeyAndFactor(security({ passkeys: [laptop] }), 'pk-9')).toBe(false);
    expect(isLastPasskeyAndFactor(null, 'pk-1')).toBe(false);
  });

  it('offers a passkey first for a step-up, then the app, then an email code', () => {
    expect(preferredReauthMethod(['totp', 'email', 'passkey'])).toBe('passkey');
    expect(preferredReauthMethod(['totp', 'email'])).toBe('totp');
    expect(preferredReauthMethod(['email'])).toBe('email');
    expect(preferredReauthMethod([])).toBeNull();
  });
});

describe('passkey names', () => {
  it('accepts 1 to 60 printable characters, as the API does', () => {
    expect(isPasskeyNameValid('Work laptop')).toBe(true);
    expect(isPasskeyNameValid('  Phone  ')).toBe(true);
    expect(isPasskeyNameValid('x'.repeat(PASSKEY_NAME_MAX))).toBe(true);
    expect(isPasskeyNameValid('x'.repeat(PASSKEY_NAME_MAX + 1))).toBe(false);
    expect(isPasskeyNameValid('   ')).toBe(false);
    expect(isPasskeyNameValid('a\nb')).toBe(false);
    expect(isPasskeyNameValid('tab\there')).toBe(false);
  });

  it('starts from the browser and system the passkey is made on', () => {
    const mac =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    const android =
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
    const iphone =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    expect(defaultPasskeyName(mac)).toBe('Chrome on macOS');
    expect(defaultPasskeyName(android)).toBe('Chrome on Android');
    expect(defaultPasskeyName(iphone)).toBe('Safari on iOS');
    expect(defaultPasskeyName('')).toBe('Passkey');
    expect(defaultPasskeyName('something odd')).toBe('Passkey');
    expect(isPasskeyNameValid(defaultPasskeyName(mac))).toBe(true);
  });
});

describe('the devices list', () => {
  const session = (id: string, lastActiveAt: string, current = false) => ({
    id,
    current,
    browser: 'Firefox',
    os: 'Linux',
    ip: null,
    location: null,
    createdAt: '2030-01-01T00:00:00Z',
    lastActiveAt,
  });

  it('names a device by browser and system', () => {
    expect(deviceName({ browser: 'Firefox', os: 'Windows' })).toBe('Firefox on Windows');
    expect(deviceName({ browser: null, os: 'iOS' })).toBe('iOS');
    expect(deviceName({ browser: null, os: null })).toBe('Unknown device');
  });

  it('puts this device first, then the most recently used', () => {
    const ordered = activeSessionsInOrder([
      session('old', '2030-01-01T01:00:00Z'),
      session('here', '2030-01-01T00:30:00Z', true),
      session('new', '2030-01-01T02:00:00Z'),
    ]);
    expect(ordered.map((s) => s.id)).toEqual(['here', 'new', 'old']);
  });

  it('says how a session ended and labels the disclosure with the count', () => {
    expect(sessionEndWords({ endReason: 'logout' })).toBe('Signed out');
    expect(sessionEndWords({ endReason: 'idle' })).toBe('Expired after a while unused');
    expect(sessionEndWords({ endReason: 'something new' })).toBe('Ended');
    expect(endedToggleLabel(12, false)).toBe('Show 12 ended sessions');
    expect(endedToggleLabel(1, false)).toBe('Show 1 ended session');
    expect(endedToggleLabel(12, true)).toBe('Hide ended sessions');
  });
});

describe('the recovery codes file', () => {
  const context = {
    service: 'accounts.example.com:8443',
    securityPage: 'https://accounts.example.com:8443/account/security',
    email: 'ann@example.com',
    generatedAt: new Date(2030, 2, 4, 16, 20),
  };

  it('is named after the service and the day the codes were made', () => {
    expect(recoveryCodesFileName(context)).toBe('recovery-codes-accounts.example.com-8443-2030-03-04.txt');
    expect(recoveryCodesFileName({ ...context, service: '' })).toBe('recovery-codes-account-2030-03-04.txt');
  });

  it('says what the codes are for, for whom, since when and how to use them, then lists them', () => {
    const text = recoveryCodesDocument(['aaaa-bbbb', 'cccc-dddd'], context);
    expect(text.split('\n')[0]).toBe('Recovery codes for accounts.example.com:8443');
    expect(text).toContain('Account: ann@example.com');
    expect(text).toContain('(2030-03-04)');
    expect(text).toContain('Each code works once');
    expect(text).toContain(context.securityPage);
    expect(text.trimEnd().split('\n').slice(-2)).toEqual(['aaaa-bbbb', 'cccc-dddd']);
  });
});
