import type { Position } from '@app/event-store';
import { ProjectionProgress } from '../projector/projection-progress';
import type { BackgroundWorkLease } from './background-work-lease';

/**
 * Read-your-writes in a process that may run the projector: its own projector's progress while it
 * holds the lease, the checkpoints the holder commits while it stands by (its API still answers).
 */
export class LeasedProjectionProgress extends ProjectionProgress {
  constructor(
    private readonly lease: BackgroundWorkLease,
    private readonly inProcess: ProjectionProgress,
    private readonly shared: ProjectionProgress,
  ) {
    super();
  }

  override waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    return (this.lease.active ? this.inProcess : this.shared).waitFor(position, timeoutMs);
  }
}
