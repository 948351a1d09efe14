import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@app/platform';
import { PasskeySummary, ReadStore, UserDocument, usersProjection } from '@app/read-models';
import { decodeTextCursor, encodeTextCursor, Page } from './paging';
import { ActiveSession, isLocked, SessionQueries } from './session-queries';

/** A row of the admins' user list. */
export interface UserListItem {
  id: string;
  email: string;
  roles: string[];
  createdAt: string;
  mfa: UserDocument['mfa'];
  locked: boolean;
  lastLoginAt: string | null;
}

/**
 * What protects an account, as its owner and the admins see it. `email` is the email-code method;
 * the address is `email.address`.
 */
export interface SecuritySummary {
  password: { changedAt: string };
  totp: { enabled: boolean; enabledAt: string | null };
  /** `address` is null once the person's data was erased. */
  email: { enabled: boolean; enabledAt: string | null; address: string | null };
  recoveryCodes: UserDocument['recoveryCodes'];
  passkeys: PasskeySummary[];
}

/** The account as an admin sees it: the owner's summary plus roles, lock and sessions. */
export interface AdministeredUser extends SecuritySummary {
  id: string;
  roles: string[];
  createdAt: string;
  lastLoginAt: string | null;
  locked: boolean;
  lockedUntil: string | null;
  email: SecuritySummary['email'] & { verifiedBy: UserDocument['emailVerifiedBy'] };
  /** When the person's data was erased (their email, devices, addresses are gone); null before. */
  erasedAt: string | null;
  sessions: ActiveSession[];
}

/** Accounts as the users' and the admins' routes read them: the users read model only. */
@Injectable()
export class UserQueries {
  constructor(
    private readonly readStore: ReadStore,
    private readonly sessions: SessionQueries,
    private readonly clock: Clock,
  ) {}

  /** The account, or `not_found`. */
  async get(userId: string): Promise<UserDocument> {
    const user = await this.readStore.get<UserDocument>(usersProjection.collection, userId);
    if (!user) throw new DomainError('not_found', 'No such user.');
    return user;
  }

  async securitySummary(userId: string): Promise<SecuritySummary> {
    return summaryOf(await this.get(userId));
  }

  async administered(userId: string): Promise<AdministeredUser> {
    const user = await this.get(userId);
    return administeredView(user, await this.sessions.active(userId), this.clock.now());
  }

  /** Accounts by address, in address order; `q` is a prefix of the address. */
  async search(q: string | undefined, cursor: string | undefined, size: number): Promise<Page<UserListItem>> {
    const after = cursor === undefined ? undefined : decodeTextCursor(cursor);
    const prefix = (q ?? '').trim().toLowerCase();
    const page = await this.readStore.find<UserDocument>(usersProjection.collection, {
      // `gte: ''` leaves out erased accounts: they have no address to list them by.
      where: {
        emailNormalized: { gte: '', ...(prefix ? { prefix } : {}), ...(after !== undefined ? { gt: after } : {}) },
      },
      orderBy: [{ field: 'emailNormalized', direction: 'asc' }],
      limit: size + 1,
    });
    const items = page.slice(0, size);
    const now = this.clock.now();
    return {
      items: items.map((u) => ({
        id: u.id,
        email: u.email ?? '',
        roles: u.roles,
        createdAt: u.createdAt,
        mfa: u.mfa,
        locked: isLocked(u, now),
        lastLoginAt: u.lastLoginAt,
      })),
      nextCursor: page.length > size ? encodeTextCursor(items[items.length - 1].emailNormalized ?? '') : null,
    };
  }
}

/** The admin's view of an account at `now` (the present, or a past moment folded from the log). */
export function administeredView<S>(
  user: UserDocument,
  sessions: S[],
  now: Date,
): Omit<AdministeredUser, 'sessions'> & { sessions: S[] } {
  const summary = summaryOf(user);
  return {
    id: user.id,
    roles: user.roles,
    createdAt: user.createdAt,
    lastLoginAt: user.lastLoginAt,
    locked: isLocked(user, now),
    lockedUntil: user.lockedUntil && user.lockedUntil > now.toISOString() ? user.lockedUntil : null,
    ...summary,
    email: { ...summary.email, verifiedBy: user.emailVerifiedBy ?? null },
    erasedAt: user.erasedAt ?? null,
    sessions,
  };
}

function summaryOf(user: UserDocument): SecuritySummary {
  return {
    password: { changedAt: user.passwordChangedAt },
    totp: { enabled: user.mfa.totp, enabledAt: user.totpEnabledAt },
    email: { enabled: user.mfa.email, enabledAt: user.emailMfaEnabledAt, address: user.email },
    recoveryCodes: user.recoveryCodes,
    passkeys: user.passkeys ?? [],
  };
}
