import type { Position } from '@app/event-store';
import type { ReadStore } from '../read-store.port';
import type { Projector } from './projector';

/** Tells when the read models have caught up with a position: the basis of read-your-writes. */
export abstract class ProjectionProgress {
  /** Resolves true once every projection has processed `position`, false after `timeoutMs`. */
  abstract waitFor(position: Position, timeoutMs: number): Promise<boolean>;
}

/** The projector runs in this process: it announces its progress. */
export class InProcessProjectionProgress extends ProjectionProgress {
  constructor(private readonly projector: Projector) {
    super();
  }

  override waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    return this.projector.waitFor(position, timeoutMs);
  }
}

/** The projector is another process: poll the checkpoints it commits with the documents. */
export class CheckpointPollingProgress extends ProjectionProgress {
  constructor(
    private readonly readStore: ReadStore,
    private readonly projectionNames: readonly string[],
    private readonly pollIntervalMs = 15,
  ) {
    super();
  }

  override async waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const checkpoints = await this.readStore.checkpoints();
      if (this.projectionNames.every((name) => (checkpoints[name] ?? '') >= position)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
    }
  }
}
