import { DomainError } from '@app/platform';
import { DomainEvent, IdentityEvent, identityEvent, type EmailCodePurpose } from '@app/identity-events';
import { ResendTooSoonError } from '../../shared/code-errors';
import type { Decision } from '../../shared/command-executor';
import type { Decider, HistoryEvent } from '../../shared/decider';
import { secretFrom, type Snapshotting } from '../../shared/write-model-snapshots';

export const EMAIL_CODE_MAX_TRIES = 5;

/** Checks an email code against its stored keyed hash. */
export type EmailCodeCheck = (codeId: string, codeHash: string) => boolean;

export type EmailCodeCommand =
  | {
      kind: 'send';
      purpose: EmailCodePurpose;
      codeId: string;
      codeHash: string;
      expiresAt: Date;
      now: Date;
      cooldownMs: number;
    }
  | { kind: 'enable'; check: EmailCodeCheck; now: Date }
  | { kind: 'disable'; check: EmailCodeCheck; now: Date };

/** A code mailed for a step-up, offered as proof; the accepted proof's events name the code they used up. */
export interface EmailCodeProof {
  check: EmailCodeCheck;
  now: Date;
  whenAccepted: (codeId: string) => DomainEvent[];
  whenRefused: () => DomainEvent[];
}

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

export interface EmailCodeState {
  userId: string | null;
  /** Where codes go: the account's address. */
  address: string | null;
  enabled: boolean;
  enabledAt: string | null;
  codes: Partial<Record<EmailCodePurpose, PendingEmailCode>>;
}

const at = (event: HistoryEvent) => (event.occurredAt ? Date.parse(event.occurredAt) : 0);
const used = (code: PendingEmailCode): PendingEmailCode => ({ ...code, used: true });

function updateCode(
  state: EmailCodeState,
  purpose: EmailCodePurpose,
  codeId: string | undefined,
  change: (code: PendingEmailCode) => PendingEmailCode,
): EmailCodeState {
  const code = state.codes[purpose];
  if (!code || code.codeId !== codeId) return state;
  return { ...state, codes: { ...state.codes, [purpose]: change(code) } };
}

function evolve(state: EmailCodeState, event: HistoryEvent): EmailCodeState {
  switch (event.type) {
    case IdentityEvent.UserRegistered:
      return { ...state, userId: event.data.userId, address: event.data.email };
    case IdentityEvent.EmailChanged:
      return { ...state, address: event.data.newEmail };
    case IdentityEvent.EmailCodeSent: {
      const sent = event.data;
      const code = {
        codeId: sent.codeId,
        codeHash: sent.codeHash,
        sentAt: at(event),
        expiresAt: Date.parse(sent.expiresAt),
        failures: 0,
        used: false,
        from: event.revision ?? null,
      };
      return { ...state, codes: { ...state.codes, [sent.purpose]: code } };
    }
    case IdentityEvent.EmailCodeFailed:
      return updateCode(state, event.data.purpose, event.data.codeId, (code) => ({
        ...code,
        failures: code.failures + 1,
      }));
    case IdentityEvent.EmailMfaEnabled:
      return updateCode(
        { ...state, enabled: true, enabledAt: event.occurredAt ?? null },
        'enable_email_mfa',
        event.data.codeId,
        used,
      );
    case IdentityEvent.EmailMfaDisabled:
      return updateCode({ ...state, enabled: false, enabledAt: null }, 'disable_email_mfa', event.data.codeId, used);
    case IdentityEvent.StepUpCompleted:
      return event.data.method === 'email' ? updateCode(state, 'reauthenticate', event.data.codeId, used) : state;
    case IdentityEvent.MfaResetByAdmin:
      return { ...state, enabled: false, enabledAt: null, codes: {} };
    default:
      return state;
  }
}

/** The latest code for a purpose, if it can still be tried. */
function liveCode(state: EmailCodeState, purpose: EmailCodePurpose, now: Date): PendingEmailCode | null {
  const code = state.codes[purpose];
  if (!code || code.used || code.failures >= EMAIL_CODE_MAX_TRIES || code.expiresAt <= now.getTime()) return null;
  return code;
}

function requireUser(state: EmailCodeState): { userId: string; address: string } {
  // UserRegistered sets both: without it there is no account.
  if (state.userId === null || state.address === null) throw new DomainError('not_found', 'No such user.');
  return { userId: state.userId, address: state.address };
}

/** Checks the latest code of a purpose: the accepted one names its code; a wrong one is recorded. */
function checkCode(
  state: EmailCodeState,
  purpose: EmailCodePurpose,
  check: EmailCodeCheck,
  now: Date,
): Decision<string | null> {
  const { userId } = requireUser(state);
  const code = liveCode(state, purpose, now);
  if (!code) return { events: [], result: null };
  if (!check(code.codeId, code.codeHash))
    return {
      events: [identityEvent(IdentityEvent.EmailCodeFailed, { userId, purpose, codeId: code.codeId })],
      result: null,
    };
  return { events: [], result: code.codeId };
}

/** A step-up with a mailed code: the code is used up by the events the accepted proof brings. */
export function decideEmailCodeProof(proof: EmailCodeProof, state: EmailCodeState): Decision<boolean> {
  const checked = checkCode(state, 'reauthenticate', proof.check, proof.now);
  return checked.result === null
    ? { events: [...checked.events, ...proof.whenRefused()], result: false }
    : { events: [...checked.events, ...proof.whenAccepted(checked.result)], result: true };
}

type KeptEmailCodes = EmailCodeState;
const kept = (json: unknown) => json as KeptEmailCodes;

const emailCodeSnapshotting: Snapshotting<EmailCodeState> = {
  name: 'email-code-v1',
  every: 50,
  toJson: (state) => {
    if (Object.values(state.codes).some((code) => code?.from === null)) return null;
    return {
      ...state,
      codes: Object.fromEntries(
        Object.entries(state.codes).map(([purpose, code]) => [purpose, { ...code, codeHash: '' }]),
      ),
    };
  },
  secretsAt: (json) =>
    Object.values(kept(json).codes).flatMap((code) => (code && code.from !== null ? [code.from] : [])),
  fromJson: (json, events) => ({
    ...kept(json),
    codes: Object.fromEntries(
      Object.entries(kept(json).codes).map(([purpose, code]) => [
        purpose,
        { ...code!, codeHash: secretFrom(events, code!.from, 'codeHash')! },
      ]),
    ),
  }),
};

/** Email codes as a second factor of one user, folded from user-{id}. */
export const emailCodeModel: Decider<EmailCodeCommand, EmailCodeState> = {
  initialState: () => ({ userId: null, address: null, enabled: false, enabledAt: null, codes: {} }),
  evolve,
  snapshot: emailCodeSnapshotting,
  decide: (command, state) => {
    const { userId, address } = requireUser(state);
    switch (command.kind) {
      case 'send': {
        const previous = state.codes[command.purpose];
        const wait = previous ? previous.sentAt + command.cooldownMs - command.now.getTime() : 0;
        if (wait > 0) throw new ResendTooSoonError(Math.ceil(wait / 1000));
        if (command.purpose === 'enable_email_mfa' && state.enabled)
          throw new DomainError('conflict', 'Email codes are already on.');
        if (command.purpose === 'disable_email_mfa' && !state.enabled)
          throw new DomainError('conflict', 'Email codes are not on.');
        if (command.purpose === 'reauthenticate' && !state.enabled)
          throw new DomainError('conflict', 'Email codes are not on.');
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
      case 'enable':
      case 'disable': {
        const purpose = command.kind === 'enable' ? 'enable_email_mfa' : 'disable_email_mfa';
        const checked = checkCode(state, purpose, command.check, command.now);
        if (checked.result === null) return checked.events;
        return command.kind === 'enable'
          ? [identityEvent(IdentityEvent.EmailMfaEnabled, { userId, address, codeId: checked.result })]
          : [identityEvent(IdentityEvent.EmailMfaDisabled, { userId, codeId: checked.result })];
      }
    }
  },
};
