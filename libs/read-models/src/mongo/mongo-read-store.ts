import type { Throttles } from '@app/platform';
import { FlexibleThrottles } from '../throttling/flexible-throttles';
/**
 * The production ReadStore on MongoDB (a replica set, so multi-document transactions work).
 * Each document is stored with `_id` = its `id`; checkpoints live in `projection_checkpoints`.
 */
import mongoose, { Connection, mongo } from 'mongoose';
import { START, type Position } from '@app/event-store';
import {
  assertSafeName,
  FieldCondition,
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
import { isPermanentMongoError } from './mongo-errors';

const CHECKPOINTS = 'projection_checkpoints';
/** One document per lease: `_id` its name, `holder`, `expiresAt` (a Date). */
const LEASES = 'leases';
const DUPLICATE_KEY = 11000;
/** A lease is written to a majority: one a failover forgot could be taken twice. */
const LEASE_WRITES: mongo.UpdateOptions = { writeConcern: { w: 'majority' } };
/** The field $lookup fills in getJoined (a read document cannot have it: names starting with _ are ours). */
const JOINED = '_joined';
const NAMESPACE_EXISTS = 48;
const TRANSACTION_OPTIONS: mongo.TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: { w: 'majority' },
  readPreference: 'primary',
};

type StoredDocument = mongo.Document & { _id: string };
type LeaseDocument = { _id: string; holder: string; expiresAt: Date; commits?: number };
type MongoFilter = mongo.Filter<StoredDocument>;
type MongoSort = Record<string, 1 | -1>;

/** Escapes every character special to PCRE outside a character class, so the text matches literally.
 * A NUL becomes `\x00` because the server rejects patterns containing a raw NUL byte. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\0/g, '\\x00');
}

/** `id` is stored as `_id`; every other (dotted) path is used as is. */
export function toMongoPath(field: string): string {
  assertSafeName('field', field);
  return field === 'id' ? '_id' : field;
}

export function toMongoCondition(condition: FieldCondition): Record<string, unknown> {
  const operators: Record<string, unknown> = {};
  // `$eq: null` also matches a missing field, as the contract asks.
  if (condition.eq !== undefined) operators.$eq = condition.eq;
  if (condition.ne !== undefined) operators.$ne = condition.ne;
  if (condition.in !== undefined) operators.$in = condition.in;
  if (condition.gt !== undefined) operators.$gt = condition.gt;
  if (condition.gte !== undefined) operators.$gte = condition.gte;
  if (condition.lt !== undefined) operators.$lt = condition.lt;
  if (condition.lte !== undefined) operators.$lte = condition.lte;
  // Anchored and case-sensitive; an empty prefix matches every string value. A string pattern
  // (not a RegExp) so the server compiles exactly the escaped text.
  if (condition.prefix !== undefined) operators.$regex = `^${escapeRegex(condition.prefix)}`;
  return operators;
}

export function toMongoFilter(where: FindQuery['where'] = {}): MongoFilter {
  const filter: Record<string, unknown> = {};
  for (const [field, condition] of Object.entries(where)) {
    const operators = toMongoCondition(condition);
    if (Object.keys(operators).length > 0) filter[toMongoPath(field)] = operators;
  }
  return filter as MongoFilter;
}

/** The requested keys, then `_id` as the tie-breaker (unless already sorted on). */
export function toMongoSort(orderBy: FindQuery['orderBy'] = []): MongoSort {
  const sort: MongoSort = {};
  for (const { field, direction } of orderBy) {
    const path = toMongoPath(field);
    // The first mention of a key decides; a later duplicate must not override its direction.
    if (!(path in sort)) sort[path] = direction === 'desc' ? -1 : 1;
  }
  // The tie-breaker runs in the direction of the last key, so keyset pages work both ways.
  if (!('_id' in sort)) sort._id = orderBy.length > 0 && orderBy[orderBy.length - 1].direction === 'desc' ? -1 : 1;
  return sort;
}

/** Index keys and options. A unique index only covers documents that have all its fields, so
 * documents lacking them do not collide on "missing" (as NULLs do not collide in SQL). */
export function toMongoIndex(index: IndexSpec): { keys: Record<string, 1>; options: mongo.CreateIndexesOptions } {
  if (index.fields.length === 0) throw new Error('An index needs at least one field');
  const paths = index.fields.map(toMongoPath);
  const keys = Object.fromEntries(paths.map((path) => [path, 1 as const]));
  if (!index.unique) return { keys, options: {} };
  const partialFilterExpression = Object.fromEntries(paths.map((path) => [path, { $exists: true }]));
  return { keys, options: { unique: true, partialFilterExpression } };
}

export function toStoredFields(document: ReadDocument): mongo.Document {
  if ('_id' in document) throw new Error('A read document must not have an `_id` field: it is reserved for `id`');
  const { id: _key, ...fields } = document;
  return fields;
}

export function fromStoredDocument<T extends ReadDocument>(stored: mongo.Document): T {
  const { _id, ...fields } = stored as StoredDocument;
  return { id: _id, ...fields } as T;
}

/** A commit as bulk writes: per collection, its changes in order; and the checkpoints. */
export function bulkWritesOf(commit: ReadStoreCommit): {
  documents: Map<string, mongo.AnyBulkWriteOperation<StoredDocument>[]>;
  checkpoints: mongo.AnyBulkWriteOperation<StoredDocument>[];
} {
  const documents = new Map<string, mongo.AnyBulkWriteOperation<StoredDocument>[]>();
  for (const change of commit.changes) {
    const operations = documents.get(change.collection) ?? [];
    documents.set(change.collection, operations);
    operations.push(
      change.document
        ? {
            replaceOne: {
              filter: { _id: change.id },
              replacement: toStoredFields(change.document) as StoredDocument,
              upsert: true,
            },
          }
        : { deleteOne: { filter: { _id: change.id } } },
    );
  }
  const checkpoints = Object.entries(commit.checkpoints).map(([projection, position]) => ({
    updateOne: { filter: { _id: projection }, update: { $set: { position } }, upsert: true },
  }));
  return { documents, checkpoints };
}

export class MongoReadStore extends ReadStore {
  /** Collections known to exist, so commits create missing ones before, not inside, a transaction. */
  private readonly existingCollections = new Set<string>();

  private constructor(
    private readonly connection: Connection,
    private readonly db: mongo.Db,
  ) {
    super();
  }

  static async connect(url: string): Promise<MongoReadStore> {
    // ignoreUndefined: an undefined field is left out (as JSON does) instead of stored as null.
    const connection = await mongoose.createConnection(url, { ignoreUndefined: true }).asPromise();
    try {
      if (!connection.db) throw new Error('MongoDB connection has no database');
      const store = new MongoReadStore(connection, connection.db);
      await store.createCollectionIfMissing(CHECKPOINTS);
      return store;
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  async ensureCollection(collection: string, indexes: IndexSpec[]): Promise<void> {
    this.assertCollection(collection);
    await this.createCollectionIfMissing(collection);
    for (const index of indexes) {
      // `_id` is unique and indexed already; MongoDB refuses options on it.
      if (index.fields.length === 1 && toMongoPath(index.fields[0]) === '_id') continue;
      const { keys, options } = toMongoIndex(index);
      // Creating an identical index again is a no-op on the server.
      await this.documents(collection).createIndex(keys, options);
    }
  }

  async get<T extends ReadDocument = ReadDocument>(collection: string, id: string): Promise<T | null> {
    this.assertCollection(collection);
    const stored = await this.documents(collection).findOne({ _id: id });
    return stored ? fromStoredDocument<T>(stored) : null;
  }

  async getJoined<T extends ReadDocument = ReadDocument, J extends ReadDocument = ReadDocument>(
    collection: string,
    id: string,
    join: JoinSpec,
  ): Promise<Joined<T, J> | null> {
    this.assertCollection(collection);
    this.assertCollection(join.collection);
    assertSafeName('field', join.field);
    const [stored] = await this.documents(collection)
      .aggregate([
        { $match: { _id: id } },
        { $limit: 1 },
        {
          $lookup: {
            from: join.collection,
            localField: join.field === 'id' ? '_id' : join.field,
            foreignField: '_id',
            as: JOINED,
          },
        },
      ])
      .toArray();
    if (!stored) return null;
    const { [JOINED]: joined, ...document } = stored as mongo.Document & { [JOINED]: mongo.Document[] };
    return {
      document: fromStoredDocument<T>(document),
      joined: joined.length > 0 ? fromStoredDocument<J>(joined[0]) : null,
    };
  }

  async getMany<T extends ReadDocument = ReadDocument>(collection: string, ids: string[]): Promise<T[]> {
    this.assertCollection(collection);
    if (ids.length === 0) return [];
    const stored = await this.documents(collection)
      .find({ _id: { $in: ids } })
      .toArray();
    return stored.map((document) => fromStoredDocument<T>(document));
  }

  async find<T extends ReadDocument = ReadDocument>(collection: string, query: FindQuery = {}): Promise<T[]> {
    this.assertCollection(collection);
    const { limit } = query;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new Error(`Invalid limit: ${limit}`);
    }
    // MongoDB reads a limit of 0 as "no limit".
    if (limit === 0) return [];
    const cursor = this.documents(collection).find(toMongoFilter(query.where), { sort: toMongoSort(query.orderBy) });
    if (limit !== undefined) cursor.limit(limit);
    const stored = await cursor.toArray();
    return stored.map((document) => fromStoredDocument<T>(document));
  }

  async count(collection: string, where?: FindQuery['where']): Promise<number> {
    this.assertCollection(collection);
    return this.documents(collection).countDocuments(toMongoFilter(where));
  }

  async commit(commit: ReadStoreCommit): Promise<void> {
    const collections = new Set<string>();
    for (const change of commit.changes) {
      this.assertCollection(change.collection);
      if (change.document && change.document.id !== change.id) {
        throw new Error(`Change id ${JSON.stringify(change.id)} differs from its document's id`);
      }
      collections.add(change.collection);
    }
    for (const collection of collections) await this.createCollectionIfMissing(collection);

    const writes = bulkWritesOf(commit);
    await this.inTransaction(async (session) => {
      if (commit.lease) await this.fence(commit.lease, session);
      // One round trip per collection (a rebuild batch of 2,000 documents was 2,000), ordered so
      // that several changes to one id apply in sequence; a session runs one operation at a time.
      for (const [collection, operations] of writes.documents)
        await this.documents(collection).bulkWrite(operations, { session, ordered: true });
      if (writes.checkpoints.length > 0)
        await this.checkpointCollection().bulkWrite(writes.checkpoints, { session, ordered: true });
    });
  }

  async checkpoint(projection: string): Promise<Position> {
    const stored = await this.checkpointCollection().findOne({ _id: projection });
    return typeof stored?.position === 'string' ? stored.position : START;
  }

  async checkpoints(): Promise<Record<string, Position>> {
    const stored = await this.checkpointCollection().find({}).toArray();
    return Object.fromEntries(stored.map((checkpoint) => [checkpoint._id, checkpoint.position as Position]));
  }

  /**
   * Outside a transaction (one over whole collections hits MongoDB's 60 s limit on real data), the
   * checkpoints first: a reset cut short leaves projections that replay from zero over what is
   * left, which the reducers' position check makes harmless, never a checkpoint over emptied data.
   */
  async reset(projections: string[], collections: string[]): Promise<void> {
    collections.forEach((collection) => this.assertCollection(collection));
    if (projections.length > 0) await this.checkpointCollection().deleteMany({ _id: { $in: projections } });
    for (const collection of collections) {
      await this.createCollectionIfMissing(collection);
      await this.documents(collection).deleteMany({});
    }
  }

  override isPermanentError(error: unknown): boolean {
    return isPermanentMongoError(error);
  }

  async ping(): Promise<void> {
    await this.db.admin().command({ ping: 1 });
  }

  /**
   * An upsert whose filter matches only a lease that is ours, expired or the named predecessor's:
   * when another holds it, the filter matches nothing and the upsert's insert of the same `_id`
   * fails with a duplicate key, which means "held by another" (false).
   */
  async acquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    now: Date,
    options: { takeOverFrom?: string } = {},
  ): Promise<boolean> {
    const takeable: mongo.Filter<LeaseDocument>[] = [{ holder }, { expiresAt: { $lt: now } }];
    if (options.takeOverFrom !== undefined) takeable.push({ holder: options.takeOverFrom });
    try {
      await this.leaseCollection().updateOne(
        { _id: name, $or: takeable },
        { $set: { holder, expiresAt: new Date(now.getTime() + ttlMs) } },
        { ...LEASE_WRITES, upsert: true },
      );
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async renewLease(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    const renewed = await this.leaseCollection().updateOne(
      { _id: name, holder },
      { $set: { expiresAt: new Date(now.getTime() + ttlMs) } },
      LEASE_WRITES,
    );
    return renewed.matchedCount === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.leaseCollection().deleteOne({ _id: name, holder }, LEASE_WRITES);
  }

  async leaseHolder(name: string): Promise<LeaseState | null> {
    const lease = await this.leaseCollection().findOne({ _id: name });
    return lease ? { holder: lease.holder, expiresAt: lease.expiresAt } : null;
  }

  /** Throttle counters in this database (a collection per throttle), shared by every replica. */
  override openThrottles(): Throttles {
    return FlexibleThrottles.mongo(this.db);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private documents(collection: string): mongo.Collection<StoredDocument> {
    return this.db.collection<StoredDocument>(collection);
  }

  private checkpointCollection(): mongo.Collection<StoredDocument> {
    return this.db.collection<StoredDocument>(CHECKPOINTS);
  }

  private leaseCollection(): mongo.Collection<LeaseDocument> {
    return this.db.collection<LeaseDocument>(LEASES);
  }

  /**
   * First in a fenced commit's transaction: a write to the lease document, matched on its holder.
   * No match (taken over) refuses the commit; a takeover racing with the transaction conflicts
   * with this write (the transaction is retried, and then refused). It must change the document
   * (a counter): a write that changes nothing would not conflict.
   */
  private async fence(lease: LeaseRef, session: mongo.ClientSession): Promise<void> {
    const fenced = await this.leaseCollection().updateOne(
      { _id: lease.name, holder: lease.holder },
      { $inc: { commits: 1 } },
      { session },
    );
    if (fenced.matchedCount === 0) throw new LeaseLostError(lease.name, lease.holder);
  }

  private assertCollection(collection: string): void {
    assertSafeName('collection', collection);
    if (collection === CHECKPOINTS || collection === LEASES)
      throw new Error(`Collection name ${collection} is reserved`);
  }

  /** withTransaction retries the whole callback on transient errors (e.g. write conflicts between
   * concurrent commits) and rethrows anything else after aborting. */
  private async inTransaction(work: (session: mongo.ClientSession) => Promise<void>): Promise<void> {
    const session = this.connection.getClient().startSession();
    try {
      await session.withTransaction(() => work(session), TRANSACTION_OPTIONS);
    } finally {
      await session.endSession();
    }
  }

  private async createCollectionIfMissing(collection: string): Promise<void> {
    if (this.existingCollections.has(collection)) return;
    try {
      await this.db.createCollection(collection);
    } catch (error) {
      if ((error as { code?: unknown }).code !== NAMESPACE_EXISTS) throw error;
    }
    this.existingCollections.add(collection);
  }
}
