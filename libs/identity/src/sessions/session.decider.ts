import { DomainError } from '@app/platform';
import {
  IdentityEvent,
  SessionRevoked,
  SessionStarted,
  type SessionRevocationReason,
  type SessionRevokedByAdminAction,
  type SessionStartedData,
} from '@app/identity-events';
import { Decider } from '../shared/decider';

export type SessionCommand =
  | { kind: 'start'; session: SessionStartedData }
  | { kind: 'revoke'; reason: SessionRevocationReason; adminAction?: SessionRevokedByAdminAction };

export interface SessionState {
  sessionId: string | null;
  userId: string | null;
  revoked: boolean;
}

/** One sign-in's lifetime: started once, revoked at most once (revoking again changes nothing). */
export const sessionDecider: Decider<SessionCommand, SessionState, SessionStarted | SessionRevoked> = {
  initialState: () => ({ sessionId: null, userId: null, revoked: false }),
  evolve: (state, event) => {
    if (event.type === IdentityEvent.SessionStarted) {
      const data = event.data;
      return { sessionId: data.sessionId, userId: data.userId, revoked: false };
    }
    if (event.type === IdentityEvent.SessionRevoked) return { ...state, revoked: true };
    return state;
  },
  decide: (command, state) => {
    if (command.kind === 'start') {
      if (state.sessionId !== null) throw new DomainError('conflict', 'This session already exists.');
      return [{ type: IdentityEvent.SessionStarted, data: command.session }];
    }
    if (state.sessionId === null || state.userId === null) throw new DomainError('not_found', 'No such session.');
    if (state.revoked) return [];
    return [
      {
        type: IdentityEvent.SessionRevoked,
        data: {
          sessionId: state.sessionId,
          userId: state.userId,
          reason: command.reason,
          ...(command.adminAction ? { adminAction: command.adminAction } : {}),
        },
      },
    ];
  },
};
