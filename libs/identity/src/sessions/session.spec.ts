import type { HistoryEvent } from '../shared/decider';
import { DomainError } from '@app/platform';
import { IdentityEvent, SessionStartedData } from '@app/identity-events';
import { given } from '../testing/given';
import { sessionDecider } from './session.decider';

const session: SessionStartedData = {
  sessionId: 's1',
  userId: 'u1',
  tokenHash: 'ab'.repeat(32),
  amr: ['pwd'],
  browser: 'Firefox 133',
  os: 'Linux',
  ip: '127.0.0.1',
  location: 'Local network',
  expiresAt: '2026-05-01T12:00:00.000Z',
  idleTimeoutSeconds: 1800,
};
const started: HistoryEvent = { type: IdentityEvent.SessionStarted, data: session };

describe('session', () => {
  it('starts once', () => {
    given(sessionDecider, []).when({ kind: 'start', session }).then([started]);
    given(sessionDecider, [started]).when({ kind: 'start', session }).thenThrows(DomainError, 'conflict');
  });

  it('is revoked with a reason, and revoking again changes nothing', () => {
    const revoked: HistoryEvent = {
      type: IdentityEvent.SessionRevoked,
      data: { sessionId: 's1', userId: 'u1', reason: 'logout' },
    };
    given(sessionDecider, [started]).when({ kind: 'revoke', reason: 'logout' }).then([revoked]);
    given(sessionDecider, [started, revoked]).when({ kind: 'revoke', reason: 'user' }).then([]);
  });

  it('records which administrator action ended it, so its holder can be told (issue 17)', () => {
    given(sessionDecider, [started])
      .when({ kind: 'revoke', reason: 'admin', adminAction: 'mfa_reset' })
      .then([
        {
          type: IdentityEvent.SessionRevoked,
          data: { sessionId: 's1', userId: 'u1', reason: 'admin', adminAction: 'mfa_reset' },
        },
      ]);
  });

  it('cannot revoke a session that never started', () => {
    given(sessionDecider, []).when({ kind: 'revoke', reason: 'user' }).thenThrows(DomainError, 'not_found');
  });
});
