import type { Metrics } from '@app/platform';

/** A message ready to send: one recipient, a subject and both a plain-text and an HTML body. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Port: sends one message. Adapters: SMTP, or `.eml` files in an outbox folder. */
export abstract class Mailer {
  abstract send(message: OutgoingMail): Promise<void>;

  /**
   * Deletes every kept copy of mail to these addresses (an erased person's). Returns how many.
   * SMTP keeps none: what was handed to the relay is the relay's and the recipient's.
   */
  async forgetMailTo(_addresses: readonly string[]): Promise<number> {
    return 0;
  }
}

/** Counts what the transport took (sent) and refused (failed) in the metrics. */
export class CountedMailer extends Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  override async send(message: OutgoingMail): Promise<void> {
    try {
      await this.inner.send(message);
    } catch (error) {
      this.metrics.mails.inc({ result: 'failed' });
      throw error;
    }
    this.metrics.mails.inc({ result: 'sent' });
  }

  override forgetMailTo(addresses: readonly string[]): Promise<number> {
    return this.inner.forgetMailTo(addresses);
  }
}
