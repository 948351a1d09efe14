import { Injectable } from '@nestjs/common';
import { Clock } from '@app/platform';
import { ReadStore, SessionDocument, sessionsProjection, type UserDocument } from '@app/read-models';
import { SessionActivity } from '../sessions/session-activity';

/** A session as its owner and the admins see it: where, when it started, when it was last used. */
export interface ActiveSession {
  id: string;
  browser: string | null;
  os: string | null;
  ip: string | null;
  location: string | null;
  createdAt: string;
  lastActiveAt: string;
}

/** The idle rule, written once: a session unused for longer than its idle timeout has ended. */
export function isIdleExpired(
  session: Pick<SessionDocument, 'createdAt' | 'idleTimeoutSeconds'>,
  lastActiveAt: string | null,
  now: Date,
): boolean {
  return now.getTime() - Date.parse(lastActiveAt ?? session.createdAt) > session.idleTimeoutSeconds * 1000;
}

/** The lock rule, written once: locked by an administrator, or inside an automatic lock. */
export function isLocked(user: Pick<UserDocument, 'locked' | 'lockedUntil'>, now: Date): boolean {
  return user.locked || (user.lockedUntil !== null && user.lockedUntil > now.toISOString());
}

/** Queries on sessions shared by the user's routes, the admins' routes and the commands that end them. */
@Injectable()
export class SessionQueries {
  constructor(
    private readonly readStore: ReadStore,
    private readonly activity: SessionActivity,
    private readonly clock: Clock,
  ) {}

  /** Every session of the user not revoked yet (expired ones included): what a revocation must end. */
  notRevoked(userId: string): Promise<SessionDocument[]> {
    return this.readStore.find<SessionDocument>(sessionsProjection.collection, {
      where: { userId: { eq: userId }, revokedAt: { eq: null } },
    });
  }

  /** The user's own session that is not revoked yet; another user's reads as missing (its existence is not the caller's business). */
  async ownNotRevoked(userId: string, sessionId: string): Promise<SessionDocument | null> {
    const session = await this.readStore.get<SessionDocument>(sessionsProjection.collection, sessionId);
    return session && session.userId === userId && session.revokedAt === null ? session : null;
  }

  /** Sessions that still work: not revoked, not past their absolute expiry, not idle; newest first. */
  async active(userId: string): Promise<ActiveSession[]> {
    const now = this.clock.now();
    const candidates = await this.readStore.find<SessionDocument>(sessionsProjection.collection, {
      where: { userId: { eq: userId }, revokedAt: { eq: null }, expiresAt: { gt: now.toISOString() } },
      orderBy: [{ field: 'createdAt', direction: 'desc' }],
      limit: 200,
    });
    const lastActive = await this.activity.lastActiveAtMany(candidates.map((s) => s.id));
    return candidates
      .filter((session) => !isIdleExpired(session, lastActive.get(session.id) ?? null, now))
      .map((session) => sessionView(session, lastActive.get(session.id) ?? session.createdAt));
  }
}

/** A session as lists show it: where and when, never its token hash. */
export function sessionView<T extends string | null>(
  session: SessionDocument,
  lastActiveAt: T,
): Omit<ActiveSession, 'lastActiveAt'> & { lastActiveAt: T } {
  return {
    id: session.id,
    browser: session.browser,
    os: session.os,
    ip: session.ip,
    location: session.location,
    createdAt: session.createdAt,
    lastActiveAt,
  };
}
