import { describe, expect, it } from 'vitest';
import {
  isCodeComplete,
  isCodeMethod,
  METHOD_HINTS,
  METHOD_LABELS,
  normalizeCode,
  preferredMethod,
  secondsUntil,
  sessionEndedMessage,
} from './data';

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

describe('codes and countdowns', () => {
  it('keeps the digits of a pasted code, grouped or not', () => {
    expect(normalizeCode('totp', '123 456')).toBe('123456');
    expect(normalizeCode('email', '123-456')).toBe('123456');
    expect(normalizeCode('recovery_code', 'abcd-efgh')).toBe('abcd-efgh');
  });

  it('counts down what the server says, but never past the 60 s cooldown when the clocks disagree', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(secondsUntil('2030-01-01T00:00:45Z', now)).toBe(45);
    expect(secondsUntil('2030-01-01T00:02:33Z', now)).toBe(60); // the server's clock is ahead
    expect(secondsUntil('2029-12-31T23:59:00Z', now)).toBe(60); // ...or behind
    expect(secondsUntil(undefined, now)).toBe(60);
  });
});

describe('why a session ended', () => {
  it('says it in plain words, and something sensible for a reason it does not know', () => {
    expect(sessionEndedMessage('mfa_reset')).toBe(
      'You were signed out because an administrator reset your two-step verification. Sign in again and set it up.',
    );
    expect(sessionEndedMessage('signed_out_elsewhere')).toContain('another device');
    expect(sessionEndedMessage('a_new_reason')).toBe('Your session has ended. Sign in again to continue.');
    expect(sessionEndedMessage(null)).toBe('Your session has ended. Sign in again to continue.');
  });
});
