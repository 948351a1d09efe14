// Scenario `peer`: the service against better-auth on the same machine in the same run (issue 6,
// point 5). better-auth (email and password, its two-factor plugin, better-sqlite3) lives in
// bench/peers/better-auth with its own package.json/lock, installed here on first use.
//
// One server at a time (so they do not share the 2 cores), same autocannon settings as the
// `session-check` and `signin` scenarios:
//   (a) session check, 20 sessions round-robin, 10 connections, 2 s warm-up then 10 s:
//       ours GET /v1/sessions/current (bearer token) vs better-auth GET /api/auth/get-session
//       (its signed session cookie; default config, so the cookie cache is OFF and every check
//       reads SQLite), plus each server's own bare endpoint (ours GET /health/live, the peer's
//       GET /bare answered by plain node:http without better-auth);
//   (b) password sign-in, 50 users round-robin, 8 connections, 10 s: ours POST /v1/sessions vs
//       better-auth POST /api/auth/sign-in/email, better-auth once with its default hasher (scrypt)
//       and once with argon2id at our parameters (m=19456 KiB, t=2, p=1).
// Each side's hashing cost is measured in this process before the servers start.
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import argon2 from 'argon2';
import { newEmail, pool, PASSWORD, register, signIn } from '../lib/api.mjs';
import {
  baCheckSessions,
  baEmail,
  baSignIn,
  baSignUp,
  ensurePeerInstalled,
  origin,
  PEER_DIR,
  peerVersion,
  startPeer,
} from '../lib/peer.mjs';
import { runLoad, round } from '../lib/load.mjs';
import { recorder, verdict, writeResult } from '../lib/report.mjs';
import { round1, startServer } from '../lib/server.mjs';

const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
// better-auth 1.7's default hasher: @better-auth/utils/password (node build), node:crypto scrypt.
const SCRYPT = { N: 16_384, r: 16, p: 1, dkLen: 64, saltBytes: 16 };

const USERS = 50; // sign-in users per server (as in `signin`)
const SESSIONS = 20; // sessions for the session check (as the 20 tokens of `session-check`)
const CHECK_CONNECTIONS = 10;
const SIGNIN_CONNECTIONS = 8;
const SECONDS = 10;
const WARMUP_SECONDS = 2;

// ---- hashing cost ---------------------------------------------------------------------------

/** ms per operation one at a time, and operations/s with `concurrency` in flight. */
async function hashCost(op, { seconds = 3, concurrency = 2 } = {}) {
  await op(); // warm-up
  let n = 0;
  let start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    await op();
    n++;
  }
  const msEach = (performance.now() - start) / n;
  let m = 0;
  start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await op();
        m++;
      }
    }),
  );
  return {
    msPerVerify: round(msEach, 1),
    verifiesPerSec: round(m / ((performance.now() - start) / 1000), 1),
    concurrency,
  };
}

async function measureHashing() {
  const require = createRequire(join(PEER_DIR, 'package.json'));
  const baCrypto = await import(pathToFileURL(require.resolve('better-auth/crypto')).href);
  const scryptHash = await baCrypto.hashPassword(PASSWORD);
  const argonHash = await argon2.hash(PASSWORD, ARGON2);
  // A sign-in verifies one hash; verify costs the same as hashing for both functions.
  const scrypt = await hashCost(async () => {
    if (!(await baCrypto.verifyPassword({ hash: scryptHash, password: PASSWORD })))
      throw new Error('scrypt verify failed');
  });
  const argon = await hashCost(async () => {
    if (!(await argon2.verify(argonHash, PASSWORD))) throw new Error('argon2 verify failed');
  });
  return {
    ours: {
      algorithm: 'argon2id',
      params: `m=19456 KiB, t=2, p=1 (argon2 package, libuv pool, HASH_CONCURRENCY=${process.env.HASH_CONCURRENCY ?? 2})`,
      memoryKiB: 19_456,
      ...argon,
    },
    betterAuthDefault: {
      algorithm: 'scrypt',
      params: `N=${SCRYPT.N}, r=${SCRYPT.r}, p=${SCRYPT.p}, dkLen=${SCRYPT.dkLen}, ${SCRYPT.saltBytes}-byte salt (node:crypto scrypt, libuv pool, default UV_THREADPOOL_SIZE=4, no concurrency bound)`,
      memoryKiB: (128 * SCRYPT.N * SCRYPT.r) / 1024,
      ...scrypt,
    },
    betterAuthArgon2id: {
      algorithm: 'argon2id',
      params: 'm=19456 KiB, t=2, p=1 (same argon2 package, via emailAndPassword.password.hash/verify)',
      memoryKiB: 19_456,
      ...argon,
    },
  };
}

// ---- runs -----------------------------------------------------------------------------------

/** Each run printed; runs with non-2xx answers or errors are kept in `problems`. */
const { problems, record } = recorder();

async function sessionCheckRuns(server, { bare, check }) {
  const load = (items, duration) => runLoad({ url: server.url, connections: CHECK_CONNECTIONS, duration, items });
  await load(bare.items, WARMUP_SECONDS);
  await load(check.items, WARMUP_SECONDS);
  const b = record(bare.label, await server.measurePeak(() => load(bare.items, SECONDS)));
  const s = record(check.label, await server.measurePeak(() => load(check.items, SECONDS)));
  return { bare: b, sessionCheck: s, checkPerBare: round(s.okPerSec / b.okPerSec, 2) };
}

async function signinRun(server, label, items) {
  return record(
    label,
    await server.measurePeak(() =>
      runLoad({ url: server.url, connections: SIGNIN_CONNECTIONS, duration: SECONDS, items }),
    ),
  );
}

async function ours() {
  console.log(`  -- ours (dist/apps/api/src/main.js, NODE_ENV=production, embedded SQLite)`);
  const server = await startServer();
  try {
    const emails = await pool(USERS, 4, async () => {
      const email = newEmail('peer');
      await register(server.url, email);
      return email;
    });
    const tokens = await pool(SESSIONS, 4, async (i) => (await signIn(server.url, emails[i])).token);
    const checks = await sessionCheckRuns(server, {
      bare: { label: 'ours /health/live (bare)', items: [{ method: 'GET', path: '/health/live' }] },
      check: {
        label: 'ours /v1/sessions/current',
        items: tokens.map((token) => ({
          method: 'GET',
          path: '/v1/sessions/current',
          headers: { authorization: `Bearer ${token}` },
        })),
      },
    });
    const signin = await signinRun(
      server,
      'ours POST /v1/sessions argon2id',
      emails.map((email) => ({ method: 'POST', path: '/v1/sessions', body: { email, password: PASSWORD } })),
    );
    return { ...checks, signin, serverPeakRssMiB: round1(server.mem().hwmMiB) };
  } finally {
    await server.stop();
  }
}

async function betterAuth(hash, { withSessionCheck }) {
  console.log(
    `  -- better-auth ${peerVersion()} (hash=${hash}, NODE_ENV=production, better-sqlite3, rate limit off, cookie cache off)`,
  );
  const server = await startPeer({ hash });
  try {
    const users = await pool(USERS, 4, async () => {
      const email = baEmail();
      return { email, userId: await baSignUp(server.url, email) };
    });
    let checks = {};
    if (withSessionCheck) {
      const sessions = await pool(SESSIONS, 4, async (i) => ({
        ...users[i],
        cookie: await baSignIn(server.url, users[i].email),
      }));
      await baCheckSessions(server.url, sessions);
      checks = await sessionCheckRuns(server, {
        bare: { label: 'better-auth /bare (node:http)', items: [{ method: 'GET', path: '/bare' }] },
        check: {
          label: 'better-auth /api/auth/get-session',
          items: sessions.map(({ cookie }) => ({ method: 'GET', path: '/api/auth/get-session', headers: { cookie } })),
        },
      });
      await baCheckSessions(server.url, sessions); // still valid after the run: every 200 was a session
    }
    const signin = await signinRun(
      server,
      `better-auth sign-in/email ${hash}`,
      users.map(({ email }) => ({
        method: 'POST',
        path: '/api/auth/sign-in/email',
        headers: origin(server.url),
        body: { email, password: PASSWORD },
      })),
    );
    return { ...checks, signin, serverPeakRssMiB: round1(server.mem().hwmMiB) };
  } finally {
    await server.stop();
  }
}

export default async function peer() {
  console.log(
    `\n== peer: ours vs better-auth (same machine, one server at a time; session check ${CHECK_CONNECTIONS} connections ${SECONDS} s after ${WARMUP_SECONDS} s warm-up, sign-in ${SIGNIN_CONNECTIONS} connections ${SECONDS} s)`,
  );
  ensurePeerInstalled();
  problems.length = 0;
  // Other work on the machine skews every figure here; the load average makes that visible.
  const load = () => loadavg().map((n) => round(n, 2));
  const loadBefore = load();
  console.log(`  load average before: ${loadBefore.join(' ')} (1/5/15 min; ~0 means nothing else is running)`);

  const hashing = await measureHashing();
  for (const [side, h] of Object.entries(hashing)) {
    console.log(
      `  hashing ${side.padEnd(18)} ${h.algorithm} ${h.params}: ${h.msPerVerify} ms per verify alone, ${h.verifiesPerSec} verify/s with ${h.concurrency} in flight, ${round(h.memoryKiB / 1024, 1)} MiB each`,
    );
  }

  const o = await ours();
  const ba = await betterAuth('scrypt', { withSessionCheck: true });
  const ba2 = await betterAuth('argon2id', { withSessionCheck: false });

  const ratios = {
    oursCheckPerOursBare: o.checkPerBare,
    baCheckPerBaBare: ba.checkPerBare,
    oursCheckPerBaCheck: round(o.sessionCheck.okPerSec / ba.sessionCheck.okPerSec, 2),
    oursSigninPerBaScryptSignin: round(o.signin.okPerSec / ba.signin.okPerSec, 2),
    oursSigninPerBaArgon2idSignin: round(o.signin.okPerSec / ba2.signin.okPerSec, 2),
    oursSigninPerArgon2Rate: round(o.signin.okPerSec / hashing.ours.verifiesPerSec, 2),
    baScryptSigninPerScryptRate: round(ba.signin.okPerSec / hashing.betterAuthDefault.verifiesPerSec, 2),
    baArgon2idSigninPerArgon2Rate: round(ba2.signin.okPerSec / hashing.betterAuthArgon2id.verifiesPerSec, 2),
  };
  console.log(
    `  session check / own bare endpoint: ours ${ratios.oursCheckPerOursBare}, better-auth ${ratios.baCheckPerBaBare}`,
  );
  console.log(
    `  sign-in / raw verify rate of its hash (2 in flight): ours ${ratios.oursSigninPerArgon2Rate}, better-auth scrypt ${ratios.baScryptSigninPerScryptRate}, better-auth argon2id ${ratios.baArgon2idSigninPerArgon2Rate}`,
  );
  console.log(
    `  ours / better-auth sign-in: ${ratios.oursSigninPerBaScryptSignin} (vs its default scrypt), ${ratios.oursSigninPerBaArgon2idSignin} (vs argon2id at our parameters)`,
  );

  const loadAfter = load();
  console.log(`  load average after: ${loadAfter.join(' ')} (this scenario alone keeps ~2 busy)`);
  const valid = problems.length === 0;
  const verdicts = valid
    ? [
        verdict('session check / bare endpoint (ours)', ratios.oursCheckPerOursBare, 0.6),
        verdict('ours / better-auth session check', ratios.oursCheckPerBaCheck, 2),
      ]
    : [];
  if (!valid) console.log(`  !! no verdict: some runs were not all 2xx:\n     ${problems.join('\n     ')}`);
  writeResult('peer', {
    valid,
    problems: [...problems],
    betterAuth: {
      version: peerVersion(),
      config:
        'emailAndPassword, twoFactor plugin, better-sqlite3 (library defaults), rateLimit off, session cookie cache off (default), NODE_ENV=production',
    },
    loadAverage: { before: loadBefore, after: loadAfter },
    settings: {
      users: USERS,
      sessions: SESSIONS,
      checkConnections: CHECK_CONNECTIONS,
      signinConnections: SIGNIN_CONNECTIONS,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
    },
    hashing,
    runs: { ours: o, betterAuthScrypt: ba, betterAuthArgon2id: ba2 },
    ratios,
    verdicts,
  });
  if (!valid) throw new Error(`peer: ${problems.length} run(s) had non-2xx answers or errors`);
}
