import { emailCode, EmailCodePurpose } from './email-code.template';

const params = {
  email: 'ada@example.com',
  code: '123456',
  purpose: 'sign_in' as EmailCodePurpose,
  expiresInMinutes: 10,
};

describe('emailCode', () => {
  it('gives the code, what it is for, how long it works, and never to share it', () => {
    const mail = emailCode(params);

    expect(mail.subject).toBe('Your sign-in code');
    expect(mail.text).toBe(
      [
        'Your sign-in code',
        '',
        'Your verification code is 123456',
        '',
        'Use it to sign in to your account ada@example.com. It expires in 10 minutes and works only once.',
        '',
        'Account:   ada@example.com',
        'Purpose:   Sign in',
        'Valid for: 10 minutes, one use',
        '',
        'Never share this code with anyone. No one from support will ever ask you for it.',
        '',
        "If you didn't try to sign in, someone may know your password: don't share this code, and change your password right away.",
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain('<p>Your verification code is 123456</p>');
    expect(mail.html).toContain('It expires in 10 minutes and works only once.');
    expect(mail.html).toContain('Never share this code with anyone.');
  });

  it('never puts the code in the subject or the HTML title', () => {
    for (const purpose of ['sign_in', 'enable_email_mfa', 'disable_email_mfa', 'reauthenticate'] as const) {
      const mail = emailCode({ ...params, purpose, code: '987654' });
      expect(mail.subject).not.toMatch(/[0-9]/);
      expect(mail.html).toMatch(/<title>[^0-9<]*<\/title>/);
      expect(mail.text.split('987654')).toHaveLength(2);
      expect(mail.html.split('987654')).toHaveLength(2);
    }
  });

  it('says what each code is for', () => {
    const cases: Array<[EmailCodePurpose, string, string]> = [
      [
        'enable_email_mfa',
        'Your code to turn on email codes',
        'Use it to turn on two-step verification with email codes for your account ada@example.com.',
      ],
      [
        'disable_email_mfa',
        'Your code to turn off email codes',
        'Use it to turn off two-step verification with email codes for your account ada@example.com.',
      ],
      [
        'reauthenticate',
        'Your confirmation code',
        "Use it to confirm it's you before a security change to your account ada@example.com.",
      ],
    ];
    for (const [purpose, subject, use] of cases) {
      const mail = emailCode({ ...params, purpose, expiresInMinutes: 1 });
      expect(mail.subject).toBe(subject);
      expect(mail.text).toContain(`${use} It expires in 1 minute and works only once.\n`);
      expect(mail.text).toContain(
        "If you didn't ask for this code, someone may know your password or be signed in to your account",
      );
    }
  });

  it('accepts only exactly 6 ASCII digits, so nothing else can be injected', () => {
    for (const code of ['12345', '1234567', '12345a', ' 123456', '123456\n', '<b>12</b>', '١٢٣٤٥٦', '', '12 456']) {
      expect(() => emailCode({ ...params, code })).toThrow(TypeError);
    }
    expect(() => emailCode({ ...params, code: 123456 as unknown as string })).toThrow(TypeError);
    expect(() => emailCode({ ...params, code: '000000' })).not.toThrow();
  });

  it('refuses an unknown purpose or a bad lifetime', () => {
    expect(() => emailCode({ ...params, purpose: 'toString' as EmailCodePurpose })).toThrow(TypeError);
    for (const expiresInMinutes of [0, -1, 1.5, NaN])
      expect(() => emailCode({ ...params, expiresInMinutes })).toThrow(RangeError);
  });

  it('contains no link, other token, script or leftover placeholder', () => {
    const mail = emailCode(params);
    for (const body of [mail.subject, mail.text, mail.html]) {
      expect(body).not.toMatch(/https?:|<a[\s>]|href|<script|\{\{|undefined|null|NaN|[A-Za-z0-9_-]{24,}/i);
    }
  });

  it('escapes the address in the HTML', () => {
    const mail = emailCode({ ...params, email: '"><script>alert(1)</script>@example.com' });
    expect(mail.html).not.toContain('<script');
    expect(mail.html).toContain('your account &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@example.com.');
  });
});
