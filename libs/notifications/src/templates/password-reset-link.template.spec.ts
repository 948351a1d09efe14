import { passwordResetLink } from './password-reset-link.template';

const params = {
  email: 'ada@example.com',
  link: 'https://accounts.example.com/account/reset#token=4f1c2b7e-0000-4000-8000-000000000001.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ',
  expiresInMinutes: 30,
  secondFactor: null,
  occurredAt: '2025-11-23T14:50:07.123Z',
  browser: 'Firefox',
  os: 'Windows',
  ip: '203.0.113.7',
  location: 'Berlin, Germany',
};

describe('passwordResetLink', () => {
  it('gives the link on a line of its own, how long it lasts, and who asked from where', () => {
    const mail = passwordResetLink(params);
    expect(mail.subject).toBe('Reset your password');
    expect(mail.subject).not.toContain('token');
    expect(mail.text).toContain(`\n${params.link}\n`);
    expect(mail.text).toContain('It works once and expires in 30 minutes.');
    expect(mail.text).toContain('IP address:           203.0.113.7');
    expect(mail.text).not.toContain('authenticator app');
    expect(mail.html).toContain(params.link);
  });

  it('says when a code from the app or a recovery code, or an administrator, will be needed too', () => {
    expect(passwordResetLink({ ...params, secondFactor: 'app' }).text).toContain(
      'You will also need a code from your authenticator app or one of your recovery codes.',
    );
    expect(passwordResetLink({ ...params, secondFactor: 'administrator' }).text).toContain(
      'ask an administrator to reset two-step verification first.',
    );
  });

  it('refuses a link that is not an http(s) URL carrying the token in its fragment', () => {
    for (const link of [
      'javascript:alert(1)#token=a',
      'https://x.example/reset?token=abc',
      'https://x.example/reset#token=a b',
    ]) {
      expect(() => passwordResetLink({ ...params, link })).toThrow(TypeError);
    }
  });

  it('escapes attacker-controlled values in the HTML', () => {
    const mail = passwordResetLink({ ...params, email: '"onmouseover="x"@example.com', browser: '<script>1</script>' });
    expect(mail.html).not.toMatch(/<script/);
    expect(mail.html).toContain('&quot;onmouseover=&quot;x&quot;@example.com');
  });
});
