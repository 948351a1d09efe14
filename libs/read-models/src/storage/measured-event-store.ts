import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '@app/event-store';
import type { Metrics } from '@app/platform';

/** Outcomes of sign-ins as the log records them: a session started, or why an attempt failed. */
function countOutcome(metrics: Metrics, event: NewEvent): void {
  switch (event.type) {
    case 'SessionStarted':
      return metrics.signIns.inc({ outcome: 'signed_in' });
    case 'LoginFailed':
      return metrics.signIns.inc({ outcome: String(event.data.reason ?? 'failed') });
    case 'ChallengeFailed':
      return metrics.signIns.inc({ outcome: 'second_factor_failed' });
    case 'PasskeyAssertionRejected':
      return metrics.signIns.inc({ outcome: 'passkey_rejected' });
    case 'AccountLocked':
      return metrics.lockouts.inc({ by: 'failed_proofs' });
    case 'AccountLockedByAdmin':
      return metrics.lockouts.inc({ by: 'admin' });
  }
}

/**
 * The store underneath, timed: each append's latency, and what was appended (event types, sign-in
 * outcomes, lockouts), counted once the store has taken it. Reads pass through untouched.
 */
export class MeasuredEventStore extends EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  override async append(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const stop = this.metrics.appendDuration.startTimer();
    const result = await this.inner.append(streamId, events, options);
    stop();
    for (const event of events) {
      this.metrics.eventsAppended.inc({ type: event.type });
      countOutcome(this.metrics, event);
    }
    return result;
  }

  override readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  override readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  override subscribeToAll(options?: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  override headPosition(): Promise<Position> {
    return this.inner.headPosition();
  }

  override ping(): Promise<void> {
    return this.inner.ping();
  }

  override close(): Promise<void> {
    return this.inner.close();
  }
}
