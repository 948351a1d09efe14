import type { RecordedEvent } from '@app/event-store';
import { identityEvent, isEventOf, isIdentityEvent, reaction, subjectOf } from './event-union';
import { IdentityEvent } from './identity-events';

const recorded = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: 'e1',
  streamId: 'user-u1',
  revision: 0,
  position: '1',
  type,
  data,
  metadata: { occurredAt: '2026-11-01T00:00:00.000Z' },
  recordedAt: '2026-11-01T00:00:01.000Z',
});

describe('identity events', () => {
  it('reads a stored event of a known type as an identity event, and skips a type it does not know', () => {
    expect(isIdentityEvent(recorded(IdentityEvent.TotpDisabled, { userId: 'u1' }))).toBe(true);
    expect(isIdentityEvent(recorded('SomethingNewer', { userId: 'u1' }))).toBe(false);
    expect(isEventOf(recorded(IdentityEvent.TotpDisabled, { userId: 'u1' }), IdentityEvent.TotpDisabled)).toBe(true);
    expect(isEventOf(recorded(IdentityEvent.TotpDisabled, { userId: 'u1' }), IdentityEvent.TotpEnrolled)).toBe(false);
  });

  it('makes an event from its type and payload', () => {
    expect(identityEvent(IdentityEvent.AccountUnlocked, { userId: 'u1' })).toEqual({
      type: 'AccountUnlocked',
      data: { userId: 'u1' },
    });
  });

  it('files a sign-up with a taken address under the account that has it, and one with a free address under nobody', () => {
    const base = {
      registrationId: 'r1',
      email: 'a@x.io',
      emailNormalized: 'a@x.io',
      expiresAt: '2026-11-01T00:10:00.000Z',
    };
    expect(subjectOf(identityEvent(IdentityEvent.RegistrationRequested, { ...base, existingUserId: 'u9' }))).toBe('u9');
    expect(
      subjectOf(
        identityEvent(IdentityEvent.RegistrationRequested, { ...base, passwordHash: 'h', existingUserId: null }),
      ),
    ).toBeNull();
    expect(subjectOf(identityEvent(IdentityEvent.RegistrationExpired, { registrationId: 'r1' }))).toBeNull();
    expect(subjectOf(identityEvent(IdentityEvent.LoginFailed, { userId: null, reason: 'unknown_account' }))).toBeNull();
    expect(subjectOf(identityEvent(IdentityEvent.TotpDisabled, { userId: 'u1' }))).toBe('u1');
  });

  it('runs a reaction only for its own type', async () => {
    const seen: string[] = [];
    const [type, handle] = reaction(IdentityEvent.TotpDisabled, async (event) => {
      seen.push(event.data.userId);
    });
    await handle(recorded(IdentityEvent.TotpDisabled, { userId: 'u1' }));
    await handle(recorded(IdentityEvent.TotpEnrolled, { userId: 'u2', timeStep: 1 }));
    expect(type).toBe('TotpDisabled');
    expect(seen).toEqual(['u1']);
  });
});
