import { Injectable } from '@nestjs/common';
import type { Position } from '@app/event-store';
import { Clock, RequestContext } from '@app/platform';
import {
  eventMetadata,
  streams,
  type SessionRevocationReason,
  type SessionRevokedByAdminAction,
} from '@app/identity-events';
import { CommandExecutor } from '../shared/command-executor';
import { sessionDecider } from './session.decider';

/** Ends sessions: appends SessionRevoked to each session's stream (a no-op when already ended). */
@Injectable()
export class SessionRevoker {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly clock: Clock,
  ) {}

  /**
   * Returns the position of the last revocation appended, if any. `adminAction` says which of an
   * administrator's actions it was (reason `admin`), so the signed-out holder can be told why.
   */
  async revoke(
    sessionIds: string[],
    reason: SessionRevocationReason,
    context: RequestContext,
    adminAction?: SessionRevokedByAdminAction,
  ): Promise<Position | undefined> {
    const metadata = eventMetadata(context, this.clock.now());
    let last: Position | undefined;
    for (const sessionId of sessionIds) {
      const { appended } = await this.executor.execute(
        streams.session(sessionId),
        sessionDecider,
        { kind: 'revoke', reason, adminAction },
        metadata,
      );
      if (appended && (last === undefined || appended.position > last)) last = appended.position;
    }
    return last;
  }
}
