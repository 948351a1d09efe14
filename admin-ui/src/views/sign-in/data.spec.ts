import { describe, expect, it } from 'vitest';
import { isCodeComplete, isCodeMethod, METHOD_HINTS, METHOD_LABELS, preferredMethod } from './data';

describe('second-step methods', () => {
  it('offers a passkey first when the account has one, then the app, email, and a recovery code last', () => {
    expect(preferredMethod(['totp', 'email', 'recovery_code', 'passkey'])).toBe('passkey');
    expect(preferredMethod(['email', 'recovery_code', 'totp'])).toBe('totp');
    expect(preferredMethod(['recovery_code', 'email'])).toBe('email');
    expect(preferredMethod([])).toBeNull();
  });

  it('answers a passkey with the browser prompt, never with a typed code', () => {
    expect(isCodeMethod('passkey')).toBe(false);
    expect(isCodeMethod('recovery_code')).toBe(true);
    expect(isCodeComplete('passkey', '123456')).toBe(false);
    expect(isCodeComplete('totp', '123456')).toBe(true);
    expect(METHOD_LABELS.passkey).toBe('Passkey');
    expect(METHOD_HINTS.passkey).toContain('passkey');
  });
});
