import { emailChanged } from './email-changed.template';
import { signUpAttempted } from './sign-up-attempted.template';

const origin = {
  occurredAt: '2025-11-23T14:50:07.123Z',
  browser: 'Firefox',
  os: 'Windows',
  ip: '203.0.113.7',
  location: 'Berlin, Germany',
};

describe('emailChanged (to the old address)', () => {
  it('names both addresses, when and from where, and what to do if it was not the owner', () => {
    const mail = emailChanged({ oldEmail: 'ada@old.example', newEmail: 'ada@new.example', ...origin });
    expect(mail.subject).toBe('The email address of your account was changed');
    expect(mail.text).toContain('The account that used ada@old.example now signs in with ada@new.example.');
    expect(mail.text).toContain('Old address:          ada@old.example');
    expect(mail.text).toContain('IP address:           203.0.113.7');
    expect(mail.text).toContain("If it wasn't you");
  });

  it('escapes attacker-controlled values in the HTML', () => {
    const mail = emailChanged({
      oldEmail: 'a@x.example',
      newEmail: '"<img src=x>"@evil.example',
      ...origin,
      browser: '<script>1</script>',
    });
    expect(mail.html).not.toMatch(/<script|<img/);
  });
});

describe('signUpAttempted (to the owner of a taken address)', () => {
  it('says no account was created and points at sign-in and the password reset, with no link or code', () => {
    const mail = signUpAttempted({ email: 'ada@example.com', ...origin });
    expect(mail.subject).toBe('Someone tried to sign up with your address');
    expect(mail.text).toContain('No new account was created.');
    expect(mail.text).toContain('Forgot password?');
    for (const body of [mail.subject, mail.text, mail.html]) expect(body).not.toMatch(/https?:|href|\b\d{6}\b/);
  });
});
