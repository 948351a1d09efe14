import { IdentityEvent } from '@app/identity-events';
import type { ReadDocument, ReadStore } from '../read-store.port';
import { securityEventsProjection, type SecurityEventDocument } from '../projections/security-events.projection';
import { sessionsProjection, type SessionDocument } from '../projections/sessions.projection';

/** Summaries that quote personal values (device, place, passkey name), and their words without them. */
const NEUTRAL_SUMMARIES: Partial<Record<string, string>> = {
  [IdentityEvent.SessionStarted]: 'Session started',
  [IdentityEvent.PasskeyRegistered]: 'Passkey added',
  [IdentityEvent.PasskeyRenamed]: 'Passkey renamed',
};

const BATCH = 500;

/**
 * Rewrites the read-model documents that were projected while the person's data key existed, so
 * that they say nothing about the person: their sessions' devices, addresses and places, and the
 * origin (IP, user agent) of every audit entry about them or made by them. The users document is
 * the users projection's (PersonalDataErased). Run it once the projections have passed the erasure
 * and the key is gone: whatever is projected after that opens to null anyway. Idempotent.
 * Returns how many documents it rewrote.
 */
export async function eraseFromReadModels(readStore: ReadStore, userId: string): Promise<number> {
  const sessions = await readStore.find<SessionDocument>(sessionsProjection.collection, {
    where: { userId: { eq: userId } },
  });
  const about = await readStore.find<SecurityEventDocument>(securityEventsProjection.collection, {
    where: { userId: { eq: userId } },
  });
  const by = await readStore.find<SecurityEventDocument>(securityEventsProjection.collection, {
    where: { 'actor.id': { eq: userId } },
  });
  const changes = [
    ...sessions
      .filter((s) => s.ip !== null || s.browser !== null || s.os !== null || s.location !== null)
      .map((s) => ({
        collection: sessionsProjection.collection,
        document: { ...s, ip: null, browser: null, os: null, location: null } as ReadDocument,
      })),
    ...[...new Map([...about, ...by].map((entry) => [entry.id, entry])).values()]
      .filter((e) => e.ip !== null || e.userAgent !== null || NEUTRAL_SUMMARIES[e.type] !== undefined)
      .map((e) => ({
        collection: securityEventsProjection.collection,
        document: {
          ...e,
          ip: null,
          userAgent: null,
          summary: e.userId === userId ? (NEUTRAL_SUMMARIES[e.type] ?? e.summary) : e.summary,
        } as ReadDocument,
      })),
  ];
  for (let i = 0; i < changes.length; i += BATCH) {
    await readStore.commit({
      checkpoints: {},
      changes: changes
        .slice(i, i + BATCH)
        .map(({ collection, document }) => ({ collection, id: document.id, document })),
    });
  }
  await readStore.purgeFreedSpace();
  return changes.length;
}
