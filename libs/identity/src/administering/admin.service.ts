import { Injectable } from '@nestjs/common';
import type { Position } from '@app/event-store';
import { Clock, DomainError, RequestContext } from '@app/platform';
import { eventMetadata, streams, type Role, type SessionRevokedByAdminAction } from '@app/identity-events';
import { EmailIndex } from '../shared/email-index';
import { CommandExecutor } from '../shared/command-executor';
import { ReadYourWrites } from '../shared/read-your-writes';
import type { Principal } from '../sessions/principal';
import { SessionRevoker } from '../sessions/session-revoker';
import { signInAttemptsDecider } from '../signing-in/sign-in-attempts.decider';
import { AdminCommand, adminDecider } from './admin.decider';
import { SessionQueries } from '../querying/session-queries';

/** The administrators' actions on an account; every one is recorded with the admin as actor. */
@Injectable()
export class AdminService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly revoker: SessionRevoker,
    private readonly sessionQueries: SessionQueries,
    private readonly clock: Clock,
    private readonly readYourWrites: ReadYourWrites,
    private readonly index: EmailIndex,
  ) {}

  async setRoles(admin: Principal, userId: string, roles: Role[], context: RequestContext): Promise<void> {
    await this.readYourWrites.settle(
      await this.decide(admin, userId, { kind: 'set_roles', roles, by: admin.userId }, context),
    );
  }

  /** Removes every method and recovery code, ends the user's sessions; the user is emailed (reactor). */
  async resetMfa(admin: Principal, userId: string, reason: string, context: RequestContext): Promise<void> {
    const reset = await this.decide(admin, userId, { kind: 'reset_mfa', reason, by: admin.userId }, context);
    const revoked = await this.revokeAll(userId, this.asAdmin(admin, context), 'mfa_reset');
    await this.readYourWrites.settle(revoked ?? reset);
  }

  async revokeSessions(admin: Principal, userId: string, context: RequestContext): Promise<void> {
    await this.decide(admin, userId, null, context); // 404 for an unknown user
    await this.readYourWrites.settle(await this.revokeAll(userId, this.asAdmin(admin, context), 'revoke_sessions'));
  }

  async lock(admin: Principal, userId: string, context: RequestContext): Promise<void> {
    const locked = await this.decide(admin, userId, { kind: 'lock', by: admin.userId }, context);
    const revoked = await this.revokeAll(userId, this.asAdmin(admin, context), 'lock');
    await this.readYourWrites.settle(revoked ?? locked);
  }

  /** Lifts the administrator's lock and any automatic lock after failed sign-ins. */
  async unlock(admin: Principal, userId: string, context: RequestContext): Promise<void> {
    const unlocked = await this.decide(admin, userId, { kind: 'unlock', by: admin.userId }, context);
    const state = await this.executor.load(streams.user(userId), adminDecider);
    const cleared = await this.executor.execute(
      this.index.attemptsOf(state.email!),
      signInAttemptsDecider,
      { kind: 'unlock', userId },
      eventMetadata(this.asAdmin(admin, context), this.clock.now()),
    );
    await this.readYourWrites.settle(cleared.appended?.position ?? unlocked);
  }

  private asAdmin(admin: Principal, context: RequestContext): RequestContext {
    return { ...context, actor: { type: 'admin', id: admin.userId } };
  }

  /** Runs an admin decision on the user stream (or only checks the user exists, for null). */
  private async decide(
    admin: Principal,
    userId: string,
    command: AdminCommand | null,
    context: RequestContext,
  ): Promise<Position | undefined> {
    if (command === null) {
      const state = await this.executor.load(streams.user(userId), adminDecider);
      if (!state.userId) throw new DomainError('not_found', 'No such user.');
      return undefined;
    }
    const { appended } = await this.executor.execute(
      streams.user(userId),
      adminDecider,
      command,
      eventMetadata(this.asAdmin(admin, context), this.clock.now()),
    );
    return appended?.position;
  }

  private async revokeAll(
    userId: string,
    context: RequestContext,
    action: SessionRevokedByAdminAction,
  ): Promise<Position | undefined> {
    const sessions = await this.sessionQueries.notRevoked(userId);
    return this.revoker.revoke(
      sessions.map((s) => s.id),
      'admin',
      context,
      action,
    );
  }
}
