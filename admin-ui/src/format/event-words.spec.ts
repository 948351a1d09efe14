import { describe, expect, it } from 'vitest';
import { describeActor, describeSubject, describeUserAgent } from './event-words';
import { formatUtcTime, localDayEnd, localDayStart } from './time';

describe('event words', () => {
  it('names the actor from the event', () => {
    expect(describeActor({ actor: { type: 'user', id: 'u1' }, userId: 'u1' })).toBe('The user');
    expect(describeActor({ actor: { type: 'user', id: 'u2', email: 'bob@example.com' }, userId: 'u1' })).toBe(
      'bob@example.com',
    );
    expect(describeActor({ actor: { type: 'user', id: 'u2' }, userId: 'u1' })).toBe('Another user (u2)');
    expect(describeActor({ actor: { type: 'admin', id: 'a1', email: 'admin@example.com' }, userId: 'u1' })).toBe(
      'admin@example.com',
    );
    // Erased since: the read model has no address left for them.
    expect(describeActor({ actor: { type: 'admin', id: 'a1', email: null }, userId: 'u1' })).toBe(
      'An administrator (account erased)',
    );
    // An id the read model does not know (or an older API without the field).
    expect(describeActor({ actor: { type: 'admin', id: '0123456789abcdef' }, userId: 'u1' })).toBe(
      'An administrator (01234567…)',
    );
    expect(describeActor({ actor: { type: 'system', id: null }, userId: 'u1' })).toBe('The system');
    expect(describeActor({ actor: null, userId: 'u1' })).toBe('Unknown actor');
  });

  it('names the account an event is about by its address, else says it was erased or gives a short id', () => {
    const id = 'c22417fe-0000-4000-8000-000000000000';
    expect(describeSubject({ userId: id, userEmail: 'ann@example.com' })).toBe('ann@example.com');
    expect(describeSubject({ userId: id, userEmail: null })).toBe('Erased account (c22417fe…)');
    expect(describeSubject({ userId: id })).toBe('Account c22417fe…');
  });

  it('recognises common browsers and systems', () => {
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0',
      ),
    ).toBe('Edge on Windows');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari on iOS');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36',
      ),
    ).toBe('Headless Chrome on Linux');
    expect(describeUserAgent('curl/8.5.0')).toBe('curl');
    expect(describeUserAgent(null)).toBe('unknown device');
  });
});

describe('times', () => {
  it('shows UTC without milliseconds', () => {
    expect(formatUtcTime('2025-03-04T05:06:07.890Z')).toBe('2025-03-04 05:06:07 UTC');
    expect(formatUtcTime('not a date')).toBe('');
  });

  it('turns a local calendar day into its first and last instant', () => {
    const start = new Date(localDayStart('2025-03-04')!);
    const end = new Date(localDayEnd('2025-03-04')!);
    expect([start.getFullYear(), start.getMonth(), start.getDate(), start.getHours()]).toEqual([2025, 2, 4, 0]);
    expect(end.getTime() - start.getTime()).toBe(86_400_000 - 1);
    expect(localDayStart('04/03/2025')).toBeUndefined();
  });
});
