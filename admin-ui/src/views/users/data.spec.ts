import { describe, expect, it } from 'vitest';
import { mfaWords } from './data';

describe('users table words', () => {
  it('names each second factor that is on, passkeys included', () => {
    expect(mfaWords({ totp: false, email: false })).toBe('none');
    expect(mfaWords({ totp: true, email: true })).toBe('app + email');
    expect(mfaWords({ totp: false, email: false, passkey: true })).toBe('passkey');
    expect(mfaWords({ totp: true, email: false, passkey: true })).toBe('app + passkey');
  });
});
