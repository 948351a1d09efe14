import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { registerCapture } from './mailboxes';

/** One message as the SMTP server received it. */
export interface CapturedMail {
  /** Envelope recipients (RCPT TO): where the message was actually delivered. */
  to: string[];
  /** The From header as text, e.g. `"Account Security" <no-reply@localhost>`. */
  from: string;
  subject: string;
  text: string;
  /** The HTML part, or '' when the message has none. */
  html: string;
  /** The whole message as received (headers and MIME body). */
  raw: string;
}

export interface SmtpCapture {
  /** `smtp://127.0.0.1:<port>`: use as SMTP_URL. */
  url: string;
  /** Every message received so far, in order. */
  messages: CapturedMail[];
  /** The first received or future message that matches; rejects after `timeoutMs` (default 5000). */
  waitFor(predicate: (mail: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
  close(): Promise<void>;
}

interface Waiter {
  predicate: (mail: CapturedMail) => boolean;
  resolve: (mail: CapturedMail) => void;
}

/**
 * An in-process SMTP server on loopback that keeps every message, for tests of real delivery.
 * Plain SMTP (no STARTTLS: there is no certificate, and the traffic never leaves the machine); any
 * credentials are accepted, so an SMTP_URL with a user and password works too.
 */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const messages: CapturedMail[] = [];
  const waiters = new Set<Waiter>();

  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // A test's client has finished by close(); do not hold the test run for the default 30 s.
    closeTimeout: 1000,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'test' }),
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const mail: CapturedMail = {
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
              from: parsed.from?.text ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: parsed.html || '',
              raw: raw.toString('utf8'),
            };
            messages.push(mail);
            for (const waiter of waiters) {
              if (waiter.predicate(mail)) {
                waiters.delete(waiter);
                waiter.resolve(mail);
              }
            }
            callback();
          })
          .catch(callback);
      });
    },
  });
  // An error on a client connection must not crash the test process.
  server.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;

  // Apps started with SMTP_URL=<this url> read their users' mail from here (see mailboxes.ts).
  registerCapture(`smtp://127.0.0.1:${port}`, async () => messages);
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(predicate, timeoutMs = 5000) {
      const received = messages.find(predicate);
      if (received) return Promise.resolve(received);
      return new Promise<CapturedMail>((resolve, reject) => {
        const waiter: Waiter = {
          predicate,
          resolve: (mail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const subjects = messages.map((mail) => JSON.stringify(mail.subject)).join(', ') || 'none';
          reject(new Error(`No matching mail within ${timeoutMs} ms (received: ${subjects})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
