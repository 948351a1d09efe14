import { EventOrigin, MailTemplate, originDetails, renderSecurityNotice } from './security-notice';
import { IF_IT_WASNT_YOU, IF_THIS_WAS_YOU, listOf, MfaMethod, mfaMethodName } from './wording';

export interface MfaMethodDisabledParams extends EventOrigin {
  email: string;
  method: MfaMethod;
  /** The methods still on after this one was turned off. */
  remainingMethods: MfaMethod[];
}

/** Sent when TOTP or email codes are turned off; warns when only the password is left. */
export const mfaMethodDisabled: MailTemplate<MfaMethodDisabledParams> = (params) => {
  const name = mfaMethodName(params.method);
  const remaining = [...new Set(params.remainingMethods)]
    .filter((method) => method !== params.method)
    .map(mfaMethodName);
  return renderSecurityNotice({
    subject: `Two-step verification turned off: ${name}`,
    paragraphs: [
      `Two-step verification with ${name} was turned off for your account ${params.email}.`,
      ...(params.method === 'totp' ? ['Your recovery codes no longer work either.'] : []),
      remaining.length > 0
        ? `Your account is still protected by two-step verification with ${listOf(remaining)}.`
        : 'Your account is now protected by your password alone.',
    ],
    details: originDetails(params),
    advice: [
      ...(remaining.length > 0
        ? []
        : [
            'We recommend turning two-step verification back on: with a password alone, anyone who learns it can sign in.',
          ]),
      IF_THIS_WAS_YOU,
      IF_IT_WASNT_YOU,
    ],
  });
};
