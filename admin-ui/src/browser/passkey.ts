import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/browser';

/**
 * The browser's passkey prompt (navigator.credentials through @simplewebauthn/browser). What goes
 * wrong in the prompt becomes a PasskeyPromptError with plain words, so the pages never show a
 * DOMException's own text.
 */

export type PasskeyPromptProblem = 'cancelled' | 'already_registered' | 'unsupported' | 'failed';

const PROMPT_MESSAGES: Record<PasskeyPromptProblem, string> = {
  cancelled: 'The passkey prompt was closed or timed out. Nothing was changed; you can try again.',
  already_registered: 'This device or security key already holds a passkey for your account.',
  unsupported: 'This browser cannot use passkeys here.',
  failed: 'The passkey prompt did not work. Try again, or use another way.',
};

export class PasskeyPromptError extends Error {
  override readonly name = 'PasskeyPromptError';

  constructor(
    readonly problem: PasskeyPromptProblem,
    readonly cause?: unknown,
  ) {
    super(PROMPT_MESSAGES[problem]);
  }
}

/** Sorts an error of navigator.credentials (raw or wrapped in @simplewebauthn's WebAuthnError). */
export function toPasskeyPromptError(error: unknown): PasskeyPromptError {
  if (error instanceof PasskeyPromptError) return error;
  const names = [errorName(error), errorName((error as { cause?: unknown } | null)?.cause)];
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || names.includes('InvalidStateError')) {
    return new PasskeyPromptError('already_registered', error);
  }
  // The person closed the prompt, it timed out, or the browser would not show it: all look alike.
  if (names.includes('NotAllowedError') || names.includes('AbortError'))
    return new PasskeyPromptError('cancelled', error);
  if (names.includes('NotSupportedError') || names.includes('SecurityError'))
    return new PasskeyPromptError('unsupported', error);
  return new PasskeyPromptError('failed', error);
}

export function passkeysSupported(): boolean {
  try {
    return browserSupportsWebAuthn();
  } catch {
    return false;
  }
}

/** Makes a new passkey with the server's creation options. */
export async function createPasskey(
  optionsJSON: PublicKeyCredentialCreationOptionsJSON,
): Promise<RegistrationResponseJSON> {
  if (!passkeysSupported()) throw new PasskeyPromptError('unsupported');
  try {
    return await startRegistration({ optionsJSON });
  } catch (error) {
    throw toPasskeyPromptError(error);
  }
}

/** Signs the server's challenge with a passkey. */
export async function signWithPasskey(
  optionsJSON: PublicKeyCredentialRequestOptionsJSON,
): Promise<AuthenticationResponseJSON> {
  if (!passkeysSupported()) throw new PasskeyPromptError('unsupported');
  try {
    return await startAuthentication({ optionsJSON });
  } catch (error) {
    throw toPasskeyPromptError(error);
  }
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
    ? (error as { name: string }).name
    : undefined;
}

export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
};
