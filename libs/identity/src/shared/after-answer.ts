import { Logger } from '@nestjs/common';

/**
 * Work done after a request is answered (a mail to send), so the answer's time does not tell which
 * branch ran (an address with or without an account). Failures are logged, never lost silently;
 * `settled()` waits for all of it (tests, and an orderly shutdown).
 */
export class AfterAnswer {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(what: string, work: () => Promise<void>): void {
    // A macrotask, not a microtask: the embedded store reads synchronously, so work started in a
    // microtask would run before the answer is written, and its length would show in the answer's time.
    const done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error) => this.logger.error(`${what} failed: ${String(error)}`));
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
