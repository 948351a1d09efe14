/**
 * Leases in the embedded read store: a table `leases` in the same file, and a fence every commit
 * made for a lease runs inside its own transaction (on the store's connection, or on the bulk
 * writer's thread during a rebuild: it is one more SQL step).
 */
import type Database from 'better-sqlite3';
import { LeaseLostError, LeaseRef, LeaseState } from '../read-store.port';
import type { WriteStep } from './sqlite-writes';

/** What the fence's trigger raises; the writer thread passes errors on as their message only. */
const LEASE_LOST = 'lease lost: commit fenced off';

/**
 * Not prefixed `rm_`, so no collection can be named like them. The fence is a view whose insert
 * trigger aborts the transaction unless the holder named in the row holds the lease.
 */
export const LEASES_SCHEMA = `
CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIEW IF NOT EXISTS lease_fence AS SELECT NULL AS name, NULL AS holder;
CREATE TRIGGER IF NOT EXISTS lease_fence_check INSTEAD OF INSERT ON lease_fence
WHEN NOT EXISTS (SELECT 1 FROM leases WHERE name = NEW.name AND holder = NEW.holder)
BEGIN SELECT RAISE(ABORT, '${LEASE_LOST}'); END;
`;

/** The last step of a fenced commit: it runs after the writes, when the transaction holds the write lock. */
export function fenceStep(lease: LeaseRef): WriteStep {
  return { sql: 'INSERT INTO lease_fence (name, holder) VALUES (?, ?)', params: [lease.name, lease.holder] };
}

/** The fence's refusal as a LeaseLostError; any other error as it is. */
export function fencedError(error: unknown, lease: LeaseRef | undefined): unknown {
  const message = (error as { message?: unknown } | null)?.message;
  return lease && message === LEASE_LOST ? new LeaseLostError(lease.name, lease.holder) : error;
}

const ACQUIRE_SQL = `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
WHERE leases.holder = excluded.holder OR leases.expires_at < ? OR leases.holder = ?`;

export class SqliteLeases {
  constructor(private readonly db: Database.Database) {}

  acquire(name: string, holder: string, ttlMs: number, now: Date, takeOverFrom: string | null): boolean {
    const at = now.getTime();
    // One conditional upsert: it changes a row only when the lease is free, ours, expired or the
    // named predecessor's; IMMEDIATE takes the write lock first, so two processes are serialised.
    const take = this.db.transaction(() =>
      this.db.prepare(ACQUIRE_SQL).run(name, holder, at + ttlMs, at, takeOverFrom),
    );
    return take.immediate().changes === 1;
  }

  renew(name: string, holder: string, ttlMs: number, now: Date): boolean {
    const renewed = this.db
      .prepare('UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?')
      .run(now.getTime() + ttlMs, name, holder);
    return renewed.changes === 1;
  }

  release(name: string, holder: string): void {
    this.db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder);
  }

  holder(name: string): LeaseState | null {
    const row = this.db.prepare('SELECT holder, expires_at FROM leases WHERE name = ?').get(name) as
      { holder: string; expires_at: number } | undefined;
    return row ? { holder: row.holder, expiresAt: new Date(row.expires_at) } : null;
  }
}
