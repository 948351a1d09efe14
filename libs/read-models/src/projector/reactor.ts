import { EventStore, Position, RecordedEvent, START, Subscription } from '@app/event-store';
import { LeaseLostError, ReadStore } from '../read-store.port';

export interface ReactorOptions {
  /** Attempts per event before it is given up (logged) so one bad event cannot block the rest. */
  maxAttempts?: number;
  retryBaseDelayMs?: number;
  log?: (level: 'log' | 'warn' | 'error', message: string) => void;
}

/**
 * Side effects driven by the event log (e.g. emails), at least once: follows the log from its own
 * checkpoint, handles each event in order, and advances the checkpoint after the handler returns.
 * After a crash it resumes from the checkpoint, so work is never lost (it may repeat once).
 */
export class Reactor {
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private readonly checkpointName: string;
  private readonly maxAttempts: number;
  private readonly retryBaseDelayMs: number;
  private readonly log: NonNullable<ReactorOptions['log']>;

  constructor(
    readonly name: string,
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly handlers: Readonly<Record<string, (event: RecordedEvent) => Promise<void>>>,
    options: ReactorOptions = {},
  ) {
    this.checkpointName = `reactor:${name}`;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 1000;
    this.log = options.log ?? (() => undefined);
  }

  async start(): Promise<void> {
    let after = await this.readStore.checkpoint(this.checkpointName);
    if (after === START) {
      // A new reactor acts on what happens from now on, not on the whole history.
      after = await this.events.headPosition();
      await this.save(after);
    }
    this.stopping = false;
    this.loop = this.follow(after);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.close();
    await this.loop;
  }

  private async follow(after: Position): Promise<void> {
    while (!this.stopping) {
      const subscription = this.events.subscribeToAll({ after });
      this.subscription = subscription;
      if (this.stopping) await subscription.close();
      try {
        for await (const event of subscription) {
          const handler = this.handlers[event.type] as ((event: RecordedEvent) => Promise<void>) | undefined;
          after = event.position;
          if (handler === undefined) {
            this.saveLater(after);
            continue;
          }
          await this.handle(event, handler);
          await this.save(after);
        }
      } catch (error) {
        this.log('error', `Reactor ${this.name} stopped reading: ${String(error)}; resuming`);
        await delay(this.retryBaseDelayMs);
      }
    }
    await this.flushLater();
  }

  private async handle(event: RecordedEvent, handler: (event: RecordedEvent) => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await handler(event);
      } catch (error) {
        // Not this event's failure: the process lost the lease and stops; the new holder handles it.
        if (error instanceof LeaseLostError) throw error;
        if (attempt >= this.maxAttempts || this.stopping) {
          this.log(
            'error',
            `Reactor ${this.name} gave up on ${event.type} at ${event.position} after ${attempt} attempts: ${String(error)}`,
          );
          return;
        }
        this.log(
          'warn',
          `Reactor ${this.name} failed on ${event.type} at ${event.position} (attempt ${attempt}): ${String(error)}`,
        );
        await delay(this.retryBaseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  private pending: Position | undefined;
  private pendingTimer: NodeJS.Timeout | undefined;

  /** Events without a handler move the checkpoint too, but in batches, not one write each. */
  private saveLater(position: Position): void {
    this.pending = position;
    this.pendingTimer ??= setTimeout(() => void this.flushLater(), 200);
  }

  private async flushLater(): Promise<void> {
    clearTimeout(this.pendingTimer);
    this.pendingTimer = undefined;
    const position = this.pending;
    this.pending = undefined;
    if (position !== undefined)
      await this.save(position).catch((error) => this.log('warn', `Reactor ${this.name} checkpoint: ${String(error)}`));
  }

  private async save(position: Position): Promise<void> {
    const current = await this.readStore.checkpoint(this.checkpointName);
    if (position <= current && current !== START) return;
    await this.readStore.commit({ checkpoints: { [this.checkpointName]: position }, changes: [] });
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
