import { EventOrigin, MailTemplate, originDetails, renderSecurityNotice } from './security-notice';
import {
  IF_IT_WASNT_YOU,
  IF_THIS_WAS_YOU,
  MfaMethod,
  mfaMethodName,
  plural,
  remainingProtection,
  requireCount,
} from './wording';

export interface PasskeyAddedParams extends EventOrigin {
  email: string;
  /** The name its owner gave it (shown as text, escaped in HTML). */
  name: string;
}

/**
 * Sent when a passkey is added: with it, someone can sign in without the password at all, so an
 * owner who did not add it must hear of it at once.
 */
export const passkeyAdded: MailTemplate<PasskeyAddedParams> = (params) =>
  renderSecurityNotice({
    subject: 'A passkey was added to your account',
    paragraphs: [
      `A passkey named "${params.name}" was added to your account ${params.email}.`,
      'It can now sign in to your account without your password, and serve as the second step after it.',
    ],
    details: originDetails(params),
    advice: [
      IF_THIS_WAS_YOU,
      "If it wasn't you, remove the passkey on your account's security page, reset your password right away and contact support: someone else may have access to your account.",
    ],
  });

export interface PasskeyRemovedParams extends EventOrigin {
  email: string;
  /** Passkeys still registered after this one was removed. */
  passkeysLeft: number;
  /** The other second factors still on (authenticator app, email codes). */
  otherMethods: Exclude<MfaMethod, 'passkey'>[];
}

/** Sent when a passkey is removed; warns when only the password is left. */
export const passkeyRemoved: MailTemplate<PasskeyRemovedParams> = (params) => {
  const left = requireCount('passkeysLeft', params.passkeysLeft);
  const protections = [
    ...(left > 0 ? [plural(left, 'other passkey')] : []),
    ...[...new Set(params.otherMethods)].map(mfaMethodName),
  ];
  const remaining = remainingProtection(
    protections,
    'We recommend adding a passkey or turning on two-step verification',
  );
  return renderSecurityNotice({
    subject: 'A passkey was removed from your account',
    paragraphs: [
      `A passkey was removed from your account ${params.email}. It can no longer sign in.`,
      remaining.paragraph,
    ],
    details: originDetails(params),
    advice: [...remaining.advice, IF_THIS_WAS_YOU, IF_IT_WASNT_YOU],
  });
};
