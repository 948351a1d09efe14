import type { MailerService } from '@nestjs-modules/mailer';
import { toSendMailOptions } from './mailer-options';
import { Mailer, OutgoingMail } from './mailer.port';

/** Sends through @nestjs-modules/mailer configured with an SMTP transport (`SMTP_URL`). */
export class SmtpMailer extends Mailer {
  constructor(private readonly mailer: MailerService) {
    super();
  }

  override async send(message: OutgoingMail): Promise<void> {
    await this.mailer.sendMail(toSendMailOptions(message));
  }
}
