import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditChainer, AuditSigningKey } from '@app/audit-trail';
import { EventStore } from '@app/event-store';
import { ManualClock } from '@app/platform';
import { bearer, register, tokenFor } from './support/accounts';
import { appWithBootstrapAdmin, auditorWithMfa } from './support/mfa-session';
import { buildApi, runCli } from './support/service-process';
import { editEventIp } from './support/tamper';
import { request, TestApp } from './support/test-app';

/**
 * The audit chain through the service: the admin API and `npm run cli -- verify-log` report an
 * intact log, then find an event edited in the real SQLite file, by position. (Every other kind of
 * tampering is in libs/audit-trail/src/audit-trail.int-spec.ts, on the same kind of file.)
 */
describe('audit integrity end to end', () => {
  const clock = new ManualClock(new Date());
  let api: TestApp;
  let adminToken: string;
  let auditorToken: string;
  let auditorId: string;

  const integrity = async (token = adminToken) => request(`${api.url}/v1/admin/integrity`, { headers: bearer(token) });
  const cli = (args: string[]) => runCli(['verify-log', ...args], { DATA_DIR: api.dataDir, NODE_ENV: 'test' });

  beforeAll(async () => {
    await buildApi();
    const started = await appWithBootstrapAdmin(
      clock,
      { email: 'integrity.admin@example.com', password: 'integrity admin passphrase' },
      { AUDIT_CHECKPOINT_EVERY: '5' },
    );
    api = started.api;
    adminToken = started.sessions.withMfa;
    const auditor = await auditorWithMfa(api.url, clock, adminToken);
    auditorToken = auditor.sessions.withMfa;
    auditorId = auditor.account.userId;
    for (let i = 0; i < 2; i++) await register(api.url);
    await api.app.get(AuditChainer).sealNow();
  }, 120_000);

  afterAll(() => api.close({ removeData: true }));

  it('reports an intact log: every event under a signed checkpoint, with the public key to check it offline', async () => {
    const answer = await integrity(auditorToken);
    expect(answer.status).toBe(200);
    const events = await api.app.get(EventStore).readAll({ maxCount: 100_000 });
    expect(answer.body).toMatchObject({
      status: 'intact',
      events: events.length,
      pending: 0,
      firstBroken: null,
      keyId: api.app.get(AuditSigningKey).publicKey.keyId,
      publicKey: api.app.get(AuditSigningKey).publicKey.encoded,
      verified: {
        fromPosition: events[0].position,
        toPosition: events[events.length - 1].position,
        events: events.length,
      },
      lastCheckpoint: { toSeq: events.length, position: events[events.length - 1].position },
    });
    expect(answer.body.checkedAt).toBe(clock.now().toISOString());

    const fromShell = await cli([]);
    expect(fromShell.code).toBe(0);
    expect(fromShell.output).toContain(`Audit log INTACT: ${events.length} events`);
    // A mistyped command is a usage error (64), never read as a broken log (1).
    expect((await cli(['--jsno'])).code).toBe(64);
    const badKey = await cli(['--public-key', 'not-a-key']);
    expect(badKey.code).toBe(64);
    expect(badKey.output).toContain('--public-key takes the 32-byte Ed25519 public key');
  }, 60_000);

  it('refuses a signed-in user who is neither auditor nor admin', async () => {
    const account = await register(api.url);
    const answer = await integrity(await tokenFor(api.url, account));
    expect(answer.status).toBe(403);
    expect((await request(`${api.url}/v1/admin/integrity`)).status).toBe(401);
  });

  it('exports the log as JSON Lines, without secrets, that the CLI verifies offline with the public key alone', async () => {
    await api.app.get(AuditChainer).sealNow();
    const publicKey = api.app.get(AuditSigningKey).publicKey.encoded;
    const download = async (query = '') => {
      const answer = await fetch(`${api.url}/v1/admin/events${query}`, {
        headers: { ...bearer(auditorToken), accept: 'application/x-ndjson' },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toContain('application/x-ndjson');
      return answer.text();
    };
    const whole = await download();
    // Password hashes, code hashes and token hashes are in the log; only their commitments are exported.
    expect(whole).not.toContain('$argon2');
    expect(whole).toContain('"$commitment"');
    // Personal data is exported as stored: sealed with its owner's data key (docs/ERASURE.md).
    expect(whole).toMatch(/"\$personal":\{"fields":\["ip","userAgent"\],"value":"v1\./);
    expect(whole).not.toContain('"ip":"');
    const dir = mkdtempSync(join(tmpdir(), 'audit-export-'));
    try {
      const file = join(dir, 'log.jsonl');
      writeFileSync(file, whole);
      const offline = await runCli(['verify-export', file, '--public-key', publicKey], {});
      expect(offline.code).toBe(0);
      expect(offline.output).toMatch(/Audit export VERIFIED: \d+ events/);

      const mine = await download(`?userId=${auditorId}&type=UserRegistered`);
      writeFileSync(file, mine);
      const filtered = await runCli(['verify-export', file, '--public-key', publicKey, '--json'], {});
      expect(filtered.code).toBe(0);
      expect(JSON.parse(filtered.output.slice(filtered.output.indexOf('{')))).toMatchObject({ events: 1, verified: 1 });

      // An IP put back in clear where a sealed one was: the signed digest covers the sealed form.
      writeFileSync(
        file,
        whole.replace(/"\$personal":\{"fields":\["ip","userAgent"\],"value":"[^"]*"\}/, '"ip":"198.51.100.99"'),
      );
      const edited = await runCli(['verify-export', file, '--public-key', publicKey], {});
      expect(edited.code).toBe(1);
      expect(edited.output).toContain('the event does not match its signed digest');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('finds an event edited in the SQLite file: the API and the CLI name its position and exit non-zero', async () => {
    await api.app.get(AuditChainer).sealNow();
    const events = await api.app.get(EventStore).readAll({ maxCount: 100_000 });
    const target = events[3];
    editEventIp(api.dataDir, target.position);
    clock.advance(1_000);
    const answer = await integrity();
    expect(answer.body.checkedAt).toBe(clock.now().toISOString());
    expect(answer.body).toMatchObject({
      status: 'broken',
      firstBroken: { seq: 4, position: target.position },
      verified: { events: 3 },
    });

    const fromShell = await cli([]);
    expect(fromShell.code).toBe(1);
    expect(fromShell.output).toContain(`FIRST BROKEN: event 4 (position ${target.position})`);
    // An auditor's own copy of the public key gives the same answer; another key trusts nothing.
    const withKey = await cli(['--public-key', api.app.get(AuditSigningKey).publicKey.encoded, '--json']);
    expect(withKey.code).toBe(1);
    expect(JSON.parse(withKey.output.slice(withKey.output.indexOf('{'))).firstBroken.seq).toBe(4);
    const otherKey = await cli(['--public-key', Buffer.alloc(32, 9).toString('base64url')]);
    expect(otherKey.code).toBe(1);
    expect(otherKey.output).toContain('checkpoint signed by another key');
  }, 60_000);
});
