import { totpCodeReused } from './totp-code-reused.template';

const origin = {
  email: 'ada@example.com',
  occurredAt: '2025-11-23T14:50:07.123Z',
  browser: null,
  os: 'Android',
  ip: '192.0.2.33',
  location: 'Madrid, Spain',
};

describe('totpCodeReused', () => {
  it('says a code was used twice and refused, and to change the password if it was not the user', () => {
    const mail = totpCodeReused(origin);

    expect(mail.subject).toBe('A reused authenticator code was refused');
    expect(mail.text).toBe(
      [
        'A reused authenticator code was refused',
        '',
        'A code from your authenticator app was used a second time for your account ada@example.com.',
        '',
        'Each code works only once, so it was refused.',
        '',
        'Time:                 Sunday, 23 November 2025, 14:50 UTC',
        'Device:               Android',
        'IP address:           192.0.2.33',
        'Approximate location: Madrid, Spain',
        '',
        'If this was you (for example, you entered the same code twice), there is nothing more to do.',
        '',
        "If it wasn't you, someone may have seen one of your codes and may know your password: change your password right away and contact support.",
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain('<p>Each code works only once, so it was refused.</p>');
    expect(mail.html).toContain('may know your password: change your password right away');
  });

  it('contains no link, token (not even the refused code), script or leftover placeholder', () => {
    const mail = totpCodeReused(origin);
    for (const body of [mail.subject, mail.text, mail.html]) {
      expect(body).not.toMatch(/https?:|<a[\s>]|href|<script|\{\{|undefined|null|NaN|[A-Za-z0-9_-]{24,}|\b[0-9]{6}\b/i);
    }
  });

  it('escapes attacker-controlled values in the HTML', () => {
    const mail = totpCodeReused({ ...origin, browser: '</td><script>alert(1)</script>', email: 'a&b@example.com' });
    expect(mail.html).not.toContain('<script');
    expect(mail.html).toContain('&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt; on Android');
    expect(mail.html).toContain('a&amp;b@example.com');
  });
});
