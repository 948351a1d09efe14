import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { MailerModule, MailerService } from '@nestjs-modules/mailer';
import { APP_CONFIG, AppConfig, Metrics } from '@app/platform';
import { mailerOptionsFor } from './mailer-options';
import { CountedMailer, Mailer } from './mailer.port';
import { OutboxMailer } from './outbox-mailer';
import { SmtpMailer } from './smtp-mailer';
import { NotificationsReactor } from './reactor/notifications.reactor';

/** The `Mailer`: SMTP when `SMTP_URL` is set, otherwise the `DATA_DIR/outbox` folder. */
@Global()
@Module({
  imports: [MailerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: mailerOptionsFor })],
  providers: [
    {
      provide: Mailer,
      inject: [MailerService, APP_CONFIG, Metrics],
      useFactory: (mailer: MailerService, config: AppConfig, metrics: Metrics): Mailer =>
        new CountedMailer(
          config.smtpUrl
            ? new SmtpMailer(mailer)
            : new OutboxMailer(mailer, join(config.dataDir, 'outbox'), config.nodeEnv === 'development'),
          metrics,
        ),
    },
  ],
  exports: [Mailer],
})
export class NotificationsModule {}

/** The notices sent from the event log; import where background work runs (see StorageOptions). */
@Module({ imports: [NotificationsModule], providers: [NotificationsReactor] })
export class NotificationsReactorModule {}
