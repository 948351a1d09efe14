import { Injectable, OnModuleInit } from '@nestjs/common';
import { ReadDocument, ReadStore } from '@app/read-models';

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
  toJson(state: State): unknown;
  fromJson(json: unknown): State;
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

  async get<State>(streamId: string, snapshotting: Snapshotting<State>): Promise<{ revision: number; state: State } | null> {
    const document = await this.readStore.get<SnapshotDocument>(WRITE_MODEL_SNAPSHOTS, `${snapshotting.name}:${streamId}`);
    return document ? { revision: document.revision, state: snapshotting.fromJson(document.state) } : null;
  }

  async put<State>(streamId: string, snapshotting: Snapshotting<State>, revision: number, state: State): Promise<void> {
    const id = `${snapshotting.name}:${streamId}`;
    await this.readStore.commit({
      checkpoints: {},
      changes: [{ collection: WRITE_MODEL_SNAPSHOTS, id, document: { id, _position: '', revision, state: snapshotting.toJson(state) } }],
    });
  }
}
