import type { RecordedEvent } from '@app/event-store';
import { IdentityEvent, type UserRegisteredData } from '@app/identity/events/identity-events';
import type { ReadDocument } from '../read-store.port';
import { defineProjection } from '../projector/projection';

/** One document per account: what lists and searches of users read. Never the password hash. */
export interface UserDocument extends ReadDocument {
  email: string;
  emailNormalized: string;
  roles: string[];
  createdAt: string;
  mfa: { totp: boolean; email: boolean };
  locked: boolean;
  lastLoginAt: string | null;
}

const occurredAt = (event: RecordedEvent) => (event.metadata.occurredAt as string | undefined) ?? event.recordedAt;
const userIdOf = (event: RecordedEvent) => [(event.data as { userId: string }).userId];

export const usersProjection = defineProjection<UserDocument>({
  name: 'users',
  collection: 'users',
  indexes: [{ fields: ['emailNormalized'] }, { fields: ['createdAt'] }],
  handlers: {
    [IdentityEvent.UserRegistered]: {
      documentIds: userIdOf,
      evolve: (_document, event, id) => {
        const data = event.data as unknown as UserRegisteredData;
        return {
          id,
          _position: event.position,
          email: data.email,
          emailNormalized: data.emailNormalized,
          roles: data.roles,
          createdAt: occurredAt(event),
          mfa: { totp: false, email: false },
          locked: false,
          lastLoginAt: null,
        };
      },
    },
  },
});
