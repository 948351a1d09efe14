import { EventOrigin, formatUtc, MailTemplate, originDetails, renderSecurityNotice } from './security-notice';
import { plural, requireCount } from './wording';

export interface AccountLockedParams extends EventOrigin {
  email: string;
  /** ISO 8601 time the lock ends. */
  until: string;
  /** Failed proofs of identity (passwords and codes) that caused the lock. */
  failures: number;
}

/** Sent when repeated wrong passwords or codes lock the account for a while (once per lock). */
export const accountLocked: MailTemplate<AccountLockedParams> = (params) =>
  renderSecurityNotice({
    subject: 'Your account was temporarily locked',
    paragraphs: [
      `Your account ${params.email} was temporarily locked after ${plural(requireCount('failures', params.failures, 1), 'failed attempt')} to sign in or confirm your identity (a wrong password or code).`,
      `You can sign in again after ${formatUtc(params.until)}.`,
    ],
    details: originDetails(params),
    advice: [
      'If this was you, wait until then and try again. If you have forgotten your password, you can reset it.',
      "If it wasn't you, you don't need to do anything: the lock protects your account. Someone may be trying to guess your password or a code, so consider changing your password.",
    ],
  });
