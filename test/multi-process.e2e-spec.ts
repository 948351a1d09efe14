import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SqliteEventStore } from '@app/event-store/sqlite/sqlite-event-store';
import { buildApi } from './support/service-process';

const run = promisify(execFile);

/** In one process better-sqlite3 serialises everything; the race that matters is between processes. */
describe('SqliteEventStore with writers in separate processes', () => {
  let dir: string;
  beforeAll(() => buildApi(), 120_000);
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'multi-process-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets exactly one of concurrent same-revision appends win, and loses no append', async () => {
    const file = join(dir, 'events.sqlite');
    const setup = new SqliteEventStore(file);
    await setup.append('contested', [{ type: 'Created', data: {} }], { expectedRevision: 'no_stream' });
    await setup.close();

    const processes = 4;
    const appendsEach = 100;
    const startAt = Date.now() + 1500;
    const results = await Promise.all(
      Array.from({ length: processes }, () =>
        run(process.execPath, [
          join(__dirname, 'support/concurrent-appender.js'),
          join(__dirname, '../dist'),
          file,
          String(startAt),
          String(appendsEach),
        ]),
      ),
    );
    const outcomes = results.map((r) => JSON.parse(r.stdout).contested);
    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'conflict')).toHaveLength(processes - 1);

    const store = new SqliteEventStore(file);
    try {
      expect(await store.readStream('contested')).toHaveLength(2);
      const shared = await store.readStream('shared');
      expect(shared.map((e) => e.revision)).toEqual(Array.from({ length: processes * appendsEach }, (_, i) => i));
      const all = await store.readAll({ maxCount: 10_000 });
      expect(all.map((e) => Number(e.position))).toEqual(Array.from({ length: all.length }, (_, i) => i + 1)); // no gap
      expect(store.verifyChain()).toEqual({ ok: true, count: all.length });
    } finally {
      await store.close();
    }
  }, 60_000);
});
