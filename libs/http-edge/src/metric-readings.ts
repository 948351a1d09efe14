import { Inject, Injectable } from '@nestjs/common';
import { EventStore } from '@app/event-store';
import { Clock, Metrics } from '@app/platform';
import { ALL_PROJECTIONS, BackgroundWorkLease, Projector, ReadStore } from '@app/read-models';
import { STORAGE_OPTIONS, StorageOptions } from '@app/read-models/storage/storage-options';
import { HashingCapacity } from '@app/security';

/** The gauges and totals other components keep, read when Prometheus scrapes. */
@Injectable()
export class MetricReadings {
  constructor(
    metrics: Metrics,
    capacity: HashingCapacity,
    events: EventStore,
    readStore: ReadStore,
    projector: Projector,
    clock: Clock,
    @Inject(STORAGE_OPTIONS) options: StorageOptions,
    lease: BackgroundWorkLease,
  ) {
    metrics.readGauge('password_hash_queue_depth', 'Password hashes waiting for a slot', () => capacity.queued);
    metrics.readCounter(
      'password_hash_refusals_total',
      'Password hashes refused because the hasher was full (503 overloaded)',
      () => capacity.refusals,
    );
    const checkpoint = async () => {
      if (lease.active) return projector.getStatus().checkpoint;
      const checkpoints = await readStore.checkpoints();
      return ALL_PROJECTIONS.map((p) => checkpoints[p.name] ?? '').sort()[0] ?? '';
    };
    if (options.runProjector)
      metrics.readGauge(
        'background_work_active',
        'Whether this process holds the background-work lease and runs the projector, audit chain and reactors (1) or stands by (0)',
        () => (lease.active ? 1 : 0),
      );
    metrics.readGauge(
      'projector_lag_events',
      'Events in the log the slowest projection has not processed (the embedded store only: other positions do not count events)',
      async () => {
        const [head, at] = [await events.headPosition(), await checkpoint()];
        if (head.length !== 20 || (at !== '' && at.length !== 20)) return null;
        return Number(head) - Number(at || '0');
      },
    );
    metrics.readGauge(
      'projector_lag_seconds',
      'Age of the oldest event the slowest projection has not processed (0 when caught up)',
      async () => {
        const [oldest] = await events.readAll({ after: await checkpoint(), maxCount: 1 });
        return oldest ? Math.max(0, (clock.now().getTime() - Date.parse(oldest.recordedAt)) / 1000) : 0;
      },
    );
  }
}
