import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '@app/security';
import { DATA_KEY_CACHE_MS, isSealedPersonalData, PersonalDataSealer } from './personal-data-sealer';
import { secretBoxKeyWrapper } from './secret-box-key-wrapper';
import { SqlitePersonalDataKeys } from './sqlite-personal-data-keys';

describe('PersonalDataSealer over real keys', () => {
  let dir: string;
  let keys: SqlitePersonalDataKeys;
  let sealer: PersonalDataSealer;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sealer-'));
    keys = new SqlitePersonalDataKeys(
      join(dir, 'accounts.sqlite'),
      secretBoxKeyWrapper(new SecretBox(randomBytes(32))),
    );
    sealer = new PersonalDataSealer(keys);
  });
  afterEach(async () => {
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seals a value so that its text is nowhere in it, and opens it while the key exists', async () => {
    const ada = randomUUID();
    const sealed = await sealer.seal(ada, 'ada@example.com');
    expect(isSealedPersonalData(sealed)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain('ada@example.com');
    expect(PersonalDataSealer.ownerOf(sealed)).toBe(ada);
    expect(await sealer.open(sealed)).toBe('ada@example.com');
    // Two seals of one value differ (a fresh IV each time): equal values cannot be matched up.
    expect((await sealer.seal(ada, 'ada@example.com')).$personal).not.toBe(sealed.$personal);
  });

  it('opens nothing once the owner is erased, while another owner is untouched', async () => {
    const [ada, bob] = [randomUUID(), randomUUID()];
    const adas = await sealer.seal(ada, '203.0.113.7');
    const bobs = await sealer.seal(bob, '198.51.100.9');
    expect(await sealer.open(adas)).toBe('203.0.113.7'); // the key is cached now
    expect(await sealer.erase(ada, new Date())).toBe(true);
    expect(await sealer.open(adas)).toBeNull();
    expect(await sealer.open(bobs)).toBe('198.51.100.9');
    await expect(sealer.seal(ada, 'again')).rejects.toThrow(/erased/);
  });

  it('in another process, stops opening an erased owner once its cached key expires', async () => {
    let now = 1_000_000;
    const otherProcess = new PersonalDataSealer(keys, () => now);
    const ada = randomUUID();
    const sealed = await sealer.seal(ada, 'ada@example.com');
    expect(await otherProcess.open(sealed)).toBe('ada@example.com');
    await sealer.erase(ada, new Date());
    now += DATA_KEY_CACHE_MS - 1;
    expect(await otherProcess.open(sealed)).toBe('ada@example.com');
    now += 1;
    expect(await otherProcess.open(sealed)).toBeNull();
    await expect(otherProcess.seal(ada, 'again')).rejects.toThrow(/erased/);
  });

  it('refuses a value moved to another owner, or edited', async () => {
    const [ada, bob] = [randomUUID(), randomUUID()];
    await sealer.seal(bob, 'anything');
    const sealed = await sealer.seal(ada, 'ada@example.com');
    await expect(sealer.open({ $personal: sealed.$personal.replace(ada, bob) })).rejects.toThrow();
    await expect(sealer.open({ $personal: `${sealed.$personal.slice(0, -2)}AA` })).rejects.toThrow();
    await expect(sealer.open({ $personal: 'v2.x.y' })).rejects.toThrow('Not a sealed personal value');
  });
});
