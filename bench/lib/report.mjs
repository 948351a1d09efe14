import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { RESULTS } from './paths.mjs';

export function machine() {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    serverCores: `the server shares all ${availableParallelism()} cores with the load generator (autocannon, one process); argon2 runs on libuv's pool`,
  };
}

export function writeResult(name, data) {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${name}.json`);
  writeFileSync(file, JSON.stringify({ scenario: name, machine: machine(), ...data }, null, 2) + '\n');
  console.log(`[bench] wrote ${file}`);
}

export function line(label, s, peakRssMiB) {
  const codes = Object.entries(s.statusCodes)
    .map(([c, n]) => `${c}:${n}`)
    .join(' ');
  console.log(
    `  ${label.padEnd(34)} ${String(s.okPerSec).padStart(8)} ok req/s  (${s.reqPerSec} total)  p50 ${s.latencyMs.p50} ms  p99 ${s.latencyMs.p99} ms  max ${s.latencyMs.max} ms  [${codes}${s.errors ? ` errors:${s.errors}` : ''}]` +
      (peakRssMiB !== undefined ? `  server peak RSS ${peakRssMiB} MiB` : ''),
  );
}

export function verdict(label, value, target, unit = '') {
  const pass = value >= target;
  const miss = pass ? '' : ` (missed by ${Math.round((1 - value / target) * 1000) / 10}%)`;
  console.log(`  ${pass ? 'PASS' : 'MISS'} ${label}: ${value}${unit} vs target >= ${target}${unit}${miss}`);
  return { label, value, target, pass };
}

/**
 * Prints each run and keeps the ones that are not valid figures (non-2xx answers or errors):
 * `record(label, measured)` returns the result with its peak RSS; `problems` lists the bad runs.
 */
export function recorder() {
  const problems = [];
  const record = (label, measured) => {
    const { result, peakRssMiB } = measured;
    line(label, result, peakRssMiB);
    if (result.non2xx || result.errors || !result.ok2xx) {
      problems.push(
        `${label}: ${result.ok2xx} 2xx, non-2xx ${result.non2xx} ${JSON.stringify(result.statusCodes)}, errors ${result.errors}`,
      );
      console.log(`  !! ${label} is not a valid figure (non-2xx answers or errors)`);
    }
    return { ...result, peakRssMiB };
  };
  return { problems, record };
}
