import { EventOrigin, MailTemplate, originDetails, renderSecurityNotice } from './security-notice';
import { IF_IT_WASNT_YOU, IF_THIS_WAS_YOU, MfaMethod, mfaMethodName, remainingProtection } from './wording';

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
  const left = remainingProtection(remaining, 'We recommend turning two-step verification back on');
  return renderSecurityNotice({
    subject: `Two-step verification turned off: ${name}`,
    paragraphs: [
      `Two-step verification with ${name} was turned off for your account ${params.email}.`,
      ...(params.method === 'totp' ? ['Your recovery codes no longer work either.'] : []),
      left.paragraph,
    ],
    details: originDetails(params),
    advice: [...left.advice, IF_THIS_WAS_YOU, IF_IT_WASNT_YOU],
  });
};
