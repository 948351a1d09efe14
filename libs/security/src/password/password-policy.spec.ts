import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { canonicalPassword, commonPasswordCore, commonPasswordSet, isCommonPassword } from './common-passwords';
import { PASSWORD_POLICY_MESSAGES, PasswordContext, PasswordPolicy, PasswordPolicyReason } from './password-policy';
import {
  emailUserInputs,
  estimateStrength,
  STRENGTH_ESTIMATE_MAX_INPUT,
  strengthEstimateInput,
} from './password-strength';

const EMAIL = 'alice.smith@example.com';
const PASSPHRASE_64 = 'correct horse battery staple is a fine passphrase for 2026, ok!!';

describe('PasswordPolicy', () => {
  const policy = new PasswordPolicy();
  beforeAll(() => policy.warmUp()); // loads the list and the zxcvbn dictionaries once (~0.4 s)

  it.each<[string, string, PasswordContext, PasswordPolicyReason[]]>([
    ['an 11-character password', 'abcdefghijk', {}, ['too_short']],
    ['11 code points (22 UTF-16 units)', '🔐'.repeat(11), {}, ['too_short']],
    ['129 code points', `${PASSPHRASE_64}${'x'.repeat(65)}`, {}, ['too_long']],
    ['too short and the current password', 'short', { sameAsCurrent: true }, ['too_short', 'same_as_current']],
    ['password1234 (on the list)', 'password1234', {}, ['common']],
    ['a list entry in capitals', 'PASSWORD1234', {}, ['common']],
    ['123456789012 (on the list)', '123456789012', {}, ['common']],
    ['Password123! (12 characters: a list word plus padding)', 'Password123!', {}, ['common']],
    ['iloveyou2026! (a list word plus a year and a symbol)', 'iloveyou2026!', {}, ['common']],
    ['a list word padded at both ends', '2026iloveyou!', {}, ['common']],
    ['Football2026!! (zxcvbn alone scores it 3)', 'Football2026!!', {}, ['common']],
    ['a first name plus padding (names are on the list)', 'Alice2026!!!!', {}, ['common']],
    ['aaaaaaaaaaaa', 'aaaaaaaaaaaa', {}, ['too_weak']],
    ['qwertyuiopasdf (keyboard walk)', 'qwertyuiopasdf', {}, ['too_weak']],
    ['a sequence', 'abcdefghijklmnop', {}, ['too_weak']],
    ['one emoji twelve times', '🔐'.repeat(12), {}, ['too_weak']],
    ['128 times the same character', 'x'.repeat(128), {}, ['too_weak']],
    ['the email itself', EMAIL, { email: EMAIL }, ['contains_email']],
    ['the email, other case', 'alice.smith@example.com', { email: ' Alice.Smith@Example.com ' }, ['contains_email']],
    ['the local part plus a year', 'alice.smith2026', { email: EMAIL }, ['contains_email']],
    ['the current password', PASSPHRASE_64, { sameAsCurrent: true }, ['same_as_current']],
  ])('refuses %s', (_name, password, context, expected) => {
    expect(policy.check(password, context)).toEqual(expected);
  });

  it.each<[string, string, PasswordContext]>([
    ['a 64-character passphrase', PASSPHRASE_64, { email: EMAIL }],
    ['the 63-character passphrase of the brief', 'correct horse battery staple is a fine passphrase for 2026 ok!!', {}],
    ['Unicode', 'Grüße-漢字-パスワード-2026', { email: EMAIL }],
    ['Unicode typed decomposed (NFD)', 'Gru\u0308ße-漢字-パスワード-2026', { email: EMAIL }],
    [
      'correct horse battery staple (the e2e STRONG_PASSWORD)',
      'correct horse battery staple',
      { email: 'user.m1x.1@example.com' },
    ],
    ['12 different emoji (12 code points, 24 UTF-16 units)', '🔐🦊🌵🎻🚲🧩🍋🛶🪐🧲🎈🦉', {}],
    ['128 code points with a strong start', `${PASSPHRASE_64}${'x'.repeat(64)}`, {}],
    ['a passphrase mentioning the local part', 'a long passphrase about alice', { email: 'alice@example.com' }],
    [
      'the e2e 64-character passphrase',
      'a 64 character passphrase is fine: '.padEnd(64, '~'),
      { email: 'user.m1x.2@example.com' },
    ],
    ['not the current password', PASSPHRASE_64, { sameAsCurrent: false }],
  ])('accepts %s', (_name, password, context) => {
    expect(policy.check(password, context)).toEqual([]);
  });

  it('uses a 64-code-point passphrase in these tests', () => expect([...PASSPHRASE_64]).toHaveLength(64));

  it('has a stable message for every reason', () => {
    const reasons: PasswordPolicyReason[] = [
      'too_short',
      'too_long',
      'same_as_current',
      'contains_email',
      'common',
      'too_weak',
    ];
    expect(Object.keys(PASSWORD_POLICY_MESSAGES).sort()).toEqual([...reasons].sort());
    for (const reason of reasons) expect(PASSWORD_POLICY_MESSAGES[reason]).toMatch(/\w{3,}.*\.$/);
    expect(PASSWORD_POLICY_MESSAGES.too_short).toContain('12');
    expect(PASSWORD_POLICY_MESSAGES.too_long).toContain('128');
  });
});

describe('common-password list', () => {
  it('holds at least the 10,000 most common passwords, canonical (NFC, lower case)', () => {
    const list = commonPasswordSet();
    expect(list.size).toBeGreaterThanOrEqual(10_000);
    expect(commonPasswordSet()).toBe(list); // built once
    for (const entry of ['123456', 'password', 'qwerty', 'iloveyou', 'letmein']) expect(list.has(entry)).toBe(true);
    expect([...list].filter((entry) => entry !== canonicalPassword(entry))).toEqual([]);
  });

  it('compares case-insensitively after NFC and strips padding at the ends only', () => {
    expect(canonicalPassword('GRU\u0308SSE')).toBe('grüsse');
    expect(commonPasswordCore('  2026!Password123! ')).toBe('password');
    expect(commonPasswordCore('pass2026word')).toBe('pass2026word');
    expect(isCommonPassword('LetMeIn')).toBe(true);
    expect(isCommonPassword('!!!!!!!!!!!!')).toBe(false); // empty core
    expect(isCommonPassword('correct horse battery staple')).toBe(false);
  });
});

describe('estimateStrength', () => {
  afterEach(() => jest.restoreAllMocks());

  it('scores 0..4 with feedback for weak passwords', () => {
    expect(estimateStrength(PASSPHRASE_64)).toEqual({ score: 4 });
    const weak = estimateStrength('qwertyuiopasdf');
    expect(weak.score).toBeLessThan(3);
    expect(weak.feedback).toEqual(expect.any(String));
  });

  it('uses the email and its local part as user inputs', () => {
    expect(emailUserInputs(' Alice.Smith+x@Example.com ')).toEqual([
      'alice.smith+x@example.com',
      'alice.smith+x',
      'alice',
      'smith',
    ]);
    expect(emailUserInputs(undefined)).toEqual([]);
    expect(estimateStrength('alice.smith.2026', []).score).toBe(4);
    expect(estimateStrength('alice.smith.2026', emailUserInputs(EMAIL)).score).toBeLessThan(3);
  });

  // The cost of zxcvbn grows with its input, so the work is bounded by what it receives, not timed
  // here (timings are in password-strength.ts).
  it(`gives zxcvbn at most ${STRENGTH_ESTIMATE_MAX_INPUT} code points, whatever the password length`, () => {
    const check = jest.spyOn(ZxcvbnFactory.prototype, 'check');
    const long = `${'🔐a'.repeat(300)}`;
    estimateStrength(long, emailUserInputs(EMAIL));
    new PasswordPolicy().check(`${PASSPHRASE_64}${'Zz9!'.repeat(16)}`, { email: EMAIL });
    expect(check).toHaveBeenCalledTimes(2);
    for (const [input] of check.mock.calls) expect([...input].length).toBeLessThanOrEqual(STRENGTH_ESTIMATE_MAX_INPUT);
    expect(strengthEstimateInput(long)).toBe('🔐a'.repeat(STRENGTH_ESTIMATE_MAX_INPUT / 2)); // no split surrogate pair
    expect(strengthEstimateInput('Gru\u0308ße')).toBe('Grüße');
  });

  it('skips zxcvbn when the length is out of range or a cheaper reason applies', () => {
    const check = jest.spyOn(ZxcvbnFactory.prototype, 'check');
    const policy = new PasswordPolicy();
    policy.check('x'.repeat(1024));
    policy.check('short');
    policy.check('password1234');
    policy.check(EMAIL, { email: EMAIL });
    expect(check).not.toHaveBeenCalled();
  });
});
