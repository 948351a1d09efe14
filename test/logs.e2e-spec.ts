import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, register, signIn } from './support/accounts';
import { buildApi, ServiceProcess, startService } from './support/service-process';
import { PRODUCTION_ENV, request, uniqueEmail } from './support/test-app';

const PRODUCTION = PRODUCTION_ENV;

/** The built API in production mode logs JSON lines (pino): one per answered request, with its id. */
describe('logs in production', () => {
  let dataDir: string;
  let service: ServiceProcess | undefined;

  beforeAll(() => buildApi(), 120_000);
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'accounts-logs-'))));
  afterEach(async () => {
    await service?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes one JSON object per line, with the request id, and never a password, token or address', async () => {
    service = await startService({ ...PRODUCTION, DATA_DIR: dataDir });
    const email = uniqueEmail('logged');
    const account = await register(service.url, email, 'a passphrase that must never be logged');
    expect((await signIn(service.url, email, 'a wrong passphrase, not logged either')).status).toBe(401);
    const token = (await signIn(service.url, email, account.password)).body.token as string;
    const me = await request(`${service.url}/v1/me`, {
      headers: bearer(token, { 'x-request-id': 'trace-me-0123456789' }),
    });
    expect(me.status).toBe(200);
    await service.stop('SIGTERM');

    const lines = service
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>); // throws on a non-JSON line
    expect(entries.length).toBeGreaterThan(5);
    expect(entries.every((e) => typeof e.level === 'string' && typeof e.time === 'string' && 'msg' in e)).toBe(true);
    expect(entries).toContainEqual(
      expect.objectContaining({ context: 'Bootstrap', msg: expect.stringMatching(/^Listening on http/) }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        msg: 'request completed',
        requestId: 'trace-me-0123456789',
        method: 'GET',
        route: '/v1/me',
        status: 200,
      }),
    );
    const signIns = entries.filter((e) => e.msg === 'request completed' && e.route === '/v1/sessions');
    expect(signIns.map((e) => e.status)).toEqual([401, 201]);
    const output = service.output();
    for (const secret of [account.password, 'a wrong passphrase', token, email, account.userId])
      expect(output).not.toContain(secret);
  }, 60_000);
});
