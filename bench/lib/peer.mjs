// The better-auth peer (bench/peers/better-auth): install on first use, start, and fixtures through
// its public API. Shared by the `peer` and `session-check` scenarios.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { call, PASSWORD } from './api.mjs';
import { BENCH, ROOT } from './paths.mjs';
import { freePort, launch } from './server.mjs';

export const PEER_DIR = join(BENCH, 'peers/better-auth');

export function ensurePeerInstalled() {
  // npm writes node_modules/.package-lock.json last, so its presence means a finished install.
  if (existsSync(join(PEER_DIR, 'node_modules/.package-lock.json'))) return;
  const prefix = relative(ROOT, PEER_DIR);
  console.log(
    `[bench] installing the better-auth peer: npm ci --prefix ${prefix} (from its package-lock.json; builds better-sqlite3 and argon2, ~1-2 min)`,
  );
  execFileSync('npm', ['ci', '--prefix', prefix, '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
}

export const peerVersion = () =>
  JSON.parse(readFileSync(join(PEER_DIR, 'node_modules/better-auth/package.json'), 'utf8')).version;

/** Starts bench/peers/better-auth/server.mjs; same interface as startServer() of lib/server.mjs. */
export async function startPeer({ hash }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-peer-'));
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    PEER_DATA_DIR: dataDir,
    PEER_HASH: hash,
    BETTER_AUTH_SECRET: randomBytes(32).toString('base64'),
  };
  return launch({
    label: 'better-auth peer',
    args: [join(PEER_DIR, 'server.mjs')],
    cwd: PEER_DIR,
    env,
    port,
    dataDir,
    readyPath: '/ready',
  });
}

export const baEmail = () => `bench-peer-${randomUUID().slice(0, 12)}@example.com`;
// better-auth's CSRF check refuses a POST that carries Fetch Metadata (Node's fetch sends
// `sec-fetch-mode: cors`) or a cookie without a trusted Origin; a browser on the app's own origin
// sends one, so every POST here (set-up and load) does too.
export const origin = (base) => ({ origin: base });

export async function baSignUp(base, email) {
  const r = await call(base, 'POST', '/api/auth/sign-up/email', {
    body: { email, password: PASSWORD, name: 'Bench User' },
    headers: origin(base),
  });
  if (r.status !== 200 || !r.json?.user?.id)
    throw new Error(`better-auth sign-up: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json.user.id;
}

/** Signs in and returns the session cookie (`name=value`, as a browser would send it back). */
export async function baSignIn(base, email) {
  const response = await fetch(`${base}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...origin(base) },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`better-auth sign-in: ${response.status} ${text.slice(0, 300)}`);
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]);
  const session = cookies.find((c) => c.includes('session_token='));
  if (!session) throw new Error(`better-auth sign-in set no session cookie: ${cookies.join(' | ')}`);
  return cookies.join('; ');
}

/** get-session answers 200 `null` for an unknown cookie, so 2xx alone proves nothing: check bodies. */
export async function baCheckSessions(base, sessions) {
  for (const { cookie, userId } of sessions) {
    const r = await call(base, 'GET', '/api/auth/get-session', { headers: { cookie } });
    if (r.status !== 200 || r.json?.user?.id !== userId)
      throw new Error(`better-auth get-session did not return the session: ${r.status} ${r.text.slice(0, 200)}`);
  }
}
