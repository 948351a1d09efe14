import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventStore, RecordedEvent } from '@app/event-store';
import { IdentityEvent, streams, type UserRegisteredData } from '@app/identity/events/identity-events';
import { ReadStore, Reactor, UserDocument, usersProjection } from '@app/read-models';
import { STORAGE_OPTIONS, StorageOptions } from '@app/read-models/storage/storage-options';
import { describeUserAgent, IpLocator } from '@app/security';
import { Mailer } from '../mailer.port';
import { EventOrigin } from '../templates/security-notice';
import { passwordChanged } from '../templates/password-changed.template';

/**
 * Sends the security notices from the event log, at least once, where background work runs (the
 * embedded process, or the projector app in production), so API replicas never send twice and a
 * restart loses no notice.
 */
@Injectable()
export class NotificationsReactor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationsReactor.name);
  private readonly reactor: Reactor;

  constructor(
    @Inject(STORAGE_OPTIONS) private readonly options: StorageOptions,
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly mailer: Mailer,
    private readonly locator: IpLocator,
  ) {
    this.reactor = new Reactor(
      'notifications',
      events,
      readStore,
      { [IdentityEvent.PasswordChanged]: (event) => this.sendPasswordChanged(event) },
      { log: (level, message) => this.logger[level](message) },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.runProjector) await this.reactor.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reactor.stop();
  }

  private async sendPasswordChanged(event: RecordedEvent): Promise<void> {
    const email = await this.emailOf((event.data as { userId: string }).userId);
    if (!email) return;
    await this.mailer.send({ to: email, ...passwordChanged({ email, ...this.origin(event) }) });
  }

  /** Time, device and place of the event, from its metadata. */
  private origin(event: RecordedEvent): EventOrigin {
    const metadata = event.metadata as { occurredAt?: string; ip?: string | null; userAgent?: string | null };
    const device = describeUserAgent(metadata.userAgent ?? null);
    const ip = metadata.ip ?? null;
    return { occurredAt: metadata.occurredAt ?? event.recordedAt, browser: device.browser, os: device.os, ip, location: this.locator.locate(ip) };
  }

  private async emailOf(userId: string): Promise<string | null> {
    const user = await this.readStore.get<UserDocument>(usersProjection.collection, userId);
    if (user) return user.email;
    const [registered] = await this.events.readStream(streams.user(userId), { maxCount: 1 });
    return registered ? (registered.data as unknown as UserRegisteredData).email : null;
  }
}
