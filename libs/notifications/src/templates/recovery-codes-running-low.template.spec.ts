import { recoveryCodesRunningLow } from './recovery-codes-running-low.template';

const origin = {
  email: 'ada@example.com',
  occurredAt: '2025-11-23T14:50:07.123Z',
  browser: 'Firefox',
  os: 'Linux',
  ip: '203.0.113.7',
  location: 'Berlin, Germany',
};

describe('recoveryCodesRunningLow', () => {
  it('says how many codes are left and advises generating new ones', () => {
    const mail = recoveryCodesRunningLow({ ...origin, remaining: 2 });

    expect(mail.subject).toBe('You have only 2 recovery codes left');
    expect(mail.text).toBe(
      [
        'You have only 2 recovery codes left',
        '',
        'A recovery code was just used for your account ada@example.com.',
        '',
        'You have only 2 recovery codes left.',
        '',
        'Time:                 Sunday, 23 November 2025, 14:50 UTC',
        'Device:               Firefox on Linux',
        'IP address:           203.0.113.7',
        'Approximate location: Berlin, Germany',
        '',
        'Generate a new set of recovery codes in your security settings, so you can still sign in if you lose your other methods. The new set replaces the old one.',
        '',
        "If you didn't use a recovery code, someone else may have your codes and know your password: reset your password right away, generate new recovery codes and contact support.",
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain('<p>You have only 2 recovery codes left.</p>');
    expect(mail.html).toContain('<p>Generate a new set of recovery codes');
  });

  it('counts one and none', () => {
    expect(recoveryCodesRunningLow({ ...origin, remaining: 1 }).subject).toBe('You have only 1 recovery code left');
    const none = recoveryCodesRunningLow({ ...origin, remaining: 0 });
    expect(none.subject).toBe('You have no recovery codes left');
    expect(none.text).toContain('You have no recovery codes left.\n');
  });

  it('refuses a count that is not a whole number', () => {
    for (const remaining of [NaN, -1, 1.5, Infinity]) {
      expect(() => recoveryCodesRunningLow({ ...origin, remaining })).toThrow(RangeError);
    }
  });

  it('contains no link, token, script or leftover placeholder', () => {
    const mail = recoveryCodesRunningLow({ ...origin, remaining: 1 });
    for (const body of [mail.subject, mail.text, mail.html]) {
      expect(body).not.toMatch(/https?:|<a[\s>]|href|<script|\{\{|undefined|null|NaN|[A-Za-z0-9_-]{24,}/i);
    }
  });

  it('escapes attacker-controlled values in the HTML', () => {
    const mail = recoveryCodesRunningLow({
      ...origin,
      remaining: 2,
      email: '<script>x</script>@example.com',
      browser: 'A&B "UA"',
    });
    expect(mail.html).not.toContain('<script');
    expect(mail.html).toContain('&lt;script&gt;x&lt;/script&gt;@example.com');
    expect(mail.html).toContain('A&amp;B &quot;UA&quot; on Linux');
  });
});
