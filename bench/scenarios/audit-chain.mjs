// Scenario `audit-chain` (issue 15): how fast the audit chain signs a log it has never seen (the
// first start after an upgrade, or a new deployment on an old log) and how long a full integrity
// check takes, at BENCH_AUDIT_EVENTS (default 200,000) synthetic events, SQLite stores, checkpoints
// every 1,000 events. Reported as events/s and as a ratio to the same run's batched append rate.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent } from '../lib/events-gen.mjs';
import { round } from '../lib/load.mjs';
import { ROOT } from '../lib/paths.mjs';
import { writeResult } from '../lib/report.mjs';

const require = createRequire(import.meta.url);
const TOTAL = Number(process.env.BENCH_AUDIT_EVENTS ?? 200_000);
const GEN_BATCH = 1000;

export default async function auditChain() {
  const dist = (path) => require(join(ROOT, 'dist', path));
  const { SqliteEventStore } = dist('libs/event-store/src/sqlite/sqlite-event-store.js');
  const { SqliteReadStore } = dist('libs/read-models/src/sqlite/sqlite-read-store.js');
  const { AuditChainer, AuditSigningKey, checkIntegrity } = dist('libs/audit-trail/src/index.js');
  const { SystemClock } = dist('libs/platform/src/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'bench-audit-'));
  try {
    console.log(`\n== audit-chain: sign a log of ${TOTAL} events from scratch, then check it whole`);
    const file = join(dir, 'accounts.sqlite');
    const events = new SqliteEventStore(file);
    const t0 = performance.now();
    for (let written = 0; written < TOTAL; written += GEN_BATCH) {
      const batch = Array.from({ length: Math.min(GEN_BATCH, TOTAL - written) }, (_, k) => makeEvent(written + k));
      await events.append(`gen-${Math.floor(written / GEN_BATCH) % 10_000}`, batch, { expectedRevision: 'any' });
    }
    const appendSeconds = (performance.now() - t0) / 1000;
    const appendRate = TOTAL / appendSeconds;
    console.log(`  batched appends (1,000 a transaction): ${round(appendRate, 0)} events/s`);

    const readStore = new SqliteReadStore(file);
    const key = new AuditSigningKey(randomBytes(32));
    const chainer = new AuditChainer(events, readStore, key, new SystemClock(), {
      checkpointEvery: 1000,
      sealSeconds: 60,
    });
    await chainer.ensureCollections();
    const t1 = performance.now();
    await chainer.sealNow();
    const chainSeconds = (performance.now() - t1) / 1000;
    const chainRate = TOTAL / chainSeconds;
    console.log(
      `  chain and sign from scratch: ${round(chainSeconds, 1)} s = ${round(chainRate, 0)} events/s (${round(chainRate / appendRate, 2)} x batched appends)`,
    );

    const t2 = performance.now();
    const report = await checkIntegrity(events, readStore, key.publicKey);
    const checkSeconds = (performance.now() - t2) / 1000;
    if (report.status !== 'intact' || report.events !== TOTAL)
      throw new Error(`unexpected report ${JSON.stringify(report)}`);
    console.log(
      `  full integrity check: ${round(checkSeconds, 1)} s = ${round(TOTAL / checkSeconds, 0)} events/s; peak RSS ${round(process.resourceUsage().maxRSS / 1024, 0)} MiB (bench process)`,
    );
    await events.close();
    await readStore.close();
    writeResult('audit-chain', {
      events: TOTAL,
      appendEventsPerSec: round(appendRate, 0),
      chain: {
        seconds: round(chainSeconds, 1),
        eventsPerSec: round(chainRate, 0),
        perAppendRate: round(chainRate / appendRate, 2),
      },
      check: { seconds: round(checkSeconds, 1), eventsPerSec: round(TOTAL / checkSeconds, 0) },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
