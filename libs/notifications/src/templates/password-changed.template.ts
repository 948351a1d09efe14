import { EventOrigin, MailTemplate, originDetails, renderSecurityNotice } from './security-notice';

export interface PasswordChangedParams extends EventOrigin {
  email: string;
}

/** Sent after a password change (ASVS: notify the user of changes to their credentials). */
export const passwordChanged: MailTemplate<PasswordChangedParams> = (params) =>
  renderSecurityNotice({
    subject: 'Your password was changed',
    paragraphs: [`The password of your account ${params.email} was changed.`],
    details: originDetails(params),
    advice: [
      'If this was you, there is nothing more to do.',
      "If it wasn't you, reset your password right away and contact support: someone else may have access to your account.",
    ],
  });
