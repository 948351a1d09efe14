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
