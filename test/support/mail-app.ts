import type { Clock } from '@app/platform';
import { SmtpCapture, startSmtpCapture } from './smtp-capture';
import { request, startTestApp, TestApp } from './test-app';

/** The app with a real SMTP server in-process receiving its mail (codes, links, notices). */
export async function startAppWithMail(
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<{ api: TestApp; smtp: SmtpCapture; close(): Promise<void> }> {
  const smtp = await startSmtpCapture();
  const api = await startTestApp({ clock: options.clock, env: { SMTP_URL: smtp.url, ...options.env } });
  return {
    api,
    smtp,
    close: async () => {
      await api.close({ removeData: true });
      await smtp.close();
    },
  };
}

/** Asks for a password reset and reads the token from the link in the mail, as the mailbox's owner would. */
export async function resetTokenByMail(
  api: TestApp,
  smtp: SmtpCapture,
  email: string,
): Promise<{ token: string; text: string; html: string }> {
  const before = smtp.messages.length;
  const answer = await request(`${api.url}/v1/password-resets`, { method: 'POST', json: { email } });
  if (answer.status !== 202) throw new Error(`reset request failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  const mail = await smtp.waitFor(
    (m) => smtp.messages.indexOf(m) >= before && m.to.includes(email) && m.subject === 'Reset your password',
  );
  const token = /\/account\/reset#token=(\S+)/.exec(mail.text)?.[1];
  if (!token) throw new Error('no reset link in the mail');
  return { token, text: mail.text, html: mail.html };
}
