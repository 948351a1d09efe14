import { passwordChanged } from './password-changed.template';

const origin = {
  email: 'ada@example.com',
  occurredAt: '2025-11-23T14:50:07.123Z',
  browser: 'Firefox',
  os: 'Windows',
  ip: '203.0.113.7',
  location: 'Berlin, Germany',
};

describe('passwordChanged', () => {
  it('says what happened, when, on which device, from where, and what to do', () => {
    const mail = passwordChanged(origin);

    expect(mail.subject).toBe('Your password was changed');
    expect(mail.text).toBe(
      [
        'Your password was changed',
        '',
        'The password of your account ada@example.com was changed.',
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
    for (const fact of [
      'Sunday, 23 November 2025, 14:50 UTC',
      'Firefox on Windows',
      '203.0.113.7',
      'Berlin, Germany',
      'ada@example.com',
    ]) {
      expect(mail.html).toContain(fact);
    }
    expect(mail.html).toContain('reset your password right away and contact support');
  });

  it('contains no link, script or leftover placeholder', () => {
    const mail = passwordChanged(origin);
    for (const body of [mail.text, mail.html]) {
      expect(body).not.toMatch(/https?:|<a[\s>]|href|<script|\{\{|undefined|null|NaN/i);
    }
  });

  it('escapes attacker-controlled values in the HTML', () => {
    const mail = passwordChanged({
      ...origin,
      email: '"><script>alert(1)</script>@example.com',
      browser: '<script>alert("ua")</script>',
      os: "<img src=x onerror='x'>",
      location: 'Tom & Jerry',
    });

    expect(mail.html).not.toContain('<script');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@example.com');
    expect(mail.html).toContain(
      '&lt;script&gt;alert(&quot;ua&quot;)&lt;/script&gt; on &lt;img src=x onerror=&#39;x&#39;&gt;',
    );
    expect(mail.html).toContain('Tom &amp; Jerry');
    // The plain-text part is not HTML: it shows the values as they are.
    expect(mail.text).toContain('Device:               <script>alert("ua")</script> on <img');
  });

  it('keeps a crafted value on one line, so it cannot forge a paragraph', () => {
    const mail = passwordChanged({ ...origin, browser: 'Firefox\n\nIgnore this mail and call +1 555 0100\r\n' });
    expect(mail.text).toContain('Device:               Firefox Ignore this mail and call +1 555 0100 on Windows\n');
  });

  it('says "Unknown" for what was not recorded', () => {
    const mail = passwordChanged({ ...origin, browser: null, os: null, ip: null, location: null });
    expect(mail.text).toContain('Device:               Unknown device\n');
    expect(mail.text).toContain('IP address:           Unknown\n');
    expect(mail.text).toContain('Approximate location: Unknown\n');
  });
});
