import { EventOrigin, MailTemplate, originDetails, renderSecurityNotice } from './security-notice';

export interface TotpCodeReusedParams extends EventOrigin {
  email: string;
}

/** Sent when an authenticator code is presented a second time (TOTP replay), which is refused. */
export const totpCodeReused: MailTemplate<TotpCodeReusedParams> = (params) =>
  renderSecurityNotice({
    subject: 'A reused authenticator code was refused',
    paragraphs: [
      `A code from your authenticator app was used a second time for your account ${params.email}.`,
      'Each code works only once, so it was refused.',
    ],
    details: originDetails(params),
    advice: [
      'If this was you (for example, you entered the same code twice), there is nothing more to do.',
      "If it wasn't you, someone may have seen one of your codes and may know your password: change your password right away and contact support.",
    ],
  });
