import { ManualMonotonicClock, ServiceOverloadedError } from '@app/platform';
import { ConcurrencyLimiter } from './concurrency-limiter';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

const settle = () => new Promise((r) => setImmediate(r));

/** Starts `count` tasks that each finish when their gate is opened; returns the gates and runs. */
function occupy(limiter: ConcurrencyLimiter, count: number) {
  const gates = Array.from({ length: count }, deferred);
  const runs = gates.map((gate) => limiter.run(() => gate.promise));
  return { gates, runs };
}

describe('ConcurrencyLimiter', () => {
  it('runs at most N tasks at once, queues the rest in order, and refuses past the queue limit', async () => {
    const limiter = new ConcurrencyLimiter(2, 2);
    const gates = Array.from({ length: 4 }, deferred);
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    expect(limiter.queued).toBe(2);
    expect(limiter.wouldAdmit()).toBe(false);
    await expect(limiter.run(async () => 99)).rejects.toBeInstanceOf(ServiceOverloadedError);

    gates[1].resolve();
    await runs[1];
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates.forEach((g) => g.resolve());
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(limiter.active).toBe(0);
  });

  it('frees the slot when a task fails', async () => {
    const limiter = new ConcurrencyLimiter(1, 0);
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'ok')).resolves.toBe('ok');
  });

  describe('admission by expected wait', () => {
    it('queues a task only while position x average task time / concurrency stays within maxWaitMs', async () => {
      // 2 at once, 25 ms a task (the estimate before any measurement): position p waits p x 12.5 ms.
      const limiter = new ConcurrencyLimiter(2, 1000, {
        maxWaitMs: 100,
        initialEstimateMs: 25,
        clock: new ManualMonotonicClock(),
      });
      const { gates, runs } = occupy(limiter, 2 + 8); // 2 running, 8 queued: the 8th waits 100 ms
      await settle();
      expect([limiter.active, limiter.queued]).toEqual([2, 8]);
      expect(limiter.expectedWaitMs(8)).toBe(100);
      expect(limiter.wouldAdmit()).toBe(false); // the 9th would wait 112.5 ms
      const refused = limiter.run(async () => 'never');
      await expect(refused).rejects.toBeInstanceOf(ServiceOverloadedError);
      await expect(refused).rejects.toMatchObject({ code: 'overloaded', retryAfterSeconds: 1 });

      gates.forEach((g) => g.resolve());
      await Promise.all(runs);
      expect(limiter.wouldAdmit()).toBe(true);
    });

    it('follows the measured task time, so the queue shrinks when tasks get slower and grows when they get faster', async () => {
      const clock = new ManualMonotonicClock();
      const limiter = new ConcurrencyLimiter(1, 1000, {
        maxWaitMs: 1000,
        initialEstimateMs: 10,
        smoothing: 0.5,
        clock,
      });
      const timed = async (ms: number) => {
        const { gates, runs } = occupy(limiter, 1);
        await settle();
        clock.advance(ms);
        gates[0].resolve();
        await runs[0];
      };

      expect(limiter.averageTaskMs).toBe(10);
      await timed(200); // the first measurement replaces the estimate
      expect(limiter.averageTaskMs).toBe(200);
      await timed(100); // then a moving average: 200 + 0.5 x (100 - 200)
      expect(limiter.averageTaskMs).toBe(150);
      await timed(250);
      expect(limiter.averageTaskMs).toBe(200);

      // 200 ms a task, 1 at once, 1000 ms at most: 5 may wait, the 6th is refused.
      const { gates, runs } = occupy(limiter, 1 + 5);
      await settle();
      expect([limiter.active, limiter.queued]).toEqual([1, 5]);
      expect(limiter.wouldAdmit()).toBe(false);
      await expect(limiter.run(async () => 'never')).rejects.toBeInstanceOf(ServiceOverloadedError);
      expect(limiter.retryAfterSeconds()).toBe(1); // 5 x 200 ms of backlog

      // Tasks measured at 20 ms bring the average down and let the queue grow again.
      for (const gate of gates) {
        clock.advance(20);
        gate.resolve();
        await settle();
      }
      await Promise.all(runs);
      expect(limiter.averageTaskMs).toBeCloseTo(20 + 180 / 64, 6);
      const fast = occupy(limiter, 1 + 40); // 40 x ~23 ms < 1000 ms
      await settle();
      expect(limiter.queued).toBe(40);
      fast.gates.forEach((g) => g.resolve());
      await Promise.all(fast.runs);
    });

    it('refuses, when its turn comes, a queued task that has already waited longer than maxWaitMs', async () => {
      const clock = new ManualMonotonicClock();
      const limiter = new ConcurrencyLimiter(1, 10, { maxWaitMs: 100, initialEstimateMs: 10, clock });
      const running = occupy(limiter, 1);
      const early = limiter.run(async () => 'early'); // queued at 0 ms
      early.catch(() => undefined);
      clock.advance(60);
      const late = limiter.run(async () => 'late'); // queued at 60 ms
      await settle();
      expect(limiter.queued).toBe(2);

      clock.advance(60); // the slot frees at 120 ms: `early` has waited 120 ms, `late` 60 ms
      running.gates[0].resolve();
      await expect(early).rejects.toBeInstanceOf(ServiceOverloadedError);
      await expect(late).resolves.toBe('late');
      expect([limiter.active, limiter.queued]).toEqual([0, 0]);
    });

    it('frees the slot when every waiter has expired', async () => {
      const clock = new ManualMonotonicClock();
      const limiter = new ConcurrencyLimiter(1, 10, { maxWaitMs: 100, initialEstimateMs: 10, clock });
      const running = occupy(limiter, 1);
      const waiting = [limiter.run(async () => 1), limiter.run(async () => 2)];
      await settle();
      clock.advance(101);
      running.gates[0].resolve();
      for (const w of waiting) await expect(w).rejects.toMatchObject({ code: 'overloaded' });
      expect(limiter.active).toBe(0);
      await expect(limiter.run(async () => 'served again')).resolves.toBe('served again');
    });

    it('does not learn from failed tasks', async () => {
      const clock = new ManualMonotonicClock();
      const limiter = new ConcurrencyLimiter(1, 10, { initialEstimateMs: 40, clock });
      await expect(limiter.run(async () => Promise.reject(new Error('malformed')))).rejects.toThrow('malformed');
      expect(limiter.averageTaskMs).toBe(40);
    });

    it('keeps the queue limit as a hard cap however fast tasks are', async () => {
      const limiter = new ConcurrencyLimiter(1, 3, {
        maxWaitMs: 60_000,
        initialEstimateMs: 1,
        clock: new ManualMonotonicClock(),
      });
      const { gates, runs } = occupy(limiter, 1 + 3);
      await settle();
      expect(limiter.queued).toBe(3);
      expect(limiter.wouldAdmit()).toBe(false);
      await expect(limiter.run(async () => 'never')).rejects.toBeInstanceOf(ServiceOverloadedError);
      gates.forEach((g) => g.resolve());
      await Promise.all(runs);
    });

    it('suggests a Retry-After that covers the backlog, from 1 to 60 seconds', async () => {
      const limiter = new ConcurrencyLimiter(2, 10_000, { initialEstimateMs: 1000, clock: new ManualMonotonicClock() });
      expect(limiter.retryAfterSeconds()).toBe(1);
      const { gates, runs } = occupy(limiter, 2 + 5); // 5 queued x 1000 ms / 2 = 2.5 s
      await settle();
      expect(limiter.retryAfterSeconds()).toBe(3);
      const many = occupy(limiter, 200);
      await settle();
      expect(limiter.retryAfterSeconds()).toBe(60);
      [...gates, ...many.gates].forEach((g) => g.resolve());
      await Promise.all([...runs, ...many.runs]);
    });
  });

  describe('reservations (the cheap check before a request is read)', () => {
    it('counts reserved work as headed for the queue until released, without holding a slot', async () => {
      // 1 at once, 50 ms a task, 100 ms at most: 1 running + 2 waiting.
      const clock = new ManualMonotonicClock();
      const limiter = new ConcurrencyLimiter(1, 100, { maxWaitMs: 100, initialEstimateMs: 50, clock });
      const releases = [limiter.tryReserve(), limiter.tryReserve(), limiter.tryReserve()];
      expect(releases.every((r) => typeof r === 'function')).toBe(true);
      expect(limiter.reserved).toBe(3);
      expect(limiter.wouldAdmit()).toBe(false);
      expect(limiter.tryReserve()).toBeNull();
      expect(limiter.retryAfterSeconds()).toBe(1);

      // A reservation holds no slot: the request that made it still runs its task at once.
      const hash = async () => {
        clock.advance(50);
        return 'hashed';
      };
      await expect(limiter.run(hash)).resolves.toBe('hashed');
      expect(limiter.averageTaskMs).toBe(50);

      releases[0]!();
      releases[0]!(); // idempotent
      expect(limiter.reserved).toBe(2);
      expect(limiter.wouldAdmit()).toBe(true);
      const fourth = limiter.tryReserve();
      expect(fourth).not.toBeNull();
      [releases[1], releases[2], fourth].forEach((release) => release!());
      expect(limiter.reserved).toBe(0);
    });

    it('counts running and queued tasks when they exceed the reservations', async () => {
      const limiter = new ConcurrencyLimiter(1, 100, {
        maxWaitMs: 100,
        initialEstimateMs: 50,
        clock: new ManualMonotonicClock(),
      });
      const { gates, runs } = occupy(limiter, 1 + 2); // e.g. hashes of requests that reserved nothing
      await settle();
      expect(limiter.reserved).toBe(0);
      expect(limiter.tryReserve()).toBeNull();
      gates.forEach((g) => g.resolve());
      await Promise.all(runs);
      expect(limiter.tryReserve()).not.toBeNull();
    });
  });
});
