// Starts the built API (dist/apps/api/src/main.js) in production mode on loopback with an embedded
// SQLite store in a temporary DATA_DIR, waits for /health/ready, and tears everything down.
import { spawn, execFileSync } from 'node:child_process';
import { knowOutbox } from './api.mjs';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';
import { memOf, resetPeak, sampleRss } from './proc.mjs';

export const MAIN = join(ROOT, 'dist/apps/api/src/main.js');

export function ensureBuilt({ force = false } = {}) {
  if (!force && existsSync(MAIN) && existsSync(join(ROOT, 'dist/libs/read-models/src/projector/projector.js'))) return;
  console.log('[bench] building the API (npm run build:api)...');
  execFileSync('npm', ['run', 'build:api', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startServer(extraEnv = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-api-'));
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    SECRET_BOX_KEY: randomBytes(32).toString('base64'),
    TOKEN_KEY: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: randomBytes(32).toString('base64'),
    // The per-IP sign-in limiter would refuse a load test from one IP; 100000 is the config maximum.
    SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
    SIGNUP_RATE_LIMIT_PER_IP_PER_HOUR: '100000',
    LOCKOUT_THRESHOLD: '100',
    // Pass-through of the hashing bounds, to compare queue limits under overload.
    ...(process.env.HASH_QUEUE_LIMIT ? { HASH_QUEUE_LIMIT: process.env.HASH_QUEUE_LIMIT } : {}),
    ...(process.env.HASH_CONCURRENCY ? { HASH_CONCURRENCY: process.env.HASH_CONCURRENCY } : {}),
    ...(process.env.HASH_MAX_WAIT_MS ? { HASH_MAX_WAIT_MS: process.env.HASH_MAX_WAIT_MS } : {}),
    ...extraEnv,
  };
  const nodeArgs = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const server = await launch({
    label: 'server',
    args: [...nodeArgs, MAIN],
    cwd: ROOT,
    env,
    port,
    dataDir,
    readyPath: '/health/ready',
  });
  // Without SMTP_URL the service writes mail to DATA_DIR/outbox: sign-up codes are read from there.
  if (!env.SMTP_URL) knowOutbox(server.url, join(dataDir, 'outbox'));
  return server;
}

/**
 * Spawns a Node server (`args` after the node binary), waits until `readyPath` answers 200, and
 * returns a handle: url, pid, peak-RSS measurement around a load run, stop (which also deletes
 * `dataDir`, when there is one). Shared by our service, the peer and the bare node:http reference.
 */
export async function launch({ label, args, cwd, env, port, dataDir, readyPath }) {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk) => {
    log += chunk;
    if (log.length > 20_000) log = log.slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`${label} exited during start-up (${JSON.stringify(exited)}):\n${log}`);
    try {
      const response = await fetch(`${url}${readyPath}`);
      if (response.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${label} not ready after 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    pid: child.pid,
    dataDir,
    log: () => log,
    mem: () => memOf(child.pid),
    /** Measures the peak RSS of the server during `fn` (VmHWM after a reset, or VmRSS sampling). */
    async measurePeak(fn) {
      const canReset = resetPeak(child.pid);
      const sampler = sampleRss(child.pid);
      const result = await fn();
      const sampled = sampler.stop();
      const hwm = memOf(child.pid).hwmMiB;
      return { result, peakRssMiB: round1(canReset && Number.isFinite(hwm) ? Math.max(hwm, sampled) : sampled) };
    },
    async stop() {
      if (!exited) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await done;
        clearTimeout(timer);
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The bare node:http reference (bench/reference/bare-http.mjs) in its own process. */
export async function startBareHttp() {
  const port = await freePort();
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', PORT: String(port) };
  return launch({
    label: 'bare node:http',
    args: [join(ROOT, 'bench/reference/bare-http.mjs')],
    cwd: ROOT,
    env,
    port,
    dataDir: null,
    readyPath: '/',
  });
}

export const round1 = (n) => Math.round(n * 10) / 10;
