import Database from 'better-sqlite3';
import type { mongo } from 'mongoose';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterMongo,
  RateLimiterRes,
  RateLimiterSQLite,
} from 'rate-limiter-flexible';
import { Throttle, ThrottleLimit, Throttles } from '@app/platform';

type StoreLimiterFactory = (limit: ThrottleLimit, insurance: RateLimiterMemory) => RateLimiterAbstract;

/**
 * Throttles on rate-limiter-flexible (maintained, atomic counters per key) over the read store's
 * database. Should that database fail, each process falls back to counting in its own memory
 * (the library's insurance limiter) rather than refusing everyone or letting everyone through.
 */
export class FlexibleThrottles extends Throttles {
  constructor(
    private readonly storeLimiter: StoreLimiterFactory,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {
    super();
  }

  /** Counters in a table of the embedded SQLite file, through a connection of their own. */
  static sqlite(filename: string): FlexibleThrottles {
    if (filename === ':memory:') return FlexibleThrottles.memory(); // a second connection would see another database
    const db = new Database(filename);
    const tables: string[] = [];
    // Expired counters are deleted every 5 minutes, by this timer rather than the library's, so
    // that closing stops it (the library's would fire on a closed connection).
    const sweeper = setInterval(() => {
      for (const table of tables) {
        try {
          db.prepare(`DELETE FROM ${table} WHERE expire < ?`).run(Date.now());
        } catch {
          // busy or closing: the next sweep deletes them
        }
      }
    }, 5 * 60_000);
    sweeper.unref();
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 10000');
    db.pragma('synchronous = NORMAL'); // counters, not records: losing the last ones on power loss is harmless
    return new FlexibleThrottles(
      (limit, insurance) => {
        const tableName = `throttle_${limit.name}`;
        // Created here, before the first request: the library creates it asynchronously, and a
        // request arriving before that would be counted by the in-memory insurance instead.
        db.prepare(
          `CREATE TABLE IF NOT EXISTS ${tableName} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`,
        ).run();
        tables.push(tableName);
        return new RateLimiterSQLite({
          ...options(limit),
          storeClient: db,
          storeType: 'better-sqlite3',
          tableName,
          tableCreated: true,
          insuranceLimiter: insurance,
        });
      },
      async () => {
        clearInterval(sweeper);
        db.close();
      },
    );
  }

  /** Counters in a collection of the read models' MongoDB database (expired ones removed by a TTL index). */
  static mongo(db: mongo.Db): FlexibleThrottles {
    // The driver's Db (it has no db() of its own), so the counters live in the read models' database.
    return new FlexibleThrottles(
      (limit, insurance) =>
        new RateLimiterMongo({
          ...options(limit),
          storeClient: db,
          tableName: `throttle_${limit.name}`,
          insuranceLimiter: insurance,
        }),
    );
  }

  /** One process only (tests, an in-memory database). */
  static memory(): FlexibleThrottles {
    return new FlexibleThrottles((limit) => new RateLimiterMemory(options(limit)));
  }

  create(limit: ThrottleLimit): Throttle {
    if (!/^[A-Za-z0-9_]+$/.test(limit.name)) throw new Error(`bad throttle name ${limit.name}`);
    const limiter = this.storeLimiter(limit, new RateLimiterMemory(options(limit)));
    return {
      consume: async (key) => {
        try {
          await limiter.consume(key, 1);
          return { allowed: true, retryAfterSeconds: 0 };
        } catch (refusal) {
          if (!(refusal instanceof RateLimiterRes)) throw refusal;
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
        }
      },
      refund: async (key) => {
        await limiter.reward(key, 1);
      },
    };
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

function options(limit: ThrottleLimit) {
  return { keyPrefix: limit.name, points: limit.points, duration: limit.durationSeconds };
}
