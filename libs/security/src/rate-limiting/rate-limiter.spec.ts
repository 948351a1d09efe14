import { ManualClock } from '@app/platform';
import { FixedWindowRateLimiter } from './rate-limiter';

describe('FixedWindowRateLimiter', () => {
  it('allows the limit per window and key, then tells how long to wait', () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const limiter = new FixedWindowRateLimiter(3, 60_000, clock);
    expect([1, 2, 3].map(() => limiter.consume('1.2.3.4').allowed)).toEqual([true, true, true]);
    clock.advance(15_000);
    expect(limiter.consume('1.2.3.4')).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.consume('5.6.7.8').allowed).toBe(true);
    clock.advance(45_000);
    expect(limiter.consume('1.2.3.4').allowed).toBe(true);
  });

  it('gives back an attempt refused for another reason, within the same window only', () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const limiter = new FixedWindowRateLimiter(2, 60_000, clock);
    expect(limiter.consume('1.2.3.4').allowed).toBe(true);
    expect(limiter.consume('1.2.3.4').allowed).toBe(true);
    limiter.refund('1.2.3.4');
    expect(limiter.consume('1.2.3.4').allowed).toBe(true);
    expect(limiter.consume('1.2.3.4').allowed).toBe(false);
    limiter.refund('9.9.9.9'); // unknown key: nothing happens

    clock.advance(60_000);
    expect(limiter.consume('1.2.3.4').allowed).toBe(true); // a new window
    limiter.refund('1.2.3.4');
    limiter.refund('1.2.3.4'); // never below zero
    expect([1, 2, 3].map(() => limiter.consume('1.2.3.4').allowed)).toEqual([true, true, false]);
  });

  it('stays bounded under a flood of distinct keys', () => {
    const clock = new ManualClock();
    const limiter = new FixedWindowRateLimiter(1, 60_000, clock, 10);
    for (let i = 0; i < 100; i++) expect(limiter.consume(`ip-${i}`).allowed).toBe(true);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(10);
  });
});
