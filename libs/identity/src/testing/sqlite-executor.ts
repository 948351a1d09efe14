import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store/sqlite/sqlite-event-store';
import { SqliteReadStore } from '@app/read-models/sqlite/sqlite-read-store';
import { CommandExecutor } from '../shared/command-executor';
import { WriteModelSnapshots } from '../shared/write-model-snapshots';

/** A command executor on real SQLite files (event store and read store) in a temp directory. */
export async function sqliteExecutor(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const events = new SqliteEventStore(join(dir, 'events.sqlite'));
  const readStore = new SqliteReadStore(join(dir, 'read.sqlite'));
  const snapshots = new WriteModelSnapshots(readStore);
  await snapshots.onModuleInit();
  return {
    events,
    readStore,
    snapshots,
    executor: new CommandExecutor(events, snapshots),
    close: async () => {
      await events.close();
      await readStore.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
