import { Injectable, OnModuleInit } from '@nestjs/common';
import { ReadDocument, ReadStore } from '@app/read-models';

export const SESSION_ACTIVITY = 'session_activity';
/** Activity is written at most this often per session: idle expiry is precise to this much. */
const WRITE_INTERVAL_MS = 60_000;

interface ActivityDocument extends ReadDocument {
  lastActiveAt: string;
}

/**
 * When each session was last used. Kept out of the event log on purpose (an event per request
 * would drown the audit trail): a plain collection in the read store, written at most once a
 * minute per session, and not touched by projection rebuilds.
 */
@Injectable()
export class SessionActivity implements OnModuleInit {
  private readonly lastWritten = new Map<string, number>();

  constructor(private readonly readStore: ReadStore) {}

  async onModuleInit(): Promise<void> {
    await this.readStore.ensureCollection(SESSION_ACTIVITY, []);
  }

  /** True when this process itself recorded use of the session less than `seconds` ago: then it
   * is certainly not idle, and the stored activity need not be read. */
  activeWithin(sessionId: string, now: Date, seconds: number): boolean {
    const last = this.lastWritten.get(sessionId);
    return last !== undefined && now.getTime() - last < seconds * 1000;
  }

  async lastActiveAt(sessionId: string): Promise<string | null> {
    return (await this.readStore.get<ActivityDocument>(SESSION_ACTIVITY, sessionId))?.lastActiveAt ?? null;
  }

  async lastActiveAtMany(sessionIds: string[]): Promise<Map<string, string>> {
    const documents = await this.readStore.getMany<ActivityDocument>(SESSION_ACTIVITY, sessionIds);
    return new Map(documents.map((d) => [d.id, d.lastActiveAt]));
  }

  async touch(sessionId: string, now: Date): Promise<void> {
    const last = this.lastWritten.get(sessionId);
    if (last !== undefined && now.getTime() - last < WRITE_INTERVAL_MS) return;
    this.lastWritten.set(sessionId, now.getTime());
    if (this.lastWritten.size > 100_000) this.lastWritten.clear(); // bound the memory; at worst a few extra writes
    await this.readStore.commit({
      checkpoints: {},
      changes: [
        {
          collection: SESSION_ACTIVITY,
          id: sessionId,
          document: { id: sessionId, _position: '', lastActiveAt: now.toISOString() },
        },
      ],
    });
  }
}
