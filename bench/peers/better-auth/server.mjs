// better-auth peer for the bench scenario `peer` (issue 6): a plain node:http server on
// 127.0.0.1:$PORT with better-auth (email and password, the two-factor plugin, better-sqlite3).
//
// Environment:
//   PORT                 port to listen on (required)
//   PEER_DATA_DIR        directory for the SQLite file `better-auth.sqlite` (required; the scenario
//                        passes a fresh temporary directory and deletes it afterwards)
//   PEER_HASH            `scrypt` (default: better-auth's own hasher, node:crypto scrypt N=16384,
//                        r=16, p=1, dkLen=64, 16-byte salt) or `argon2id` (the `argon2` package with
//                        the service's parameters m=19456 KiB, t=2, p=1)
//   BETTER_AUTH_SECRET   signing secret (the scenario passes a random one)
//
// Routes: better-auth under /api/auth/*, `GET /bare` (200 `{}` without touching better-auth) and
// `GET /ready` (200 once the schema exists). Prints `peer ready on <url>` when listening.
// Rate limiting is OFF (the service's per-IP limiter is also raised for the bench); the session
// cookie cache is left at its default (off), so every get-session reads the database.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import argon2 from 'argon2';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { twoFactor } from 'better-auth/plugins/two-factor';
import Database from 'better-sqlite3';

const port = Number(process.env.PORT);
const dataDir = process.env.PEER_DATA_DIR;
const mode = process.env.PEER_HASH ?? 'scrypt';
if (!port || !dataDir) throw new Error('PORT and PEER_DATA_DIR are required');
if (!['scrypt', 'argon2id'].includes(mode)) throw new Error(`PEER_HASH must be scrypt or argon2id, not ${mode}`);

// The service's password hashing parameters (OWASP minimum for argon2id).
export const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

mkdirSync(dataDir, { recursive: true });
const baseURL = `http://127.0.0.1:${port}`;

const auth = betterAuth({
  appName: 'bench-peer',
  baseURL,
  secret: process.env.BETTER_AUTH_SECRET,
  // better-auth's documented SQLite set-up: a better-sqlite3 instance with its defaults
  // (rollback journal, synchronous=FULL); the Kysely adapter is picked automatically.
  database: new Database(join(dataDir, 'better-auth.sqlite')),
  emailAndPassword: {
    enabled: true,
    ...(mode === 'argon2id'
      ? {
          password: {
            hash: (password) => argon2.hash(password, ARGON2),
            verify: ({ hash, password }) => argon2.verify(hash, password),
          },
        }
      : {}),
  },
  plugins: [twoFactor({ issuer: 'bench-peer' })],
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
});

const { toBeCreated, toBeAdded, runMigrations } = await getMigrations(auth.options);
await runMigrations();

const handler = toNodeHandler(auth);
const server = createServer((req, res) => {
  if (req.url === '/bare' && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
    res.end('{}');
    return;
  }
  if (req.url === '/ready' && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ready: true, hash: mode }));
    return;
  }
  handler(req, res);
});
server.listen(port, '127.0.0.1', () => {
  console.log(
    `peer ready on ${baseURL} (better-auth, hash=${mode}, tables created: ${toBeCreated.map((t) => t.table).join(', ') || 'none'}` +
      `${toBeAdded.length ? `, columns added to: ${toBeAdded.map((t) => t.table).join(', ')}` : ''})`,
  );
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
