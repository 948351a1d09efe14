// Scenario `event-store`: appends per second on the SQLite adapter (single events and batches of
// 100), then projection rebuild speed (Projector.catchUp with ALL_PROJECTIONS into a fresh
// SqliteReadStore, batchSize 2000) at 250k, 500k and 1M events with the rebuild process's peak RSS.
// With MONGO_URL set, the largest log is also rebuilt into MongoDB (a database of its own, dropped after).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent } from '../lib/events-gen.mjs';
import { rebuildInChild } from '../lib/rebuild.mjs';
import { round } from '../lib/load.mjs';
import { ROOT } from '../lib/paths.mjs';
import { verdict, writeResult } from '../lib/report.mjs';

const require = createRequire(import.meta.url);
const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
// Rebuilds at several sizes, to see whether speed and memory hold as the log grows.
const CHECKPOINTS = [...new Set([250_000, 500_000, TOTAL].filter((n) => n <= TOTAL))];
const GEN_BATCH = 1000;
const BATCH_SIZE = 2000;

async function timeAppends(store, label, perAppend, seconds) {
  let appends = 0;
  let events = 0;
  let i = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    const batch = Array.from({ length: perAppend }, () => makeEvent(++i));
    await store.append(`user-${label}-${appends % 500}`, batch, { expectedRevision: 'any' });
    appends++;
    events += perAppend;
  }
  const s = (performance.now() - start) / 1000;
  return {
    perAppend,
    appends,
    events,
    seconds: round(s, 2),
    appendsPerSec: round(appends / s, 1),
    eventsPerSec: round(events / s, 0),
  };
}

const rebuild = (eventsFile, readFile) => rebuildInChild(eventsFile, readFile, BATCH_SIZE);

export default async function eventStore() {
  const { SqliteEventStore } = require(join(ROOT, 'dist/libs/event-store/src/sqlite/sqlite-event-store.js'));
  const dir = mkdtempSync(join(tmpdir(), 'bench-es-'));
  try {
    console.log(`\n== event-store: SQLite adapter appends (WAL, synchronous=FULL) and projection rebuild`);
    const appendStore = new SqliteEventStore(join(dir, 'appends.sqlite'));
    const single = await timeAppends(appendStore, 'single', 1, 5);
    console.log(
      `  append 1 event per transaction:    ${single.appendsPerSec} appends/s = ${single.eventsPerSec} events/s`,
    );
    const hundred = await timeAppends(appendStore, 'batch', 100, 5);
    console.log(
      `  append 100 events per transaction: ${hundred.appendsPerSec} appends/s = ${hundred.eventsPerSec} events/s`,
    );
    await appendStore.close();

    const eventsFile = join(dir, 'events.sqlite');
    const rebuilds = [];
    let written = 0;
    let genSeconds = 0;
    for (const target of CHECKPOINTS) {
      // Closed before each rebuild, as `npm run rebuild` runs with the API stopped (closing also
      // checkpoints the WAL into the file the rebuild reads).
      const store = new SqliteEventStore(eventsFile);
      const t0 = performance.now();
      while (written < target) {
        const n = Math.min(GEN_BATCH, target - written);
        const batch = new Array(n);
        for (let k = 0; k < n; k++) batch[k] = makeEvent(written + k);
        await store.append(`gen-${Math.floor(written / GEN_BATCH) % 10_000}`, batch, { expectedRevision: 'any' });
        written += n;
      }
      genSeconds += (performance.now() - t0) / 1000;
      await store.close();
      const readFile = join(dir, `read-${target}.sqlite`);
      const r = await rebuild(eventsFile, readFile);
      const size = statSync(eventsFile).size;
      rmSync(readFile, { force: true });
      rmSync(readFile + '-wal', { force: true });
      rmSync(readFile + '-shm', { force: true });
      const entry = {
        events: r.events,
        seconds: round(r.seconds, 2),
        eventsPerSec: round(r.eventsPerSec, 0),
        peakRssMiB: round(r.peakRssMiB, 1),
        eventFileMiB: round(size / 2 ** 20, 0),
      };
      rebuilds.push(entry);
      console.log(
        `  rebuild ${entry.events} events: ${entry.seconds} s = ${entry.eventsPerSec} events/s, rebuild process peak RSS ${entry.peakRssMiB} MiB (event file ${entry.eventFileMiB} MiB)`,
      );
    }
    console.log(
      `  generation of ${written} events (appends of ${GEN_BATCH}): ${round(genSeconds, 1)} s = ${round(written / genSeconds, 0)} events/s`,
    );
    // The production read store, when there is one to measure: the same log into MongoDB.
    let mongo;
    if (process.env.MONGO_URL) {
      const url = new URL(process.env.MONGO_URL);
      url.pathname = `/bench_rebuild_${process.pid}`;
      const r = await rebuild(eventsFile, url.toString());
      mongo = {
        events: r.events,
        seconds: round(r.seconds, 2),
        eventsPerSec: round(r.eventsPerSec, 0),
        peakRssMiB: round(r.peakRssMiB, 1),
      };
      console.log(
        `  rebuild ${mongo.events} events into MongoDB: ${mongo.seconds} s = ${mongo.eventsPerSec} events/s, peak RSS ${mongo.peakRssMiB} MiB`,
      );
    } else {
      console.log('  MongoDB read store: not measured (MONGO_URL unset)');
    }
    const last = rebuilds[rebuilds.length - 1];
    // Absolute rates swing ~2x between machines of one kind: the target is a ratio to the store's
    // own batched append rate, measured in this same run (issue 16).
    for (const entry of rebuilds) entry.perBatchedAppend = round(entry.eventsPerSec / hundred.eventsPerSec, 2);
    if (mongo) mongo.perBatchedAppend = round(mongo.eventsPerSec / hundred.eventsPerSec, 2);
    console.log(
      `  rebuild / batched appends (${hundred.eventsPerSec} events/s, same run): ${rebuilds.map((r) => `${r.events}: ${r.perBatchedAppend}`).join(', ')}`,
    );
    const verdicts = [verdict('rebuild / batched appends, largest log', last.perBatchedAppend, 0.9)];
    if (mongo) {
      console.log(`  MongoDB rebuild / batched appends: ${mongo.perBatchedAppend}`);
      verdicts.push(verdict('MongoDB rebuild / batched appends, largest log', mongo.perBatchedAppend, 0.9));
    }
    const growth = round(last.peakRssMiB / rebuilds[0].peakRssMiB, 2);
    console.log(
      `  peak RSS by size: ${rebuilds.map((r) => `${r.events}: ${r.peakRssMiB} MiB`).join(', ')}; ${rebuilds[0].events} -> ${last.events}: x${growth} (flat if ~1)`,
    );
    writeResult('event-store', {
      appends: { single, batch100: hundred },
      generation: { events: written, seconds: round(genSeconds, 1) },
      rebuildBatchSize: BATCH_SIZE,
      rebuilds,
      mongoRebuild: mongo ?? null,
      memoryGrowth: growth,
      verdicts,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
