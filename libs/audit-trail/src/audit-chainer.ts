import { EventStore, START } from '@app/event-store';
import type { Clock } from '@app/platform';
import { ReadDocument, ReadStore } from '@app/read-models';
import { GENESIS_LINK, nextLink } from './audit-chain';
import { AuditCheckpointDocument, checkpointKey, checkpointProblem, signCheckpoint } from './audit-checkpoint';
import type { AuditSigningKey } from './audit-signing-key';
import { eventDigest } from './canonical-event';

/** The signed checkpoints, one document each (kept across rebuilds: they are not a projection). */
export const AUDIT_CHECKPOINTS = 'audit_checkpoints';
/** Where the chainer is: one document, `head`. */
export const AUDIT_CHAIN = 'audit_chain';
const HEAD = 'head';
const BATCH = 1000;

interface ChainHead extends ReadDocument {
  /** Events chained so far. */
  seq: number;
  link: string;
  /** Position of the last event chained (START before any). */
  position: string;
  /** The stretch not signed yet. */
  open: { firstPosition: string; previousLink: string; digests: string[]; openedAt: string } | null;
}

export interface AuditChainerOptions {
  /** Sign a checkpoint every this many events... */
  checkpointEvery: number;
  /** ...or when the oldest unsigned event is this old. */
  sealSeconds: number;
  /** How often to look for new events when the log is quiet. */
  pollMs?: number;
  log?: (level: 'log' | 'warn' | 'error', message: string) => void;
}

/**
 * Keeps the audit chain: reads the whole log in order (whichever event store holds it), links each
 * event's digest to the one before, and signs a checkpoint every `checkpointEvery` events or
 * `sealSeconds`. It runs where the projector runs, once per deployment.
 *
 * It never signs over what it cannot trust: it resumes from its head, or (head lost) from the last
 * checkpoint after checking its signature, and refuses to go on when the checkpoints it would
 * continue are not valid. It starts from the first event only when no checkpoint exists at all.
 */
export class AuditChainer {
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  /** One step at a time: the loop, `catchUp` and `sealNow` never interleave. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log: NonNullable<AuditChainerOptions['log']>;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly key: AuditSigningKey,
    private readonly clock: Clock,
    private readonly options: AuditChainerOptions,
  ) {
    this.log = options.log ?? (() => undefined);
  }

  async ensureCollections(): Promise<void> {
    await this.readStore.ensureCollection(AUDIT_CHECKPOINTS, []);
    await this.readStore.ensureCollection(AUDIT_CHAIN, []);
  }

  async start(): Promise<void> {
    await this.ensureCollections();
    this.stopping = false;
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    await this.queue;
  }

  /** Chains everything in the log now (and signs when a checkpoint is due). */
  catchUp(): Promise<void> {
    return this.exclusive(async () => {
      while (await this.step(false)) {
        /* next batch */
      }
    });
  }

  /** Signs what is not signed yet, however young (tests, the CLI, shutdown). */
  sealNow(): Promise<void> {
    return this.exclusive(async () => {
      while (await this.step(false)) {
        /* catch up first */
      }
      await this.step(true);
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        const progressed = await this.exclusive(() => this.step(false));
        if (progressed) continue;
      } catch (error) {
        this.log('error', `Audit chain stopped: ${String(error)}; trying again`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs ?? 250);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Chains one batch; signs when due (or `force`). True when it chained any event. */
  private async step(force: boolean): Promise<boolean> {
    const head = await this.head();
    const batch = await this.events.readAll({ after: head.position, maxCount: BATCH });
    const sealed: AuditCheckpointDocument[] = [];
    for (const event of batch) {
      const digest = eventDigest(event);
      head.open ??= {
        firstPosition: event.position,
        previousLink: head.link,
        digests: [],
        openedAt: this.clock.now().toISOString(),
      };
      head.open.digests.push(digest.toString('base64url'));
      head.link = nextLink(head.link, digest);
      head.seq += 1;
      head.position = event.position;
      if (head.open.digests.length >= this.options.checkpointEvery) sealed.push(await this.seal(head));
    }
    const age = head.open ? this.clock.now().getTime() - Date.parse(head.open.openedAt) : 0;
    if (head.open && (force || age >= this.options.sealSeconds * 1000)) sealed.push(await this.seal(head));
    if (batch.length === 0 && sealed.length === 0) return false;
    await this.readStore.commit({
      checkpoints: {},
      changes: [
        { collection: AUDIT_CHAIN, id: HEAD, document: { ...head, _position: head.position } },
        ...sealed.map((document) => ({ collection: AUDIT_CHECKPOINTS, id: document.id, document })),
      ],
    });
    return batch.length > 0;
  }

  private async seal(head: ChainHead): Promise<AuditCheckpointDocument> {
    const open = head.open!;
    head.open = null;
    const fromSeq = head.seq - open.digests.length + 1;
    const checkpoint = signCheckpoint(this.key, {
      version: 1,
      fromSeq,
      toSeq: head.seq,
      firstPosition: open.firstPosition,
      lastPosition: head.position,
      previousLink: open.previousLink,
      link: head.link,
      digests: open.digests,
      signedAt: this.clock.now().toISOString(),
    });
    return { id: checkpointKey(head.seq), _position: head.position, ...checkpoint };
  }

  /** The head as stored; else rebuilt from the last checkpoint; else the start of the log. */
  private async head(): Promise<ChainHead> {
    const stored = await this.readStore.get<ChainHead>(AUDIT_CHAIN, HEAD);
    const [last] = await this.readStore.find<AuditCheckpointDocument>(AUDIT_CHECKPOINTS, {
      orderBy: [{ field: 'id', direction: 'desc' }],
      limit: 1,
    });
    if (last) {
      // Continue only a chain that is ours: the last checkpoint must hold up on its own (signature,
      // digests against links), and the head must carry on from it, else it is not trusted.
      const problem = checkpointProblem(
        last,
        this.key.publicKey,
        { toSeq: last.fromSeq - 1, link: last.previousLink },
        last.previousLink,
      );
      if (problem) throw new Error(`the last audit checkpoint (event ${last.toSeq}) ${problem}: not signing after it`);
      if (stored && continuesFrom(stored, last)) {
        return { ...stored, open: stored.open && { ...stored.open, digests: [...stored.open.digests] } };
      }
      if (stored) this.log('warn', `The audit chain head does not continue checkpoint ${last.toSeq}: resuming there`);
      return {
        id: HEAD,
        _position: last.lastPosition,
        seq: last.toSeq,
        link: last.link,
        position: last.lastPosition,
        open: null,
      };
    }
    if (stored && stored.seq > 0 && !stored.open)
      throw new Error('the audit chain head says events were signed, but no checkpoint is stored');
    return stored ?? { id: HEAD, _position: START, seq: 0, link: GENESIS_LINK, position: START, open: null };
  }
}

/** The head is the last checkpoint's end, or an open stretch right after it. */
function continuesFrom(head: ChainHead, last: AuditCheckpointDocument): boolean {
  if (!head.open) return head.seq === last.toSeq && head.link === last.link;
  return head.open.previousLink === last.link && head.seq === last.toSeq + head.open.digests.length;
}
