import { EventOrigin, MailTemplate, originDetails, renderSecurityNotice } from './security-notice';
import { plural, requireCount } from './wording';

export interface RecoveryCodesRunningLowParams extends EventOrigin {
  email: string;
  /** Unused recovery codes left (the mail is sent when 2 or fewer remain). */
  remaining: number;
}

/** Sent after a recovery code is used and few are left. */
export const recoveryCodesRunningLow: MailTemplate<RecoveryCodesRunningLowParams> = (params) => {
  const remaining = requireCount('remaining', params.remaining);
  const left = remaining === 0 ? 'no recovery codes' : `only ${plural(remaining, 'recovery code')}`;
  return renderSecurityNotice({
    subject: `You have ${left} left`,
    paragraphs: [`A recovery code was just used for your account ${params.email}.`, `You have ${left} left.`],
    details: originDetails(params),
    advice: [
      'Generate a new set of recovery codes in your security settings, so you can still sign in if you lose your other methods. The new set replaces the old one.',
      "If you didn't use a recovery code, someone else may have your codes and know your password: reset your password right away, generate new recovery codes and contact support.",
    ],
  });
};
