import { EventOrigin, MailTemplate, originDetails, renderSecurityNotice } from './security-notice';
import { IF_IT_WASNT_YOU, IF_THIS_WAS_YOU } from './wording';

export interface RecoveryCodesRegeneratedParams extends EventOrigin {
  email: string;
}

/** Sent when a new set of recovery codes replaces the old one. */
export const recoveryCodesRegenerated: MailTemplate<RecoveryCodesRegeneratedParams> = (params) =>
  renderSecurityNotice({
    subject: 'New recovery codes were generated',
    paragraphs: [
      `A new set of recovery codes was generated for your account ${params.email}.`,
      'Your previous recovery codes no longer work. Keep the new ones somewhere safe.',
    ],
    details: originDetails(params),
    advice: [IF_THIS_WAS_YOU, IF_IT_WASNT_YOU],
  });
