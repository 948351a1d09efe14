// Scenario `session-check` (issues 6 and 14): how close a bearer-token check comes to what a bare
// Node server can answer, and how it compares with better-auth's get-session, in one run at the
// same load. One server at a time, so no two share the 2 cores:
//   1. the bare node:http reference (bench/reference/bare-http.mjs: 200 and a small JSON body);
//   2. ours: GET /health/live (a Nest route doing almost nothing, for information) and
//      GET /v1/sessions/current with 20 bearer tokens round-robin;
//   3. better-auth (bench/peers/better-auth, installed on first use): GET /api/auth/get-session with
//      20 session cookies round-robin (cookie cache off, its default: every check reads SQLite).
// Each run: BENCH_CONNECTIONS (default 50) connections, a 2 s warm-up, then BENCH_SECONDS (default
// 10) s. `--no-peer` skips better-auth (quick runs while profiling).
import { loadavg } from 'node:os';
import { newEmail, pool, register, signIn } from '../lib/api.mjs';
import { runLoad, round } from '../lib/load.mjs';
import {
  baCheckSessions,
  baEmail,
  baSignIn,
  baSignUp,
  ensurePeerInstalled,
  peerVersion,
  startPeer,
} from '../lib/peer.mjs';
import { recorder, verdict, writeResult } from '../lib/report.mjs';
import { startBareHttp, startServer } from '../lib/server.mjs';

const SESSIONS = 20;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
// Targets of issue 14.
const TARGET_PER_BARE = 0.35;
const TARGET_PER_BETTER_AUTH = 8;
const TARGET_P99_MS = 50;

/** Each run printed; runs with non-2xx answers or errors are kept in `problems`. */
const { problems, record } = recorder();

/** Warm-up, then the measured run, of each item list in turn on one server. */
async function measure(server, runs) {
  const load = (items, duration) => runLoad({ url: server.url, connections: CONNECTIONS, duration, items });
  for (const run of runs) await load(run.items, WARMUP_SECONDS);
  const results = {};
  for (const run of runs)
    results[run.key] = record(run.label, await server.measurePeak(() => load(run.items, SECONDS)));
  return results;
}

async function bareHttp() {
  const server = await startBareHttp();
  try {
    return (
      await measure(server, [{ key: 'bare', label: 'bare node:http GET /', items: [{ method: 'GET', path: '/' }] }])
    ).bare;
  } finally {
    await server.stop();
  }
}

async function ours() {
  const server = await startServer();
  try {
    const tokens = await pool(SESSIONS, 4, async () => {
      const email = newEmail('check');
      await register(server.url, email);
      return (await signIn(server.url, email)).token;
    });
    return await measure(server, [
      { key: 'live', label: 'ours GET /health/live', items: [{ method: 'GET', path: '/health/live' }] },
      {
        key: 'sessionCheck',
        label: 'ours GET /v1/sessions/current',
        items: tokens.map((token) => ({
          method: 'GET',
          path: '/v1/sessions/current',
          headers: { authorization: `Bearer ${token}` },
        })),
      },
    ]);
  } finally {
    await server.stop();
  }
}

async function betterAuth() {
  ensurePeerInstalled();
  const server = await startPeer({ hash: 'scrypt' });
  try {
    const sessions = await pool(SESSIONS, 4, async () => {
      const email = baEmail();
      const userId = await baSignUp(server.url, email);
      return { email, userId, cookie: await baSignIn(server.url, email) };
    });
    await baCheckSessions(server.url, sessions);
    const { getSession } = await measure(server, [
      {
        key: 'getSession',
        label: `better-auth ${peerVersion()} get-session`,
        items: sessions.map(({ cookie }) => ({ method: 'GET', path: '/api/auth/get-session', headers: { cookie } })),
      },
    ]);
    await baCheckSessions(server.url, sessions); // get-session answers 200 `null` for a dead cookie: all still live
    return getSession;
  } finally {
    await server.stop();
  }
}

/** A figure that must stay under its target. */
function verdictUnder(label, value, target, unit = '') {
  const pass = value < target;
  console.log(`  ${pass ? 'PASS' : 'MISS'} ${label}: ${value}${unit} vs target < ${target}${unit}`);
  return { label, value, target, pass, under: true };
}

export default async function sessionCheck() {
  const withPeer = !process.argv.includes('--no-peer');
  console.log(
    `\n== session-check: bare node:http vs ours GET /v1/sessions/current${withPeer ? ' vs better-auth get-session' : ''} ` +
      `(${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up then ${SECONDS} s each, one server at a time)`,
  );
  problems.length = 0;
  const load = () => loadavg().map((n) => round(n, 2));
  const loadBefore = load();
  console.log(`  load average before: ${loadBefore.join(' ')} (1/5/15 min; ~0 means nothing else is running)`);

  const bare = await bareHttp();
  const { live, sessionCheck: check } = await ours();
  const peer = withPeer ? await betterAuth() : null;

  const perBare = round(check.okPerSec / bare.okPerSec, 2);
  const perBetterAuth = peer ? round(check.okPerSec / peer.okPerSec, 2) : null;
  console.log(
    `  ours session check / bare node:http = ${perBare}  (ours /health/live / bare node:http = ${round(live.okPerSec / bare.okPerSec, 2)})`,
  );
  if (peer) console.log(`  ours session check / better-auth get-session = ${perBetterAuth}`);
  const loadAfter = load();
  console.log(`  load average after: ${loadAfter.join(' ')}`);

  const valid = problems.length === 0;
  const verdicts = valid
    ? [
        verdict('session check / bare node:http', perBare, TARGET_PER_BARE),
        ...(peer ? [verdict('session check / better-auth get-session', perBetterAuth, TARGET_PER_BETTER_AUTH)] : []),
        verdictUnder(`session check p99 at ${CONNECTIONS} connections`, check.latencyMs.p99, TARGET_P99_MS, ' ms'),
      ]
    : [];
  if (!valid) console.log(`  !! no verdict: some runs were not all 2xx:\n     ${problems.join('\n     ')}`);
  writeResult('session-check', {
    valid,
    problems: [...problems],
    connections: CONNECTIONS,
    seconds: SECONDS,
    sessions: SESSIONS,
    loadAverage: { before: loadBefore, after: loadAfter },
    betterAuth: peer
      ? {
          version: peerVersion(),
          config:
            'emailAndPassword, twoFactor plugin, better-sqlite3, rateLimit off, cookie cache off (default), NODE_ENV=production',
        }
      : null,
    runs: { bareNodeHttp: bare, oursHealthLive: live, oursSessionCheck: check, betterAuthGetSession: peer },
    ratios: { sessionCheckPerBare: perBare, sessionCheckPerBetterAuth: perBetterAuth },
    verdicts,
  });
  if (!valid) throw new Error(`session-check: ${problems.length} run(s) had non-2xx answers or errors`);
}
