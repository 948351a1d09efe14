// Scenario `totp`: the second sign-in step (POST /v1/sessions/challenges/{id} with a TOTP code).
// Every user can use one code per 30 s step, so the run uses many users, each with one open
// challenge, and sends each challenge exactly once (autocannon `amount`).
import { call, must, pool, userWithTotp, PASSWORD } from '../lib/api.mjs';
import { runLoad } from '../lib/load.mjs';
import { line, writeResult } from '../lib/report.mjs';
import { startServer } from '../lib/server.mjs';

const USERS = Number(process.env.BENCH_TOTP_USERS ?? 200);
const CONNECTIONS = 10;

export default async function totpScenario() {
  console.log(
    `\n== totp: second sign-in step with TOTP (${USERS} users, one challenge each, ${CONNECTIONS} connections)`,
  );
  const server = await startServer();
  try {
    const t0 = performance.now();
    const users = await pool(USERS, 4, () => userWithTotp(server.url));
    const challenges = await pool(USERS, 4, async (i) => {
      const r = await must(
        call(server.url, 'POST', '/v1/sessions', { body: { email: users[i].email, password: PASSWORD } }),
        [200],
      );
      if (r.status !== 'mfa_required') throw new Error(`expected mfa_required, got ${JSON.stringify(r)}`);
      return { method: 'POST', path: `/v1/sessions/challenges/${r.challengeId}`, totpSecret: users[i].secret };
    });
    console.log(
      `  setup (${USERS} users with TOTP + ${USERS} challenges, 4 argon2 hashes each): ${Math.round(performance.now() - t0)} ms`,
    );
    const run = await server.measurePeak(() =>
      runLoad({ url: server.url, connections: CONNECTIONS, amount: challenges.length, items: challenges }),
    );
    line('POST /v1/sessions/challenges/{id}', run.result, run.peakRssMiB);
    if (run.result.ok2xx !== challenges.length)
      console.log(`  WARNING: ${challenges.length - run.result.ok2xx} challenges not accepted`);
    writeResult('totp', {
      users: USERS,
      connections: CONNECTIONS,
      run: { ...run.result, peakRssMiB: run.peakRssMiB },
      serverPeakRssMiB: server.mem().hwmMiB,
    });
  } finally {
    await server.stop();
  }
}
