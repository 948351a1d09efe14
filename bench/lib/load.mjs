// Spawns load-child.mjs (autocannon) and summarises its result.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH } from './paths.mjs';

export async function runLoad(config) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  try {
    const out = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(BENCH, 'lib/load-child.mjs'), file], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`autocannon child exited ${code}`))));
    });
    return summarise(JSON.parse(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarise(r) {
  const seconds = r.duration; // autocannon reports the actual duration in seconds
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, v]) => [code, v.count]));
  const ok = r['2xx'];
  return {
    connections: r.connections,
    durationS: round(seconds, 2),
    requests: r.requests.total,
    ok2xx: ok,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    reqPerSec: round(r.requests.total / seconds, 1),
    okPerSec: round(ok / seconds, 1),
    latencyMs: {
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
      mean: round(r.latency.average, 2),
    },
  };
}

export const round = (n, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
