/**
 * How the SQLite read store writes a commit: a plan of SQL steps run in one transaction, either
 * on the store's own connection or, during a bulk load, on a writer thread with its own
 * connection, so that the projector evolves the next batch while this one is written.
 */
import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import type { DocumentChange, ReadStoreCommit } from '../read-store.port';

export interface WriteStep {
  sql: string;
  params: string[];
}

/** Documents per multi-row upsert statement (2 parameters each, far below SQLite's limit). */
const UPSERT_ROWS = 64;

const CHECKPOINT_SQL =
  'INSERT INTO rm_checkpoints (projection, position) VALUES (?, ?) ON CONFLICT(projection) DO UPDATE SET position = excluded.position';

const upsertSqlCache = new Map<string, string>();

function upsertSql(table: string, rows: number): string {
  const key = `${table}:${rows}`;
  let sql = upsertSqlCache.get(key);
  if (!sql) {
    const values = Array.from({ length: rows }, () => '(?, ?)').join(', ');
    sql = `INSERT INTO ${table} (id, body) VALUES ${values} ON CONFLICT(id) DO UPDATE SET body = excluded.body`;
    upsertSqlCache.set(key, sql);
  }
  return sql;
}

/**
 * The steps of a commit. The last change of a document wins, as if changes were applied one by
 * one; deletes and upserts then concern different documents, so their order no longer matters,
 * and upserts go in multi-row statements (one native call per 64 documents instead of one each).
 */
export function planCommit(commit: ReadStoreCommit, tableOf: (collection: string) => string): WriteStep[] {
  // Per table, by id (no concatenated keys: a rebuild plans a million and a half of these).
  const byTable = new Map<string, Map<string, DocumentChange>>();
  let lastCollection: string | undefined;
  let last: Map<string, DocumentChange> | undefined;
  for (const change of commit.changes) {
    if (change.collection !== lastCollection) {
      const table = tableOf(change.collection);
      last = byTable.get(table);
      if (!last) byTable.set(table, (last = new Map()));
      lastCollection = change.collection;
    }
    last!.set(change.id, change);
  }
  const steps: WriteStep[] = [];
  for (const [table, changes] of byTable) {
    let chunk: string[] = [];
    for (const change of changes.values()) {
      if (change.document === null) {
        steps.push({ sql: `DELETE FROM ${table} WHERE id = ?`, params: [change.id] });
        continue;
      }
      chunk.push(change.id, JSON.stringify(change.document));
      if (chunk.length === 2 * UPSERT_ROWS) {
        steps.push({ sql: upsertSql(table, UPSERT_ROWS), params: chunk });
        chunk = [];
      }
    }
    for (let i = 0; i < chunk.length; i += 2)
      steps.push({ sql: upsertSql(table, 1), params: [chunk[i], chunk[i + 1]] });
  }
  for (const [projection, position] of Object.entries(commit.checkpoints))
    steps.push({ sql: CHECKPOINT_SQL, params: [projection, position] });
  return steps;
}

/** Runs the steps in one transaction on `db`. */
export function runSteps(
  db: Database.Database,
  steps: WriteStep[],
  prepare: (sql: string) => Database.Statement,
): void {
  db.transaction(() => {
    for (const step of steps) prepare(step.sql).run(step.params);
  })();
}

/** The writer thread's code: plain JavaScript, so it runs the same from the sources (tests) and the build. */
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 10000');
db.pragma('cache_size = -65536');
db.pragma('wal_autocheckpoint = 16384');
// As on the store's own connection: secure_delete is per connection, and without it the old
// versions a bulk load replaces or deletes would stay readable in the file's free space.
db.pragma('secure_delete = ON');
const statements = new Map();
const prepare = (sql) => {
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
};
// Unpacks what BulkWriter.write packed (see there) and runs it in one transaction.
const write = db.transaction(({ sqls, shape, lengths, text }) => {
  let at = 0;
  let next = 0;
  for (let s = 0; s < shape.length; s += 2) {
    const params = new Array(shape[s + 1]);
    for (let p = 0; p < params.length; p++) {
      const end = at + lengths[next++];
      params[p] = text.slice(at, end);
      at = end;
    }
    prepare(sqls[shape[s]]).run(params);
  }
});
parentPort.on('message', (message) => {
  if (message.close) {
    db.close();
    parentPort.close();
    return;
  }
  try {
    write(message);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String((error && error.message) || error) });
  }
});
`;

/**
 * A writer thread with its own connection to the read store's file. Commits are written in the
 * order they are submitted, each in one transaction; `write` resolves once it is committed, so a
 * read on the main connection afterwards sees it (WAL).
 */
export class BulkWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private drained: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(filename: string) {
    this.worker = new Worker(WRITER_SOURCE, {
      eval: true,
      workerData: { filename, driver: require.resolve('better-sqlite3') },
    });
    this.worker.on('message', (message: { id: number; error?: string }) => {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve();
    });
    this.worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        this.fail(new Error('The read store writer thread stopped'));
        resolve();
      }),
    );
  }

  write(steps: WriteStep[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    // Packed as one string and two integer arrays: copying a few large values to the thread is far
    // cheaper than cloning thousands of small strings (a measurable share of a rebuild).
    const sqls: string[] = [];
    const sqlIndex = new Map<string, number>();
    let paramCount = 0;
    for (const step of steps) paramCount += step.params.length;
    const shape = new Int32Array(steps.length * 2);
    const lengths = new Int32Array(paramCount);
    const parts: string[] = new Array(paramCount);
    let next = 0;
    steps.forEach((step, i) => {
      let index = sqlIndex.get(step.sql);
      if (index === undefined) sqlIndex.set(step.sql, (index = sqls.push(step.sql) - 1));
      shape[2 * i] = index;
      shape[2 * i + 1] = step.params.length;
      for (const param of step.params) {
        lengths[next] = param.length;
        parts[next++] = param;
      }
    });
    const message = { id, sqls, shape, lengths, text: parts.join('') };
    const written = new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(message, [shape.buffer, lengths.buffer]);
    });
    // The thread answers in order, so the newest write settling means every earlier one has.
    this.drained = written.catch(() => undefined);
    return written;
  }

  /** Waits for every submitted write, then closes the thread's connection. */
  async close(): Promise<void> {
    await this.drained;
    if (this.failure) await this.worker.terminate();
    else this.worker.postMessage({ close: true });
    await this.exited;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
