import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '@app/read-models/sqlite/sqlite-read-store';
import { buildApi, runCli, runScript, runToExit, ServiceProcess, startService } from './support/service-process';
import { register } from './support/accounts';
import { STRONG_PASSWORD } from './support/test-app';

/**
 * The production shape on embedded stores: the API with PROJECTOR_IN_PROCESS=false and the
 * projector as its own process, sharing the SQLite file; and start-up refusing bad configuration.
 */
describe('built processes', () => {
  let dataDir: string;
  const running: ServiceProcess[] = [];

  beforeAll(() => buildApi(), 120_000);
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'accounts-processes-'))));
  afterEach(async () => {
    for (const service of running.splice(0)) await service.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps read-your-writes with the projector in a separate process', async () => {
    const projector = await startService({ DATA_DIR: dataDir }, 30_000, 'projector');
    running.push(projector);
    // A long bound: a response well inside it means the wait ended because the projector got there.
    const api = await startService({
      DATA_DIR: dataDir,
      PROJECTOR_IN_PROCESS: 'false',
      READ_YOUR_WRITES_TIMEOUT_MS: '10000',
    });
    running.push(api);

    // Sign-up, and the confirmation of its mailed code, answered after the projector caught up.
    const { userId } = await register(api.url, 'separate.projector@example.com', STRONG_PASSWORD);
    // The wait ended because the projector got there, not at its bound (which logs the lag).
    expect(api.output()).not.toContain('did not reach position');
    const readStore = new SqliteReadStore(join(dataDir, 'accounts.sqlite'));
    try {
      expect(await readStore.get('users', userId)).toMatchObject({ email: 'separate.projector@example.com' });
    } finally {
      await readStore.close();
    }

    const apiReady = (await (await fetch(`${api.url}/health/ready`)).json()) as { checks: { projector: unknown } };
    expect(apiReady.checks.projector).toMatchObject({ status: 'ok', mode: 'external', eventsBehind: 0 });
    const projectorReady = (await (await fetch(`${projector.url}/health/ready`)).json()) as {
      checks: { projector: unknown };
    };
    expect(projectorReady.checks.projector).toMatchObject({ status: 'ok', mode: 'in-process', eventsProjected: 5 });
  }, 60_000);

  it('rebuilds every read model from zero with npm run rebuild to the same documents', async () => {
    const api = await startService({ DATA_DIR: dataDir });
    running.push(api);
    for (const name of ['one', 'two', 'three']) await register(api.url, `${name}@example.com`, STRONG_PASSWORD);
    const file = join(dataDir, 'accounts.sqlite');
    const before = await readUsers(file);
    expect(before).toHaveLength(3);
    // While the API runs the background work, the rebuild refuses to start (issue 16: the lease).
    const refused = await runScript('rebuild', { DATA_DIR: dataDir });
    expect(refused).toMatchObject({
      code: 75,
      output: expect.stringContaining('another process runs the background work'),
    });
    expect(await readUsers(file)).toEqual(before);
    await running.pop()!.stop('SIGTERM'); // releases the lease: the rebuild may start at once

    const result = await runScript('rebuild', { DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/Rebuilt \d+ projections up to position 0+15 in/);
    expect(await readUsers(file)).toEqual(before);
  }, 60_000);

  it('creates users and grants roles from the shell with npm run cli, the password on standard input', async () => {
    const password = 'operator passphrase from stdin';
    const created = await runCli(
      ['create-user', 'operator@example.com', '--role', 'auditor'],
      { DATA_DIR: dataDir },
      `${password}\n`,
    );
    expect(created).toMatchObject({ code: 0, output: expect.stringContaining('Created user operator@example.com') });
    expect(created.output).not.toContain(password);
    const granted = await runCli(['grant-role', 'operator@example.com', 'admin'], { DATA_DIR: dataDir });
    expect(granted.output).toContain('now has roles: auditor, admin');
    const unknown = await runCli(['grant-role', 'nobody@example.com', 'admin'], { DATA_DIR: dataDir });
    expect(unknown).toMatchObject({ code: 1, output: expect.stringContaining('not_found') });

    const api = await startService({ DATA_DIR: dataDir });
    running.push(api);
    const signIn = await fetch(`${api.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'operator@example.com', password }),
    });
    const { token } = (await signIn.json()) as { token: string };
    const me = (await (await fetch(`${api.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      roles: string[];
    };
    expect(me.roles.sort()).toEqual(['admin', 'auditor']);
  }, 60_000);

  it('refuses to start with bad configuration and names the variable', async () => {
    const result = await runToExit({ DATA_DIR: dataDir, PORT: 'eighty', MONGO_URL: 'http://nope' });
    expect(result.code).toBe(78);
    expect(result.output).toContain('PORT must be an integer');
    expect(result.output).toContain('MONGO_URL');
  });

  it('refuses to start in production without keys', async () => {
    const result = await runToExit({ DATA_DIR: dataDir, NODE_ENV: 'production' });
    expect(result.code).toBe(78);
    expect(result.output).toContain('SECRET_BOX_KEY, TOKEN_KEY and AUDIT_SIGNING_KEY are required');
  });
});

async function readUsers(file: string) {
  const readStore = new SqliteReadStore(file);
  try {
    return await readStore.find('users', { orderBy: [{ field: 'id', direction: 'asc' }] });
  } finally {
    await readStore.close();
  }
}
