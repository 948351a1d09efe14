// Scenario `signin`: password sign-in at the design parameters (argon2id m=19456 t=2 p=1,
// HASH_CONCURRENCY=2) against the raw argon2id rate of this machine, and overload runs (200 and 400
// connections that retry at once) reporting goodput (successful sign-ins/s) against the steady rate,
// p50/p99 and the 503 `overloaded` answers.
import argon2 from 'argon2';
import { newEmail, pool, register, PASSWORD } from '../lib/api.mjs';
import { runLoad, round } from '../lib/load.mjs';
import { line, verdict, writeResult } from '../lib/report.mjs';
import { startServer } from '../lib/server.mjs';

const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const USERS = 50;

export async function rawArgon2Rate({ seconds = 5, concurrency = 2 } = {}) {
  await argon2.hash(PASSWORD, ARGON2); // warm-up
  const hash = await argon2.hash(PASSWORD, ARGON2);
  let hashes = 0;
  let verifies = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await argon2.verify(hash, PASSWORD); // sign-in verifies; cost equals a hash
        verifies++;
      }
    }),
  );
  const verifyRate = verifies / ((performance.now() - start) / 1000);
  const start2 = performance.now();
  const end2 = start2 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end2) {
        await argon2.hash(PASSWORD, ARGON2);
        hashes++;
      }
    }),
  );
  const hashRate = hashes / ((performance.now() - start2) / 1000);
  return { concurrency, hashesPerSec: round(hashRate, 1), verifiesPerSec: round(verifyRate, 1) };
}

/** Like report.mjs's verdict, for a figure that must stay at or under its target. */
function verdictAtMost(label, value, target, unit = '') {
  const pass = value <= target;
  const miss = pass ? '' : ` (over by ${Math.round((value / target - 1) * 1000) / 10}%)`;
  console.log(`  ${pass ? 'PASS' : 'MISS'} ${label}: ${value}${unit} vs target <= ${target}${unit}${miss}`);
  return { label, value, target, pass, atMost: true };
}

export default async function signin() {
  console.log(`\n== signin: password sign-in vs raw argon2id (m=19456 KiB, t=2, p=1, concurrency 2)`);
  const raw = await rawArgon2Rate();
  console.log(`  raw argon2id in-process: ${raw.hashesPerSec} hash/s, ${raw.verifiesPerSec} verify/s (concurrency 2)`);

  const server = await startServer();
  try {
    const emails = await pool(USERS, 4, async () => {
      const email = newEmail('signin');
      await register(server.url, email);
      return email;
    });
    const items = emails.map((email) => ({
      method: 'POST',
      path: '/v1/sessions',
      body: { email, password: PASSWORD },
    }));

    const runs = {};
    for (const [label, connections] of [
      ['steady (8 connections)', 8],
      ['overload (200 connections)', 200],
      ['overload (400 connections)', 400],
    ]) {
      const { result, peakRssMiB } = await server.measurePeak(() =>
        runLoad({ url: server.url, connections, duration: 10, items }),
      );
      line(label, result, peakRssMiB);
      runs[label] = { ...result, peakRssMiB };
    }
    const steady = runs['steady (8 connections)'];
    const ratio = round(steady.okPerSec / raw.verifiesPerSec, 2);
    console.log(`  sign-in / raw argon2id verify rate = ${ratio}`);
    const verdicts = [verdict('sign-in rate / raw argon2id rate', ratio, 0.8)];
    const maxWaitMs = Number(process.env.HASH_MAX_WAIT_MS ?? 1000);
    const overload = {};
    for (const key of ['overload (200 connections)', 'overload (400 connections)']) {
      const r = runs[key];
      const refused = r.statusCodes['503'] ?? 0;
      const goodputRatio = round(r.okPerSec / steady.okPerSec, 2);
      overload[key] = {
        goodputPerSec: r.okPerSec,
        goodputVsSteady: goodputRatio,
        p50Ms: r.latencyMs.p50,
        p99Ms: r.latencyMs.p99,
        maxMs: r.latencyMs.max,
        refused503: refused,
        refused503PerSec: round(refused / r.durationS, 1),
      };
      console.log(
        `  ${key}: goodput ${r.okPerSec} sign-ins/s = ${goodputRatio} x steady (${steady.okPerSec}/s); ` +
          `p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms; ` +
          `503s ${refused} (${overload[key].refused503PerSec}/s); timeouts ${r.timeouts}`,
      );
      // Goodput is reported, not judged: issue 6 asks for a bounded p99 (excess refused quickly),
      // and a load generator that retries every 503 at once competes with argon2 for the 2 cores.
      verdicts.push(verdictAtMost(`${key} p99`, r.latencyMs.p99, maxWaitMs + 1000, ' ms'));
    }
    const queueAtMaxWait = Math.round((maxWaitMs / 1000) * steady.okPerSec);
    console.log(
      `  (HASH_MAX_WAIT_MS=${maxWaitMs}: at the steady rate the hash queue admits about ${queueAtMaxWait} waiting sign-ins; ` +
        `HASH_QUEUE_LIMIT ${process.env.HASH_QUEUE_LIMIT ?? 256} is only the hard cap)`,
    );
    writeResult('signin', {
      raw,
      users: USERS,
      hashing: {
        maxWaitMs,
        queueLimit: Number(process.env.HASH_QUEUE_LIMIT ?? 256),
        concurrency: Number(process.env.HASH_CONCURRENCY ?? 2),
      },
      runs,
      ratio,
      overload,
      verdicts,
      serverPeakRssMiB: server.mem().hwmMiB,
    });
  } finally {
    await server.stop();
  }
}
