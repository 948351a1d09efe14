import { recoveryCodesRegenerated } from './recovery-codes-regenerated.template';

const origin = {
  email: 'ada@example.com',
  occurredAt: '2025-11-23T14:50:07.123Z',
  browser: 'Safari',
  os: 'iOS',
  ip: '2001:db8::1',
  location: 'Lyon, France',
};

describe('recoveryCodesRegenerated', () => {
  it('says a new set was generated and the old codes no longer work', () => {
    const mail = recoveryCodesRegenerated(origin);

    expect(mail.subject).toBe('New recovery codes were generated');
    expect(mail.text).toBe(
      [
        'New recovery codes were generated',
        '',
        'A new set of recovery codes was generated for your account ada@example.com.',
        '',
        'Your previous recovery codes no longer work. Keep the new ones somewhere safe.',
        '',
        'Time:                 Sunday, 23 November 2025, 14:50 UTC',
        'Device:               Safari on iOS',
        'IP address:           2001:db8::1',
        'Approximate location: Lyon, France',
        '',
        'If this was you, there is nothing more to do.',
        '',
        "If it wasn't you, reset your password right away and contact support: someone else may have access to your account.",
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain(
      '<p>Your previous recovery codes no longer work. Keep the new ones somewhere safe.</p>',
    );
    for (const fact of ['ada@example.com', 'Safari on iOS', '2001:db8::1', 'Lyon, France'])
      expect(mail.html).toContain(fact);
  });

  it('contains no link, token (no code at all), script or leftover placeholder', () => {
    const mail = recoveryCodesRegenerated(origin);
    for (const body of [mail.subject, mail.text, mail.html]) {
      expect(body).not.toMatch(/https?:|<a[\s>]|href|<script|\{\{|undefined|null|NaN|[A-Za-z0-9_-]{24,}/i);
    }
  });

  it('escapes attacker-controlled values in the HTML', () => {
    const mail = recoveryCodesRegenerated({ ...origin, email: "o'hara&<i>@example.com", location: '<svg onload=x>' });
    expect(mail.html).not.toMatch(/<i>|<svg/);
    expect(mail.html).toContain('o&#39;hara&amp;&lt;i&gt;@example.com');
    expect(mail.html).toContain('&lt;svg onload=x&gt;');
  });
});
