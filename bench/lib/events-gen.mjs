// Generates realistic identity events (shapes of libs/identity-events/src/identity-events.ts with
// the metadata of event-metadata.ts) deterministically and fast.
import { createHash } from 'node:crypto';

const DAY = 86_400_000;
const START_MS = Date.UTC(2026, 0, 1);
const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
];
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$' + 'c2FsdHNhbHRzYWx0c2FsdA' + '$' + 'x'.repeat(43);

const uuid = (kind, n) => {
  const hex = (n >>> 0).toString(16).padStart(12, '0');
  return `${kind}0000000-0000-4000-8000-${hex}`;
};

/** The i-th event of the synthetic log. Roughly: 2% registrations, then sign-ins, failures, logouts. */
export function makeEvent(i) {
  const occurredAt = new Date(START_MS + Math.floor((i / 1_000_000) * 60 * DAY) + (i % 1000)).toISOString();
  const userCount = Math.max(1, Math.floor(i / 50));
  const userN = i % 50 === 0 ? userCount : (i * 7919) % userCount;
  const userId = uuid('a', userN);
  const sessionN = Math.floor(i / 4);
  const metadata = {
    occurredAt,
    actor: { type: 'user', id: userId },
    correlationId: uuid('c', i),
    causationId: uuid('d', i),
    ip: `203.0.${(i >> 8) & 255}.${i & 255}`,
    userAgent: UAS[i % UAS.length],
    schemaVersion: 1,
  };
  let type;
  let data;
  if (i % 50 === 0) {
    type = 'UserRegistered';
    const email = `user${userN}@example.com`;
    data = { userId, email, emailNormalized: email, passwordHash: HASH, roles: [] };
  } else {
    switch (i % 4) {
      case 1:
        type = 'LoginSucceeded';
        data = { userId, sessionId: uuid('b', sessionN + 1) };
        break;
      case 2:
        type = 'SessionStarted';
        data = {
          sessionId: uuid('b', sessionN),
          userId,
          tokenHash: createHash('sha256').update(String(i)).digest('hex'),
          amr: ['pwd'],
          browser: 'Chrome 131',
          os: 'Windows 10',
          ip: metadata.ip,
          location: 'DE',
          expiresAt: new Date(Date.parse(occurredAt) + 43_200_000).toISOString(),
          idleTimeoutSeconds: 1800,
        };
        break;
      case 3:
        if (i % 3 === 0) {
          type = 'SessionRevoked';
          data = { sessionId: uuid('b', sessionN - 1), userId, reason: 'logout' };
        } else {
          type = 'LoginFailed';
          data = { userId, reason: 'wrong_password' };
        }
        break;
      default:
        type = 'TotpCodeAccepted';
        data = { userId, timeStep: Math.floor(Date.parse(occurredAt) / 30_000), purpose: 'sign_in' };
    }
  }
  return { type, data, metadata };
}
