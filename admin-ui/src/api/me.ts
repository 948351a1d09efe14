import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '../browser/passkey';
import { requestJson, requestNothing } from './http';

/** The signed-in user's own security (API.md, "Self-service security") and sign-up. */

export interface SecurityState {
  password: { changedAt: string | null };
  totp: { enabled: boolean; enabledAt: string | null };
  email: { enabled: boolean; enabledAt: string | null; address: string | null };
  recoveryCodes: { remaining: number; generatedAt: string | null };
  passkeys: Passkey[];
}

/** A passkey of the account, as the API lists it (never its key). */
export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** Backed up (synced) by its provider, so it survives the loss of one device. */
  backedUp: boolean;
  /** `multiDevice` (syncable) or `singleDevice` (bound to one authenticator). */
  deviceType: string;
}

export type ReauthProof =
  | { password: string }
  | { method: 'totp' | 'email'; code: string }
  | { method: 'passkey'; assertion: AuthenticationResponseJSON };

export interface Reauth {
  reauthToken: string;
  expiresAt: string;
}

export interface TotpEnrollment {
  secret: string;
  otpauthUri: string;
  /** A `data:image/png;base64,...` URL. */
  qrCode: string;
}

export interface CodeSent {
  resendAvailableAt: string;
}

export interface OwnSession {
  id: string;
  current: boolean;
  browser: string | null;
  os: string | null;
  ip: string | null;
  location: string | null;
  createdAt: string;
  lastActiveAt: string | null;
}

/** A session of the account that ended in the last 30 days (`GET /v1/me/sessions/ended`). */
export interface EndedSession extends Omit<OwnSession, 'current'> {
  endedAt: string;
  /** `logout`, `user`, `password_changed`, `password_reset`, `admin`, `erased`, `expired` or `idle`. */
  endReason: string;
}

export interface OwnEvent {
  id: string;
  type: string;
  occurredAt: string;
  ip: string | null;
  userAgent: string | null;
  summary: string;
}

const reauthHeader = (reauthToken: string) => ({ 'X-Reauth-Token': reauthToken });

/** A sign-up waiting for the code mailed to its address (the same answer for a taken address). */
export interface RegistrationStarted extends CodeSent {
  registrationId: string;
  expiresAt: string;
}

export function registerUser(email: string, password: string): Promise<RegistrationStarted> {
  return requestJson('/v1/users', { method: 'POST', body: { email, password }, anonymous: true });
}

export function confirmRegistration(registrationId: string, code: string): Promise<{ userId: string }> {
  return requestJson(`/v1/users/registrations/${encodeURIComponent(registrationId)}`, {
    method: 'POST',
    body: { code },
    anonymous: true,
  });
}

export function resendRegistrationCode(registrationId: string): Promise<CodeSent> {
  return requestJson(`/v1/users/registrations/${encodeURIComponent(registrationId)}/email-code`, {
    method: 'POST',
    anonymous: true,
  });
}

/** A code to the new address (with a step-up token); the change happens on confirm. */
export function requestEmailChange(newEmail: string, reauthToken: string): Promise<CodeSent> {
  return requestJson('/v1/me/email', { method: 'POST', body: { newEmail }, headers: reauthHeader(reauthToken) });
}

/** Closes the account and erases its personal data (DELETE /v1/me), with a fresh step-up. */
export function closeAccount(reauthToken: string): Promise<void> {
  return requestNothing('/v1/me', { method: 'DELETE', headers: reauthHeader(reauthToken) });
}

export function confirmEmailChange(code: string): Promise<void> {
  return requestNothing('/v1/me/email/confirm', { method: 'POST', body: { code } });
}

export function fetchSecurity(signal?: AbortSignal): Promise<SecurityState> {
  return requestJson('/v1/me/security', { signal });
}

export function changePassword(currentPassword: string, newPassword: string, newPasswordRepeat: string): Promise<void> {
  return requestNothing('/v1/me/password', {
    method: 'PUT',
    body: { currentPassword, newPassword, newPasswordRepeat },
  });
}

/** Step-up: a short-lived token that enabling a method needs. */
export function reauthenticate(proof: ReauthProof): Promise<Reauth> {
  return requestJson('/v1/me/reauth', { method: 'POST', body: proof });
}

/** Options for navigator.credentials.get() to confirm a step-up with one of the account's passkeys. */
export function fetchReauthPasskeyOptions(): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return requestJson('/v1/me/reauth/passkey-options', { method: 'POST' });
}

export function sendReauthEmailCode(): Promise<CodeSent> {
  return requestJson('/v1/me/reauth/email-code', { method: 'POST' });
}

export function startTotpEnrollment(reauthToken: string): Promise<TotpEnrollment> {
  return requestJson('/v1/me/mfa/totp', { method: 'POST', body: {}, headers: reauthHeader(reauthToken) });
}

export function confirmTotp(code: string): Promise<{ recoveryCodes: string[] }> {
  return requestJson('/v1/me/mfa/totp/confirm', { method: 'POST', body: { code } });
}

export function disableTotp(code: string): Promise<void> {
  return requestNothing('/v1/me/mfa/totp', { method: 'DELETE', body: { code } });
}

export function startEmailMfa(reauthToken: string): Promise<CodeSent> {
  return requestJson('/v1/me/mfa/email', { method: 'POST', body: {}, headers: reauthHeader(reauthToken) });
}

export function confirmEmailMfa(code: string): Promise<void> {
  return requestNothing('/v1/me/mfa/email/confirm', { method: 'POST', body: { code } });
}

export function sendEmailDisableCode(): Promise<CodeSent> {
  return requestJson('/v1/me/mfa/email/disable-code', { method: 'POST' });
}

export function disableEmailMfa(code: string): Promise<void> {
  return requestNothing('/v1/me/mfa/email', { method: 'DELETE', body: { code } });
}

export function viewRecoveryCodes(code: string): Promise<{ recoveryCodes: string[] }> {
  return requestJson('/v1/me/recovery-codes', { method: 'POST', body: { code } });
}

export function regenerateRecoveryCodes(code: string): Promise<{ recoveryCodes: string[] }> {
  return requestJson('/v1/me/recovery-codes/regenerate', { method: 'POST', body: { code } });
}

export function listPasskeys(signal?: AbortSignal): Promise<{ items: Passkey[] }> {
  return requestJson('/v1/me/passkeys', { signal });
}

/** Options for navigator.credentials.create(); adding a passkey needs a step-up token. */
export function fetchPasskeyCreationOptions(reauthToken: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return requestJson('/v1/me/passkeys/options', { method: 'POST', headers: reauthHeader(reauthToken) });
}

/** The browser's answer to the creation options, with the name the user gave it. */
export function addPasskey(response: RegistrationResponseJSON, name: string): Promise<{ id: string; name: string }> {
  return requestJson('/v1/me/passkeys', { method: 'POST', body: { response, name } });
}

export function renamePasskey(id: string, name: string): Promise<void> {
  return requestNothing(`/v1/me/passkeys/${encodeURIComponent(id)}`, { method: 'PATCH', body: { name } });
}

/** Removing a way in takes a fresh step-up too. */
export function removePasskey(id: string, reauthToken: string): Promise<void> {
  return requestNothing(`/v1/me/passkeys/${encodeURIComponent(id)}`, {
    method: 'DELETE',
    headers: reauthHeader(reauthToken),
  });
}

export function listOwnSessions(signal?: AbortSignal): Promise<{ items: OwnSession[] }> {
  return requestJson('/v1/me/sessions', { signal });
}

/** The sessions that ended in the last 30 days, most recently ended first. */
export function listEndedSessions(signal?: AbortSignal): Promise<{ items: EndedSession[] }> {
  return requestJson('/v1/me/sessions/ended', { signal });
}

export function revokeOwnSession(id: string): Promise<void> {
  return requestNothing(`/v1/me/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function listOwnEvents(
  cursor: string | null,
  signal?: AbortSignal,
): Promise<{ items: OwnEvent[]; nextCursor: string | null }> {
  return requestJson('/v1/me/events', { query: { cursor }, signal });
}
