/** The contract every PersonalDataKeys adapter passes (ids get a random suffix: a shared MongoDB is fine). */
import { randomUUID } from 'node:crypto';
import { PersonalDataErasedError, PersonalDataKeys } from '../personal-data/personal-data-keys.port';

export interface PersonalDataKeysHarness {
  open(): Promise<PersonalDataKeys>;
  dispose?(): Promise<void>;
}

export function describePersonalDataKeysContract(adapterName: string, harness: PersonalDataKeysHarness): void {
  describe(`PersonalDataKeys contract: ${adapterName}`, () => {
    let keys: PersonalDataKeys;
    beforeEach(async () => {
      keys = await harness.open();
    });
    afterEach(async () => {
      await keys.close();
      await harness.dispose?.();
    });

    it('makes one 32-byte key per person on first use, the same for callers at the same time and after reopening', async () => {
      const userId = randomUUID();
      expect(await keys.find(userId)).toBeNull();
      const raced = await Promise.all(Array.from({ length: 8 }, () => keys.keyFor(userId)));
      expect(raced[0]).toHaveLength(32);
      for (const key of raced) expect(key.equals(raced[0])).toBe(true);
      expect((await keys.keyFor(randomUUID())).equals(raced[0])).toBe(false);
      await keys.close();
      keys = await harness.open();
      expect((await keys.find(userId))?.equals(raced[0])).toBe(true);
    });

    it('erases a key for good: found no more, never made again, erasure time kept', async () => {
      const userId = randomUUID();
      await keys.keyFor(userId);
      const at = new Date('2026-11-28T10:00:00.000Z');
      expect(await keys.erase(userId, at)).toBe(true);
      expect(await keys.erase(userId, new Date('2026-11-29T10:00:00.000Z'))).toBe(false);
      expect(await keys.find(userId)).toBeNull();
      await expect(keys.keyFor(userId)).rejects.toBeInstanceOf(PersonalDataErasedError);
      expect(await keys.erasedAt(userId)).toBe(at.toISOString());
    });

    it('erases a person it never made a key for: nothing can be sealed for them afterwards', async () => {
      const userId = randomUUID();
      expect(await keys.erase(userId, new Date('2026-11-28T10:00:00.000Z'))).toBe(false);
      await expect(keys.keyFor(userId)).rejects.toBeInstanceOf(PersonalDataErasedError);
      expect(await keys.erasedAt(randomUUID())).toBeNull();
    });
  });
}
