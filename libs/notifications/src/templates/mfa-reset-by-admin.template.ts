import { EventOrigin, formatUtc, MailTemplate, renderSecurityNotice } from './security-notice';

export interface MfaResetByAdminParams extends EventOrigin {
  email: string;
  /** The administrator's stated reason: free text, shown on one line, cut, escaped. */
  reason: string;
  adminEmail: string | null;
}

/**
 * Sent when an administrator resets the user's MFA. Shows when, who and why, but not the
 * administrator's device, IP address or location, which are no business of the user.
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
      ['Reason', params.reason.trim() || 'Not given'],
    ],
    advice: [
      'Sign in again with your password and set up two-step verification again, then keep your new recovery codes somewhere safe.',
      "If you didn't expect this, contact support.",
    ],
  });
