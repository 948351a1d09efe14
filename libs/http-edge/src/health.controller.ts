import { Controller, Get, Headers, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { operatorAccess } from './operator-access';
import { Public } from './route-metadata';
import { EventStore, Position } from '@app/event-store';
import { ALL_PROJECTIONS, BackgroundWorkLease, Projector, ReadStore } from '@app/read-models';
import { STORAGE_OPTIONS, StorageOptions } from '@app/read-models/storage/storage-options';

/** The part of the reply (Fastify's, or any adapter's) this controller uses. */
type StatusReply = { status(code: number): unknown };

type Check = { status: 'ok' | 'down'; [detail: string]: unknown };

/**
 * Liveness, and readiness: the stores answer and the projector runs, here (the lease's holder) or
 * elsewhere (an API replica, or a standby: ready, see the README). Lag is reported, not judged.
 * The details (positions, lag, the lease's holder host:pid, a stalled projector's error) are for
 * those who may read /metrics; anyone else, a load balancer's probe included, gets the status
 * code and each check's status only.
 */
@Public()
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly projector: Projector,
    @Inject(STORAGE_OPTIONS) private readonly options: StorageOptions,
    private readonly lease: BackgroundWorkLease,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'metrics'>,
  ) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(
    @Res({ passthrough: true }) response: StatusReply,
    @Headers('authorization') authorization?: string,
  ): Promise<{ status: string; checks: Record<'eventStore' | 'readStore' | 'projector', Check> }> {
    const eventStore = await probe(() => this.events.ping());
    const readStore = await probe(() => this.readStore.ping());
    const projector = await this.projectorCheck(eventStore.status === 'ok' && readStore.status === 'ok');
    const ready = [eventStore, readStore, projector].every((check) => check.status === 'ok');
    response.status(ready ? 200 : 503);
    const checks = { eventStore, readStore, projector };
    if (operatorAccess(this.config.metrics, authorization) !== 'granted') {
      for (const name of Object.keys(checks) as (keyof typeof checks)[]) checks[name] = { status: checks[name].status };
    }
    return { status: ready ? 'ok' : 'unavailable', checks };
  }

  private async projectorCheck(storesUp: boolean): Promise<Check> {
    if (!storesUp) return { status: 'down', reason: 'stores unavailable' };
    const head = await this.events.headPosition();
    // Which process runs the background work: this one (active), another (standby), or none here.
    const lease = this.options.runProjector ? await this.lease.report() : null;
    if (lease?.role === 'active') {
      const status = this.projector.getStatus();
      return {
        status: status.running && status.lastError === null ? 'ok' : 'down',
        // A failure retrying cannot cure: where the projector stopped, and why.
        ...(status.stalled ? { stalledAfter: status.stalled.after, reason: status.stalled.reason } : {}),
        mode: 'in-process',
        role: lease.role,
        lease,
        head,
        checkpoint: status.checkpoint,
        eventsBehind: eventsBehind(head, status.checkpoint),
        startedFrom: status.startedFrom,
        eventsProjected: status.eventsProjected,
        lastError: status.lastError,
      };
    }
    const checkpoints = await this.readStore.checkpoints();
    const lowest = ALL_PROJECTIONS.map((p) => checkpoints[p.name] ?? '').sort()[0] ?? '';
    return {
      status: 'ok',
      ...(lease ? { mode: 'in-process', role: lease.role, lease } : { mode: 'external' }),
      head,
      checkpoint: lowest,
      eventsBehind: eventsBehind(head, lowest),
    };
  }
}

async function probe(check: () => Promise<void>): Promise<Check> {
  try {
    await check();
    return { status: 'ok' };
  } catch (error) {
    return { status: 'down', reason: error instanceof Error ? error.name : 'unknown' };
  }
}

/** Only the embedded store's positions count events; others report null. */
function eventsBehind(head: Position, checkpoint: Position): number | null {
  if (head.length !== 20 || (checkpoint !== '' && checkpoint.length !== 20)) return null;
  return Number(head) - Number(checkpoint || '0');
}
