import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ReadStore, SessionDocument, UserDocument, sessionsProjection, usersProjection } from '@app/read-models';
import { Clock, systemContext } from '@app/platform';
import { Principal } from './principal';
import { SessionActivity } from './session-activity';
import { sessionIdOfToken, tokenMatchesHash } from './session-token';
import { SessionRevoker } from './session-revoker';
import { isIdleExpired } from '../querying/session-queries';

/** Why a revoked session ended, in the words the API gives its holder (the 401's `reason`). */
export type SessionEndedReason =
  'signed_out' | 'signed_out_elsewhere' | 'password_changed' | 'password_reset' | 'mfa_reset' | 'admin_revoked';

/** Null for an erasure (the account is gone) or a recorded expiry: those say nothing more. */
export function sessionEndedReason(
  session: Pick<SessionDocument, 'revokedReason' | 'revokedAdminAction'>,
): SessionEndedReason | null {
  switch (session.revokedReason) {
    case 'logout':
      return 'signed_out';
    case 'user':
      return 'signed_out_elsewhere';
    case 'password_changed':
      return 'password_changed';
    case 'password_reset':
      return 'password_reset';
    case 'admin':
      return session.revokedAdminAction === 'mfa_reset' ? 'mfa_reset' : 'admin_revoked';
    default:
      return null;
  }
}

/**
 * Turns a bearer token into the signed-in principal, or null. Reads the session (by the id the
 * token names) and its user on every request, in one read and with no cache, so a revocation is effective on the
 * very next request: commands that revoke answer only after the read model shows it.
 */
@Injectable()
export class SessionAuthenticator {
  private readonly logger = new Logger(SessionAuthenticator.name);

  constructor(
    private readonly readStore: ReadStore,
    private readonly activity: SessionActivity,
    private readonly revoker: SessionRevoker,
    private readonly clock: Clock,
  ) {}

  async authenticate(token: string): Promise<Principal | null> {
    const checked = await this.check(token);
    return 'principal' in checked ? checked.principal : null;
  }

  /**
   * The principal, or why the session of this exact token ended when it was revoked: told only to
   * the holder of the token (its hash matches) and only within the session's absolute lifetime.
   * Anything else (no such session, a wrong secret, an expired or idle session, a locked or erased
   * account) is refused without a reason, as before.
   */
  async check(token: string): Promise<{ principal: Principal } | { refused: SessionEndedReason | null }> {
    const refused = { refused: null };
    const sessionId = sessionIdOfToken(token);
    if (sessionId === null) return refused;
    // The session and its user in one read (one statement, one round trip).
    const found = await this.readStore.getJoined<SessionDocument, UserDocument>(
      sessionsProjection.collection,
      sessionId,
      {
        field: 'userId',
        collection: usersProjection.collection,
      },
    );
    if (!found) return refused;
    const { document: session, joined: user } = found;
    if (!tokenMatchesHash(token, session.tokenHash)) return refused;
    const now = this.clock.now();
    if (session.revokedAt !== null) {
      // Past its lifetime it would have ended anyway; an erased account has nothing left to explain.
      const explained =
        now.getTime() < Date.parse(session.expiresAt) && !!user && !user.erasedAt && user.email !== null;
      return { refused: explained ? sessionEndedReason(session) : null };
    }

    const idleExpired =
      !this.activity.activeWithin(session.id, now, session.idleTimeoutSeconds) &&
      isIdleExpired(session, await this.activity.lastActiveAt(session.id), now);
    if (now.getTime() >= Date.parse(session.expiresAt) || idleExpired) {
      this.expire(session.id);
      return refused;
    }
    // An administrator's lock ends every session at once, even one started on an older proof.
    // (An automatic lock after failed guesses does not: an attacker could sign the owner out.)
    if (!user || user.locked) return refused;
    // An erased person has no account left: their sessions end with the erasure, revoked or not yet.
    if (user.erasedAt || user.email === null) return refused;
    await this.activity.touch(session.id, now);
    const principal: Principal = {
      sessionId: session.id,
      userId: user.id,
      email: user.email,
      roles: user.roles,
      amr: session.amr,
      sessionCreatedAt: session.createdAt,
      sessionExpiresAt: session.expiresAt,
    };
    return { principal };
  }

  /** Records the expiry in the log; the request is refused either way, so it does not wait. */
  private expire(sessionId: string): void {
    this.revoker
      .revoke([sessionId], 'expired', systemContext(randomUUID()))
      .catch((error) => this.logger.warn(`Could not record the expiry of session ${sessionId}: ${String(error)}`));
  }
}
