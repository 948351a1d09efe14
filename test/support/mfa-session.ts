import type { ManualClock } from '@app/platform';
import { Account, bearer, register, signIn, tokenFor } from './accounts';
import { totp } from './rfc6238';
import { request, startTestApp, TestApp } from './test-app';

export interface MfaSessions {
  /** Signed in with the password only (before MFA was on). */
  passwordOnly: string;
  /** Signed in with password and authenticator app. */
  withMfa: string;
  secret: string;
}

/** Turns on the authenticator app for the account and signs in with it (the clock moves 30 s). */
export async function signInWithMfa(url: string, clock: ManualClock, account: Account): Promise<MfaSessions> {
  const passwordOnly = await tokenFor(url, account);
  const reauth = await request(`${url}/v1/me/reauth`, {
    method: 'POST',
    json: { password: account.password },
    headers: bearer(passwordOnly),
  });
  const enrollment = await request(`${url}/v1/me/mfa/totp`, {
    method: 'POST',
    json: {},
    headers: bearer(passwordOnly, { 'x-reauth-token': reauth.body.reauthToken }),
  });
  const secret: string = enrollment.body.secret;
  const confirmed = await request(`${url}/v1/me/mfa/totp/confirm`, {
    method: 'POST',
    json: { code: totp(secret, clock.now()) },
    headers: bearer(passwordOnly),
  });
  if (confirmed.status !== 200) throw new Error(`TOTP confirm failed: ${JSON.stringify(confirmed.body)}`);
  clock.advance(30_000);
  const challenge = await signIn(url, account.email, account.password);
  const answer = await request(`${url}/v1/sessions/challenges/${challenge.body.challengeId}`, {
    method: 'POST',
    json: { method: 'totp', code: totp(secret, clock.now()) },
  });
  if (answer.status !== 201) throw new Error(`MFA sign-in failed: ${JSON.stringify(answer.body)}`);
  return { passwordOnly, withMfa: answer.body.token, secret };
}

/**
 * Starts the app with a bootstrap admin (BOOTSTRAP_ADMIN_*), turns on its authenticator app and
 * signs it in with it: the admin's token and MFA sessions, for tests that need the admin API.
 */
export async function appWithBootstrapAdmin(
  clock: ManualClock,
  admin: { email: string; password: string },
  env: Record<string, string> = {},
): Promise<{ api: TestApp; admin: Account; sessions: MfaSessions }> {
  const api = await startTestApp({
    clock,
    env: {
      SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
      BOOTSTRAP_ADMIN_EMAIL: admin.email,
      BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      ...env,
    },
  });
  const adminId = (
    await request(`${api.url}/v1/me`, { headers: bearer(await tokenFor(api.url, { ...admin, userId: '' })) })
  ).body.id;
  const account = { ...admin, userId: adminId };
  return { api, admin: account, sessions: await signInWithMfa(api.url, clock, account) };
}

/** A new account made auditor by the admin, with its app on and signed in with it. */
export async function auditorWithMfa(
  url: string,
  clock: ManualClock,
  adminToken: string,
): Promise<{ account: Account; sessions: MfaSessions }> {
  const account = await register(url);
  const granted = await request(`${url}/v1/admin/users/${account.userId}/roles`, {
    method: 'PUT',
    json: { roles: ['auditor'] },
    headers: bearer(adminToken),
  });
  if (granted.status !== 204) throw new Error(`granting the auditor role failed: ${granted.status}`);
  return { account, sessions: await signInWithMfa(url, clock, account) };
}
