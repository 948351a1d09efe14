// A small HTTP client for setting up fixtures through the public API.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { totp } from './totp.mjs';

export const PASSWORD = 'Bench-mark-7Qz!-vortex-plum-41';

export async function call(base, method, path, { body, token, headers = {} } = {}) {
  const response = await fetch(base + path, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: response.status, json, text };
}

export async function must(promise, expected) {
  const r = await promise;
  if (!expected.includes(r.status)) throw new Error(`unexpected ${r.status}: ${r.text.slice(0, 300)}`);
  return r.json;
}

export const newEmail = (tag = 'u') => `bench-${tag}-${randomUUID().slice(0, 12)}@example.com`;

/** Outbox directories of the servers started here, by base URL. */
const outboxes = new Map();
export function knowOutbox(base, dir) {
  outboxes.set(base, { dir, seen: new Map() });
}

/** The sign-up code mailed to `email` (the raw .eml files of the outbox, each read once). */
async function signUpCode(base, email) {
  const outbox = outboxes.get(base);
  if (!outbox) throw new Error(`no outbox known for ${base}`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (existsSync(outbox.dir)) {
      for (const file of readdirSync(outbox.dir)) {
        if (outbox.seen.has(file)) continue;
        const raw = readFileSync(join(outbox.dir, file), 'utf8');
        if (!/--\r?\n?$/.test(raw.slice(-8))) continue; // still being written (a whole message ends with its closing boundary)
        const to = /^To: (.*)$/im.exec(raw)?.[1] ?? '';
        const code = /Your verification code is (\d{6})/.exec(raw)?.[1] ?? null;
        outbox.seen.set(file, { to: to.toLowerCase(), code });
      }
      for (const [file, mail] of outbox.seen) {
        if (mail.code && mail.to.includes(email.toLowerCase())) {
          outbox.seen.set(file, { ...mail, code: null }); // one code, one sign-up
          return mail.code;
        }
      }
    }
    if (Date.now() > deadline) throw new Error(`no sign-up code for ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Signs up and confirms the mailed code: `{ userId }`. */
export async function register(base, email, password = PASSWORD) {
  const { registrationId } = await must(call(base, 'POST', '/v1/users', { body: { email, password } }), [202]);
  const code = await signUpCode(base, email);
  return must(call(base, 'POST', `/v1/users/registrations/${registrationId}`, { body: { code } }), [201]);
}

export async function signIn(base, email, password = PASSWORD) {
  return must(call(base, 'POST', '/v1/sessions', { body: { email, password } }), [200, 201]);
}

/** Registers, signs in, enrols TOTP and confirms it with the current step's code. */
export async function userWithTotp(base) {
  const email = newEmail('totp');
  await register(base, email);
  const { token } = await signIn(base, email);
  const { reauthToken } = await must(
    call(base, 'POST', '/v1/me/reauth', { token, body: { password: PASSWORD } }),
    [201],
  );
  const { secret } = await must(
    call(base, 'POST', '/v1/me/mfa/totp', { token, headers: { 'x-reauth-token': reauthToken } }),
    [201],
  );
  await must(
    call(base, 'POST', '/v1/me/mfa/totp/confirm', { token, body: { code: totp(secret, new Date()) } }),
    [200, 201],
  );
  return { email, secret };
}

/** Runs `fn(i)` for i in [0, n) with at most `concurrency` in flight. */
export async function pool(n, concurrency, fn) {
  const results = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
}
