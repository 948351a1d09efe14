import type { RecordedEvent } from '@app/event-store';
import { identityEvent, IdentityEvent, type DomainEvent } from '@app/identity-events';
import { sessionsProjection, usersProjection } from '../projections';
import { replayProjection } from './projection';

/** given(events).then(documents): the in-memory fold over the projector's own reducers. */
const USER = '11111111-1111-4111-8111-111111111111';
let position = 0;
const at = (minute: number) => `2026-11-28T10:${String(minute).padStart(2, '0')}:00.000Z`;
function recorded(event: DomainEvent, minute: number): RecordedEvent {
  position += 1;
  return {
    id: `e${position}`,
    streamId: `user-${USER}`,
    revision: position,
    position: String(position).padStart(20, '0'),
    type: event.type,
    data: event.data,
    metadata: { occurredAt: at(minute) },
    recordedAt: at(minute),
  };
}
const given = (...events: RecordedEvent[]) => ({
  user: () => replayProjection(usersProjection, events).get(USER) ?? null,
  sessions: () => [...replayProjection(sessionsProjection, events).values()],
});

const history = [
  recorded(
    identityEvent(IdentityEvent.UserRegistered, {
      userId: USER,
      email: 'Ada@example.com',
      emailNormalized: 'ada@example.com',
      passwordHash: '$argon2id$...',
      roles: [],
    }),
    0,
  ),
  recorded(identityEvent(IdentityEvent.TotpEnrolled, { userId: USER, timeStep: 1 }), 1),
  recorded(identityEvent(IdentityEvent.RolesChanged, { userId: USER, roles: ['auditor'], previousRoles: [] }), 2),
  recorded(identityEvent(IdentityEvent.AccountLockedByAdmin, { userId: USER }), 3),
  recorded(identityEvent(IdentityEvent.AccountUnlockedByAdmin, { userId: USER }), 4),
];

describe('replayProjection (a state as of a moment, from the events up to it)', () => {
  it('given no event, there is no user', () => {
    expect(given().user()).toBeNull();
  });

  it('given the registration, the user has no factor, no role, no lock', () => {
    expect(given(...history.slice(0, 1)).user()).toMatchObject({
      email: 'Ada@example.com',
      roles: [],
      locked: false,
      mfa: { totp: false, email: false, passkey: false },
      createdAt: at(0),
    });
  });

  it('given each later change, the state after it and nothing after it', () => {
    expect(given(...history.slice(0, 2)).user()).toMatchObject({
      mfa: { totp: true },
      totpEnabledAt: at(1),
      roles: [],
    });
    expect(given(...history.slice(0, 3)).user()).toMatchObject({ roles: ['auditor'], locked: false });
    expect(given(...history.slice(0, 4)).user()).toMatchObject({ roles: ['auditor'], locked: true });
    expect(given(...history).user()).toMatchObject({ roles: ['auditor'], locked: false, mfa: { totp: true } });
  });

  it('stamps each document with the position of the last event that changed it', () => {
    expect(given(...history.slice(0, 3)).user()?._position).toBe(history[2].position);
  });

  it('leaves out events of other projections and of unknown documents', () => {
    const stranger = recorded(identityEvent(IdentityEvent.AccountLockedByAdmin, { userId: 'someone-else' }), 5);
    const folded = given(...history, stranger);
    expect(folded.user()?.locked).toBe(false);
    expect(folded.sessions()).toEqual([]);
  });
});
