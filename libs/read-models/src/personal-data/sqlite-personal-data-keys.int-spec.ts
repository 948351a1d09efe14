import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '@app/security';
import { describePersonalDataKeysContract } from '../contract/personal-data-keys.contract';
import { secretBoxKeyWrapper } from './secret-box-key-wrapper';
import { SqlitePersonalDataKeys } from './sqlite-personal-data-keys';

const wrapper = secretBoxKeyWrapper(new SecretBox(randomBytes(32)));
let dir: string | undefined;
const file = () => {
  dir ??= mkdtempSync(join(tmpdir(), 'personal-data-keys-'));
  return join(dir, 'accounts.sqlite');
};

describePersonalDataKeysContract('SqlitePersonalDataKeys', {
  open: async () => new SqlitePersonalDataKeys(file(), wrapper),
  dispose: async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  },
});

describe('SqlitePersonalDataKeys on disk', () => {
  it('keeps no raw key in the file, and no trace of an erased key in any file of the database', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'personal-data-keys-disk-'));
    const keys = new SqlitePersonalDataKeys(join(directory, 'accounts.sqlite'), wrapper);
    try {
      const userId = randomUUID();
      const key = await keys.keyFor(userId);
      // Other people's keys around it, so the page holds more than the erased row.
      for (let i = 0; i < 20; i++) await keys.keyFor(randomUUID());
      const files = () => readdirSync(directory).map((name) => readFileSync(join(directory, name)));
      const holds = (needle: Buffer | string) => files().some((bytes) => bytes.includes(needle));
      expect(holds(key)).toBe(false);
      expect(holds(key.toString('base64'))).toBe(false);
      const wrapped = (keys as unknown as { db: import('better-sqlite3').Database }).db
        .prepare('SELECT wrapped_key FROM personal_data_keys WHERE user_id = ?')
        .pluck()
        .get(userId) as string;
      expect(holds(wrapped)).toBe(true);

      await keys.erase(userId, new Date());
      expect(holds(wrapped)).toBe(false);
    } finally {
      await keys.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
