import { MailTemplate, renderSecurityNotice } from './security-notice';
import { plural, requireCount } from './wording';

export type EmailCodePurpose =
  'sign_in' | 'enable_email_mfa' | 'disable_email_mfa' | 'reauthenticate' | 'verify_email' | 'change_email';

export interface EmailCodeParams {
  email: string;
  /** Exactly 6 digits; anything else throws. */
  code: string;
  purpose: EmailCodePurpose;
  expiresInMinutes: number;
}

/** Subject (never the code: subjects show on lock screens and in logs) and what the code is for. */
const PURPOSES: Record<EmailCodePurpose, { subject: string; useItTo: string; label: string }> = {
  sign_in: { subject: 'Your sign-in code', useItTo: 'sign in to', label: 'Sign in' },
  enable_email_mfa: {
    subject: 'Your code to turn on email codes',
    useItTo: 'turn on two-step verification with email codes for',
    label: 'Turn on email codes',
  },
  disable_email_mfa: {
    subject: 'Your code to turn off email codes',
    useItTo: 'turn off two-step verification with email codes for',
    label: 'Turn off email codes',
  },
  reauthenticate: {
    subject: 'Your confirmation code',
    useItTo: "confirm it's you before a security change to",
    label: "Confirm it's you",
  },
  verify_email: {
    subject: 'Your code to confirm your email address',
    useItTo: 'confirm this address and create',
    label: 'Confirm your email address',
  },
  change_email: {
    subject: 'Your code to confirm your new email address',
    useItTo: 'make this address the one of',
    label: 'Change the email address',
  },
};

/** What to do if the code was not asked for. */
const IF_NOT_YOU: Record<'sign_in' | 'verify_email' | 'change_email' | 'other', string> = {
  sign_in:
    "If you didn't try to sign in, someone may know your password: don't share this code, and change your password right away.",
  verify_email: "If you didn't try to create an account, ignore this email: no account is created without this code.",
  change_email: "If you didn't ask for this, ignore this email: nothing changes without this code.",
  other:
    "If you didn't ask for this code, someone may know your password or be signed in to your account: don't share this code, change your password right away and sign out your other sessions.",
};

/** The one mail that carries a secret: a one-time email code. */
export const emailCode: MailTemplate<EmailCodeParams> = (params) => {
  if (typeof params.code !== 'string' || !/^[0-9]{6}$/.test(params.code))
    throw new TypeError('An email code must be exactly 6 digits');
  if (!Object.prototype.hasOwnProperty.call(PURPOSES, params.purpose))
    throw new TypeError(`Unknown email code purpose: ${String(params.purpose)}`);
  const purpose = PURPOSES[params.purpose];
  const validFor = plural(requireCount('expiresInMinutes', params.expiresInMinutes, 1), 'minute');
  return renderSecurityNotice({
    subject: purpose.subject,
    paragraphs: [
      `Your verification code is ${params.code}`,
      `Use it to ${purpose.useItTo} your account ${params.email}. It expires in ${validFor} and works only once.`,
    ],
    details: [
      ['Account', params.email],
      ['Purpose', purpose.label],
      ['Valid for', `${validFor}, one use`],
    ],
    advice: [
      'Never share this code with anyone. No one from support will ever ask you for it.',
      IF_NOT_YOU[
        params.purpose === 'sign_in' || params.purpose === 'verify_email' || params.purpose === 'change_email'
          ? params.purpose
          : 'other'
      ],
    ],
  });
};
