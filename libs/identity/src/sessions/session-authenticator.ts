import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ReadStore, SessionDocument, UserDocument, sessionsProjection, usersProjection } from '@app/read-models';
import { Clock, systemContext } from '@app/platform';
import { Principal } from './principal';
import { SessionActivity } from './session-activity';
import { sessionIdOfToken, tokenMatchesHash } from './session-token';
import { SessionRevoker } from './session-revoker';
import { isIdleExpired } from '../querying/session-queries';

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
    const sessionId = sessionIdOfToken(token);
    if (sessionId === null) return null;
    // The session and its user in one read (one statement, one round trip).
    const found = await this.readStore.getJoined<SessionDocument, UserDocument>(
      sessionsProjection.collection,
      sessionId,
      {
        field: 'userId',
        collection: usersProjection.collection,
      },
    );
    if (!found) return null;
    const { document: session, joined: user } = found;
    if (!tokenMatchesHash(token, session.tokenHash) || session.revokedAt !== null) return null;

    const now = this.clock.now();
    const idleExpired =
      !this.activity.activeWithin(session.id, now, session.idleTimeoutSeconds) &&
      isIdleExpired(session, await this.activity.lastActiveAt(session.id), now);
    if (now.getTime() >= Date.parse(session.expiresAt) || idleExpired) {
      this.expire(session.id);
      return null;
    }
    // An administrator's lock ends every session at once, even one started on an older proof.
    // (An automatic lock after failed guesses does not: an attacker could sign the owner out.)
    if (!user || user.locked) return null;
    // An erased person has no account left: their sessions end with the erasure, revoked or not yet.
    if (user.erasedAt || user.email === null) return null;
    await this.activity.touch(session.id, now);
    return {
      sessionId: session.id,
      userId: user.id,
      email: user.email,
      roles: user.roles,
      amr: session.amr,
      sessionCreatedAt: session.createdAt,
      sessionExpiresAt: session.expiresAt,
    };
  }

  /** Records the expiry in the log; the request is refused either way, so it does not wait. */
  private expire(sessionId: string): void {
    this.revoker
      .revoke([sessionId], 'expired', systemContext(randomUUID()))
      .catch((error) => this.logger.warn(`Could not record the expiry of session ${sessionId}: ${String(error)}`));
  }
}
