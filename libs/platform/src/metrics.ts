import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus metrics, in a registry of its own (not prom-client's global one: two
 * apps in one process, as in the tests, keep theirs apart). Counters are incremented where things
 * happen; gauges and counters of other components are read when scraped (`readGauge`,
 * `readCounter`).
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route (its pattern) and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly signIns = new Counter({
    name: 'signin_outcomes_total',
    help: 'Sign-in outcomes as recorded in the log: signed_in (a session started), or the failure reason',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly lockouts = new Counter({
    name: 'account_lockouts_total',
    help: 'Accounts locked: automatically after failed proofs, or by an administrator',
    labelNames: ['by'] as const,
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: 'event_store_append_duration_seconds',
    help: 'Time the event store took to append one batch of events to a stream',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'events_appended_total',
    help: 'Events appended by this process, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly mails = new Counter({
    name: 'mails_total',
    help: 'Mail handed to the transport (sent) or refused by it (failed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A gauge whose value is read when scraped; null when not known here (reported as NaN). */
  readGauge(name: string, help: string, read: () => number | null | Promise<number | null>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set((await read()) ?? Number.NaN);
      },
    });
  }

  /** A counter kept by another component (a running total), read when scraped. */
  readCounter(name: string, help: string, read: () => number): void {
    let reported = 0;
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        const total = read();
        if (total > reported) this.inc(total - reported);
        reported = Math.max(reported, total);
      },
    });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
