import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { MailerService } from '@nestjs-modules/mailer';
import { toSendMailOptions } from './mailer-options';
import { Mailer, OutgoingMail } from './mailer.port';

/**
 * The embedded default (no `SMTP_URL`): @nestjs-modules/mailer, configured with nodemailer's stream
 * transport, renders each message; it is written as an `.eml` file into `DATA_DIR/outbox`, where
 * any mail client can open it. Files are private to the service's user (0600): mail names people
 * and may one day carry codes.
 */
export class OutboxMailer extends Mailer {
  private readonly logger = new Logger('Outbox');

  constructor(
    private readonly mailer: MailerService,
    private readonly outboxDir: string,
    private readonly logEachMessage: boolean,
  ) {
    super();
  }

  override async send(message: OutgoingMail): Promise<void> {
    const info = await this.mailer.sendMail(toSendMailOptions(message));
    const rendered: unknown = info?.message;
    if (!Buffer.isBuffer(rendered)) throw new Error('The outbox expects the stream transport with buffer: true');

    await mkdir(this.outboxDir, { recursive: true, mode: 0o700 });
    const file = join(this.outboxDir, outboxFileName(new Date()));
    // 'wx': never overwrite a message already in the outbox.
    await writeFile(file, rendered, { mode: 0o600, flag: 'wx' });

    if (this.logEachMessage) {
      // Recipient, subject and file only: bodies may hold codes, and a code or token is never logged.
      // JSON.stringify keeps a crafted address from forging extra log lines.
      this.logger.log(`Mail to ${JSON.stringify(message.to)}, subject ${JSON.stringify(message.subject)}: ${file}`);
    }
  }
}

/** `2025-01-31T12-00-00.000Z-1a2b3c4d5e6f.eml`: sorts by time, valid on every file system (no ':'). */
export function outboxFileName(now: Date): string {
  return `${now.toISOString().replace(/:/g, '-')}-${randomBytes(6).toString('hex')}.eml`;
}
