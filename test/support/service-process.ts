import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { buildOnce } from './build-once';
import { registerMailbox } from './mailboxes';

const ROOT = join(__dirname, '..', '..');

/** Compiles the API the way `npm start` does (dist/), unless it was built from the same inputs (build-once.ts). */
export async function buildApi(): Promise<void> {
  await buildOnce({
    npmArgs: ['run', 'build:api'],
    output: 'dist',
    inputs: ['apps', 'libs', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'],
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Sends a signal and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node dist/apps/<app>/src/main.js` and waits until /health/ready answers 200. */
export async function startService(
  env: Record<string, string>,
  timeoutMs = 30_000,
  app: 'api' | 'projector' = 'api',
): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, `dist/apps/${app}/src/main.js`)], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/health/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service not ready in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Its mail goes to DATA_DIR/outbox (or SMTP_URL): where `register` reads the sign-up code.
  registerMailbox(url, { smtpUrl: env.SMTP_URL ?? null, dataDir: env.DATA_DIR ?? join(ROOT, 'data') });
  return {
    url,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Runs a built app to its exit (for start-up failures); resolves with its exit code and output. */
export function runToExit(
  env: Record<string, string>,
  app: 'api' | 'projector' = 'api',
): Promise<{ code: number | null; output: string }> {
  return runBuilt(`dist/apps/${app}/src/main.js`, env);
}

/** Runs a built script of the projector app (e.g. `rebuild`) to its exit. */
export function runScript(
  script: 'rebuild',
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return runBuilt(`dist/apps/projector/src/${script}.js`, env);
}

/** Runs `npm run cli -- ...args` (built) with the given standard input. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  stdin = '',
): Promise<{ code: number | null; output: string }> {
  return runBuilt('dist/apps/api/src/cli.js', env, args, stdin);
}

function runBuilt(
  path: string,
  env: Record<string, string>,
  args: string[] = [],
  stdin?: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, path), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (stdin !== undefined) child.stdin!.end(stdin);
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => resolve({ code, output }));
  });
}
