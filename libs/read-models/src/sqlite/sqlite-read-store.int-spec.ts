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
