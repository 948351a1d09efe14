import type { Throttles } from '@app/platform';
import { FlexibleThrottles } from '../throttling/flexible-throttles';
import Database from 'better-sqlite3';
import { START, Position } from '@app/event-store';
import {
  FindQuery,
  IndexSpec,
  JoinSpec,
  Joined,
  LeaseState,
  ReadDocument,
  ReadStore,
  ReadStoreCommit,
  assertSafeName,
} from '../read-store.port';
import { fieldExpression, orderBySql, whereSql } from './sqlite-query';
import { BulkWriter, planCommit, runSteps } from './sqlite-writes';
import { LEASES_SCHEMA, SqliteLeases, fenceStep, fencedError } from './sqlite-leases';

/**
 * The embedded read store: one table per collection (`rm_<collection>`, the document as JSON),
 * and a checkpoint table, in the same SQLite file as the events. A commit is one transaction.
 */
export class SqliteReadStore extends ReadStore {
  private readonly db: Database.Database;
  private readonly collections = new Set<string>();
  /** Index specs per collection, as declared to ensureCollection (to rebuild them after a bulk load). */
  private readonly indexSpecs = new Map<string, IndexSpec[]>();
  /** Prepared statements by SQL text: preparing one per document was the rebuild's hot spot. */
  private readonly statements = new Map<string, Database.Statement>();
  /** The session check's reads, prepared once per collection (no SQL text built per request). */
  private readonly byId = new Map<string, Database.Statement>();
  private readonly joins = new Map<string, Database.Statement>();
  /** Writes commits on its own thread during a bulk load. */
  private bulkWriter: BulkWriter | undefined;
  private readonly leases: SqliteLeases;

  constructor(readonly filename: string) {
    super();
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    // Read models can always be rebuilt from the events, so NORMAL (durable against a process
    // crash, not a power loss) is enough and spares an fsync per commit.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma(`cache_size = ${CACHE_SIZE}`);
    // An erased person's documents are rewritten without their data: the old bytes must not stay
    // behind in the file's free space (see purgeFreedSpace for the write-ahead log).
    this.db.pragma('secure_delete = ON');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS rm_checkpoints (projection TEXT PRIMARY KEY, position TEXT NOT NULL) WITHOUT ROWID',
    );
    this.db.exec(LEASES_SCHEMA);
    this.leases = new SqliteLeases(this.db);
  }

  override async ensureCollection(collection: string, indexes: IndexSpec[]): Promise<void> {
    const table = tableName(collection);
    this.db.transaction(() => {
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID`);
      for (const index of indexes) this.db.exec(createIndexSql(collection, index));
    })();
    this.indexSpecs.set(collection, indexes);
    this.collections.add(collection);
  }

  /** Drops the non-unique secondary indexes (building each once at the end from sorted keys is
   * several times cheaper than updating it for every row; unique ones stay, they enforce rules),
   * and moves commits to a writer thread, so the caller can prepare the next commit meanwhile. */
  override async beginBulkLoad(collections: string[]): Promise<void> {
    if (this.bulkWriter) return;
    this.db.transaction(() => {
      for (const collection of collections) {
        for (const index of this.indexSpecs.get(collection) ?? []) {
          if (!index.unique) this.db.exec(`DROP INDEX IF EXISTS ${indexName(collection, index)}`);
        }
      }
    })();
    // A second connection sees the same data only for a file (not ':memory:' or a temporary db).
    if (this.filename !== '' && this.filename !== ':memory:') this.bulkWriter = new BulkWriter(this.filename);
  }

  override async endBulkLoad(collections: string[]): Promise<void> {
    const writer = this.bulkWriter;
    this.bulkWriter = undefined;
    await writer?.close();
    // SQLite sorts the keys of a new index on helper threads only when they spill out of the
    // cache into several runs: a small cache and two threads build the indexes of a million
    // documents ~30% faster than one thread sorting in a large cache (measured, issue 16).
    this.db.pragma('threads = 2');
    this.db.pragma('cache_size = -8192');
    try {
      this.db.transaction(() => {
        for (const collection of collections) {
          for (const index of this.indexSpecs.get(collection) ?? []) this.db.exec(createIndexSql(collection, index));
        }
      })();
    } finally {
      this.db.pragma('threads = 0');
      this.db.pragma(`cache_size = ${CACHE_SIZE}`);
    }
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  override async get<T extends ReadDocument>(collection: string, id: string): Promise<T | null> {
    let statement = this.byId.get(collection);
    if (!statement) {
      statement = this.db.prepare(`SELECT body FROM ${this.table(collection)} WHERE id = ?`).pluck();
      this.byId.set(collection, statement);
    }
    const body = statement.get(id) as string | undefined;
    return body === undefined ? null : (JSON.parse(body) as T);
  }

  override async getJoined<T extends ReadDocument, J extends ReadDocument>(
    collection: string,
    id: string,
    join: JoinSpec,
  ): Promise<Joined<T, J> | null> {
    const key = `${collection} ${join.field} ${join.collection}`;
    let statement = this.joins.get(key);
    if (!statement) {
      assertSafeName('field', join.field);
      const reference = join.field === 'id' ? 'd.id' : `json_extract(d.body, '$.${join.field}')`;
      statement = this.db
        .prepare(
          `SELECT d.body, j.body FROM ${this.table(collection)} d ` +
            `LEFT JOIN ${this.table(join.collection)} j ON j.id = ${reference} WHERE d.id = ?`,
        )
        .raw();
      this.joins.set(key, statement);
    }
    const row = statement.get(id) as [string, string | null] | undefined;
    if (row === undefined) return null;
    return { document: JSON.parse(row[0]) as T, joined: row[1] === null ? null : (JSON.parse(row[1]) as J) };
  }

  override async getMany<T extends ReadDocument>(collection: string, ids: string[]): Promise<T[]> {
    if (ids.length === 0) return [];
    const rows = this.prepare(
      `SELECT body FROM ${this.table(collection)} WHERE id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(ids)) as { body: string }[];
    return rows.map((row) => JSON.parse(row.body) as T);
  }

  override async find<T extends ReadDocument>(collection: string, query: FindQuery = {}): Promise<T[]> {
    const where = whereSql(query.where);
    const limit = query.limit ?? -1;
    const rows = this.prepare(
      `SELECT body FROM ${this.table(collection)} ${where.sql} ${orderBySql(query.orderBy)} LIMIT ?`,
    ).all(...where.params, limit) as { body: string }[];
    return rows.map((row) => JSON.parse(row.body) as T);
  }

  override async count(collection: string, where?: FindQuery['where']): Promise<number> {
    const fragment = whereSql(where);
    const row = this.prepare(`SELECT count(*) AS n FROM ${this.table(collection)} ${fragment.sql}`).get(
      ...fragment.params,
    ) as { n: number };
    return row.n;
  }

  override async commit(commit: ReadStoreCommit): Promise<void> {
    const steps = planCommit(commit, (collection) => this.table(collection));
    if (commit.lease) steps.push(fenceStep(commit.lease));
    try {
      if (this.bulkWriter) await this.bulkWriter.write(steps);
      else runSteps(this.db, steps, (sql) => this.prepare(sql));
    } catch (error) {
      throw fencedError(error, commit.lease);
    }
  }

  override async checkpoint(projection: string): Promise<Position> {
    const row = this.prepare('SELECT position FROM rm_checkpoints WHERE projection = ?').get(projection) as
      { position: string } | undefined;
    return row?.position ?? START;
  }

  override async checkpoints(): Promise<Record<string, Position>> {
    const rows = this.db.prepare('SELECT projection, position FROM rm_checkpoints').all() as {
      projection: string;
      position: string;
    }[];
    return Object.fromEntries(rows.map((row) => [row.projection, row.position]));
  }

  override async reset(projections: string[], collections: string[]): Promise<void> {
    const tables = collections.map((collection) => this.table(collection));
    this.db.transaction(() => {
      for (const table of tables) this.db.prepare(`DELETE FROM ${table}`).run();
      const remove = this.db.prepare('DELETE FROM rm_checkpoints WHERE projection = ?');
      for (const projection of projections) remove.run(projection);
    })();
  }

  /** Constraint violations, values too big or of the wrong kind, a damaged file: retrying cannot cure them. */
  override isPermanentError(error: unknown): boolean {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' && /^SQLITE_(CONSTRAINT|TOOBIG|MISMATCH|RANGE|CORRUPT|NOTADB)/.test(code);
  }

  override async purgeFreedSpace(): Promise<void> {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  override async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  override async acquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    now: Date,
    options: { takeOverFrom?: string } = {},
  ): Promise<boolean> {
    return this.leases.acquire(name, holder, ttlMs, now, options.takeOverFrom ?? null);
  }

  override async renewLease(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    return this.leases.renew(name, holder, ttlMs, now);
  }

  override async releaseLease(name: string, holder: string): Promise<void> {
    this.leases.release(name, holder);
  }

  override async leaseHolder(name: string): Promise<LeaseState | null> {
    return this.leases.holder(name);
  }

  /** Throttle counters in this same file (a table per throttle), shared by every process using it. */
  override openThrottles(): Throttles {
    return FlexibleThrottles.sqlite(this.filename);
  }

  override async close(): Promise<void> {
    await this.bulkWriter?.close();
    this.bulkWriter = undefined;
    if (this.db.open) this.db.close();
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      // Ad-hoc queries (filters, limits) vary; keep the cache bounded.
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private table(collection: string): string {
    if (!this.collections.has(collection)) {
      const table = tableName(collection);
      const exists = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
      if (!exists) throw new Error(`Unknown collection ${collection}: call ensureCollection first`);
      this.collections.add(collection);
    }
    return tableName(collection);
  }
}

/** 64 MiB (in KiB, as a negative cache_size): the audit table and its indexes outgrow the default ~2 MiB. */
const CACHE_SIZE = -65536;

function indexName(collection: string, index: IndexSpec): string {
  return `ix_${collection}_${index.fields.join('_').replace(/\./g, '_')}`;
}

function createIndexSql(collection: string, index: IndexSpec): string {
  const expressions = index.fields.map(fieldExpression).join(', ');
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${indexName(collection, index)} ON ${tableName(collection)} (${expressions})`;
}

function tableName(collection: string): string {
  assertSafeName('collection', collection);
  return `rm_${collection}`;
}
