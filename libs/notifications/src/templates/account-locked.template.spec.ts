import { accountLocked } from './account-locked.template';

const params = {
  email: 'ada@example.com',
  until: '2025-11-23T15:05:07.123Z',
  failures: 5,
  occurredAt: '2025-11-23T14:50:07.123Z',
  browser: 'curl',
  os: null,
  ip: '198.51.100.99',
  location: 'Unknown place',
};

describe('accountLocked', () => {
  it('says how many failures locked the account, until when, and what to do', () => {
    const mail = accountLocked(params);

    expect(mail.subject).toBe('Your account was temporarily locked');
    expect(mail.text).toBe(
      [
        'Your account was temporarily locked',
        '',
        'Your account ada@example.com was temporarily locked after 5 failed attempts to sign in or confirm your identity (a wrong password or code).',
        '',
        'You can sign in again after Sunday, 23 November 2025, 15:05 UTC.',
        '',
        'Time:                 Sunday, 23 November 2025, 14:50 UTC',
        'Device:               curl',
        'IP address:           198.51.100.99',
        'Approximate location: Unknown place',
        '',
        'If this was you, wait until then and try again. If you have forgotten your password, you can reset it.',
        '',
        "If it wasn't you, you don't need to do anything: the lock protects your account. Someone may be trying to guess your password or a code, so consider changing your password.",
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain('<p>You can sign in again after Sunday, 23 November 2025, 15:05 UTC.</p>');
    expect(mail.html).toContain('you don&#39;t need to do anything');
  });

  it('shows the end of the lock in UTC whatever the offset, and counts one failure', () => {
    const mail = accountLocked({ ...params, until: '2025-11-23T17:05:00+02:00', failures: 1 });
    expect(mail.text).toContain('after 1 failed attempt to sign in');
    expect(mail.text).toContain('You can sign in again after Sunday, 23 November 2025, 15:05 UTC.\n');
  });

  it('refuses a failure count that is not a positive whole number', () => {
    for (const failures of [0, -3, 2.5, NaN]) expect(() => accountLocked({ ...params, failures })).toThrow(RangeError);
  });

  it('contains no link, token, script or leftover placeholder', () => {
    const mail = accountLocked(params);
    for (const body of [mail.subject, mail.text, mail.html]) {
      expect(body).not.toMatch(/https?:|<a[\s>]|href|<script|\{\{|undefined|null|NaN|[A-Za-z0-9_-]{24,}/i);
    }
  });

  it('escapes attacker-controlled values in the HTML', () => {
    const mail = accountLocked({
      ...params,
      email: '"onmouseover="x"@example.com',
      browser: '<script>1</script>',
      until: '<b>soon</b>',
    });
    expect(mail.html).not.toMatch(/<script|<b>/);
    expect(mail.html).toContain('&quot;onmouseover=&quot;x&quot;@example.com');
    expect(mail.html).toContain('after &lt;b&gt;soon&lt;/b&gt;.');
  });
});
