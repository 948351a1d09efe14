import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@app/event-store';
import { isSecretStream, SECRET_FIELDS, secretFieldsOf } from '@app/identity-events';

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

/** A secret as the chain and an export hold it: its hash, never the value. */
export interface Commitment {
  $commitment: string;
}

const isCommitment = (value: unknown): value is Commitment =>
  typeof value === 'object' &&
  value !== null &&
  Object.keys(value).length === 1 &&
  typeof (value as Commitment).$commitment === 'string';

/** SHA-256 of a value's canonical JSON under a label of its own. */
function commit(label: string, value: unknown): Commitment {
  return {
    $commitment: createHash('sha256')
      .update(`${label}\n${canonicalJson(value)}`)
      .digest('base64url'),
  };
}

/**
 * The payload with every secret field replaced by its commitment: `secret` at the top (the event's
 * own, see secretFieldsOf), SECRET_FIELDS at any depth below.
 */
export function withSecretsCommitted(value: unknown, secret: ReadonlySet<string> = SECRET_FIELDS): unknown {
  if (Array.isArray(value)) return value.map((item) => withSecretsCommitted(item));
  if (value === null || typeof value !== 'object' || isCommitment(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
      key,
      secret.has(key) ? (isCommitment(inner) ? inner : commit('audit-secret-v1', inner)) : withSecretsCommitted(inner),
    ]),
  );
}

/** The event's payload with its secrets committed. */
const committedData = (type: string, data: unknown) =>
  withSecretsCommitted(
    data,
    data !== null && typeof data === 'object' ? secretFieldsOf(type, data as Record<string, unknown>) : SECRET_FIELDS,
  );

/**
 * An event as an export carries it: secrets only as commitments, and a sign-in challenge's stream
 * name (which is its id) only as its hash. Its digest is the stored event's digest, so a signed
 * checkpoint verifies it without the secrets.
 */
export interface ExportedEvent {
  id: string;
  /** Null when the stream's name is a secret; `streamCommitment` stands for it then. */
  streamId: string | null;
  streamCommitment: string;
  revision: number;
  position: string;
  type: string;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
}

export function toExportedEvent(event: RecordedEvent): ExportedEvent {
  return {
    id: event.id,
    streamId: isSecretStream(event.streamId) ? null : event.streamId,
    streamCommitment: commit('audit-stream-v1', event.streamId).$commitment,
    revision: event.revision,
    position: event.position,
    type: event.type,
    data: committedData(event.type, event.data),
    metadata: withSecretsCommitted(event.metadata),
    recordedAt: event.recordedAt,
  };
}

/**
 * SHA-256 of one event: id, the stream's hash, revision, type, data and metadata (canonical JSON,
 * secrets as commitments), and the time it was recorded, each length-prefixed so no two different
 * events give the same bytes. The position is left out (its form differs between stores); the
 * chain fixes the order instead. The same for a stored event and its exported form.
 */
export function eventDigest(event: RecordedEvent | ExportedEvent): Buffer {
  const exported = 'streamCommitment' in event ? event : toExportedEvent(event);
  if (
    exported.streamId !== null &&
    commit('audit-stream-v1', exported.streamId).$commitment !== exported.streamCommitment
  )
    throw new TypeError('streamCommitment does not match streamId');
  const hash = createHash('sha256');
  for (const field of [
    EVENT_DIGEST_FORMAT,
    exported.id,
    exported.streamCommitment,
    String(exported.revision),
    exported.type,
    canonicalJson(committedData(exported.type, exported.data)),
    canonicalJson(withSecretsCommitted(exported.metadata)),
    exported.recordedAt,
  ]) {
    hash.update(`${Buffer.byteLength(field)}:`).update(field);
  }
  return hash.digest();
}
