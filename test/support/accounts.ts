import { countMail, waitForMail } from './mailboxes';
import { request, STRONG_PASSWORD, uniqueEmail } from './test-app';

export const USER_AGENTS = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
};

export interface Account {
  userId: string;
  email: string;
  password: string;
}

export const SIGN_UP_CODE_SUBJECT = 'Your code to confirm your email address';

/** The 6-digit code of a mail. */
export function codeIn(text: string): string {
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error('no 6-digit code in the mail');
  return code;
}

/**
 * Signs up as a person would: asks for the account, reads the code from the mail to the address
 * (the app's outbox, or the SMTP capture it sends to), and confirms it.
 */
export async function register(url: string, email = uniqueEmail(), password = STRONG_PASSWORD): Promise<Account> {
  const codesBefore = await countMail(url, email, (mail) => mail.subject === SIGN_UP_CODE_SUBJECT);
  const started = await request(`${url}/v1/users`, { method: 'POST', json: { email, password } });
  if (started.status !== 202) throw new Error(`sign-up failed: ${started.status} ${JSON.stringify(started.body)}`);
  const mail = await waitForMail(url, email, (m) => m.subject === SIGN_UP_CODE_SUBJECT, codesBefore);
  const confirmed = await request(`${url}/v1/users/registrations/${started.body.registrationId}`, {
    method: 'POST',
    json: { code: codeIn(mail.text) },
  });
  if (confirmed.status !== 201)
    throw new Error(`sign-up confirmation failed: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  return { userId: confirmed.body.userId, email, password };
}

export function signIn(url: string, email: string, password: string, userAgent = USER_AGENTS.chromeWindows) {
  return request(`${url}/v1/sessions`, {
    method: 'POST',
    json: { email, password },
    headers: { 'user-agent': userAgent },
  });
}

/** Signs in and returns the bearer token (fails the test when sign-in fails). */
export async function tokenFor(url: string, account: Account, userAgent?: string): Promise<string> {
  const response = await signIn(url, account.email, account.password, userAgent);
  if (response.status !== 201) throw new Error(`sign-in failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.token;
}

export const bearer = (token: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${token}`,
  ...extra,
});
