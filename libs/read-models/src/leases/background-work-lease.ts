import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '@app/platform';
import type { ReadStore } from '../read-store.port';
import { FencedReadStore } from './fenced-read-store';

/** The lease every process that may run background work competes for, in the shared read store. */
export const BACKGROUND_WORK_LEASE = 'background-work';

/** Something that runs only while this process holds the lease (the projector, the audit chain, a reactor). */
export interface BackgroundWork {
  /** For the logs. */
  readonly name: string;
  start(): Promise<void>;
  /** Stops it and waits until nothing of it is under way (safe to call when it is not running). */
  stop(): Promise<void>;
}

export interface BackgroundWorkLeaseOptions {
  /** False where the process runs no background work (an API replica): nothing is taken or started. */
  enabled: boolean;
  ttlMs: number;
  name?: string;
  /**
   * The store is a file of this host (embedded SQLite): a holder that was a process of this host
   * and no longer runs (killed, crashed) is taken over at once instead of after the TTL.
   */
  reclaimFromStoppedLocalProcesses?: boolean;
  log?: (level: 'log' | 'warn' | 'error', message: string) => void;
}

export interface LeaseReport {
  name: string;
  /** `off`: this process runs no background work. */
  role: 'active' | 'standby' | 'off';
  /** Who holds the lease, as stored (null: nobody), and until when. */
  holder: string | null;
  expiresAt: string | null;
}

/**
 * Runs the background work in at most one process: the one holding the lease. It takes the lease
 * at start-up when it is free (at once), renews it every ttl/3 and, as a standby, tries to take it
 * every ttl/3. A renewal refused (another holds it) or not confirmed before the lease ends stops
 * the work, and the process stands by again. The work commits through `readStore`, which carries
 * the lease, so a holder that lost it unawares (paused past the TTL) cannot commit any more. On
 * shutdown the work stops first, then the lease is released, so a successor starts at once.
 *
 * Decisions use the injected Clock (tests move it and call `tick()`); only the pace of the timer
 * is real time. Each term of holding gets a fresh holder id (host:pid:random), so nothing of an
 * earlier term can pass the fence of a later one.
 */
export class BackgroundWorkLease {
  readonly name: string;
  /** The read store for background work: every commit fenced by this lease. */
  readonly readStore: ReadStore;
  private readonly works: BackgroundWork[] = [];
  private readonly log: NonNullable<BackgroundWorkLeaseOptions['log']>;
  private role: 'active' | 'standby' = 'standby';
  private holder = newHolder();
  /** The end of the lease as last written by this process (clock milliseconds). */
  private confirmedUntil = 0;
  private renewal: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Taking, losing and releasing the lease, and starting and stopping work, happen one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The holder last reported while standing by (logged when it changes). */
  private seenHolder: string | null | undefined;

  constructor(
    private readonly store: ReadStore,
    private readonly clock: Clock,
    private readonly options: BackgroundWorkLeaseOptions,
  ) {
    this.name = options.name ?? BACKGROUND_WORK_LEASE;
    this.log = options.log ?? (() => undefined);
    this.readStore = new FencedReadStore(store, {
      name: this.name,
      current: () => (this.role === 'active' ? { name: this.name, holder: this.holder } : null),
      lost: (error) => void this.lose(error.holder ?? '', 'a commit was refused: another process holds the lease'),
    });
  }

  /** Whether this process holds the lease and runs the background work now. */
  get active(): boolean {
    return this.role === 'active';
  }

  /** Work that runs while this process holds the lease: started at once if it does now. */
  add(work: BackgroundWork): Promise<void> {
    return this.exclusive(async () => {
      this.works.push(work);
      if (this.role === 'active') await work.start();
    });
  }

  /** Takes the lease if it can (a failure to start the work is thrown), then renews or retries every ttl/3. */
  async begin(): Promise<void> {
    if (!this.options.enabled || this.timer || this.closed) return;
    await this.exclusive(() => this.tryAcquire(true));
    this.timer = setInterval(() => void this.tick(), Math.max(1, Math.floor(this.options.ttlMs / 3)));
    this.timer.unref();
  }

  /** One round of the timer: renew (active) or try to take the lease (standby). Never rejects. */
  async tick(): Promise<void> {
    if (!this.options.enabled || this.closed) return;
    if (this.role === 'standby') {
      await this.exclusive(() => this.tryAcquire(false)).catch((error: unknown) =>
        this.log('warn', `Could not take the lease ${this.name}: ${describe(error)}; standing by`),
      );
      return;
    }
    const now = this.clock.now();
    if (this.renewal) {
      // The previous renewal has not answered: past the lease's end another process may hold it.
      if (now.getTime() >= this.confirmedUntil) await this.lose(this.holder, 'its renewal was not confirmed in time');
      return;
    }
    const renewal = this.renew(this.holder, now);
    this.renewal = renewal;
    await renewal.finally(() => {
      if (this.renewal === renewal) this.renewal = undefined;
    });
  }

  /** Resolves while this process holds the lease, as the store says now; LeaseLostError otherwise. */
  confirm(): Promise<void> {
    return this.readStore.commit({ checkpoints: {}, changes: [] });
  }

  /** Stops the work, then releases the lease (a successor takes it at once). */
  async shutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.renewal;
    await this.exclusive(async () => {
      if (this.role !== 'active') return;
      this.role = 'standby';
      await this.stopWorks();
      await this.store.releaseLease(this.name, this.holder);
      this.log('log', `Released the lease ${this.name} (${this.holder})`);
    });
  }

  /** For /health/ready and the logs. */
  async report(): Promise<LeaseReport> {
    const held = await this.store.leaseHolder(this.name);
    return {
      name: this.name,
      role: this.options.enabled ? this.role : 'off',
      holder: held?.holder ?? null,
      expiresAt: held?.expiresAt.toISOString() ?? null,
    };
  }

  private async tryAcquire(atStart: boolean): Promise<void> {
    if (this.closed || this.role === 'active') return;
    const now = this.clock.now();
    const { name, holder } = this;
    let taken = await this.store.acquireLease(name, holder, this.options.ttlMs, now);
    let from: string | undefined;
    if (!taken && this.options.reclaimFromStoppedLocalProcesses) {
      const current = await this.store.leaseHolder(name);
      if (current && isStoppedLocalProcess(current.holder)) {
        from = current.holder;
        taken = await this.store.acquireLease(name, holder, this.options.ttlMs, now, { takeOverFrom: from });
      }
    }
    if (!taken) return this.standingBy();
    this.role = 'active';
    this.confirmedUntil = now.getTime() + this.options.ttlMs;
    this.seenHolder = undefined;
    const predecessor = from ? `, from ${from} (a process of this host that no longer runs)` : '';
    this.log('log', `Took the lease ${name} as ${holder}${predecessor}: running the background work`);
    const started: BackgroundWork[] = [];
    try {
      for (const work of this.works) {
        await work.start();
        started.push(work);
      }
    } catch (error) {
      this.log('error', `The background work did not start (${describe(error)}): giving the lease ${name} up`);
      this.role = 'standby';
      this.holder = newHolder();
      await this.stopWorks(started);
      await this.store.releaseLease(name, holder).catch(() => undefined);
      if (atStart) throw error;
    }
  }

  private async standingBy(): Promise<void> {
    const current = await this.store.leaseHolder(this.name);
    if (current?.holder === this.seenHolder) return;
    this.seenHolder = current?.holder ?? null;
    if (current)
      this.log(
        'log',
        `The lease ${this.name} is held by ${current.holder} until ${current.expiresAt.toISOString()}: standing by`,
      );
  }

  private async renew(holder: string, now: Date): Promise<void> {
    try {
      if (await this.store.renewLease(this.name, holder, this.options.ttlMs, now)) {
        if (holder === this.holder)
          this.confirmedUntil = Math.max(this.confirmedUntil, now.getTime() + this.options.ttlMs);
        return;
      }
      await this.lose(holder, 'another process took it over');
    } catch (error) {
      const late = this.clock.now().getTime() >= this.confirmedUntil;
      this.log('warn', `Could not renew the lease ${this.name}: ${describe(error)}`);
      if (late) await this.lose(holder, 'its renewal was not confirmed in time');
    }
  }

  /** Stops the work of the term `holder` (if it is still the current one) and stands by. */
  private lose(holder: string, reason: string): Promise<void> {
    return this.exclusive(async () => {
      if (this.role !== 'active' || this.holder !== holder) return;
      this.role = 'standby';
      this.holder = newHolder();
      this.log('warn', `Lost the lease ${this.name} (${holder}): ${reason}. Stopping the background work; standing by`);
      await this.stopWorks();
      // Still ours if the store only failed to answer: let a successor have it without waiting.
      await this.store.releaseLease(this.name, holder).catch(() => undefined);
    });
  }

  /** In reverse order of starting; one that fails to stop does not keep the others running. */
  private async stopWorks(works: BackgroundWork[] = this.works): Promise<void> {
    for (const work of [...works].reverse()) {
      await work.stop().catch((error: unknown) => this.log('error', `${work.name} did not stop: ${describe(error)}`));
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function newHolder(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** A holder id of this host whose process is gone (signal 0 finds no such process). */
export function isStoppedLocalProcess(holder: string): boolean {
  const match = /^(.+):(\d+):[0-9a-f]+$/.exec(holder);
  if (!match || match[1] !== hostname()) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
