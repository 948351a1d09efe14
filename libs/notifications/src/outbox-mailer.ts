import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
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
      // Subject and file only: bodies may hold codes (never logged), and the address is personal
      // data that an erasure could not take back out of a log. JSON.stringify keeps a crafted
      // subject from forging extra log lines.
      this.logger.log(`Mail written, subject ${JSON.stringify(message.subject)}: ${file}`);
    }
  }

  override async forgetMailTo(addresses: readonly string[]): Promise<number> {
    const wanted = new Set(addresses.map((address) => address.toLowerCase()));
    let names: string[];
    try {
      names = (await readdir(this.outboxDir)).filter((name) => name.endsWith('.eml'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    let forgotten = 0;
    for (const name of names) {
      const file = join(this.outboxDir, name);
      // A file gone meanwhile was forgotten by a concurrent erasure of the same person: not an error.
      const message = await ignoringMissing(readFile(file, 'utf8'));
      if (message === undefined || !recipientsOf(message).some((to) => wanted.has(to))) continue;
      if ((await ignoringMissing(unlink(file).then(() => true))) === true) forgotten += 1;
    }
    return forgotten;
  }
}

async function ignoringMissing<T>(operation: Promise<T>): Promise<T | undefined> {
  try {
    return await operation;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The addresses of a message's To header (lower case), read from its header section. */
export function recipientsOf(message: string): string[] {
  const headers = message.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' '); // unfold
  const to = /^to:(.*)$/im.exec(headers)?.[1] ?? '';
  return [...to.toLowerCase().matchAll(/[^\s<>,"]+@[^\s<>,"]+/g)].map((match) => match[0]);
}

/** `2025-01-31T12-00-00.000Z-1a2b3c4d5e6f.eml`: sorts by time, valid on every file system (no ':'). */
export function outboxFileName(now: Date): string {
  return `${now.toISOString().replace(/:/g, '-')}-${randomBytes(6).toString('hex')}.eml`;
}
