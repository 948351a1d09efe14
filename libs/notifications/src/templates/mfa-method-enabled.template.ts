import { EventOrigin, MailTemplate, originDetails, renderSecurityNotice } from './security-notice';
import { IF_IT_WASNT_YOU, IF_THIS_WAS_YOU, MfaMethod, mfaMethodName } from './wording';

export interface MfaMethodEnabledParams extends EventOrigin {
  email: string;
  method: Exclude<MfaMethod, 'passkey'>;
}

/** Passkeys have their own notice (passkey-changed.template.ts). */
const NEXT_SIGN_IN: Record<MfaMethodEnabledParams['method'], string> = {
  totp: 'From now on, signing in asks for a code from your authenticator app after your password.',
  email: 'From now on, signing in asks for a code sent to this email address after your password.',
};

/** Sent when TOTP or email codes are turned on (ASVS: notify the user of changes to their credentials). */
export const mfaMethodEnabled: MailTemplate<MfaMethodEnabledParams> = (params) =>
  renderSecurityNotice({
    subject: `Two-step verification turned on: ${mfaMethodName(params.method)}`,
    paragraphs: [
      `Two-step verification with ${mfaMethodName(params.method)} was turned on for your account ${params.email}.`,
      NEXT_SIGN_IN[params.method],
    ],
    details: originDetails(params),
    advice: [IF_THIS_WAS_YOU, IF_IT_WASNT_YOU],
  });
