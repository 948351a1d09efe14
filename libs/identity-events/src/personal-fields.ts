/**
 * Personal data inside events (docs/ERASURE.md): these values are stored sealed with their
 * owner's data key, so that destroying the key erases them from the log without rewriting it.
 */
const PERSONAL_DATA_FIELDS: ReadonlySet<string> = new Set([
  'email',
  'emailNormalized',
  'newEmail',
  'newEmailNormalized',
  'oldEmail',
  'ip',
  'userAgent',
  'browser',
  'os',
  'location',
]);

/** A passkey's name is chosen by its owner ("Ada's YubiKey"): personal on passkey events only. */
const PASSKEY_NAME_EVENTS: ReadonlySet<string> = new Set(['PasskeyRegistered', 'PasskeyRenamed']);

/** Metadata fields that say where a request came from. */
export const PERSONAL_METADATA_FIELDS: readonly string[] = ['ip', 'userAgent'];

/** The personal fields at the top of one event's payload. */
export function isPersonalField(type: string, field: string): boolean {
  return PERSONAL_DATA_FIELDS.has(field) || (field === 'name' && PASSKEY_NAME_EVENTS.has(type));
}

/**
 * Whose data an event's payload is: the account it is about; a sign-up for an address that already
 * has an account is that account's; otherwise (an open sign-up, an attempt on an address without
 * an account) the stream's own, which the event names and nobody else shares.
 */
export function payloadOwner(streamId: string, data: Record<string, unknown>): string {
  if (typeof data.userId === 'string' && data.userId) return data.userId;
  if (typeof data.existingUserId === 'string' && data.existingUserId) return data.existingUserId;
  return streamId;
}

/**
 * Whose data the request's origin (IP, user agent) is: the signed-in actor's (an administrator's
 * address in an event about someone else is the administrator's), else the payload's owner.
 */
export function metadataOwner(metadata: Record<string, unknown>, payloadOwnerId: string): string {
  const actor = metadata.actor as { id?: unknown } | undefined;
  return typeof actor?.id === 'string' && actor.id ? actor.id : payloadOwnerId;
}
