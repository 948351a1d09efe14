import { IdentityEvent } from '@app/identity-events';
import type { ReadDocument } from '../read-store.port';
import { defineProjection } from '../projector/projection';
import { occurredAt } from './event-fields';
import { on } from './identity-handlers';

/** One document per sign-in. Holds the token's SHA-256, never the token. */
export interface SessionDocument extends ReadDocument {
  userId: string;
  tokenHash: string;
  amr: string[];
  browser: string | null;
  os: string | null;
  ip: string | null;
  location: string | null;
  createdAt: string;
  expiresAt: string;
  idleTimeoutSeconds: number;
  revokedAt: string | null;
  revokedReason: string | null;
  /** Which administrator action revoked it (reason `admin`); absent before issue 17. */
  revokedAdminAction?: string | null;
}

const sessionIdOf = (event: { data: { sessionId: string } }) => [event.data.sessionId];

export const sessionsProjection = defineProjection<SessionDocument>({
  name: 'sessions',
  collection: 'sessions',
  // No index on tokenHash: a token names its session, which is read by id (session-token.ts).
  indexes: [{ fields: ['userId', 'createdAt'] }],
  handlers: Object.fromEntries([
    on<SessionDocument, 'SessionStarted'>(IdentityEvent.SessionStarted, {
      documentIds: sessionIdOf,
      evolve: (_document, event, id) => {
        const data = event.data;
        return {
          id,
          _position: event.position,
          userId: data.userId,
          tokenHash: data.tokenHash,
          amr: data.amr,
          browser: data.browser,
          os: data.os,
          ip: data.ip,
          location: data.location,
          createdAt: occurredAt(event),
          expiresAt: data.expiresAt,
          idleTimeoutSeconds: data.idleTimeoutSeconds,
          revokedAt: null,
          revokedReason: null,
        };
      },
    }),
    on<SessionDocument, 'SessionRevoked'>(IdentityEvent.SessionRevoked, {
      documentIds: sessionIdOf,
      evolve: (document, event) =>
        document
          ? {
              ...document,
              revokedAt: occurredAt(event),
              revokedReason: event.data.reason,
              revokedAdminAction: event.data.adminAction ?? null,
              _position: event.position,
            }
          : null,
    }),
  ]),
});
