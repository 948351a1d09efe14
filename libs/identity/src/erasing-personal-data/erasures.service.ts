import { Injectable } from '@nestjs/common';
import type { Position } from '@app/event-store';
import { eventMetadata, streams } from '@app/identity-events';
import { Mailer } from '@app/notifications';
import { Clock, RequestContext } from '@app/platform';
import { eraseFromReadModels, PersonalDataSealer, ReadStore } from '@app/read-models';
import { adminDecider } from '../administering/admin.decider';
import { credentialsDecider } from '../changing-password/credentials.decider';
import { SessionQueries } from '../querying/session-queries';
import { emailClaimDecider } from '../registering-user/email-claim.decider';
import { EmailIndex } from '../shared/email-index';
import { emailCodeModel } from '../second-factors/email-code/email-code.model';
import { passkeyModel } from '../second-factors/passkey/passkey.model';
import { recoveryCodesModel } from '../second-factors/recovery-codes/recovery-codes.model';
import { totpModel } from '../second-factors/totp/totp.model';
import type { Principal } from '../sessions/principal';
import { SessionRevoker } from '../sessions/session-revoker';
import { CommandExecutor } from '../shared/command-executor';
import { ReadYourWrites } from '../shared/read-your-writes';
import { WriteModelSnapshots } from '../shared/write-model-snapshots';
import { stepUpModel } from '../stepping-up/step-up.model';
import { StepUps } from '../stepping-up/step-ups.service';
import { EraseCommand, erasureDecider } from './erasure.decider';

/** Write models kept as snapshots of user-{id}: their snapshots may hold the address or passkey names. */
const USER_STREAM_SNAPSHOTS = [
  adminDecider,
  credentialsDecider,
  totpModel,
  recoveryCodesModel,
  emailCodeModel,
  passkeyModel,
  stepUpModel,
].flatMap((model) => (model.snapshot ? [model.snapshot.name] : []));

/**
 * Erasure without rewriting history (docs/ERASURE.md): records `PersonalDataErased`, ends the
 * sessions, frees the address, forgets kept mail, then destroys the person's data keys and
 * rewrites the read models projected before. The events, their chain and the counts stay; nothing
 * of the person is readable afterwards. Every step may be repeated: a second call (after a crash
 * halfway) finishes the first.
 */
@Injectable()
export class Erasures {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly stepUps: StepUps,
    private readonly revoker: SessionRevoker,
    private readonly sessionQueries: SessionQueries,
    private readonly sealer: PersonalDataSealer,
    private readonly readStore: ReadStore,
    private readonly snapshots: WriteModelSnapshots,
    private readonly mailer: Mailer,
    private readonly readYourWrites: ReadYourWrites,
    private readonly clock: Clock,
    private readonly index: EmailIndex,
  ) {}

  /** `DELETE /v1/me`: the person closes their own account, with a fresh step-up grant. */
  async eraseOwnAccount(principal: Principal, reauthToken: string | undefined, context: RequestContext): Promise<void> {
    await this.stepUps.require(principal, reauthToken, 'erase_account', context);
    await this.erase(principal.userId, { by: 'self', reason: null }, context);
  }

  /** `POST /v1/admin/users/{id}/erase`: an administrator erases an account, saying why. */
  async eraseByAdmin(admin: Principal, userId: string, reason: string, context: RequestContext): Promise<void> {
    const asAdmin: RequestContext = { ...context, actor: { type: 'admin', id: admin.userId } };
    await this.erase(userId, { by: 'admin', adminId: admin.userId, reason }, asAdmin);
  }

  private async erase(userId: string, command: EraseCommand, context: RequestContext): Promise<void> {
    const stream = streams.user(userId);
    // Read while it is still readable: the addresses to free and whose mail to forget.
    const account = await this.executor.load(stream, erasureDecider);
    const recorded = await this.executor.execute(
      stream,
      erasureDecider,
      command,
      eventMetadata(context, this.clock.now()),
    );
    let last: Position | undefined = recorded.appended?.position;
    const later = (position: Position | undefined) => {
      if (position !== undefined && (last === undefined || position > last)) last = position;
    };

    const open = await this.sessionQueries.notRevoked(userId);
    later(
      await this.revoker.revoke(
        open.map((s) => s.id),
        'erased',
        context,
      ),
    );
    if (account.emailNormalized) {
      const released = await this.executor.execute(
        streams.emailGuard(this.index.digestOf(account.emailNormalized)),
        emailClaimDecider,
        { release: true, userId },
        eventMetadata(context, this.clock.now()),
      );
      later(released.appended?.position);
    }
    await this.mailer.forgetMailTo(account.addresses);

    // The keys last: until here every step could still read what it needed. A sign-up's own
    // stream (registration-{id}, its id is the account's) was sealed with a key of its own.
    const now = this.clock.now();
    await this.sealer.erase(userId, now);
    await this.sealer.erase(streams.registration(userId), now);
    await this.snapshots.forget(stream, USER_STREAM_SNAPSHOTS);
    await this.readYourWrites.settle(last);
    await eraseFromReadModels(this.readStore, userId);
  }
}
