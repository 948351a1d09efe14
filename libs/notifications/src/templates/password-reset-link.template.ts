import { EventOrigin, MailTemplate, originDetails, renderSecurityNotice } from './security-notice';
import { plural, requireCount } from './wording';

export interface PasswordResetLinkParams extends EventOrigin {
  email: string;
  /** The single-use link (its token rides in the fragment, which browsers never send to servers). */
  link: string;
  expiresInMinutes: number;
  /**
   * What the reset will need besides the link: `app` (an app or recovery code), `administrator`
   * (the account's only second factor is email codes, which the mailbox cannot confirm), or nothing.
   */
  secondFactor: 'app' | 'administrator' | null;
}

const SECOND_FACTOR_WORDS: Record<string, string> = {
  app: 'You will also need a code from your authenticator app or one of your recovery codes.',
  administrator:
    'Your second step is email codes, which cannot confirm a reset sent by email: ask an administrator to reset two-step verification first.',
};

/** The "forgot password" mail: the one notice besides email codes that carries a secret. */
export const passwordResetLink: MailTemplate<PasswordResetLinkParams> = (params) => {
  if (!/^https?:\/\/\S+#token=[A-Za-z0-9._~-]+$/.test(params.link))
    throw new TypeError('A reset link must be an http(s) URL with #token=');
  const validFor = plural(requireCount('expiresInMinutes', params.expiresInMinutes, 1), 'minute');
  return renderSecurityNotice({
    subject: 'Reset your password',
    paragraphs: [
      `Someone asked to reset the password of your account ${params.email}. To choose a new password, open this link:`,
      params.link,
      `It works once and expires in ${validFor}.`,
      ...(params.secondFactor ? [SECOND_FACTOR_WORDS[params.secondFactor]] : []),
    ],
    details: [['Account', params.email], ...originDetails(params)],
    advice: [
      'Never share this link with anyone. No one from support will ever ask you for it.',
      "If you didn't ask for this, ignore this email: your password stays as it is.",
    ],
  });
};
