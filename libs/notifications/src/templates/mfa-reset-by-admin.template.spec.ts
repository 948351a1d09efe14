import { mfaResetByAdmin } from './mfa-reset-by-admin.template';

const params = {
  email: 'ada@example.com',
  adminEmail: 'grace@example.com',
  occurredAt: '2025-11-23T14:50:07.123Z',
  browser: 'Edge',
  os: 'Windows',
  ip: '10.0.0.5',
  location: 'Office',
};

describe('mfaResetByAdmin', () => {
  it('says what the administrator did, who and when, and to set up MFA again', () => {
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
        '',
        'Sign in again with your password and set up two-step verification again, then keep your new recovery codes somewhere safe.',
        '',
        "If you didn't expect this, contact support.",
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain('grace@example.com');
  });

  it("does not quote the administrator's reason, written for the audit log", () => {
    // The reason is no parameter at all: passing one (as an untyped caller might) changes nothing.
    const mail = mfaResetByAdmin({
      ...params,
      reason: 'Lost phone, identity verified by video call (ticket 4711)',
    } as never);
    for (const body of [mail.subject, mail.text, mail.html]) {
      expect(body).not.toMatch(/Reason|ticket|4711|video call|Lost phone/);
    }
  });

  it("does not show the administrator's device, IP address or location", () => {
    const mail = mfaResetByAdmin(params);
    for (const body of [mail.text, mail.html]) {
      expect(body).not.toMatch(/Edge|10\.0\.0\.5|Office|IP address|Device/);
    }
  });

  it('says when the administrator was not recorded, and escapes the address', () => {
    expect(mfaResetByAdmin({ ...params, adminEmail: null }).text).toContain('Administrator: Not recorded\n');
    const mail = mfaResetByAdmin({ ...params, adminEmail: '<b>admin</b>@example.com' });
    expect(mail.html).not.toMatch(/<b>/);
    expect(mail.html).toContain('&lt;b&gt;admin&lt;/b&gt;@example.com');
  });

  it('contains no link, token, script or leftover placeholder', () => {
    const mail = mfaResetByAdmin({ ...params, adminEmail: null });
    for (const body of [mail.subject, mail.text, mail.html]) {
      expect(body).not.toMatch(/https?:|<a[\s>]|href|<script|\{\{|undefined|null|NaN|[A-Za-z0-9_-]{24,}/i);
    }
  });
});
