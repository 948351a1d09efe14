import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventStore } from '@app/event-store';
import { WRITE_MODEL_SNAPSHOTS } from '@app/identity';
import { PASSWORD_HASH_EVENTS } from '@app/identity-events';
import { ALL_PROJECTIONS, ReadStore } from '@app/read-models';
import { bearer, register, signIn, tokenFor, USER_AGENTS } from './support/accounts';
import { totp } from './support/rfc6238';
import { request, startTestApp, TestApp } from './support/test-app';

/**
 * Runs the account story, remembering every secret it handles, then reads every event, every
 * read-model document and the raw database files: no password, token or hash may show up where it
 * does not belong.
 */
describe('secrets at rest', () => {
  let api: TestApp;
  const passwords: string[] = [];
  const tokens: string[] = [];
  const seeds: string[] = [];
  const codes: string[] = [];
  const secrets = () => [...passwords, ...tokens, ...seeds, ...codes];

  beforeAll(async () => {
    api = await startTestApp({ env: { SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000' } });
    const alice = await register(api.url, 'alice.secret@example.com', 'alice has a long secret 1');
    const bob = await register(api.url, 'bob.secret@example.com', 'bob keeps another secret 2');
    passwords.push(alice.password, bob.password);
    for (const ua of Object.values(USER_AGENTS)) tokens.push(await tokenFor(api.url, alice, ua));
    tokens.push(await tokenFor(api.url, bob));
    const wrong = 'a wrong guess at the password 3';
    passwords.push(wrong);
    await signIn(api.url, alice.email, wrong);
    await signIn(api.url, 'nobody.secret@example.com', wrong);
    const newPassword = 'alice changed it to this 4!';
    passwords.push(newPassword);
    await request(`${api.url}/v1/me/password`, {
      method: 'PUT',
      json: { currentPassword: alice.password, newPassword, newPasswordRepeat: newPassword },
      headers: bearer(tokens[0]),
    });
    await request(`${api.url}/v1/sessions/current`, { method: 'DELETE', headers: bearer(tokens[3]) });

    // MFA secrets: the TOTP seed and the recovery codes.
    const bobToken = await tokenFor(api.url, bob);
    tokens.push(bobToken);
    const reauth = await request(`${api.url}/v1/me/reauth`, {
      method: 'POST',
      json: { password: bob.password },
      headers: bearer(bobToken),
    });
    tokens.push(reauth.body.reauthToken);
    const enrollment = await request(`${api.url}/v1/me/mfa/totp`, {
      method: 'POST',
      json: {},
      headers: bearer(bobToken, { 'x-reauth-token': reauth.body.reauthToken }),
    });
    seeds.push(enrollment.body.secret);
    const confirmed = await request(`${api.url}/v1/me/mfa/totp/confirm`, {
      method: 'POST',
      json: { code: totp(enrollment.body.secret, new Date()) },
      headers: bearer(bobToken),
    });
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    codes.push(...confirmed.body.recoveryCodes);
  });
  afterAll(() => api.close({ removeData: true }));

  it('keeps passwords, tokens, TOTP seeds and recovery codes out of every event; hashes only in the password events', async () => {
    expect(seeds).toHaveLength(1);
    expect(codes).toHaveLength(10);
    const events = await api.app.get(EventStore).readAll({ maxCount: 100_000 });
    expect(events.length).toBeGreaterThan(15);
    for (const event of events) {
      const text = JSON.stringify(event);
      for (const secret of secrets()) expect(text).not.toContain(secret);
      expect(JSON.stringify(event.metadata)).not.toContain('$argon2');
      const { passwordHash, ...rest } = event.data as { passwordHash?: string };
      expect(JSON.stringify(rest)).not.toContain('$argon2');
      if (passwordHash !== undefined) {
        expect(PASSWORD_HASH_EVENTS).toContain(event.type);
        expect(passwordHash).toMatch(/^\$argon2id\$/);
      }
    }
  });

  it('keeps passwords, tokens and hashes out of every read-model document', async () => {
    const readStore = api.app.get(ReadStore);
    const collections = [
      ...new Set(ALL_PROJECTIONS.map((p) => p.collection)),
      'session_activity',
      WRITE_MODEL_SNAPSHOTS,
    ];
    let documents = 0;
    for (const collection of collections) {
      for (const document of await readStore.find(collection)) {
        documents += 1;
        const text = JSON.stringify(document);
        for (const secret of secrets()) expect(text).not.toContain(secret);
        expect(text).not.toContain('$argon2');
      }
    }
    expect(documents).toBeGreaterThan(20);
  });

  it('keeps passwords and tokens out of the database files, byte for byte', () => {
    for (const file of readdirSync(api.dataDir).filter((f) => f.startsWith('accounts.sqlite'))) {
      const bytes = readFileSync(join(api.dataDir, file)).toString('latin1');
      for (const secret of secrets()) expect(bytes.includes(secret)).toBe(false);
    }
  });
});
