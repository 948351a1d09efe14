import { DomainError } from '@app/platform';
import { DomainEvent, IdentityEvent, type RegistrationRequestedData } from '@app/identity-events';
import { ResendTooSoonError } from '../shared/code-errors';
import { Decider, HistoryEvent } from '../shared/decider';

export const REGISTRATION_TTL_MS = 10 * 60_000;
export const REGISTRATION_RESEND_COOLDOWN_MS = 60_000;
/** Wrong codes one mailed code takes before it dies, and one sign-up in all. */
export const REGISTRATION_CODE_MAX_TRIES = 5;
export const REGISTRATION_MAX_FAILURES = 10;

export interface RequestRegistration {
  kind: 'request';
  registration: RegistrationRequestedData;
  code: { codeId: string; codeHash: string | null };
}
export type PendingRegistrationCommand =
  | RequestRegistration
  | { kind: 'resend'; codeId: string; codeHash: string | null; now: Date }
  /** `matches` checks the code against a stored hash; the result decides what is recorded. */
  | { kind: 'answer'; matches: (codeId: string, codeHash: string) => boolean; userId: string; now: Date };

export interface PendingRegistrationState {
  registration: RegistrationRequestedData | null;
  code: { codeId: string; codeHash: string | null; sentAt: number; failures: number } | null;
  failures: number;
  confirmed: boolean;
  expiredRecorded: boolean;
}

const at = (event: HistoryEvent) => (event.occurredAt ? Date.parse(event.occurredAt) : 0);

export class RegistrationCodeInvalidError extends DomainError {
  constructor() {
    super(
      'code_invalid',
      'The code is not valid: it may be wrong, expired or already used. Ask for a new code, or sign up again.',
    );
  }
}

export class RegistrationExpiredError extends DomainError {
  constructor() {
    super('registration_expired', 'This sign-up has expired or was already completed: sign up again, or sign in.');
  }
}

/** Open: requested, not confirmed, not expired, and the failure budget not spent. */
export function isPending(state: PendingRegistrationState, now: Date): boolean {
  return (
    state.registration !== null &&
    !state.confirmed &&
    Date.parse(state.registration.expiresAt) > now.getTime() &&
    state.failures < REGISTRATION_MAX_FAILURES
  );
}

/**
 * A sign-up waiting for its address to be proved (registration-{id}): one code at a time (a resend
 * replaces it, at most once a minute), 5 tries per code and 10 per sign-up, 10 minutes in all. A
 * sign-up for a taken address behaves the same from outside but can never be confirmed.
 */
export const pendingRegistrationDecider: Decider<PendingRegistrationCommand, PendingRegistrationState, DomainEvent> = {
  initialState: () => ({ registration: null, code: null, failures: 0, confirmed: false, expiredRecorded: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case IdentityEvent.RegistrationRequested:
        return { ...state, registration: event.data };
      case IdentityEvent.RegistrationCodeSent: {
        const sent = event.data;
        return { ...state, code: { codeId: sent.codeId, codeHash: sent.codeHash, sentAt: at(event), failures: 0 } };
      }
      case IdentityEvent.RegistrationCodeFailed:
        return {
          ...state,
          failures: state.failures + 1,
          code: state.code && { ...state.code, failures: state.code.failures + 1 },
        };
      case IdentityEvent.RegistrationConfirmed:
        return { ...state, confirmed: true };
      case IdentityEvent.RegistrationExpired:
        return { ...state, expiredRecorded: true };
      default:
        return state;
    }
  },
  decide: (command, state) => {
    if (command.kind === 'request') {
      if (state.registration) throw new DomainError('conflict', 'This sign-up exists already.');
      const { registrationId, expiresAt } = command.registration;
      return [
        { type: IdentityEvent.RegistrationRequested, data: command.registration },
        { type: IdentityEvent.RegistrationCodeSent, data: { registrationId, ...command.code, expiresAt } },
      ];
    }
    const registration = state.registration;
    if (!registration) throw new DomainError('not_found', 'No such sign-up.');
    const { registrationId } = registration;
    if (!isPending(state, command.now)) {
      // Recorded once, the first time someone comes back to it after the end.
      if (state.confirmed || state.expiredRecorded) throw new RegistrationExpiredError();
      return [{ type: IdentityEvent.RegistrationExpired, data: { registrationId } }];
    }
    if (command.kind === 'resend') {
      const wait = state.code ? state.code.sentAt + REGISTRATION_RESEND_COOLDOWN_MS - command.now.getTime() : 0;
      if (wait > 0) throw new ResendTooSoonError(Math.ceil(wait / 1000));
      return [
        {
          type: IdentityEvent.RegistrationCodeSent,
          data: {
            registrationId,
            codeId: command.codeId,
            codeHash: command.codeHash,
            expiresAt: registration.expiresAt,
          },
        },
      ];
    }
    const code = state.code;
    const live = code !== null && code.codeHash !== null && code.failures < REGISTRATION_CODE_MAX_TRIES;
    // A taken address has no code to match: every answer fails, as a wrong code would.
    if (!live || !command.matches(code.codeId, code.codeHash!)) {
      return [{ type: IdentityEvent.RegistrationCodeFailed, data: { registrationId, codeId: code?.codeId ?? null } }];
    }
    return [{ type: IdentityEvent.RegistrationConfirmed, data: { registrationId, userId: command.userId } }];
  },
};
