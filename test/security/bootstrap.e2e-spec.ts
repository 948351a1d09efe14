import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from '../support/accounts';
import { buildApi, runCli, runToExit, ServiceProcess, startService } from '../support/service-process';

const OPERATOR_PASSWORD = 'operator bootstrap passphrase 42';
const ATTACKER_PASSWORD = 'attacker squatting passphrase 13';

/**
 * Issue 12, attack 1: bootstrap admin takeover. Whoever registers the BOOTSTRAP_ADMIN_EMAIL
 * address before the operator starts the service with it (or restarts after a bad password, or
 * after the last admin was removed) must not become admin. Runs the built service, as npm start.
 */
describe('attack: taking the bootstrap admin role by registering its address first', () => {
  let dataDir: string;
  const running: ServiceProcess[] = [];

  beforeAll(() => buildApi(), 120_000);
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'bootstrap-attack-'))));
  afterEach(async () => {
    for (const service of running.splice(0)) await service.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string> = {}): Promise<ServiceProcess> {
    const service = await startService({ DATA_DIR: dataDir, ...env });
    running.push(service);
    return service;
  }
  async function stop(service: ServiceProcess): Promise<void> {
    await service.stop('SIGTERM');
    running.splice(running.indexOf(service), 1);
  }
  const post = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  async function rolesOf(url: string, email: string, password: string): Promise<string[]> {
    const signedIn = (await (await post(`${url}/v1/sessions`, { email, password })).json()) as { token: string };
    const me = (await (
      await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${signedIn.token}` } })
    ).json()) as { roles: string[] };
    return me.roles;
  }

  it('1. refuses to start (exit 78) rather than promote an account registered by someone else', async () => {
    // Someone who can read ops@example.com's mail (else nothing is created: see 1e) signs up first.
    const early = await start();
    await register(early.url, 'ops@example.com', ATTACKER_PASSWORD);
    await stop(early);

    const result = await runToExit({
      DATA_DIR: dataDir,
      BOOTSTRAP_ADMIN_EMAIL: 'ops@example.com',
      BOOTSTRAP_ADMIN_PASSWORD: OPERATOR_PASSWORD,
    });
    expect(result.code).toBe(78);
    expect(result.output).toContain('BOOTSTRAP_ADMIN_EMAIL belongs to an existing account');
    expect(result.output).not.toContain(OPERATOR_PASSWORD);

    const after = await start();
    expect(await rolesOf(after.url, 'ops@example.com', ATTACKER_PASSWORD)).toEqual([]);
  }, 90_000);

  it('1b. refuses to start (exit 78) with a bootstrap password the policy refuses, instead of only logging it', async () => {
    const result = await runToExit({
      DATA_DIR: dataDir,
      BOOTSTRAP_ADMIN_EMAIL: 'ops@example.com',
      BOOTSTRAP_ADMIN_PASSWORD: 'password123',
    });
    expect(result.code).toBe(78);
    expect(result.output).toContain('BOOTSTRAP_ADMIN_PASSWORD is not accepted');
    expect(result.output).not.toContain('password123');
  }, 60_000);

  it('1c. promotes an existing account when the bootstrap password is its own password', async () => {
    const early = await start();
    await register(early.url, 'ops@example.com', OPERATOR_PASSWORD);
    await stop(early);
    const service = await start({
      BOOTSTRAP_ADMIN_EMAIL: 'ops@example.com',
      BOOTSTRAP_ADMIN_PASSWORD: OPERATOR_PASSWORD,
    });
    expect(await rolesOf(service.url, 'ops@example.com', OPERATOR_PASSWORD)).toEqual(['admin']);
  }, 90_000);

  it('1e. signing up with the bootstrap address first, without its mailbox, creates nothing: the next start makes the operator admin', async () => {
    const early = await start();
    const claimed = await post(`${early.url}/v1/users`, { email: 'ops@example.com', password: ATTACKER_PASSWORD });
    expect(claimed.status).toBe(202);
    const { registrationId } = (await claimed.json()) as { registrationId: string };
    // Guessing the mailed code: each guess fails, and the sign-up dies after ten.
    for (let i = 0; i < 10; i++)
      expect(
        (await post(`${early.url}/v1/users/registrations/${registrationId}`, { code: String(100000 + i) })).status,
      ).toBe(401);
    expect((await post(`${early.url}/v1/users/registrations/${registrationId}`, { code: '999999' })).status).toBe(400);
    await stop(early);

    const service = await start({
      BOOTSTRAP_ADMIN_EMAIL: 'ops@example.com',
      BOOTSTRAP_ADMIN_PASSWORD: OPERATOR_PASSWORD,
    });
    expect(await rolesOf(service.url, 'ops@example.com', OPERATOR_PASSWORD)).toEqual(['admin']);
    expect(
      (await post(`${service.url}/v1/sessions`, { email: 'ops@example.com', password: ATTACKER_PASSWORD })).status,
    ).toBe(401);
  }, 90_000);

  it('1d. the CLI refuses to remove the last administrator (which would reopen the bootstrap window)', async () => {
    const service = await start({
      BOOTSTRAP_ADMIN_EMAIL: 'ops@example.com',
      BOOTSTRAP_ADMIN_PASSWORD: OPERATOR_PASSWORD,
    });
    expect(await rolesOf(service.url, 'ops@example.com', OPERATOR_PASSWORD)).toEqual(['admin']);
    const refused = await runCli(['revoke-role', 'ops@example.com', 'admin'], { DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('last administrator');
    expect(await rolesOf(service.url, 'ops@example.com', OPERATOR_PASSWORD)).toEqual(['admin']);
  }, 90_000);
});
