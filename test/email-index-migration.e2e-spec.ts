import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as argon2 from 'argon2';
import { EventStore } from '@app/event-store';
import { SqliteEventStore } from '@app/event-store/sqlite/sqlite-event-store';
import { EmailIndex } from '@app/identity';
import { IdentityEvent, streams } from '@app/identity-events';
import { signIn } from './support/accounts';
import { request, STRONG_PASSWORD, TestApp, startTestApp } from './support/test-app';

/**
 * A DATA_DIR written by a version before the keyed email index: claims named by the plain SHA-256
 * of the address, personal values not sealed. On its first start this version claims every
 * account's address under the keyed name, so the account still signs in and its address cannot
 * be taken; it does so once.
 */
describe('upgrading a data directory to the keyed email index', () => {
  const email = 'Legacy.Person@example.com';
  const normalized = email.toLowerCase();
  const userId = randomUUID();
  let dataDir: string;
  let api: TestApp | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'legacy-index-'));
    const legacy = new SqliteEventStore(join(dataDir, 'accounts.sqlite'));
    const metadata = { occurredAt: new Date().toISOString(), actor: { type: 'system', id: null }, schemaVersion: 1 };
    const sha256 = createHash('sha256').update(normalized).digest('hex');
    await legacy.append(
      streams.emailGuard(sha256),
      [{ type: IdentityEvent.EmailClaimed, data: { userId }, metadata }],
      { expectedRevision: 'no_stream' },
    );
    const passwordHash = await argon2.hash(STRONG_PASSWORD, { type: argon2.argon2id });
    await legacy.append(
      streams.user(userId),
      [
        {
          type: IdentityEvent.UserRegistered,
          data: { userId, email, emailNormalized: normalized, passwordHash, roles: [] },
          metadata: { ...metadata, ip: '198.51.100.5', userAgent: 'an old browser' },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await legacy.close();
  });
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('the existing account signs in after the upgrade, and its address is claimed under the keyed name once', async () => {
    api = await startTestApp({ dataDir });
    const index = api.app.get(EmailIndex);
    expect(index.digestOf(normalized)).not.toBe(createHash('sha256').update(normalized).digest('hex'));
    expect((await signIn(api.url, email, STRONG_PASSWORD)).status).toBe(201);
    const claims = async () => (await api!.app.get(EventStore).readStream(index.guardOf(email))).length;
    expect(await claims()).toBe(1);
    // A sign-up for the address creates nothing: it is taken.
    const signUp = await request(`${api.url}/v1/users`, {
      json: { email, password: 'another passphrase for a squatter' },
    });
    expect(signUp.status).toBe(202);
    expect(await claims()).toBe(1);

    await api.close();
    api = await startTestApp({ dataDir });
    expect(await claims()).toBe(1); // not migrated twice
    expect((await signIn(api.url, email, STRONG_PASSWORD)).status).toBe(201);
  });
});
