import { beforeAll, describe, expect, it } from 'vitest';
// The server's policy class itself, with the dictionaries it loads (with require) for the API.
import { PASSWORD_POLICY_MESSAGES, PasswordPolicy } from '../../../libs/security/src/password/password-policy';
import {
  loadPasswordContentChecks,
  passwordStrength,
  type PasswordContentChecks,
  type PasswordPolicyReason,
} from './password-strength';

const EMAIL = 'alice.smith@example.com';
const COMMON = 'This password is on a list of common or breached passwords; choose another.';

describe('password strength meter, before the dictionaries are loaded', () => {
  it('judges the length only and says how many characters are missing', () => {
    expect(passwordStrength('')).toMatchObject({ score: 0, label: 'Too short', hint: 'Use at least 12 characters.' });
    expect(passwordStrength('Abc!1234567')).toMatchObject({
      score: 0,
      label: 'Too short',
      hint: 'Use at least 12 characters. 1 more needed.',
      reasons: ['too_short'],
      accepted: false,
    });
    expect(passwordStrength('x'.repeat(129))).toMatchObject({ label: 'Too long', accepted: false });
  });

  it('counts code points, as the server does', () => {
    expect(passwordStrength('🔐'.repeat(11)).reasons).toEqual(['too_short']);
    expect(passwordStrength('🔐'.repeat(12)).accepted).toBeNull();
  });

  it('gives no verdict in range, rather than a wrong one', () => {
    for (const password of ['Password1234!', 'correct horse battery staple', EMAIL]) {
      expect(passwordStrength(password, { email: EMAIL })).toEqual({
        score: null,
        label: 'Checking…',
        hint: '',
        reasons: [],
        accepted: null,
      });
    }
  });
});

describe('password strength meter and the server policy', () => {
  const policy = new PasswordPolicy();
  let checks: PasswordContentChecks;
  beforeAll(async () => {
    checks = await loadPasswordContentChecks();
    policy.warmUp();
  });

  it('loads the dictionaries once', async () => {
    expect(await loadPasswordContentChecks()).toBe(checks);
  });

  // The table runs through the server's PasswordPolicy and through the page's meter: same verdicts.
  it.each<[string, string, string | undefined, PasswordPolicyReason[]]>([
    ['Password1234! (a list word plus padding)', 'Password1234!', undefined, ['common']],
    ['P@ssw0rd2024!!', 'P@ssw0rd2024!!', undefined, ['common']],
    ['correct horse battery staple', 'correct horse battery staple', EMAIL, []],
    ['an 11-character password', 'abcdefghijk', undefined, ['too_short']],
    ['129 characters', `correct horse battery staple ${'x'.repeat(100)}`, undefined, ['too_long']],
    ['the email itself', EMAIL, EMAIL, ['contains_email']],
    ['the local part plus a year', 'alice.smith2026', EMAIL, ['contains_email']],
    ['aaaaaaaaaaaa', 'aaaaaaaaaaaa', undefined, ['too_weak']],
    ['a keyboard walk', 'qwertyuiopasdf', undefined, ['too_weak']],
    ['a passphrase just strong enough (zxcvbn 3)', 'violet harbour', undefined, []],
    ['a strong random one', 'q7$Vd!2mXz#9Lp', EMAIL, []],
    ['a 64-character passphrase', 'correct horse battery staple is a fine passphrase for 2026, ok!!', EMAIL, []],
    ['Unicode', 'Grüße-漢字-パスワード-2026', EMAIL, []],
    ['a list word padded at both ends', '2026iloveyou!', undefined, ['common']],
    ['too short and built on the email', 'alice.smith', EMAIL, ['too_short', 'contains_email']],
  ])('agrees on %s', (_name, password, email, expected) => {
    const server = policy.check(password, { email });
    const meter = passwordStrength(password, { email, checks });
    expect(server).toEqual(expected);
    expect(meter.reasons).toEqual(server);
    expect(meter.accepted).toBe(server.length === 0);
    if (server.length > 0) {
      expect(['Good', 'Strong']).not.toContain(meter.label);
      expect(meter.score).toBeLessThan(3);
      for (const reason of server.filter((code) => code !== 'too_short')) {
        expect(meter.hint).toContain(PASSWORD_POLICY_MESSAGES[reason]);
      }
    } else {
      expect(['Good', 'Strong']).toContain(meter.label);
      expect(meter.score).toBeGreaterThanOrEqual(3);
    }
  });

  it('says why in the server’s words: Password1234! is on the common list, never "Good"', () => {
    expect(passwordStrength('Password1234!', { checks })).toEqual({
      score: 1,
      label: 'Common password',
      hint: COMMON,
      reasons: ['common'],
      accepted: false,
    });
  });

  it('names the strength from the zxcvbn score once accepted', () => {
    expect(passwordStrength('correct horse battery staple', { checks })).toMatchObject({ score: 4, label: 'Strong' });
    const good = passwordStrength('violet harbour', { checks });
    expect(good).toMatchObject({ score: 3, label: 'Good', accepted: true });
    expect(good.hint).not.toBe('');
  });

  it('uses the email only when one is given, trimmed', () => {
    expect(passwordStrength('alice.smith2026', { checks }).reasons).not.toContain('contains_email');
    expect(passwordStrength('alice.smith2026', { email: `  ${EMAIL} `, checks }).reasons).toEqual(['contains_email']);
    expect(passwordStrength('alice.smith2026', { email: '  ', checks }).reasons).not.toContain('contains_email');
  });
});
