import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeReadStoreContract } from '../contract/read-store.contract';
import { SqliteReadStore } from './sqlite-read-store';

let dir: string | undefined;
const file = () => {
  dir ??= mkdtempSync(join(tmpdir(), 'read-store-'));
  return join(dir, 'read.sqlite');
};

describeReadStoreContract('SqliteReadStore', {
  open: async () => new SqliteReadStore(file()),
  dispose: async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  },
});

describe('SqliteReadStore in memory', () => {
  it('loads in bulk on its own connection (a second one would see another database)', async () => {
    const store = new SqliteReadStore(':memory:');
    await store.ensureCollection('docs', [{ fields: ['n'] }]);
    await store.beginBulkLoad(['docs']);
    await store.commit({
      checkpoints: { p: '00000000000000000001' },
      changes: [{ collection: 'docs', id: 'a', document: { id: 'a', _position: '00000000000000000001', n: 1 } }],
    });
    await store.endBulkLoad(['docs']);
    expect(await store.find('docs', { where: { n: { eq: 1 } } })).toEqual([
      { id: 'a', _position: '00000000000000000001', n: 1 },
    ]);
    expect(await store.checkpoint('p')).toBe('00000000000000000001');
    await store.close();
  });
});

describe('SqliteReadStore, what a bulk load leaves in the file', () => {
  it("overwrites a replaced or deleted document's old bytes on the writer thread's connection too (secure_delete)", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'read-store-bulk-'));
    const path = join(folder, 'read.sqlite');
    const store = new SqliteReadStore(path);
    try {
      await store.ensureCollection('people', [{ fields: ['n'] }]);
      await store.beginBulkLoad(['people']);
      const person = (id: string, email: string, n: number) => ({
        collection: 'people',
        id,
        document: { id, _position: String(n).padStart(20, '0'), n, email, note: 'x'.repeat(200) },
      });
      // A rebuild writes each document as it was after each batch: older versions are replaced.
      await store.commit({ checkpoints: {}, changes: [person('a', 'old.address.of.a@example.com', 1)] });
      await store.commit({ checkpoints: {}, changes: [person('b', 'gone.later.b@example.com', 2)] });
      await store.commit({ checkpoints: {}, changes: [person('a', 'a@example.com', 3)] });
      await store.commit({ checkpoints: {}, changes: [{ collection: 'people', id: 'b', document: null }] });
      await store.endBulkLoad(['people']);
      expect(await store.get('people', 'a')).toMatchObject({ email: 'a@example.com' });
    } finally {
      await store.close();
    }
    const bytes = readdirSync(folder)
      .map((name) => readFileSync(join(folder, name)).toString('latin1'))
      .join('\n');
    expect(bytes).toContain('a@example.com');
    expect(bytes).not.toContain('old.address.of.a');
    expect(bytes).not.toContain('gone.later.b');
    rmSync(folder, { recursive: true, force: true });
  });
});
