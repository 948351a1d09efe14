import { Injectable, OnModuleInit } from '@nestjs/common';
import { ReadDocument, ReadStore } from '@app/read-models';
import type { HistoryEvent } from './decider';

export const WRITE_MODEL_SNAPSHOTS = 'write_model_snapshots';

/**
 * How a decider's folded state is kept as a snapshot, so a command reads only the events after it
 * (a sign-in must not cost more for an account with years of history). Events are immutable and
 * addressed by revision, so any snapshot at revision r is valid for every later read: one written
 * by another process, or an older one, only means a longer tail to read.
 */
export interface Snapshotting<State> {
  /** Names the snapshot; change it when the state's shape or the rules change. */
  name: string;
  /** Take a new snapshot once a command has read this many events after the last one. */
  every: number;
  /**
   * The state as kept, with no secret in it (hashes, sealed seeds): the read store holds none. A
   * state that keeps secrets records the revision of the event that carried each one instead.
   * Null when this state cannot be kept (a secret whose event is not known).
   */
  toJson(state: State): unknown;
  /** Revisions of the events whose secrets `toJson` left out: read back from the stream on load. */
  secretsAt?(json: unknown): number[];
  fromJson(json: unknown, secretEvents: ReadonlyMap<number, HistoryEvent>): State;
}

interface SnapshotDocument extends ReadDocument {
  revision: number;
  state: unknown;
}

/** Snapshots in a plain collection of the read store: not a projection, untouched by rebuilds. */
@Injectable()
export class WriteModelSnapshots implements OnModuleInit {
  constructor(private readonly readStore: ReadStore) {}

  async onModuleInit(): Promise<void> {
    await this.readStore.ensureCollection(WRITE_MODEL_SNAPSHOTS, []);
  }

  /** The kept state as stored (secrets left out): the caller reads them back and calls `fromJson`. */
  async get(
    streamId: string,
    snapshotting: Snapshotting<unknown>,
  ): Promise<{ revision: number; json: unknown } | null> {
    const document = await this.readStore.get<SnapshotDocument>(
      WRITE_MODEL_SNAPSHOTS,
      `${snapshotting.name}:${streamId}`,
    );
    return document ? { revision: document.revision, json: document.state } : null;
  }

  /** Deletes the stream's snapshots of these write models (an erased person's may hold their data). */
  async forget(streamId: string, names: readonly string[]): Promise<void> {
    await this.readStore.commit({
      checkpoints: {},
      changes: names.map((name) => ({ collection: WRITE_MODEL_SNAPSHOTS, id: `${name}:${streamId}`, document: null })),
    });
  }

  async put<State>(streamId: string, snapshotting: Snapshotting<State>, revision: number, state: State): Promise<void> {
    const json = snapshotting.toJson(state);
    if (json === null) return;
    const id = `${snapshotting.name}:${streamId}`;
    await this.readStore.commit({
      checkpoints: {},
      changes: [{ collection: WRITE_MODEL_SNAPSHOTS, id, document: { id, _position: '', revision, state: json } }],
    });
  }
}

/** A secret a snapshot left out, read back from the event that carried it (a string field). */
export function secretFrom(
  secretEvents: ReadonlyMap<number, HistoryEvent>,
  revision: number | null,
  field: string,
): string | null {
  const value = secretValue(secretEvents, revision, field);
  if (value === null || typeof value === 'string') return value;
  throw new Error(`The event at revision ${revision} has a ${field} that is not a string`);
}

/** `secretFrom` for a list of strings (recovery code hashes). */
export function secretListFrom(
  secretEvents: ReadonlyMap<number, HistoryEvent>,
  revision: number | null,
  field: string,
): string[] | null {
  const value = secretValue(secretEvents, revision, field);
  if (value === null || (Array.isArray(value) && value.every((item) => typeof item === 'string'))) return value;
  throw new Error(`The event at revision ${revision} has a ${field} that is not a list of strings`);
}

function secretValue(secretEvents: ReadonlyMap<number, HistoryEvent>, revision: number | null, field: string): unknown {
  if (revision === null) return null;
  const event = secretEvents.get(revision);
  if (!event) throw new Error(`The secret event at revision ${revision} was not read`);
  const data: Readonly<Record<string, unknown>> = event.data;
  const value = data[field];
  if (value === undefined) throw new Error(`The event at revision ${revision} (${event.type}) has no ${field}`);
  return value;
}
