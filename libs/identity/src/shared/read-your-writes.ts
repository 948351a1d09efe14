import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Position } from '@app/event-store';
import { ProjectionProgress } from '@app/read-models/projector/projection-progress';
import { APP_CONFIG, AppConfig } from '@app/platform';

/**
 * A command's response waits until the read models include its events (bounded by
 * READ_YOUR_WRITES_TIMEOUT_MS), so a GET right after a POST sees the change. On timeout the
 * write has still happened: the response goes out and the lag is logged.
 */
@Injectable()
export class ReadYourWrites {
  private readonly logger = new Logger(ReadYourWrites.name);

  constructor(
    private readonly progress: ProjectionProgress,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async settle(position: Position | undefined): Promise<void> {
    if (!position || this.config.readYourWritesTimeoutMs === 0) return;
    const reached = await this.progress.waitFor(position, this.config.readYourWritesTimeoutMs);
    if (!reached) {
      this.logger.warn(
        `Read models did not reach position ${position} within ${this.config.readYourWritesTimeoutMs} ms`,
      );
    }
  }
}
