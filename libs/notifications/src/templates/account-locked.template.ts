import { EventOrigin, formatUtc, MailTemplate, originDetails, renderSecurityNotice } from './security-notice';
import { plural, requireCount } from './wording';

export interface AccountLockedParams extends EventOrigin {
  email: string;
  /** ISO 8601 time the lock ends. */
  until: string;
  /** Failed sign-ins that caused the lock. */
  failures: number;
}

/** Sent when repeated failed sign-ins lock the account for a while. */
export const accountLocked: MailTemplate<AccountLockedParams> = (params) =>
  renderSecurityNotice({
    subject: 'Your account was temporarily locked',
    paragraphs: [
      `Your account ${params.email} was temporarily locked after ${plural(requireCount('failures', params.failures, 1), 'failed sign-in')}.`,
      `You can sign in again after ${formatUtc(params.until)}.`,
    ],
    details: originDetails(params),
    advice: [
      'If this was you, wait until then and try again. If you have forgotten your password, you can reset it.',
      "If it wasn't you, you don't need to do anything: the lock protects your account. Someone may be trying to guess your password, so consider changing it.",
    ],
  });
