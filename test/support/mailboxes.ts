import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';

/** A received message, as a person reading their mailbox sees it. */
export interface ReadMail {
  to: string[];
  subject: string;
  text: string;
}

/** Addresses are compared as mail systems deliver them: whatever their letter case. */
const sentTo = (mail: ReadMail, to: string) =>
  mail.to.some((address) => address.toLowerCase() === to.trim().toLowerCase());

type Mailbox = () => Promise<ReadMail[]>;

/** Where the mail of each running app can be read, by the app's base URL. */
const mailboxes = new Map<string, Mailbox>();
/** SMTP captures by their `smtp://` URL, so an app started with SMTP_URL=<that> reads from it. */
const captures = new Map<string, Mailbox>();

export function registerCapture(smtpUrl: string, read: Mailbox): void {
  captures.set(smtpUrl, read);
}

/** Called when an app starts: its mail goes to an SMTP capture (SMTP_URL) or to DATA_DIR/outbox. */
export function registerMailbox(appUrl: string, options: { smtpUrl?: string | null; dataDir: string }): void {
  if (options.smtpUrl) {
    const capture = captures.get(options.smtpUrl);
    if (capture) mailboxes.set(appUrl, capture);
    return;
  }
  mailboxes.set(appUrl, outboxReader(join(options.dataDir, 'outbox')));
}

export function forgetMailbox(appUrl: string): void {
  mailboxes.delete(appUrl);
}

/** A whole multipart message ends with its closing boundary (`--<boundary>--`). */
const isComplete = (raw: Buffer) => /--\r?\n?$/.test(raw.subarray(-8).toString('latin1'));

/** The `.eml` files of an outbox, each parsed once. */
function outboxReader(dir: string): Mailbox {
  const parsed = new Map<string, ReadMail>();
  return async () => {
    if (!existsSync(dir)) return [];
    for (const file of readdirSync(dir).sort()) {
      if (parsed.has(file) || !file.endsWith('.eml')) continue;
      const raw = readFileSync(join(dir, file));
      if (!isComplete(raw)) continue; // still being written: read it on the next look
      const mail = await simpleParser(raw);
      const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((address) =>
        address.value.map((v) => v.address ?? ''),
      );
      parsed.set(file, { to, subject: mail.subject ?? '', text: mail.text ?? '' });
    }
    return [...parsed.values()];
  };
}

/**
 * Waits for the first message to `to` (after the first `skip` such messages) that `match`es, as its
 * owner would: mail leaves after the answer, so it may take a moment.
 */
export async function waitForMail(
  appUrl: string,
  to: string,
  match: (mail: ReadMail) => boolean,
  skip = 0,
  timeoutMs = 10_000,
): Promise<ReadMail> {
  const read = mailboxes.get(appUrl);
  if (!read) throw new Error(`No mailbox known for ${appUrl}: start the app with startTestApp (or register it)`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await read()).filter((mail) => sentTo(mail, to) && match(mail))[skip];
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No mail to ${to} arrived within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** How many messages to `to` match so far. */
export async function countMail(appUrl: string, to: string, match: (mail: ReadMail) => boolean): Promise<number> {
  const read = mailboxes.get(appUrl);
  if (!read) throw new Error(`No mailbox known for ${appUrl}`);
  return (await read()).filter((mail) => sentTo(mail, to) && match(mail)).length;
}
