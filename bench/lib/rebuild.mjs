// Runs bench/lib/rebuild-child.mjs in its own process (so its memory is its own) and returns what
// it prints: { events, seconds, eventsPerSec, peakRssMiB }.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BENCH } from './paths.mjs';

/** With `secretBoxKey`, the events are read opened, as the service reads them (see the child). */
export function rebuildInChild(eventsFile, readFile, batchSize, secretBoxKey) {
  return new Promise((resolve, reject) => {
    // The same V8 flag as `npm run rebuild` (a larger young generation: the rebuild allocates fast).
    const args = [
      '--max-semi-space-size=128',
      join(BENCH, 'lib/rebuild-child.mjs'),
      eventsFile,
      readFile,
      String(batchSize),
    ];
    if (secretBoxKey) args.push(secretBoxKey.toString('base64'));
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`rebuild child exited ${code}`)),
    );
  });
}
