import { mkdtempSync, rmSync } from 'node:fs';
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
