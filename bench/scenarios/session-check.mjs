// Scenario `session-check`: GET /v1/sessions/current (bearer token check) vs GET /health/live
// (a route doing almost nothing) on the same server.
import { newEmail, pool, register, signIn } from '../lib/api.mjs';
import { runLoad, round } from '../lib/load.mjs';
import { line, verdict, writeResult } from '../lib/report.mjs';
import { startServer } from '../lib/server.mjs';

const TOKENS = 20;
const CONNECTIONS = 10;

export default async function sessionCheck() {
  console.log(`\n== session-check: GET /v1/sessions/current vs GET /health/live (${CONNECTIONS} connections, 10 s each)`);
  const server = await startServer();
  try {
    const tokens = await pool(TOKENS, 4, async () => {
      const email = newEmail('check');
      await register(server.url, email);
      return (await signIn(server.url, email)).token;
    });
    const check = tokens.map((token) => ({ method: 'GET', path: '/v1/sessions/current', headers: { authorization: `Bearer ${token}` } }));
    const live = [{ method: 'GET', path: '/health/live' }];
    // Short warm-up of both routes (JIT, caches).
    await runLoad({ url: server.url, connections: CONNECTIONS, duration: 2, items: live });
    await runLoad({ url: server.url, connections: CONNECTIONS, duration: 2, items: check });

    const bare = await server.measurePeak(() => runLoad({ url: server.url, connections: CONNECTIONS, duration: 10, items: live }));
    line('GET /health/live', bare.result, bare.peakRssMiB);
    const sess = await server.measurePeak(() => runLoad({ url: server.url, connections: CONNECTIONS, duration: 10, items: check }));
    line('GET /v1/sessions/current', sess.result, sess.peakRssMiB);
    const ratio = round(sess.result.okPerSec / bare.result.okPerSec, 2);
    console.log(`  session check / bare endpoint = ${ratio}`);
    const verdicts = [verdict('session check / bare endpoint', ratio, 0.6)];
    writeResult('session-check', {
      connections: CONNECTIONS,
      tokens: TOKENS,
      runs: { bare: { ...bare.result, peakRssMiB: bare.peakRssMiB }, sessionCheck: { ...sess.result, peakRssMiB: sess.peakRssMiB } },
      ratio,
      verdicts,
      serverPeakRssMiB: server.mem().hwmMiB,
    });
  } finally {
    await server.stop();
  }
}
