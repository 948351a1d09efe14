import { isIdleExpired, isLocked } from './session-queries';

const session = { createdAt: '2026-01-01T10:00:00.000Z', idleTimeoutSeconds: 1800 };
const at = (iso: string) => new Date(iso);

describe('the rules every session and user query shares', () => {
  it('ends a session idle for longer than its timeout, counting from the last activity or the start', () => {
    expect(isIdleExpired(session, null, at('2026-01-01T10:30:00.000Z'))).toBe(false); // exactly the timeout
    expect(isIdleExpired(session, null, at('2026-01-01T10:30:00.001Z'))).toBe(true);
    expect(isIdleExpired(session, '2026-01-01T10:20:00.000Z', at('2026-01-01T10:45:00.000Z'))).toBe(false);
    expect(isIdleExpired(session, '2026-01-01T10:20:00.000Z', at('2026-01-01T10:50:00.001Z'))).toBe(true);
  });

  it('sees a user as locked by an administrator, or until an automatic lock ends', () => {
    const now = at('2026-01-01T10:00:00.000Z');
    expect(isLocked({ locked: true, lockedUntil: null }, now)).toBe(true);
    expect(isLocked({ locked: false, lockedUntil: '2026-01-01T10:00:01.000Z' }, now)).toBe(true);
    expect(isLocked({ locked: false, lockedUntil: '2026-01-01T10:00:00.000Z' }, now)).toBe(false); // ended
    expect(isLocked({ locked: false, lockedUntil: null }, now)).toBe(false);
  });
});
