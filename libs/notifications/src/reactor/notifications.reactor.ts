import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventStore } from '@app/event-store';
import {
  IdentityEvent,
  isEventOf,
  reaction,
  streams,
  subjectOf,
  type RecordedIdentityEvent,
} from '@app/identity-events';
import { BackgroundWorkLease, ReadDocument, ReadStore, Reactor, UserDocument, usersProjection } from '@app/read-models';
import { STORAGE_OPTIONS, StorageOptions } from '@app/read-models/storage/storage-options';
import { describeUserAgent, IpLocator } from '@app/security';
import { Mailer, OutgoingMail } from '../mailer.port';
import { EventOrigin } from '../templates/security-notice';
import {
  accountLocked,
  emailChanged,
  mfaMethodDisabled,
  mfaMethodEnabled,
  mfaResetByAdmin,
  passkeyAdded,
  passkeyRemoved,
  passwordChanged,
  recoveryCodesRegenerated,
  recoveryCodesRunningLow,
  signUpAttempted,
  totpCodeReused,
} from '../templates';
import type { RenderedMail } from '../templates/security-notice';

/**
 * Sends the security notices from the event log, at least once, where background work runs (the
 * embedded process, or the projector app in production) and only while that process holds the
 * lease, so API replicas and standbys never send twice and a restart loses no notice.
 */
/** When a repeatable notice was last sent to a user: a plain collection, kept across rebuilds. */
export const NOTICES_SENT = 'notices_sent';
export const NOTICE_REPEAT_MS = 10 * 60_000;

interface NoticeSentDocument extends ReadDocument {
  sentAt: string;
}

@Injectable()
export class NotificationsReactor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationsReactor.name);
  private readonly reactor: Reactor;
  /** The lease's store: its commits are refused once another process holds the lease. */
  private readonly readStore: ReadStore;

  constructor(
    @Inject(STORAGE_OPTIONS) private readonly options: StorageOptions,
    private readonly events: EventStore,
    private readonly lease: BackgroundWorkLease,
    private readonly mailer: Mailer,
    private readonly locator: IpLocator,
  ) {
    this.readStore = lease.readStore;
    this.reactor = new Reactor(
      'notifications',
      events,
      this.readStore,
      Object.fromEntries([
        // To the old address: the account no longer answers to it, and its owner must hear of it.
        reaction(IdentityEvent.EmailChanged, async (event) => {
          const { oldEmail, newEmail } = event.data;
          if (!oldEmail || !newEmail) return; // the person was erased since
          await this.send({ to: oldEmail, ...emailChanged({ oldEmail, newEmail, ...this.origin(event) }) });
        }),
        reaction(IdentityEvent.PasswordChanged, (event) =>
          this.notify(event, (email, origin) => passwordChanged({ email, ...origin })),
        ),
        reaction(IdentityEvent.TotpEnrolled, (event) =>
          this.notify(event, (email, origin) => mfaMethodEnabled({ email, method: 'totp', ...origin })),
        ),
        reaction(IdentityEvent.EmailMfaEnabled, (event) =>
          this.notify(event, (email, origin) => mfaMethodEnabled({ email, method: 'email', ...origin })),
        ),
        reaction(IdentityEvent.PasskeyRegistered, (event) =>
          this.notify(event, (email, origin) => passkeyAdded({ email, name: event.data.name, ...origin })),
        ),
        reaction(IdentityEvent.PasskeyRemoved, async (event) => {
          // What is left is read from the read model (as for the other factors): the state near this event.
          const user = await this.readStore.get<UserDocument>(usersProjection.collection, event.data.userId);
          const passkeysLeft = (user?.passkeys ?? []).filter((p) => p.id !== event.data.credentialId).length;
          const otherMethods = (['totp', 'email'] as const).filter((m) => user?.mfa[m]);
          await this.notify(event, (email, origin) => passkeyRemoved({ email, passkeysLeft, otherMethods, ...origin }));
        }),
        reaction(IdentityEvent.TotpDisabled, (event) => this.notifyDisabled(event, 'totp')),
        reaction(IdentityEvent.EmailMfaDisabled, (event) => this.notifyDisabled(event, 'email')),
        reaction(IdentityEvent.RecoveryCodesRegenerated, (event) =>
          this.notify(event, (email, origin) => recoveryCodesRegenerated({ email, ...origin })),
        ),
        reaction(IdentityEvent.RecoveryCodeUsed, async (event) => {
          const remaining = event.data.remaining;
          if (remaining <= 2)
            await this.notify(event, (email, origin) => recoveryCodesRunningLow({ email, remaining, ...origin }));
        }),
        // Anyone holding an old code can trigger this one: at most one mail per user per 10 minutes.
        reaction(IdentityEvent.TotpReplayRejected, (event) =>
          this.notifyAtMostEvery(
            event,
            'totp_code_reused',
            (email, origin) => totpCodeReused({ email, ...origin }),
            event.data.userId,
          ),
        ),
        // The admin's reason is for the audit log, not the user: the mail leaves it out.
        reaction(IdentityEvent.MfaResetByAdmin, async (event) => {
          const adminId = event.metadata.actor?.id ?? null;
          const adminEmail = adminId ? ((await this.userOf(adminId))?.email ?? null) : null;
          await this.notify(event, (email, origin) => mfaResetByAdmin({ email, adminEmail, ...origin }));
        }),
        // A sign-up with a taken address: its owner is told (anyone can trigger it, so at most every 10 minutes).
        reaction(IdentityEvent.RegistrationRequested, async (event) => {
          const owner = event.data.existingUserId;
          if (owner)
            await this.notifyAtMostEvery(
              event,
              'sign_up_attempted',
              (email, origin) => signUpAttempted({ email, ...origin }),
              owner,
            );
        }),
        // Anyone who knows the address can lock it again and again: one mail per 10 minutes too.
        reaction(IdentityEvent.AccountLocked, (event) => {
          const { until, failures } = event.data;
          return this.notifyAtMostEvery(
            event,
            'account_locked',
            (email, origin) => accountLocked({ email, until, failures, ...origin }),
            event.data.userId,
          );
        }),
      ]),
      { log: (level, message) => this.logger[level](message) },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.runProjector) return;
    await this.readStore.ensureCollection(NOTICES_SENT, []);
    await this.lease.add({ name: 'notifications', start: () => this.reactor.start(), stop: () => this.reactor.stop() });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reactor.stop();
  }

  /**
   * A notice that can be triggered over and over (a replayed code): sent at most once per user and
   * kind within NOTICE_REPEAT_MS of event time (not wall time, so a replay of the log decides the
   * same). Changes to the account (password, factors, an admin's reset or lock) always mail: a
   * second change within minutes may be the attacker's, and must not hide behind the first.
   */
  private async notifyAtMostEvery(
    event: RecordedIdentityEvent,
    kind: string,
    render: (email: string, origin: EventOrigin) => RenderedMail,
    userId: string,
  ): Promise<void> {
    const key = `${userId}:${kind}`;
    const at = Date.parse(event.metadata.occurredAt ?? event.recordedAt);
    const last = await this.readStore.get<NoticeSentDocument>(NOTICES_SENT, key);
    if (last && at - Date.parse(last.sentAt) < NOTICE_REPEAT_MS && at >= Date.parse(last.sentAt)) return;
    await this.notify(event, render, userId);
    await this.readStore.commit({
      checkpoints: {},
      changes: [
        { collection: NOTICES_SENT, id: key, document: { id: key, _position: '', sentAt: new Date(at).toISOString() } },
      ],
    });
  }

  private async notify(
    event: RecordedIdentityEvent,
    render: (email: string, origin: EventOrigin) => RenderedMail,
    userId = subjectOf(event),
  ): Promise<void> {
    if (!userId) return;
    const user = await this.userOf(userId);
    if (!user?.email) return; // no account, or its person was erased: there is no one to tell
    await this.send({ to: user.email, ...render(user.email, this.origin(event)) });
  }

  /**
   * A mail cannot be taken back: the store confirms the lease right before it leaves, so a process
   * that lost the lease unawares (paused past it) does not send what its successor sends too.
   */
  private async send(mail: OutgoingMail): Promise<void> {
    await this.lease.confirm();
    await this.mailer.send(mail);
  }

  /** Which methods are left is read from the read model: the state right after this event. */
  private async notifyDisabled(
    event: RecordedIdentityEvent<'TotpDisabled' | 'EmailMfaDisabled'>,
    method: 'totp' | 'email',
  ): Promise<void> {
    const user = await this.userOf(event.data.userId);
    const remainingMethods = (['totp', 'email', 'passkey'] as const).filter((m) => m !== method && user?.mfa[m]);
    await this.notify(event, (email, origin) => mfaMethodDisabled({ email, method, remainingMethods, ...origin }));
  }

  /** Time, device and place of the event, from its metadata. */
  private origin(event: RecordedIdentityEvent): EventOrigin {
    const metadata = event.metadata;
    const device = describeUserAgent(metadata.userAgent ?? null);
    const ip = metadata.ip ?? null;
    return {
      occurredAt: metadata.occurredAt ?? event.recordedAt,
      browser: device.browser,
      os: device.os,
      ip,
      location: this.locator.locate(ip),
    };
  }

  private async userOf(userId: string): Promise<{ email: string | null; mfa: UserDocument['mfa'] } | null> {
    const user = await this.readStore.get<UserDocument>(usersProjection.collection, userId);
    if (user) return user;
    const [registered] = await this.events.readStream(streams.user(userId), { maxCount: 1 });
    return registered && isEventOf(registered, IdentityEvent.UserRegistered)
      ? { email: registered.data.email, mfa: { totp: false, email: false } }
      : null;
  }
}
