import { PasswordPolicy } from './password-policy';

describe('PasswordPolicy', () => {
  const policy = new PasswordPolicy();

  it('counts Unicode code points: 12 to 128', () => {
    expect(policy.check('a'.repeat(11))).toEqual(['too_short']);
    expect(policy.check('correct horse')).toEqual([]);
    expect(policy.check('🔐'.repeat(12))).toEqual([]); // 12 code points, 24 UTF-16 units
    expect(policy.check('x'.repeat(128))).toEqual([]);
    expect(policy.check('x'.repeat(129))).toEqual(['too_long']);
  });

  it('refuses a password built on the email address', () => {
    expect(policy.check('alice.smith@example.com', { email: 'Alice.Smith@example.com' })).toEqual(['contains_email']);
    expect(policy.check('alice.smith2026', { email: 'alice.smith@example.com' })).toEqual(['contains_email']);
    expect(policy.check('a long passphrase about alice', { email: 'alice@example.com' })).toEqual([]);
  });
});
