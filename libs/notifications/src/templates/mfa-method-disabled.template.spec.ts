import { mfaMethodDisabled } from './mfa-method-disabled.template';

const origin = {
  email: 'ada@example.com',
  occurredAt: '2025-11-23T14:50:07.123Z',
  browser: 'Chrome',
  os: 'macOS',
  ip: '198.51.100.4',
  location: null,
};

describe('mfaMethodDisabled', () => {
  it('warns when the password alone is left and recommends turning a method back on', () => {
    const mail = mfaMethodDisabled({ ...origin, method: 'email', remainingMethods: [] });

    expect(mail.subject).toBe('Two-step verification turned off: email codes');
    expect(mail.text).toBe(
      [
        'Two-step verification turned off: email codes',
        '',
        'Two-step verification with email codes was turned off for your account ada@example.com.',
        '',
        'Your account is now protected by your password alone.',
        '',
        'Time:                 Sunday, 23 November 2025, 14:50 UTC',
        'Device:               Chrome on macOS',
        'IP address:           198.51.100.4',
        'Approximate location: Unknown',
        '',
        'We recommend turning two-step verification back on: with a password alone, anyone who learns it can sign in.',
        '',
        'If this was you, there is nothing more to do.',
        '',
        "If it wasn't you, reset your password right away and contact support: someone else may have access to your account.",
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain('<p>Your account is now protected by your password alone.</p>');
    expect(mail.html).toContain('<p>We recommend turning two-step verification back on');
  });

  it('names the methods still on, and says recovery codes went with the authenticator app', () => {
    const mail = mfaMethodDisabled({ ...origin, method: 'totp', remainingMethods: ['email'] });

    expect(mail.subject).toBe('Two-step verification turned off: authenticator app');
    expect(mail.text).toContain(
      'Two-step verification with authenticator app was turned off for your account ada@example.com.\n',
    );
    expect(mail.text).toContain('Your recovery codes no longer work either.\n');
    expect(mail.text).toContain('Your account is still protected by two-step verification with email codes.\n');
    expect(mail.text).not.toContain('password alone');
    expect(mail.text).not.toContain('We recommend');
    expect(mail.html).toContain('<p>Your account is still protected by two-step verification with email codes.</p>');
  });

  it('ignores the disabled method and duplicates in the remaining list', () => {
    const mail = mfaMethodDisabled({ ...origin, method: 'email', remainingMethods: ['email', 'totp', 'totp'] });
    expect(mail.text).toContain('still protected by two-step verification with authenticator app.\n');
    expect(mail.text).not.toContain('recovery codes');
  });

  it('contains no link, token, script or leftover placeholder', () => {
    for (const remainingMethods of [[], ['totp']] as const) {
      const mail = mfaMethodDisabled({ ...origin, method: 'email', remainingMethods: [...remainingMethods] });
      for (const body of [mail.subject, mail.text, mail.html]) {
        expect(body).not.toMatch(/https?:|<a[\s>]|href|<script|\{\{|undefined|null|NaN|[A-Za-z0-9_-]{24,}/i);
      }
    }
  });

  it('escapes attacker-controlled values in the HTML', () => {
    const mail = mfaMethodDisabled({
      ...origin,
      method: 'totp',
      remainingMethods: [],
      email: '<b>x</b>@example.com',
      os: '"><script>alert(1)</script>',
    });
    expect(mail.html).not.toMatch(/<script|<b>/);
    expect(mail.html).toContain('&lt;b&gt;x&lt;/b&gt;@example.com');
    expect(mail.html).toContain('Chrome on &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
