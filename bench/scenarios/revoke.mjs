// Scenario `revoke`: a state-changing command without password hashing, end to end:
// DELETE /v1/me/sessions/{id} (revoke another session of the caller; the response waits for the
// read model, read-your-writes). Each revoked session needed its own sign-in, so the run revokes a
// fixed number of sessions, each exactly once.
import { newEmail, pool, register, signIn } from '../lib/api.mjs';
import { runLoad } from '../lib/load.mjs';
import { line, writeResult } from '../lib/report.mjs';
import { startServer } from '../lib/server.mjs';

const USERS = 10;
const SESSIONS_PER_USER = Number(process.env.BENCH_REVOKE_SESSIONS ?? 80);
const CONNECTIONS = 10;

export default async function revoke() {
  console.log(
    `\n== revoke: DELETE /v1/me/sessions/{id} (${USERS} users x ${SESSIONS_PER_USER} sessions, ${CONNECTIONS} connections)`,
  );
  const server = await startServer();
  try {
    const t0 = performance.now();
    const emails = await pool(USERS, 4, async () => {
      const email = newEmail('revoke');
      await register(server.url, email);
      return email;
    });
    const sessions = await pool(USERS * (SESSIONS_PER_USER + 1), 4, async (i) => {
      const email = emails[i % USERS];
      const r = await signIn(server.url, email);
      return { user: i % USERS, token: r.token, id: r.session.id };
    });
    // The first session of each user revokes all the others.
    const callers = new Map();
    const items = [];
    for (const s of sessions) {
      if (!callers.has(s.user)) callers.set(s.user, s.token);
      else
        items.push({
          method: 'DELETE',
          path: `/v1/me/sessions/${s.id}`,
          headers: { authorization: `Bearer ${callers.get(s.user)}` },
        });
    }
    // Interleave users so concurrent requests hit different user streams.
    items.sort((a, b) => (a.path < b.path ? -1 : 1));
    console.log(`  setup (${sessions.length} sign-ins): ${Math.round(performance.now() - t0)} ms`);
    const run = await server.measurePeak(() =>
      runLoad({ url: server.url, connections: CONNECTIONS, amount: items.length, items }),
    );
    line('DELETE /v1/me/sessions/{id}', run.result, run.peakRssMiB);
    if (run.result.ok2xx !== items.length)
      console.log(`  WARNING: ${items.length - run.result.ok2xx} revocations not 2xx`);
    writeResult('revoke', {
      users: USERS,
      sessionsRevoked: items.length,
      connections: CONNECTIONS,
      run: { ...run.result, peakRssMiB: run.peakRssMiB },
      serverPeakRssMiB: server.mem().hwmMiB,
    });
  } finally {
    await server.stop();
  }
}
