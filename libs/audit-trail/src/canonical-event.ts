import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@app/event-store';

/** Names the format of what is hashed; a change of format gets a new name. */
const EVENT_DIGEST_FORMAT = 'audit-event-v1';

/**
 * JSON with object keys in code-point order at every depth, so the same value always gives the
 * same bytes whichever store kept it (SQLite keeps the text as written; KurrentDB hands back
 * parsed JSON). `undefined` members are left out, as JSON.stringify leaves them out.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`Not representable in JSON: ${typeof value}`);
    return text;
  }
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/**
 * SHA-256 of one event as the log holds it: id, stream, revision, type, data, metadata and the
 * time it was recorded, each length-prefixed so no two different events give the same bytes. The
 * position is left out (its form differs between stores); the chain fixes the order instead.
 */
export function eventDigest(event: RecordedEvent): Buffer {
  const hash = createHash('sha256');
  for (const field of [
    EVENT_DIGEST_FORMAT,
    event.id,
    event.streamId,
    String(event.revision),
    event.type,
    canonicalJson(event.data),
    canonicalJson(event.metadata),
    event.recordedAt,
  ]) {
    hash.update(`${Buffer.byteLength(field)}:`).update(field);
  }
  return hash.digest();
}
