import { EventOrigin, MailTemplate, originDetails, renderSecurityNotice } from './security-notice';

export interface SignUpAttemptedParams extends EventOrigin {
  email: string;
}

/**
 * Sent to the owner of an address when someone signs up with it: the sign-up answers as for any
 * address (no enumeration), and the owner, not the visitor, learns that the account exists.
 */
export const signUpAttempted: MailTemplate<SignUpAttemptedParams> = (params) =>
  renderSecurityNotice({
    subject: 'Someone tried to sign up with your address',
    paragraphs: [
      `Someone tried to create a new account with ${params.email}, which already has an account. No new account was created.`,
    ],
    details: originDetails(params),
    advice: [
      'If it was you, sign in with your existing account, or use "Forgot password?" on the sign-in page if you no longer know the password.',
      "If it wasn't you, you don't need to do anything: your account has not changed.",
    ],
  });
