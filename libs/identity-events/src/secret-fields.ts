/**
 * Fields of event payloads that hold secrets in protected form, or a live bearer (the id of an
 * open sign-in challenge is all the second step asks for besides the code): never shown, even to
 * auditors, and exported only as commitments (see libs/audit-trail).
 */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'passwordHash',
  'sealedSecret',
  'sealedCodes',
  'codeHash',
  'codeHashes',
  'tokenHash',
  'challengeId',
]);

/** A sign-in challenge's stream is named by its id: a secret too. */
export function isSecretStream(streamId: string): boolean {
  return streamId.startsWith('challenge-');
}

/**
 * The secret fields at the top of one event's payload: SECRET_FIELDS, and those whose meaning
 * depends on the event. A `LoginSucceeded` that needs a second factor names, as `sessionId`, the
 * sign-in challenge the password opened: a live bearer, like `challengeId`.
 */
export function secretFieldsOf(type: string, data: Record<string, unknown>): ReadonlySet<string> {
  if (type === 'LoginSucceeded' && data.secondFactorRequired === true) return new Set([...SECRET_FIELDS, 'sessionId']);
  return SECRET_FIELDS;
}
