import type { HistoryEvent } from '../shared/decider';
import { IdentityEvent } from '@app/identity-events';
import { given } from '../testing/given';
import { challengeDecider, isOpen } from './challenge.decider';
import { fold } from '../shared/decider';

const issued: HistoryEvent = {
  type: IdentityEvent.ChallengeIssued,
  data: {
    challengeId: 'c1',
    userId: 'u1',
    methods: ['totp'],
    expiresAt: '2026-06-01T08:05:00.000Z',
    accountVersion: 'v1',
  },
  occurredAt: '2026-06-01T08:00:00.000Z',
};
const completed: HistoryEvent = {
  type: IdentityEvent.ChallengeCompleted,
  data: { challengeId: 'c1', userId: 'u1', method: 'totp', sessionId: 's1' },
};
const closed: HistoryEvent = {
  type: IdentityEvent.ChallengeClosed,
  data: { challengeId: 'c1', userId: 'u1', reason: 'account_locked' },
};
const close = (minute: number) => ({
  kind: 'close' as const,
  reason: 'account_locked' as const,
  now: new Date(`2026-06-01T08:0${minute}:00.000Z`),
});

describe('sign-in challenge: closing when the account changes', () => {
  it('closes an open challenge with the reason', () => {
    given(challengeDecider, [issued]).when(close(1)).then([closed]);
  });

  it('leaves a finished, an already closed or an expired challenge alone', () => {
    given(challengeDecider, [issued, completed]).when(close(1)).then([]);
    given(challengeDecider, [issued, closed]).when(close(2)).then([]);
    given(challengeDecider, [issued]).when(close(6)).then([]);
  });

  it('takes no code once closed', () => {
    expect(isOpen(fold(challengeDecider, [issued]), new Date('2026-06-01T08:01:00.000Z'))).toBe(true);
    expect(isOpen(fold(challengeDecider, [issued, closed]), new Date('2026-06-01T08:01:00.000Z'))).toBe(false);
  });
});
