import { EventOrigin, formatUtc, MailTemplate, renderSecurityNotice } from './security-notice';

export interface MfaResetByAdminParams extends EventOrigin {
  email: string;
  adminEmail: string | null;
}

/**
 * Sent when an administrator resets the user's MFA. Says when and who, but not the
 * administrator's stated reason (written for the audit log: it may hold ticket numbers, notes
 * on how the person's identity was checked, internal words) nor the administrator's device, IP
 * address or location, which are no business of the user. The same rule as the user's own
 * activity (event-summaries.ts); the audit log and the admin timeline keep the reason.
 */
export const mfaResetByAdmin: MailTemplate<MfaResetByAdminParams> = (params) =>
  renderSecurityNotice({
    subject: 'Your two-step verification was reset by an administrator',
    paragraphs: [
      `An administrator removed all two-step verification methods and recovery codes from your account ${params.email} and signed you out everywhere.`,
    ],
    details: [
      ['Time', formatUtc(params.occurredAt)],
      ['Administrator', params.adminEmail ?? 'Not recorded'],
    ],
    advice: [
      'Sign in again with your password and set up two-step verification again, then keep your new recovery codes somewhere safe.',
      "If you didn't expect this, contact support.",
    ],
  });
