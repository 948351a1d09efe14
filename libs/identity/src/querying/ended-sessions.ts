import type { Clock } from '@app/platform';
import { ReadStore, SessionDocument, sessionsProjection } from '@app/read-models';
import type { SessionActivity } from '../sessions/session-activity';
import { ActiveSession, isIdleExpired, sessionView } from './session-queries';

/** How long an ended session stays on its owner's devices page; the activity and the audit log keep it. */
export const ENDED_SESSIONS_SHOWN_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The newest sessions looked at: a person's devices page, not an archive. */
const LOOKED_AT = 500;

/** Why a session ended: the revocation's reason, or `expired` (its lifetime) or `idle` (unused too long). */
export type EndedSession = ActiveSession & { endedAt: string; endReason: string };

/**
 * The user's sessions that ended in the last 30 days, most recently ended first. A session ends
 * when it is revoked, reaches its absolute expiry, or sits idle past its timeout (the rule of
 * `SessionQueries.active`, so a session is either active or ended, never both).
 */
export async function endedSessions(
  readStore: ReadStore,
  activity: SessionActivity,
  clock: Clock,
  userId: string,
): Promise<EndedSession[]> {
  const now = clock.now();
  const since = new Date(now.getTime() - ENDED_SESSIONS_SHOWN_DAYS * DAY_MS).toISOString();
  const candidates = await readStore.find<SessionDocument>(sessionsProjection.collection, {
    where: { userId: { eq: userId } },
    orderBy: [{ field: 'createdAt', direction: 'desc' }],
    limit: LOOKED_AT,
  });
  const lastActive = await activity.lastActiveAtMany(candidates.map((s) => s.id));
  const ended: EndedSession[] = [];
  for (const session of candidates) {
    const last = lastActive.get(session.id) ?? null;
    const end = endOf(session, last, now);
    if (end && end.endedAt >= since) ended.push({ ...sessionView(session, last ?? session.createdAt), ...end });
  }
  return ended.sort((a, b) => (a.endedAt < b.endedAt ? 1 : a.endedAt > b.endedAt ? -1 : 0));
}

function endOf(
  session: SessionDocument,
  lastActiveAt: string | null,
  now: Date,
): { endedAt: string; endReason: string } | null {
  if (session.revokedAt) return { endedAt: session.revokedAt, endReason: session.revokedReason ?? 'user' };
  const idleEnd = new Date(
    Date.parse(lastActiveAt ?? session.createdAt) + session.idleTimeoutSeconds * 1000,
  ).toISOString();
  if (session.expiresAt <= now.toISOString())
    return idleEnd < session.expiresAt
      ? { endedAt: idleEnd, endReason: 'idle' }
      : { endedAt: session.expiresAt, endReason: 'expired' };
  if (isIdleExpired(session, lastActiveAt, now)) return { endedAt: idleEnd, endReason: 'idle' };
  return null;
}
