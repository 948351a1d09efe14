import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { KeyWrapper, PersonalDataErasedError, PersonalDataKeys } from './personal-data-keys.port';

interface KeyRow {
  wrapped_key: string | null;
  erased_at: string | null;
}

/**
 * Data keys in a table of the embedded database file, on a connection of their own with
 * `secure_delete` on: an erased key's bytes are overwritten in the file, and the write-ahead log
 * is truncated after an erasure so no older copy of the page stays behind.
 */
export class SqlitePersonalDataKeys extends PersonalDataKeys {
  private readonly db: Database.Database;

  constructor(
    filename: string,
    private readonly wrapper: KeyWrapper,
  ) {
    super();
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('secure_delete = ON');
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS personal_data_keys (
         user_id TEXT PRIMARY KEY, wrapped_key TEXT, created_at TEXT NOT NULL, erased_at TEXT
       ) WITHOUT ROWID`,
    );
  }

  override async keyFor(userId: string): Promise<Buffer> {
    this.db
      .prepare('INSERT INTO personal_data_keys VALUES (?, ?, ?, NULL) ON CONFLICT (user_id) DO NOTHING')
      .run(userId, this.wrapper.wrap(randomBytes(32), userId), new Date().toISOString());
    const row = this.row(userId)!;
    if (row.wrapped_key === null) throw new PersonalDataErasedError(userId);
    return this.wrapper.unwrap(row.wrapped_key, userId);
  }

  override async find(userId: string): Promise<Buffer | null> {
    const wrapped = this.row(userId)?.wrapped_key ?? null;
    return wrapped === null ? null : this.wrapper.unwrap(wrapped, userId);
  }

  override async erase(userId: string, at: Date): Promise<boolean> {
    // A person never seen gets a tombstone too: nothing may be sealed for them afterwards.
    const erased = this.db.transaction(() => {
      const before = this.row(userId);
      this.db
        .prepare(
          `INSERT INTO personal_data_keys VALUES (?, NULL, ?, ?)
           ON CONFLICT (user_id) DO UPDATE SET wrapped_key = NULL, erased_at = COALESCE(erased_at, excluded.erased_at)`,
        )
        .run(userId, at.toISOString(), at.toISOString());
      return before?.wrapped_key != null;
    })();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return erased;
  }

  override async erasedAt(userId: string): Promise<string | null> {
    return this.row(userId)?.erased_at ?? null;
  }

  override async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private row(userId: string): KeyRow | undefined {
    return this.db.prepare('SELECT wrapped_key, erased_at FROM personal_data_keys WHERE user_id = ?').get(userId) as
      KeyRow | undefined;
  }
}
