import type { MailerOptions } from '@nestjs-modules/mailer';
import type { AppConfig } from '@app/platform';
import type { OutgoingMail } from './mailer.port';

/** A send that hangs (a dead SMTP server) fails after this long instead of holding its caller forever. */
const SEND_TIMEOUT_MS = 30_000;

/**
 * Options for @nestjs-modules/mailer: SMTP to `SMTP_URL` when it is set; otherwise nodemailer's
 * stream transport, which only renders the message into a Buffer for the outbox to write.
 */
export function mailerOptionsFor(config: AppConfig): MailerOptions {
  return {
    transport: config.smtpUrl ?? { streamTransport: true, buffer: true, newline: 'unix' },
    defaults: { from: config.mailFrom },
    sendTimeout: SEND_TIMEOUT_MS,
    // No startup check: the service must start while the mail server is down; a failed send throws.
    verifyTransporters: false,
  };
}

/**
 * The recipient is passed as an address object, so nodemailer takes it as exactly one address
 * instead of parsing a string that could hold a list. No `context`: the mailer's own `{{...}}`
 * interpolation stays off, bodies come finished from our templates.
 */
export function toSendMailOptions(message: OutgoingMail) {
  return {
    to: { name: '', address: message.to },
    subject: message.subject,
    text: message.text,
    html: message.html,
  };
}
