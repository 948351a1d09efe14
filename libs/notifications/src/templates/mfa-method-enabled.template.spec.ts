import { mfaMethodEnabled } from './mfa-method-enabled.template';

const origin = {
  email: 'ada@example.com',
  occurredAt: '2025-11-23T14:50:07.123Z',
  browser: 'Firefox',
  os: 'Windows',
  ip: '203.0.113.7',
  location: 'Berlin, Germany',
};

describe('mfaMethodEnabled', () => {
  it('says which method was turned on, when, where, and what to do', () => {
    const mail = mfaMethodEnabled({ ...origin, method: 'totp' });

    expect(mail.subject).toBe('Two-step verification turned on: authenticator app');
    expect(mail.text).toBe(
      [
        'Two-step verification turned on: authenticator app',
        '',
        'Two-step verification with authenticator app was turned on for your account ada@example.com.',
        '',
        'From now on, signing in asks for a code from your authenticator app after your password.',
        '',
        'Time:                 Sunday, 23 November 2025, 14:50 UTC',
        'Device:               Firefox on Windows',
        'IP address:           203.0.113.7',
        'Approximate location: Berlin, Germany',
        '',
        'If this was you, there is nothing more to do.',
        '',
        "If it wasn't you, reset your password right away and contact support: someone else may have access to your account.",
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain('<h1 style="font-size:20px">Two-step verification turned on: authenticator app</h1>');
    for (const fact of [
      'ada@example.com',
      'Sunday, 23 November 2025, 14:50 UTC',
      'Firefox on Windows',
      '203.0.113.7',
      'Berlin, Germany',
    ]) {
      expect(mail.html).toContain(fact);
    }
    expect(mail.html).toContain('reset your password right away and contact support');
  });

  it('names email codes', () => {
    const mail = mfaMethodEnabled({ ...origin, method: 'email' });
    expect(mail.subject).toBe('Two-step verification turned on: email codes');
    expect(mail.text).toContain('asks for a code sent to this email address after your password.');
    expect(mail.html).toContain('Two-step verification with email codes was turned on');
  });

  it('contains no link, token, script or leftover placeholder', () => {
    for (const method of ['totp', 'email'] as const) {
      const mail = mfaMethodEnabled({ ...origin, method });
      for (const body of [mail.subject, mail.text, mail.html]) {
        expect(body).not.toMatch(/https?:|<a[\s>]|href|<script|\{\{|undefined|null|NaN|[A-Za-z0-9_-]{24,}/i);
      }
    }
  });

  it('escapes attacker-controlled values in the HTML and keeps them on one line', () => {
    const mail = mfaMethodEnabled({
      ...origin,
      method: 'totp',
      email: '"><script>alert(1)</script>@example.com',
      browser: '<img src=x onerror=alert(1)>\n\nCall +1 555 0100',
      location: 'Tom & Jerry',
    });
    expect(mail.html).not.toMatch(/<script|<img/);
    expect(mail.html).toContain('your account &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@example.com.');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt; Call +1 555 0100 on Windows');
    expect(mail.html).toContain('Tom &amp; Jerry');
    expect(mail.text).toContain('Device:               <img src=x onerror=alert(1)> Call +1 555 0100 on Windows\n');
  });

  it('refuses an unknown method rather than mailing "undefined"', () => {
    expect(() => mfaMethodEnabled({ ...origin, method: 'sms' as never })).toThrow(TypeError);
  });
});
