import type { Passkey } from './me';
import { requestJson, requestNothing } from './http';
import type { EventPage } from './events';

/** Accounts as the administration endpoints show them (API.md, "Administration"). */

export type ConsoleRole = 'admin' | 'auditor';

export interface UserSummary {
  id: string;
  email: string;
  roles: string[];
  createdAt: string;
  mfa: { totp: boolean; email: boolean; passkey?: boolean };
  locked: boolean;
  lastLoginAt: string | null;
}

export interface UserPage {
  items: UserSummary[];
  nextCursor: string | null;
}

export interface UserSession {
  id: string;
  browser: string | null;
  os: string | null;
  ip: string | null;
  location: string | null;
  createdAt: string;
  lastActiveAt: string | null;
}

/**
 * One account's security state, as the console shows it. The contract names two things `email`
 * (the address and the email-MFA state {enabled, enabledAt, address}); `toUserSecurity` accepts
 * either reading and keeps them apart here.
 */
export interface UserSecurity {
  id: string;
  email: string;
  roles: string[];
  createdAt: string;
  lastLoginAt: string | null;
  locked: boolean;
  lockedUntil: string | null;
  password: { changedAt: string | null };
  totp: { enabled: boolean; enabledAt: string | null };
  emailMfa: { enabled: boolean; enabledAt: string | null; address: string | null };
  /** How the address was proved: a mailed code at sign-up, an operator, or not recorded (older accounts). */
  emailVerifiedBy: 'code' | 'operator' | null;
  recoveryCodes: { remaining: number; generatedAt: string | null };
  passkeys: UserPasskey[];
  sessions: UserSession[];
  /**
   * When the person's data was erased (crypto-shredding): the address is gone (`email` is '' and
   * `emailMfa.address` null), passkeys have no names, sessions are ended. Null for other accounts.
   */
  erasedAt: string | null;
}

/** A passkey of the account, as the admin view lists it (the same shape as the owner's). */
export type UserPasskey = Passkey;

export interface UserQuery {
  q?: string;
  cursor?: string | null;
  limit?: number;
}

const base = (id: string) => `/v1/admin/users/${encodeURIComponent(id)}`;

export function listUsers(query: UserQuery, signal?: AbortSignal): Promise<UserPage> {
  return requestJson('/v1/admin/users', { query: { ...query }, signal });
}

export async function fetchUser(id: string, signal?: AbortSignal): Promise<UserSecurity> {
  const raw = await requestJson<Record<string, unknown>>(base(id), { signal });
  return toUserSecurity(raw);
}

/** An event as the as-of view names it: the last one that changed a field. */
export interface ChangeRef {
  position: string;
  type: string;
  occurredAt: string;
  summary: string;
}

/** The account as it was at `asOf`, folded from its events up to then. */
export interface UserSecurityAsOf extends UserSecurity {
  asOf: string;
  /** For each field of the account, the last event up to `asOf` that changed it. */
  changedBy: Record<string, ChangeRef>;
  lastChange: ChangeRef;
}

export async function fetchUserAsOf(id: string, asOf: string, signal?: AbortSignal): Promise<UserSecurityAsOf> {
  const raw = await requestJson<Record<string, unknown>>(base(id), { query: { asOf }, signal });
  return {
    ...toUserSecurity(raw),
    asOf: raw.asOf as string,
    changedBy: (raw.changedBy ?? {}) as Record<string, ChangeRef>,
    lastChange: raw.lastChange as ChangeRef,
  };
}

export function listUserEvents(id: string, cursor?: string | null, signal?: AbortSignal): Promise<EventPage> {
  return requestJson(`${base(id)}/events`, { query: { cursor }, signal });
}

export function resetUserMfa(id: string, reason: string): Promise<void> {
  return requestNothing(`${base(id)}/mfa/reset`, { method: 'POST', body: { reason } });
}

/**
 * Erases the person's data for good (their email, addresses, devices, passkey names): the events
 * stay, unreadable where they held personal data. The reason goes into the audit log.
 */
export function eraseUser(id: string, reason: string): Promise<void> {
  return requestNothing(`${base(id)}/erase`, { method: 'POST', body: { reason } });
}

export function revokeUserSessions(id: string): Promise<void> {
  return requestNothing(`${base(id)}/sessions/revoke`, { method: 'POST' });
}

export function lockUser(id: string): Promise<void> {
  return requestNothing(`${base(id)}/lock`, { method: 'POST' });
}

export function unlockUser(id: string): Promise<void> {
  return requestNothing(`${base(id)}/unlock`, { method: 'POST' });
}

export function setUserRoles(id: string, roles: ConsoleRole[]): Promise<void> {
  return requestNothing(`${base(id)}/roles`, { method: 'PUT', body: { roles } });
}

export function toUserSecurity(raw: Record<string, unknown>): UserSecurity {
  const emailState = record(raw.emailMfa) ?? record(raw.email) ?? {};
  const address = typeof emailState.address === 'string' ? emailState.address : null;
  const totp = record(raw.totp) ?? {};
  const recovery = record(raw.recoveryCodes) ?? {};
  return {
    id: String(raw.id ?? ''),
    email: typeof raw.email === 'string' ? raw.email : (address ?? ''),
    roles: Array.isArray(raw.roles) ? raw.roles.map(String) : [],
    createdAt: String(raw.createdAt ?? ''),
    lastLoginAt: text(raw.lastLoginAt),
    locked: raw.locked === true,
    lockedUntil: text(raw.lockedUntil),
    password: { changedAt: text(record(raw.password)?.changedAt) },
    totp: { enabled: totp.enabled === true, enabledAt: text(totp.enabledAt) },
    emailMfa: { enabled: emailState.enabled === true, enabledAt: text(emailState.enabledAt), address },
    emailVerifiedBy:
      emailState.verifiedBy === 'code' || emailState.verifiedBy === 'operator' ? emailState.verifiedBy : null,
    recoveryCodes: {
      remaining: typeof recovery.remaining === 'number' ? recovery.remaining : 0,
      generatedAt: text(recovery.generatedAt),
    },
    passkeys: Array.isArray(raw.passkeys) ? raw.passkeys.map(toUserPasskey) : [],
    sessions: Array.isArray(raw.sessions) ? (raw.sessions as UserSession[]) : [],
    erasedAt: text(raw.erasedAt),
  };
}

function toUserPasskey(value: unknown): UserPasskey {
  const raw = record(value) ?? {};
  return {
    id: String(raw.id ?? ''),
    name: typeof raw.name === 'string' ? raw.name : 'Passkey',
    createdAt: String(raw.createdAt ?? ''),
    lastUsedAt: text(raw.lastUsedAt),
    backedUp: raw.backedUp === true,
    deviceType: typeof raw.deviceType === 'string' ? raw.deviceType : 'singleDevice',
  };
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
