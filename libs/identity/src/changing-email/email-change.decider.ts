import { DomainError } from '@app/platform';
import { DomainEvent, IdentityEvent, type EmailChangedData, type EmailChangeRequestedData } from '@app/identity-events';
import { ResendTooSoonError } from '../shared/code-errors';
import { CodeInvalidError } from '../shared/code-errors';
import { normalizeEmail } from '../registering-user/email-claim.decider';
import { Decider, HistoryEvent } from '../shared/decider';

export const EMAIL_CHANGE_TTL_MS = 10 * 60_000;
export const EMAIL_CHANGE_RESEND_COOLDOWN_MS = 60_000;
export const EMAIL_CHANGE_MAX_TRIES = 5;

export type EmailChangeCommand =
  | { kind: 'request'; newEmail: string; newEmailNormalized: string; codeId: string; codeHash: string; now: Date }
  | { kind: 'confirm'; matches: (codeId: string, codeHash: string) => boolean; now: Date };

export interface EmailChangeState {
  userId: string | null;
  email: string | null;
  pending: (EmailChangeRequestedData & { sentAt: number; failures: number }) | null;
}

const at = (event: HistoryEvent) => (event.occurredAt ? Date.parse(event.occurredAt) : 0);

/** The code mailed to the new address, if it can still be tried at `now`. */
export function livePending(state: EmailChangeState, now: Date): EmailChangeState['pending'] {
  const pending = state.pending;
  if (!pending || pending.failures >= EMAIL_CHANGE_MAX_TRIES || Date.parse(pending.expiresAt) <= now.getTime())
    return null;
  return pending;
}

/**
 * Moving an account to another address, folded from user-{id}: a code to the new address (10
 * minutes, 5 tries, a new one at most once a minute); the address changes when it comes back.
 */
export const emailChangeDecider: Decider<EmailChangeCommand, EmailChangeState, DomainEvent> = {
  initialState: () => ({ userId: null, email: null, pending: null }),
  evolve: (state, event) => {
    switch (event.type) {
      case IdentityEvent.UserRegistered: {
        const data = event.data;
        return { ...state, userId: data.userId, email: data.email };
      }
      case IdentityEvent.EmailChangeRequested:
        return { ...state, pending: { ...event.data, sentAt: at(event), failures: 0 } };
      case IdentityEvent.EmailChangeCodeFailed:
        return state.pending
          ? { ...state, pending: { ...state.pending, failures: state.pending.failures + 1 } }
          : state;
      case IdentityEvent.EmailChanged:
        return { ...state, email: event.data.newEmail, pending: null };
      default:
        return state;
    }
  },
  decide: (command, state) => {
    const { userId, email } = state;
    if (userId === null || email === null) throw new DomainError('not_found', 'No such user.');
    if (command.kind === 'request') {
      if (command.newEmailNormalized === normalizeEmail(email))
        throw new DomainError('conflict', 'That is already the address of this account.');
      const wait = state.pending ? state.pending.sentAt + EMAIL_CHANGE_RESEND_COOLDOWN_MS - command.now.getTime() : 0;
      if (wait > 0) throw new ResendTooSoonError(Math.ceil(wait / 1000));
      const data: EmailChangeRequestedData = {
        userId,
        newEmail: command.newEmail,
        newEmailNormalized: command.newEmailNormalized,
        codeId: command.codeId,
        codeHash: command.codeHash,
        expiresAt: new Date(command.now.getTime() + EMAIL_CHANGE_TTL_MS).toISOString(),
      };
      return [{ type: IdentityEvent.EmailChangeRequested, data }];
    }
    const pending = livePending(state, command.now);
    if (!pending) throw new CodeInvalidError();
    if (!command.matches(pending.codeId, pending.codeHash)) {
      return [{ type: IdentityEvent.EmailChangeCodeFailed, data: { userId, codeId: pending.codeId } }];
    }
    const changed: EmailChangedData = {
      userId,
      oldEmail: email,
      newEmail: pending.newEmail,
      newEmailNormalized: pending.newEmailNormalized,
    };
    return [{ type: IdentityEvent.EmailChanged, data: changed }];
  },
};
