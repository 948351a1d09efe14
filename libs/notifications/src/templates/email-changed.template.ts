import { EventOrigin, MailTemplate, originDetails, renderSecurityNotice } from './security-notice';

export interface EmailChangedParams extends EventOrigin {
  oldEmail: string;
  newEmail: string;
}

/** Sent to the old address when an account moves to a new one (ASVS: notify of credential changes). */
export const emailChanged: MailTemplate<EmailChangedParams> = (params) =>
  renderSecurityNotice({
    subject: 'The email address of your account was changed',
    paragraphs: [
      `The account that used ${params.oldEmail} now signs in with ${params.newEmail}. This address no longer has an account with us.`,
    ],
    details: [['Old address', params.oldEmail], ['New address', params.newEmail], ...originDetails(params)],
    advice: [
      'If this was you, there is nothing more to do.',
      "If it wasn't you, someone had access to your account: contact support right away, and say when you received this email.",
    ],
  });
