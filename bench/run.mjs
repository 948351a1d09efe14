#!/usr/bin/env node
// Benchmark suite (issue 6). Usage: npm run bench [-- <scenario> ...]
// Scenarios: signin, session-check, totp, revoke, event-store, peer (installs bench/peers/better-auth on first use),
// console (Debian's Chromium; builds admin-ui/dist when missing; skipped without Chromium), signin-history, audit-chain,
// personal-data.
import { availableParallelism } from 'node:os';
import { ensureBuilt } from './lib/server.mjs';

const SCENARIOS = {
  signin: () => import('./scenarios/signin.mjs'),
  'session-check': () => import('./scenarios/session-check.mjs'),
  totp: () => import('./scenarios/totp.mjs'),
  revoke: () => import('./scenarios/revoke.mjs'),
  'event-store': () => import('./scenarios/event-store.mjs'),
  peer: () => import('./scenarios/peer.mjs'),
  console: () => import('./scenarios/console.mjs'),
  'signin-history': () => import('./scenarios/signin-history.mjs'),
  'audit-chain': () => import('./scenarios/audit-chain.mjs'),
  'personal-data': () => import('./scenarios/personal-data.mjs'),
};
const DEFAULT = [
  'signin',
  'session-check',
  'totp',
  'revoke',
  'event-store',
  'peer',
  'console',
  'signin-history',
  'audit-chain',
  'personal-data',
];

const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = args.filter((a) => !SCENARIOS[a]);
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}
const chosen = args.length ? args : DEFAULT;

console.log(
  `[bench] ${new Date().toISOString()} node ${process.version}, ${availableParallelism()} cores; ` +
    `the server (one Node process, argon2 on the libuv pool) shares them with autocannon (one process).`,
);
ensureBuilt({ force: process.argv.includes('--build') });

let failed = false;
for (const name of chosen) {
  try {
    const mod = await SCENARIOS[name]();
    await mod.default();
  } catch (error) {
    failed = true;
    console.error(`[bench] scenario ${name} failed:`, error);
  }
}
process.exit(failed ? 1 : 0);
