import { DomainError } from '@app/platform';
import {
  DomainEvent,
  IdentityEvent,
  identityEvent,
  type EmailCodePurpose,
  type RecoveryCodesData,
  type StepUpAction,
  type StepUpMethod,
  type TotpCodeData,
} from '@app/identity-events';
import { Decider, HistoryEvent } from '../shared/decider';
import { mfaSnapshotting } from './mfa-snapshot';

export const EMAIL_CODE_MAX_TRIES = 5;
export const STEP_UP_MAX_FAILURES = 5;
export const STEP_UP_FAILURE_WINDOW_MS = 15 * 60_000;

/** Checks a TOTP code against a sealed seed: the matched time step, or null. Pure given the time. */
export type TotpCheck = (sealedSecret: string) => number | null;
/** Checks an email code against its stored keyed hash. */
export type EmailCodeCheck = (codeId: string, codeHash: string) => boolean;
/** Finds the index of an unused recovery code among the stored hashes, or null. */
export type RecoveryCodeCheck = (hashes: readonly string[], used: ReadonlySet<number>) => number | null;

export type Proof =
  | { method: 'totp'; check: TotpCheck }
  | { method: 'email'; check: EmailCodeCheck; now: Date }
  | { method: 'recovery_code'; check: RecoveryCodeCheck }
  | { method: 'password'; valid: boolean };

export type MfaCommand =
  | { kind: 'start_totp'; sealedSecret: string }
  | { kind: 'confirm_totp'; check: TotpCheck; recoveryCodes: { codeHashes: string[]; sealedCodes: string } }
  | { kind: 'disable_totp'; check: TotpCheck }
  | { kind: 'send_email_code'; purpose: EmailCodePurpose; codeId: string; codeHash: string; expiresAt: Date; now: Date; cooldownMs: number }
  | { kind: 'enable_email'; check: EmailCodeCheck; now: Date }
  | { kind: 'disable_email'; check: EmailCodeCheck; now: Date }
  | { kind: 'step_up'; proof: Proof; sessionId: string; tokenHash: string; expiresAt: Date; now: Date }
  | { kind: 'second_factor'; proof: Proof; purpose?: 'sign_in' | 'password_reset' }
  | { kind: 'use_step_up'; sessionId: string; tokenHash: string; action: StepUpAction; now: Date }
  | { kind: 'view_recovery_codes'; check: TotpCheck }
  | { kind: 'regenerate_recovery_codes'; check: TotpCheck; recoveryCodes: { codeHashes: string[]; sealedCodes: string } };

interface PendingEmailCode {
  codeId: string;
  codeHash: string;
  sentAt: number;
  expiresAt: number;
  failures: number;
  used: boolean;
  /** Revision of the EmailCodeSent that carried the hash (snapshots keep the revision, not the hash). */
  from: number | null;
}

export interface MfaState {
  userId: string | null;
  email: string | null;
  /** `pendingFrom` / `secretFrom`: revision of the TotpEnrollmentStarted that carried the sealed seed. */
  totp: { pendingSecret: string | null; pendingFrom: number | null; secret: string | null; secretFrom: number | null; enabledAt: string | null; lastTimeStep: number };
  emailMfa: { enabled: boolean; enabledAt: string | null };
  emailCodes: Partial<Record<EmailCodePurpose, PendingEmailCode>>;
  recovery: { hashes: string[]; sealedCodes: string | null; used: Set<number>; generatedAt: string | null; from: number | null };
  /** Open step-up grants; `usedFor` binds one to the first action it served. */
  stepUps: { sessionId: string; tokenHash: string; expiresAt: number; usedFor: StepUpAction | null; from: number | null }[];
  stepUpFailures: number[];
}

const NO_TOTP = { pendingSecret: null, pendingFrom: null, secret: null, secretFrom: null, enabledAt: null } as const;
const noRecoveryCodes = (): MfaState['recovery'] => ({ hashes: [], sealedCodes: null, used: new Set(), generatedAt: null, from: null });
const at = (event: HistoryEvent) => (event.occurredAt ? Date.parse(event.occurredAt) : 0);

export function enabledMethods(state: MfaState): ('totp' | 'email')[] {
  return [...(state.totp.secret ? (['totp'] as const) : []), ...(state.emailMfa.enabled ? (['email'] as const) : [])];
}

export function remainingRecoveryCodes(state: MfaState): number {
  return state.recovery.hashes.length - state.recovery.used.size;
}

/** The open grant of this session with this token, if it has not expired. */
export function liveStepUp(state: MfaState, sessionId: string, tokenHash: string, now: Date) {
  return state.stepUps.find((s) => s.sessionId === sessionId && s.tokenHash === tokenHash && s.expiresAt > now.getTime()) ?? null;
}

/** Grants die with the account's state: a password change, an admin lock or MFA reset ends them all. */
const withoutStepUps = (state: MfaState): MfaState => ({ ...state, stepUps: [] });
/** A completed action spends the grants bound to it. */
const spendStepUps = (state: MfaState, action: StepUpAction): MfaState => ({ ...state, stepUps: state.stepUps.filter((s) => s.usedFor !== action) });

function evolve(state: MfaState, event: HistoryEvent): MfaState {
  switch (event.type) {
    case IdentityEvent.UserRegistered:
      return { ...state, userId: event.data.userId, email: event.data.email };
    case IdentityEvent.TotpEnrollmentStarted:
      return { ...state, totp: { ...state.totp, pendingSecret: event.data.sealedSecret, pendingFrom: event.revision ?? null } };
    case IdentityEvent.TotpEnrolled:
      return {
        ...spendStepUps(state, 'start_totp'),
        totp: {
          pendingSecret: null,
          pendingFrom: null,
          secret: state.totp.pendingSecret,
          secretFrom: state.totp.pendingFrom,
          enabledAt: event.occurredAt ?? null,
          lastTimeStep: Math.max(state.totp.lastTimeStep, event.data.timeStep),
        },
      };
    case IdentityEvent.TotpCodeAccepted:
      return { ...state, totp: { ...state.totp, lastTimeStep: Math.max(state.totp.lastTimeStep, event.data.timeStep) } };
    case IdentityEvent.TotpDisabled:
      return { ...state, totp: { ...NO_TOTP, lastTimeStep: state.totp.lastTimeStep } };
    case IdentityEvent.EmailCodeSent: {
      const sent = event.data;
      const code = { codeId: sent.codeId, codeHash: sent.codeHash, sentAt: at(event), expiresAt: Date.parse(sent.expiresAt), failures: 0, used: false, from: event.revision ?? null };
      return { ...state, emailCodes: { ...state.emailCodes, [sent.purpose]: code } };
    }
    case IdentityEvent.EmailCodeFailed:
      return updateCode(state, event.data.purpose, event.data.codeId, (code) => ({ ...code, failures: code.failures + 1 }));
    case IdentityEvent.EmailMfaEnabled:
      return updateCode({ ...spendStepUps(state, 'enable_email_mfa'), emailMfa: { enabled: true, enabledAt: event.occurredAt ?? null } }, 'enable_email_mfa', event.data.codeId, used);
    case IdentityEvent.StepUpUsed: {
      const use = event.data;
      return { ...state, stepUps: state.stepUps.map((s) => (s.sessionId === use.sessionId && s.tokenHash === use.tokenHash ? { ...s, usedFor: use.action } : s)) };
    }
    case IdentityEvent.EmailChanged:
      return { ...spendStepUps(state, 'change_email'), email: event.data.newEmail };
    case IdentityEvent.PasswordChanged:
    case IdentityEvent.AccountLockedByAdmin:
      return withoutStepUps(state);
    case IdentityEvent.EmailMfaDisabled:
      return updateCode({ ...state, emailMfa: { enabled: false, enabledAt: null } }, 'disable_email_mfa', event.data.codeId, used);
    case IdentityEvent.StepUpCompleted: {
      const stepUp = event.data;
      const kept = state.stepUps.filter((s) => s.expiresAt > at(event));
      const next = { ...state, stepUps: [...kept, { sessionId: stepUp.sessionId, tokenHash: stepUp.tokenHash, expiresAt: Date.parse(stepUp.expiresAt), usedFor: null, from: event.revision ?? null }] };
      return stepUp.method === 'email' ? updateCode(next, 'reauthenticate', event.data.codeId, used) : next;
    }
    case IdentityEvent.StepUpFailed:
      return { ...state, stepUpFailures: [...state.stepUpFailures.filter((t) => t > at(event) - STEP_UP_FAILURE_WINDOW_MS), at(event)] };
    case IdentityEvent.RecoveryCodesGenerated:
    case IdentityEvent.RecoveryCodesRegenerated: {
      const codes = event.data;
      return { ...state, recovery: { hashes: codes.codeHashes, sealedCodes: codes.sealedCodes, used: new Set(), generatedAt: event.occurredAt ?? null, from: event.revision ?? null } };
    }
    case IdentityEvent.MfaResetByAdmin:
      return {
        ...state,
        totp: { ...NO_TOTP, lastTimeStep: state.totp.lastTimeStep },
        emailMfa: { enabled: false, enabledAt: null },
        emailCodes: {},
        recovery: noRecoveryCodes(),
        stepUps: [],
      };
    case IdentityEvent.RecoveryCodesInvalidated:
      return { ...state, recovery: noRecoveryCodes() };
    case IdentityEvent.RecoveryCodeUsed:
      return { ...state, recovery: { ...state.recovery, used: new Set([...state.recovery.used, event.data.index]) } };
    default:
      return state;
  }
}

function used(code: PendingEmailCode): PendingEmailCode {
  return { ...code, used: true };
}

function updateCode(state: MfaState, purpose: EmailCodePurpose, codeId: string | undefined, change: (code: PendingEmailCode) => PendingEmailCode): MfaState {
  const code = state.emailCodes[purpose];
  if (!code || code.codeId !== codeId) return state;
  return { ...state, emailCodes: { ...state.emailCodes, [purpose]: change(code) } };
}

/** The latest code for a purpose, if it can still be tried. */
function liveCode(state: MfaState, purpose: EmailCodePurpose, now: Date): PendingEmailCode | null {
  const code = state.emailCodes[purpose];
  if (!code || code.used || code.failures >= EMAIL_CODE_MAX_TRIES || code.expiresAt <= now.getTime()) return null;
  return code;
}

/**
 * Checks a proof and returns the events it produces: on success the acceptance events, on failure
 * the rejection events (which are recorded too). `ok` tells the caller which happened.
 */
function verifyProof(state: MfaState, proof: Proof, purpose: TotpCodeData['purpose'], emailPurpose: EmailCodePurpose) {
  const userId = state.userId!;
  switch (proof.method) {
    case 'password':
      return { ok: proof.valid, events: [] as DomainEvent[], codeId: null as string | null };
    case 'totp': {
      if (!state.totp.secret) return { ok: false, events: [], codeId: null };
      const step = proof.check(state.totp.secret);
      if (step === null) return { ok: false, events: [identityEvent(IdentityEvent.TotpCodeRejected, { userId, purpose })], codeId: null };
      // RFC 6238 section 5.2: a code is accepted once. Also refuses older steps of the window.
      if (step <= state.totp.lastTimeStep) {
        return { ok: false, events: [identityEvent(IdentityEvent.TotpReplayRejected, { userId, timeStep: step, purpose })], codeId: null };
      }
      return { ok: true, events: [identityEvent(IdentityEvent.TotpCodeAccepted, { userId, timeStep: step, purpose })], codeId: null };
    }
    case 'email': {
      const code = liveCode(state, emailPurpose, proof.now);
      if (!code) return { ok: false, events: [], codeId: null };
      if (!proof.check(code.codeId, code.codeHash)) {
        return { ok: false, events: [identityEvent(IdentityEvent.EmailCodeFailed, { userId, purpose: emailPurpose, codeId: code.codeId })], codeId: null };
      }
      return { ok: true, events: [], codeId: code.codeId };
    }
    case 'recovery_code': {
      const index = proof.check(state.recovery.hashes, state.recovery.used);
      if (index === null) return { ok: false, events: [identityEvent(IdentityEvent.RecoveryCodeRejected, { userId })], codeId: null };
      const remaining = remainingRecoveryCodes(state) - 1;
      return { ok: true, events: [identityEvent(IdentityEvent.RecoveryCodeUsed, { userId, index, remaining })], codeId: null };
    }
  }
}

/** The MFA settings of one user: TOTP, email codes, recovery codes and step-up, folded from user-{id}. */
export const mfaDecider: Decider<MfaCommand, MfaState, DomainEvent> = {
  initialState: () => ({
    userId: null,
    email: null,
    totp: { ...NO_TOTP, lastTimeStep: -1 },
    emailMfa: { enabled: false, enabledAt: null },
    emailCodes: {},
    recovery: noRecoveryCodes(),
    stepUps: [],
    stepUpFailures: [],
  }),
  evolve,
  snapshot: mfaSnapshotting,
  decide: (command, state) => {
    // UserRegistered sets both: without it there is no account.
    if (state.userId === null || state.email === null) throw new DomainError('not_found', 'No such user.');
    const userId = state.userId;
    const email = state.email;
    switch (command.kind) {
      case 'start_totp':
        if (state.totp.secret) throw new DomainError('conflict', 'The authenticator app is already on.');
        return [identityEvent(IdentityEvent.TotpEnrollmentStarted, { userId, sealedSecret: command.sealedSecret })];
      case 'confirm_totp': {
        if (state.totp.secret) throw new DomainError('conflict', 'The authenticator app is already on.');
        if (!state.totp.pendingSecret) throw new DomainError('conflict', 'Start the authenticator set-up first.');
        const step = command.check(state.totp.pendingSecret);
        if (step === null) return [identityEvent(IdentityEvent.TotpCodeRejected, { userId, purpose: 'enroll' })];
        return [
          identityEvent(IdentityEvent.TotpEnrolled, { userId, timeStep: step }),
          identityEvent(IdentityEvent.RecoveryCodesGenerated, recoveryCodesData(userId, command.recoveryCodes)),
        ];
      }
      case 'disable_totp': {
        if (!state.totp.secret) throw new DomainError('conflict', 'The authenticator app is not on.');
        const proof = verifyProof(state, { method: 'totp', check: command.check }, 'disable', 'reauthenticate');
        if (!proof.ok) return proof.events;
        return [
          ...proof.events,
          identityEvent(IdentityEvent.TotpDisabled, { userId }),
          ...(state.recovery.hashes.length > 0 ? [identityEvent(IdentityEvent.RecoveryCodesInvalidated, { userId, reason: 'totp_disabled' })] : []),
        ];
      }
      case 'send_email_code': {
        const previous = state.emailCodes[command.purpose];
        const wait = previous ? previous.sentAt + command.cooldownMs - command.now.getTime() : 0;
        if (wait > 0) throw new ResendTooSoonError(Math.ceil(wait / 1000));
        if (command.purpose === 'enable_email_mfa' && state.emailMfa.enabled) throw new DomainError('conflict', 'Email codes are already on.');
        if (command.purpose === 'disable_email_mfa' && !state.emailMfa.enabled) throw new DomainError('conflict', 'Email codes are not on.');
        if (command.purpose === 'reauthenticate' && !state.emailMfa.enabled) throw new DomainError('conflict', 'Email codes are not on.');
        return [
          identityEvent(IdentityEvent.EmailCodeSent, {
            userId,
            purpose: command.purpose,
            codeId: command.codeId,
            codeHash: command.codeHash,
            expiresAt: command.expiresAt.toISOString(),
          }),
        ];
      }
      case 'enable_email':
      case 'disable_email': {
        const purpose = command.kind === 'enable_email' ? 'enable_email_mfa' : 'disable_email_mfa';
        const proof = verifyProof(state, { method: 'email', check: command.check, now: command.now }, 'reauthenticate', purpose);
        // An accepted email proof always names its code.
        if (!proof.ok || proof.codeId === null) return proof.events;
        return command.kind === 'enable_email'
          ? [identityEvent(IdentityEvent.EmailMfaEnabled, { userId, address: email, codeId: proof.codeId })]
          : [identityEvent(IdentityEvent.EmailMfaDisabled, { userId, codeId: proof.codeId })];
      }
      case 'step_up': {
        const recentFailures = state.stepUpFailures.filter((t) => t > command.now.getTime() - STEP_UP_FAILURE_WINDOW_MS);
        if (recentFailures.length >= STEP_UP_MAX_FAILURES) throw new DomainError('rate_limited', 'Too many failed confirmations; try again later.');
        const mfaOn = enabledMethods(state).length > 0;
        if (command.proof.method === 'password' && mfaOn) {
          throw new DomainError('mfa_code_required', 'Two-step verification is on: confirm with a code instead of the password.');
        }
        if (command.proof.method === 'recovery_code') throw new DomainError('validation_failed', 'Use the app or an email code.');
        const method = command.proof.method as StepUpMethod;
        const proof = verifyProof(state, command.proof, 'reauthenticate', 'reauthenticate');
        if (!proof.ok) return [...proof.events, identityEvent(IdentityEvent.StepUpFailed, { userId, method })];
        return [
          ...proof.events,
          identityEvent(IdentityEvent.StepUpCompleted, {
            userId,
            sessionId: command.sessionId,
            method,
            tokenHash: command.tokenHash,
            expiresAt: command.expiresAt.toISOString(),
            ...(proof.codeId ? { codeId: proof.codeId } : {}),
          }),
        ];
      }
      case 'second_factor':
        return verifyProof(state, command.proof, command.purpose ?? 'sign_in', 'sign_in').events;
      case 'use_step_up': {
        // One grant, one action: a retry of that action (a resend) may use it again, nothing else.
        const grant = liveStepUp(state, command.sessionId, command.tokenHash, command.now);
        if (!grant || (grant.usedFor !== null && grant.usedFor !== command.action)) throw new StepUpRequiredError();
        if (grant.usedFor === command.action) return [];
        return [identityEvent(IdentityEvent.StepUpUsed, { userId, sessionId: command.sessionId, tokenHash: command.tokenHash, action: command.action })];
      }
      case 'view_recovery_codes':
      case 'regenerate_recovery_codes': {
        if (!state.totp.secret) throw new DomainError('conflict', 'Recovery codes come with the authenticator app; turn it on first.');
        const proof = verifyProof(state, { method: 'totp', check: command.check }, 'recovery_codes', 'reauthenticate');
        if (!proof.ok) return proof.events;
        return command.kind === 'view_recovery_codes'
          ? [...proof.events, identityEvent(IdentityEvent.RecoveryCodesViewed, { userId })]
          : [...proof.events, identityEvent(IdentityEvent.RecoveryCodesRegenerated, recoveryCodesData(userId, command.recoveryCodes))];
      }
    }
  },
};

/** Only the keyed hashes and the sealed copy go into the event: never the codes themselves. */
function recoveryCodesData(userId: string, codes: { codeHashes: string[]; sealedCodes: string }): RecoveryCodesData {
  return { userId, codeHashes: codes.codeHashes, sealedCodes: codes.sealedCodes };
}

export class StepUpRequiredError extends DomainError {
  constructor() {
    super('reauth_required', 'Confirm your identity first (POST /v1/me/reauth) and send X-Reauth-Token; a confirmation serves one action.');
  }
}

export class ResendTooSoonError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', `A code was sent moments ago; you can ask for a new one in ${retryAfterSeconds} s.`);
  }
}

/** Did the decision accept the proof? (Rejections are recorded as events too.) */
export function accepted(events: DomainEvent[]): boolean {
  const rejections: string[] = [
    IdentityEvent.TotpCodeRejected,
    IdentityEvent.TotpReplayRejected,
    IdentityEvent.EmailCodeFailed,
    IdentityEvent.RecoveryCodeRejected,
    IdentityEvent.StepUpFailed,
  ];
  return events.length > 0 && !events.some((e) => rejections.includes(e.type));
}
