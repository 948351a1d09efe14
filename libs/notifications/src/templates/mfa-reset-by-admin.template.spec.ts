import { mfaResetByAdmin } from './mfa-reset-by-admin.template';

const params = {
  email: 'ada@example.com',
  reason: 'Lost phone, identity verified by video call (ticket 4711)',
  adminEmail: 'grace@example.com',
  occurredAt: '2025-11-23T14:50:07.123Z',
  browser: 'Edge',
  os: 'Windows',
  ip: '10.0.0.5',
  location: 'Office',
};

describe('mfaResetByAdmin', () => {
  it('says what the administrator did, who, when and why, and to set up MFA again', () => {
    const mail = mfaResetByAdmin(params);

    expect(mail.subject).toBe('Your two-step verification was reset by an administrator');
    expect(mail.text).toBe(
      [
        'Your two-step verification was reset by an administrator',
        '',
        'An administrator removed all two-step verification methods and recovery codes from your account ada@example.com and signed you out everywhere.',
        '',
        'Time:          Sunday, 23 November 2025, 14:50 UTC',
        'Administrator: grace@example.com',
        'Reason:        Lost phone, identity verified by video call (ticket 4711)',
        '',
        'Sign in again with your password and set up two-step verification again, then keep your new recovery codes somewhere safe.',
        '',
        "If you didn't expect this, contact support.",
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain(
      'Reason</th><td style="padding:4px 0">Lost phone, identity verified by video call (ticket 4711)</td>',
    );
    expect(mail.html).toContain('grace@example.com');
  });

  it("does not show the administrator's device, IP address or location", () => {
    const mail = mfaResetByAdmin(params);
    for (const body of [mail.text, mail.html]) {
      expect(body).not.toMatch(/Edge|10\.0\.0\.5|Office|IP address|Device/);
    }
  });

  it('says when the administrator or the reason was not recorded', () => {
    const mail = mfaResetByAdmin({ ...params, adminEmail: null, reason: '  \n ' });
    expect(mail.text).toContain('Administrator: Not recorded\n');
    expect(mail.text).toContain('Reason:        Not given\n');
  });

  it('shows the reason escaped, on one line, and cut', () => {
    const mail = mfaResetByAdmin({
      ...params,
      adminEmail: '<b>admin</b>@example.com',
      reason: `<script>alert(1)</script>\r\n\r\nClick here & call us${' now'.repeat(100)}`,
    });
    expect(mail.html).not.toMatch(/<script|<b>/);
    expect(mail.html).toContain('&lt;b&gt;admin&lt;/b&gt;@example.com');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Click here &amp; call us now now');
    const reasonLine = mail.text.split('\n').find((line) => line.startsWith('Reason:'));
    expect(reasonLine).toMatch(/^Reason: {8}<script>alert\(1\)<\/script> Click here & call us( now)+/);
    const shown = reasonLine!.slice('Reason:        '.length);
    expect(shown).toHaveLength(200);
    expect(shown.endsWith('…')).toBe(true);
  });

  it('contains no link, token, script or leftover placeholder', () => {
    const mail = mfaResetByAdmin({ ...params, adminEmail: null });
    for (const body of [mail.subject, mail.text, mail.html]) {
      expect(body).not.toMatch(/https?:|<a[\s>]|href|<script|\{\{|undefined|null|NaN|[A-Za-z0-9_-]{24,}/i);
    }
  });
});
