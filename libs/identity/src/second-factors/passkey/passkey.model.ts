import { DomainError } from '@app/platform';
import {
  DomainEvent,
  IdentityEvent,
  identityEvent,
  type PasskeyChallengePurpose,
  type PasskeyRegisteredData,
} from '@app/identity-events';
import type { Decision } from '../../shared/command-executor';
import type { Decider, HistoryEvent } from '../../shared/decider';

export const MAX_PASSKEYS = 20;

export interface StoredPasskey {
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: PasskeyRegisteredData['deviceType'];
  backedUp: boolean;
  name: string;
  createdAt: string | null;
  lastUsedAt: string | null;
}

export interface PasskeyState {
  userId: string | null;
  email: string | null;
  passkeys: StoredPasskey[];
  /** When the set last changed (one added or removed): a sign-in challenge binds it. */
  changedAt: string | null;
}

export type PasskeyCommand =
  | { kind: 'register'; passkey: Omit<PasskeyRegisteredData, 'userId'> }
  | { kind: 'rename'; credentialId: string; name: string }
  | { kind: 'remove'; credentialId: string };

/**
 * A signature the library verified (or refused), decided against the state as it is now: the
 * passkey must still be there and its counter must move forward (a counter that goes back means
 * a cloned key), unless the authenticator keeps none (0 and 0).
 */
export interface PasskeyAssertion {
  credentialId: string | null;
  verified: { counter: number; backedUp: boolean; userVerified: boolean } | null;
  purpose: PasskeyChallengePurpose;
  whenAccepted: () => DomainEvent[];
  whenRefused: () => DomainEvent[];
}

const at = (event: HistoryEvent) => event.occurredAt ?? null;

function evolve(state: PasskeyState, event: HistoryEvent): PasskeyState {
  switch (event.type) {
    case IdentityEvent.UserRegistered:
      return { ...state, userId: event.data.userId, email: event.data.email };
    case IdentityEvent.EmailChanged:
      return { ...state, email: event.data.newEmail };
    case IdentityEvent.PasskeyRegistered: {
      const { userId: _userId, ...passkey } = event.data;
      return {
        ...state,
        passkeys: [...state.passkeys, { ...passkey, createdAt: at(event), lastUsedAt: null }],
        changedAt: at(event),
      };
    }
    case IdentityEvent.PasskeyRenamed:
      return {
        ...state,
        passkeys: state.passkeys.map((p) =>
          p.credentialId === event.data.credentialId ? { ...p, name: event.data.name } : p,
        ),
      };
    case IdentityEvent.PasskeyRemoved:
      return {
        ...state,
        passkeys: state.passkeys.filter((p) => p.credentialId !== event.data.credentialId),
        changedAt: at(event),
      };
    case IdentityEvent.PasskeyAssertionAccepted: {
      const used = event.data;
      return {
        ...state,
        passkeys: state.passkeys.map((p) =>
          p.credentialId === used.credentialId
            ? { ...p, counter: used.counter, backedUp: used.backedUp, lastUsedAt: at(event) }
            : p,
        ),
      };
    }
    case IdentityEvent.MfaResetByAdmin:
      return { ...state, passkeys: [], changedAt: at(event) };
    default:
      return state;
  }
}

function requireUser(state: PasskeyState): string {
  if (state.userId === null) throw new DomainError('not_found', 'No such user.');
  return state.userId;
}

export function findPasskey(state: PasskeyState, credentialId: string | null): StoredPasskey | null {
  return state.passkeys.find((p) => p.credentialId === credentialId) ?? null;
}

/** Records the outcome of a passkey's signature, with what the caller brings along. */
export function decidePasskeyAssertion(assertion: PasskeyAssertion, state: PasskeyState): Decision<boolean> {
  const userId = requireUser(state);
  const { credentialId, purpose } = assertion;
  const refuse = (reason: 'unknown_credential' | 'invalid' | 'counter') => ({
    events: [
      identityEvent(IdentityEvent.PasskeyAssertionRejected, { userId, credentialId, reason, purpose }),
      ...assertion.whenRefused(),
    ],
    result: false,
  });
  const passkey = findPasskey(state, credentialId);
  if (!passkey || credentialId === null) return refuse('unknown_credential');
  const verified = assertion.verified;
  if (!verified) return refuse('invalid');
  if ((verified.counter > 0 || passkey.counter > 0) && verified.counter <= passkey.counter) return refuse('counter');
  return {
    events: [
      identityEvent(IdentityEvent.PasskeyAssertionAccepted, {
        userId,
        credentialId,
        counter: verified.counter,
        backedUp: verified.backedUp,
        userVerified: verified.userVerified,
        purpose,
      }),
      ...assertion.whenAccepted(),
    ],
    result: true,
  };
}

/** The passkeys of one user (set up, named, removed, each use's counter), folded from user-{id}. Nothing secret in it. */
export const passkeyModel: Decider<PasskeyCommand, PasskeyState> = {
  initialState: () => ({ userId: null, email: null, passkeys: [], changedAt: null }),
  evolve,
  snapshot: { name: 'passkeys-v1', every: 50, toJson: (state) => state, fromJson: (json) => json as PasskeyState },
  decide: (command, state) => {
    const userId = requireUser(state);
    switch (command.kind) {
      case 'register':
        if (findPasskey(state, command.passkey.credentialId))
          throw new DomainError('conflict', 'This passkey is already added.');
        if (state.passkeys.length >= MAX_PASSKEYS)
          throw new DomainError('conflict', `An account keeps at most ${MAX_PASSKEYS} passkeys; remove one first.`);
        return [identityEvent(IdentityEvent.PasskeyRegistered, { userId, ...command.passkey })];
      case 'rename':
        if (!findPasskey(state, command.credentialId)) throw new DomainError('not_found', 'No such passkey.');
        return [
          identityEvent(IdentityEvent.PasskeyRenamed, {
            userId,
            credentialId: command.credentialId,
            name: command.name,
          }),
        ];
      case 'remove':
        if (!findPasskey(state, command.credentialId)) throw new DomainError('not_found', 'No such passkey.');
        return [identityEvent(IdentityEvent.PasskeyRemoved, { userId, credentialId: command.credentialId })];
    }
  },
};
