import { passkeyAdded, passkeyRemoved } from './passkey-changed.template';

const origin = {
  email: 'ada@example.com',
  occurredAt: '2025-11-23T14:50:07.123Z',
  browser: 'Firefox',
  os: 'Windows',
  ip: '203.0.113.7',
  location: 'Berlin, Germany',
};

describe('passkeyAdded', () => {
  it('names the passkey, says what it can do, when and where it was added, and what to do if it was not you', () => {
    const mail = passkeyAdded({ ...origin, name: 'Laptop' });
    expect(mail.subject).toBe('A passkey was added to your account');
    expect(mail.text).toContain('A passkey named "Laptop" was added to your account ada@example.com.');
    expect(mail.text).toContain('It can now sign in to your account without your password');
    expect(mail.text).toContain('Device:               Firefox on Windows');
    expect(mail.text).toContain("If it wasn't you, remove the passkey on your account's security page");
  });

  it('escapes the name in HTML: a passkey name cannot inject markup into the notice', () => {
    const mail = passkeyAdded({ ...origin, name: '<img src=x onerror=alert(1)>' });
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('passkeyRemoved', () => {
  it('says what still protects the account', () => {
    const mail = passkeyRemoved({ ...origin, passkeysLeft: 1, otherMethods: ['totp'] });
    expect(mail.subject).toBe('A passkey was removed from your account');
    expect(mail.text).toContain(
      'Your account is still protected by two-step verification with 1 other passkey and authenticator app.',
    );
    expect(mail.text).not.toContain('We recommend');
  });

  it('warns when the password alone is left', () => {
    const mail = passkeyRemoved({ ...origin, passkeysLeft: 0, otherMethods: [] });
    expect(mail.text).toContain('Your account is now protected by your password alone.');
    expect(mail.text).toContain('We recommend adding a passkey or turning on two-step verification');
  });

  it('refuses a count that is not a whole number rather than mail one', () => {
    expect(() => passkeyRemoved({ ...origin, passkeysLeft: Number.NaN, otherMethods: [] })).toThrow(RangeError);
  });
});
