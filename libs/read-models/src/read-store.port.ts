import type { Throttles } from '@app/platform';
import { FlexibleThrottles } from './throttling/flexible-throttles';
/**
 * The read store port: documents of projections, and each projection's checkpoint, written
 * together in one atomic commit. Every adapter (SQLite, MongoDB) passes the contract suite in
 * `contract/read-store.contract.ts`.
 */
import type { Position } from '@app/event-store';

/** A projected document. `id` is its key in the collection; `_position` is the position of the
 * event that last changed it, so a redelivered event is recognised and skipped. */
export interface ReadDocument {
  id: string;
  _position: Position;
  [field: string]: unknown;
}

export type FieldValue = string | number | boolean | null;

/** Conditions on one field; several in one object are ANDed. Fields may be dotted paths. */
export interface FieldCondition {
  eq?: FieldValue;
  ne?: FieldValue;
  in?: FieldValue[];
  gt?: string | number;
  gte?: string | number;
  lt?: string | number;
  lte?: string | number;
  /** Case-sensitive string prefix. */
  prefix?: string;
}

export interface FindQuery {
  where?: Record<string, FieldCondition>;
  /** Sort keys in order; `id` is appended as the last tie-breaker, in the direction of the last key
   * (so keyset pagination works newest-first too). */
  orderBy?: { field: string; direction: 'asc' | 'desc' }[];
  limit?: number;
}

export interface DocumentChange {
  collection: string;
  id: string;
  /** The new document, or null to delete it. */
  document: ReadDocument | null;
}

export interface ReadStoreCommit {
  /** Projection name -> the position it has now processed up to (inclusive). */
  checkpoints: Record<string, Position>;
  changes: DocumentChange[];
  /**
   * Fencing: the commit goes through only while `holder` holds the lease `name`, checked inside
   * the commit's own transaction; otherwise it changes nothing and fails with LeaseLostError.
   * Background work (projector, audit chain, reactors) commits with the lease it runs under.
   */
  lease?: LeaseRef;
}

/** A lease and the holder a commit claims to act for. */
export interface LeaseRef {
  name: string;
  holder: string;
}

/** Who holds a lease, and until when (in the clock of the process that last took or renewed it). */
export interface LeaseState {
  holder: string;
  expiresAt: Date;
}

/**
 * A commit made for a lease this holder no longer holds (another process took it over): nothing
 * was written. Not a failure of the store: the process stops its background work and stands by.
 */
export class LeaseLostError extends Error {
  constructor(
    readonly lease: string,
    readonly holder: string | null,
  ) {
    super(`the lease ${lease} is not held by ${holder ?? 'this process'}: commit refused, nothing written`);
    this.name = 'LeaseLostError';
  }
}

export interface IndexSpec {
  fields: string[];
  unique?: boolean;
}

/** Which document `getJoined` reads along: the one of `collection` whose id is in `field`. */
export interface JoinSpec {
  field: string;
  collection: string;
}

export interface Joined<T extends ReadDocument, J extends ReadDocument> {
  document: T;
  joined: J | null;
}

export abstract class ReadStore {
  /** Creates the collection and its indexes when missing. Idempotent. */
  abstract ensureCollection(collection: string, indexes: IndexSpec[]): Promise<void>;

  abstract get<T extends ReadDocument = ReadDocument>(collection: string, id: string): Promise<T | null>;

  abstract getMany<T extends ReadDocument = ReadDocument>(collection: string, ids: string[]): Promise<T[]>;

  /**
   * A document together with the document of another collection whose id is in one of its fields,
   * read at once (one SQL statement, one MongoDB round trip): the session check reads a session and
   * its user this way on every request. Null when the document is missing; `joined` is null when
   * the field names no document.
   */
  abstract getJoined<T extends ReadDocument = ReadDocument, J extends ReadDocument = ReadDocument>(
    collection: string,
    id: string,
    join: JoinSpec,
  ): Promise<Joined<T, J> | null>;

  abstract find<T extends ReadDocument = ReadDocument>(collection: string, query?: FindQuery): Promise<T[]>;

  abstract count(collection: string, where?: FindQuery['where']): Promise<number>;

  /** Writes documents and checkpoints atomically: after a crash either all of it is there or none. */
  abstract commit(commit: ReadStoreCommit): Promise<void>;

  /** The position a projection has processed up to, or `START` ("") when it has none. */
  abstract checkpoint(projection: string): Promise<Position>;

  abstract checkpoints(): Promise<Record<string, Position>>;

  /**
   * The collections are about to be filled from empty (a rebuild from zero). An adapter may set
   * aside work that is cheaper done once at the end, such as maintaining secondary indexes row by
   * row. Queries stay correct meanwhile, only slower. A crash in between must lose nothing:
   * `ensureCollection` restores whatever was set aside. The default does nothing.
   */
  async beginBulkLoad(_collections: string[]): Promise<void> {}

  /** Ends `beginBulkLoad`: everything set aside is back when this resolves. */
  async endBulkLoad(_collections: string[]): Promise<void> {}

  /** Drops every document of the collections and the projections' checkpoints, atomically. */
  abstract reset(projections: string[], collections: string[]): Promise<void>;

  abstract ping(): Promise<void>;

  /**
   * Takes the lease `name` for `holder` until `now + ttlMs` when it is free, expired at `now`,
   * already `holder`'s (then this renews it), or held by `options.takeOverFrom`; true when `holder`
   * holds it now. Held by another: false, never an error. One atomic conditional write, so of two
   * processes asking at once exactly one gets it.
   */
  abstract acquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    now: Date,
    options?: { takeOverFrom?: string },
  ): Promise<boolean>;

  /**
   * Extends the lease to `now + ttlMs` only while the stored holder is still `holder`, expired or
   * not (then nobody else held it meanwhile, so what the holder knows is still current); false
   * when another process took it over or it was released.
   */
  abstract renewLease(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean>;

  /** Gives the lease up if `holder` holds it (a successor may take it at once); otherwise does nothing. */
  abstract releaseLease(name: string, holder: string): Promise<void>;

  /** Who holds the lease and until when (possibly expired), or null when nobody took it. */
  abstract leaseHolder(name: string): Promise<LeaseState | null>;

  /**
   * Whether retrying the work that failed with this error can never succeed (a duplicate key, a
   * value the store refuses): the projector then stops and says why instead of retrying forever.
   * The default: nothing is known to be permanent.
   */
  isPermanentError(_error: unknown): boolean {
    return false;
  }

  /**
   * After an erasure rewrote documents: no earlier version of them may stay readable in the
   * store's files. SQLite overwrites freed space (secure_delete) and truncates its write-ahead log
   * here. MongoDB may keep old versions in its storage files until they are reused: the default
   * does nothing, and docs/ERASURE.md says what an operator runs (`compact`).
   */
  async purgeFreedSpace(): Promise<void> {}

  /** Attempt counters that every process using this store shares (sign-in and sign-up per address). */
  openThrottles(): Throttles {
    return FlexibleThrottles.memory();
  }

  abstract close(): Promise<void>;
}

/** Collection and field names are interpolated into SQL by some adapters: keep them plain. */
export function assertSafeName(kind: 'collection' | 'field', name: string): void {
  const pattern =
    kind === 'collection'
      ? /^[a-z][a-z0-9_]{0,62}$/
      : /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62}){0,4}$/;
  if (!pattern.test(name)) throw new Error(`Unsafe ${kind} name: ${JSON.stringify(name)}`);
}
