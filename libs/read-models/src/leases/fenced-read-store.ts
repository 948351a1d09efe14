import type { Throttles } from '@app/platform';
import type { Position } from '@app/event-store';
import {
  FindQuery,
  IndexSpec,
  JoinSpec,
  Joined,
  LeaseLostError,
  LeaseRef,
  LeaseState,
  ReadDocument,
  ReadStore,
  ReadStoreCommit,
} from '../read-store.port';

/**
 * The read store as background work sees it: every commit carries the lease the work runs under,
 * so the store refuses it (LeaseLostError, nothing written) once another process holds the lease.
 * With no lease held at all (a standby) a commit is refused before it reaches the store. Reads and
 * everything else go to the store unchanged; closing is left to the store's owner.
 */
export class FencedReadStore extends ReadStore {
  constructor(
    private readonly store: ReadStore,
    private readonly lease: { name: string; current(): LeaseRef | null; lost(error: LeaseLostError): void },
  ) {
    super();
  }

  override async commit(commit: ReadStoreCommit): Promise<void> {
    const lease = this.lease.current();
    if (!lease) throw new LeaseLostError(this.lease.name, null);
    try {
      await this.store.commit({ ...commit, lease });
    } catch (error) {
      if (error instanceof LeaseLostError) this.lease.lost(error);
      throw error;
    }
  }

  override ensureCollection(collection: string, indexes: IndexSpec[]): Promise<void> {
    return this.store.ensureCollection(collection, indexes);
  }

  override get<T extends ReadDocument = ReadDocument>(collection: string, id: string): Promise<T | null> {
    return this.store.get<T>(collection, id);
  }

  override getMany<T extends ReadDocument = ReadDocument>(collection: string, ids: string[]): Promise<T[]> {
    return this.store.getMany<T>(collection, ids);
  }

  override getJoined<T extends ReadDocument = ReadDocument, J extends ReadDocument = ReadDocument>(
    collection: string,
    id: string,
    join: JoinSpec,
  ): Promise<Joined<T, J> | null> {
    return this.store.getJoined<T, J>(collection, id, join);
  }

  override find<T extends ReadDocument = ReadDocument>(collection: string, query?: FindQuery): Promise<T[]> {
    return this.store.find<T>(collection, query);
  }

  override count(collection: string, where?: FindQuery['where']): Promise<number> {
    return this.store.count(collection, where);
  }

  override checkpoint(projection: string): Promise<Position> {
    return this.store.checkpoint(projection);
  }

  override checkpoints(): Promise<Record<string, Position>> {
    return this.store.checkpoints();
  }

  override beginBulkLoad(collections: string[]): Promise<void> {
    return this.store.beginBulkLoad(collections);
  }

  override endBulkLoad(collections: string[]): Promise<void> {
    return this.store.endBulkLoad(collections);
  }

  override reset(projections: string[], collections: string[]): Promise<void> {
    return this.store.reset(projections, collections);
  }

  override ping(): Promise<void> {
    return this.store.ping();
  }

  override acquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    now: Date,
    options?: { takeOverFrom?: string },
  ): Promise<boolean> {
    return this.store.acquireLease(name, holder, ttlMs, now, options);
  }

  override renewLease(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    return this.store.renewLease(name, holder, ttlMs, now);
  }

  override releaseLease(name: string, holder: string): Promise<void> {
    return this.store.releaseLease(name, holder);
  }

  override leaseHolder(name: string): Promise<LeaseState | null> {
    return this.store.leaseHolder(name);
  }

  override isPermanentError(error: unknown): boolean {
    return this.store.isPermanentError(error);
  }

  override purgeFreedSpace(): Promise<void> {
    return this.store.purgeFreedSpace();
  }

  override openThrottles(): Throttles {
    return this.store.openThrottles();
  }

  /** The store belongs to whoever opened it (StorageLifecycle closes it once, at shutdown). */
  override async close(): Promise<void> {}
}
