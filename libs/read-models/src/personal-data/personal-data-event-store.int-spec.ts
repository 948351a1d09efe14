import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store/sqlite/sqlite-event-store';
import { SecretBox } from '@app/security';
import { PersonalDataEventStore } from './personal-data-event-store';
import { PersonalDataSealer } from './personal-data-sealer';
import { secretBoxKeyWrapper } from './secret-box-key-wrapper';
import { SqlitePersonalDataKeys } from './sqlite-personal-data-keys';

describe('PersonalDataEventStore over a real SQLite file', () => {
  let dir: string;
  let file: string;
  let keys: SqlitePersonalDataKeys;
  let raw: SqliteEventStore;
  let store: PersonalDataEventStore;
  const ada = randomUUID();
  const admin = randomUUID();
  const session = {
    type: 'SessionStarted',
    data: { sessionId: 's1', userId: ada, browser: 'Firefox 133', os: 'Linux', ip: '203.0.113.9', location: null },
    metadata: { actor: { type: 'user', id: ada }, ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (X11) Firefox/133.0' },
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pd-store-'));
    file = join(dir, 'accounts.sqlite');
    keys = new SqlitePersonalDataKeys(file, secretBoxKeyWrapper(new SecretBox(randomBytes(32))));
    raw = new SqliteEventStore(file);
    store = new PersonalDataEventStore(raw, new PersonalDataSealer(keys));
  });
  afterEach(async () => {
    await store.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores personal values sealed in one envelope per payload, and reads them back as written', async () => {
    await store.append(`session-s1`, [session], { expectedRevision: 'no_stream' });
    const [stored] = await raw.readStream('session-s1');
    expect(stored.data).toEqual({
      sessionId: 's1',
      userId: ada,
      location: null, // nothing to hide: an unknown place stays visible as unknown
      $personal: { fields: ['browser', 'os', 'ip'], value: expect.stringMatching(new RegExp(`^v1\\.${ada}\\.`)) },
    });
    expect(stored.metadata).toEqual({
      actor: { type: 'user', id: ada },
      $personal: { fields: ['ip', 'userAgent'], value: expect.any(String) },
    });
    expect(readFileSync(file).toString('latin1')).not.toContain('203.0.113.9');
    const [opened] = await store.readStream('session-s1');
    expect(opened.data).toEqual(session.data);
    expect(opened.metadata).toEqual(session.metadata);
    expect((await store.readAll()).map((e) => e.data)).toEqual([session.data]);
  });

  it("seals the request's origin with the actor's key: erasing the subject leaves the admin's IP, and the reverse", async () => {
    const byAdmin = {
      type: 'AccountLockedByAdmin',
      data: { userId: ada },
      metadata: { actor: { type: 'admin', id: admin }, ip: '198.51.100.1', userAgent: 'Admin browser' },
    };
    await store.append(`user-${ada}`, [session, byAdmin], { expectedRevision: 'any' });
    await store.sealer.erase(ada, new Date());
    const [ownSession, lock] = await store.readStream(`user-${ada}`);
    expect(ownSession.data).toMatchObject({ browser: null, os: null, ip: null, location: null });
    expect(ownSession.metadata).toEqual({ actor: { type: 'user', id: ada }, ip: null, userAgent: null });
    expect(lock.metadata).toMatchObject({ ip: '198.51.100.1', userAgent: 'Admin browser' });
    await store.sealer.erase(admin, new Date());
    expect((await store.readStream(`user-${ada}`))[1].metadata).toMatchObject({ ip: null, userAgent: null });
  });

  it('refuses to write for an erased person, and a payload that brings its own envelope', async () => {
    await store.sealer.erase(ada, new Date());
    await expect(store.append(`session-s2`, [session], { expectedRevision: 'any' })).rejects.toThrow(/erased/);
    await expect(
      store.append('x-1', [{ type: 'Forged', data: { $personal: { fields: [], value: 'v1.a.b' } } }], {
        expectedRevision: 'any',
      }),
    ).rejects.toThrow(/\$personal/);
    expect(await raw.readAll()).toEqual([]);
  });
});
