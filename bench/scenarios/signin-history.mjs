// Scenario `signin-history` (issue 12): does a sign-in cost more for an account with a long
// history? An account's sign-in attempts stream is given 10,000 past events (appended straight
// into the server's SQLite file, as years of sign-ins would leave them); then its password sign-in
// is timed against a fresh account's, interleaved, one request at a time. Target: within 1.2x.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { newEmail, register, signIn, PASSWORD } from '../lib/api.mjs';
import { round } from '../lib/load.mjs';
import { ROOT } from '../lib/paths.mjs';
import { writeResult } from '../lib/report.mjs';
import { startServer } from '../lib/server.mjs';

const require = createRequire(import.meta.url);
const PAST_EVENTS = Number(process.env.BENCH_HISTORY_EVENTS ?? 10_000);
const SAMPLES = 40;

export default async function signinHistory() {
  console.log(
    `\n== signin-history: password sign-in p50, an account with ${PAST_EVENTS.toLocaleString('en')} past events vs a fresh one`,
  );
  const server = await startServer();
  const { SqliteEventStore } = require(join(ROOT, 'dist/libs/event-store/src/sqlite/sqlite-event-store.js'));
  const { emailDigest, normalizeEmail } = require(
    join(ROOT, 'dist/libs/identity/src/registering-user/email-claim.decider.js'),
  );
  const { streams } = require(join(ROOT, 'dist/libs/identity-events/src/identity-events.js'));
  try {
    const fresh = newEmail('fresh');
    const old = newEmail('old');
    await register(server.url, fresh);
    const { userId } = await register(server.url, old);

    // Another connection to the server's file: the embedded store takes appends from several processes.
    const events = new SqliteEventStore(join(server.dataDir, 'accounts.sqlite'));
    const stream = streams.signInAttempts(emailDigest(normalizeEmail(old)));
    const start = Date.now() - 365 * 86_400_000;
    try {
      for (let done = 0; done < PAST_EVENTS; done += 1000) {
        const existing = await events.readStream(stream, { fromRevision: done > 0 ? done - 1 : 0 });
        const batch = Array.from({ length: Math.min(1000, PAST_EVENTS - done) }, (_, i) => {
          const n = done + i;
          const occurredAt = new Date(start + n * 3_000_000).toISOString(); // a year of history
          return n % 10 === 9
            ? { type: 'LoginFailed', data: { userId, reason: 'wrong_password' }, metadata: { occurredAt } }
            : {
                type: 'LoginSucceeded',
                data: { userId, sessionId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` },
                metadata: { occurredAt },
              };
        });
        await events.append(stream, batch, {
          expectedRevision: existing.length === 0 ? 'no_stream' : existing[existing.length - 1].revision,
        });
      }
    } finally {
      await events.close();
    }

    const time = async (email) => {
      const started = performance.now();
      await signIn(server.url, email, PASSWORD);
      return performance.now() - started;
    };
    for (let i = 0; i < 5; i++) await Promise.all([time(fresh), time(old)].map((p) => p.catch(() => undefined))); // warm-up
    const freshMs = [];
    const oldMs = [];
    for (let i = 0; i < SAMPLES; i++) {
      // Alternating order, so drift of the shared machine hits both alike.
      if (i % 2 === 0) {
        freshMs.push(await time(fresh));
        oldMs.push(await time(old));
      } else {
        oldMs.push(await time(old));
        freshMs.push(await time(fresh));
      }
    }
    const p50 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ratio = p50(oldMs) / p50(freshMs);
    console.log(
      `  fresh account p50 ${round(p50(freshMs))} ms; with ${PAST_EVENTS.toLocaleString('en')} past events p50 ${round(p50(oldMs))} ms (n=${SAMPLES} each)`,
    );
    console.log(
      `  ${ratio <= 1.2 ? 'PASS' : 'MISS'} sign-in p50, long history / fresh: ${ratio.toFixed(2)}x vs target <= 1.2x`,
    );
    writeResult('signin-history', {
      pastEvents: PAST_EVENTS,
      samples: SAMPLES,
      freshP50Ms: round(p50(freshMs)),
      historyP50Ms: round(p50(oldMs)),
      ratio: Math.round(ratio * 100) / 100,
    });
  } finally {
    await server.stop();
  }
}
