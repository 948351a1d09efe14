import { BackgroundWorkLease } from '@app/read-models';
import type { Clock } from '@app/platform';
import { Account, bearer, tokenFor } from './accounts';
import { request, startTestApp, TestApp } from './test-app';

/** The background-work lease's TTL in these tests: its timer (a third of it) never fires during one. */
export const LEASE_TTL_MS = 60_000;

/**
 * Two apps on one DATA_DIR, as two `npm start` on one data directory would be, sharing one clock.
 * The first takes the background-work lease; the lease's rounds are called by hand (`tick`).
 */
export async function startTwoOnOneDataDir(clock: Clock): Promise<[TestApp, TestApp]> {
  const env = { PROJECTOR_LEASE_TTL_MS: String(LEASE_TTL_MS) };
  const first = await startTestApp({ clock, env });
  try {
    return [first, await startTestApp({ dataDir: first.dataDir, clock, env })];
  } catch (error) {
    await first.close({ removeData: true });
    throw error;
  }
}

export const leaseOf = (api: TestApp) => api.app.get(BackgroundWorkLease);

/** Changes the account's password through `url` (the notice "Your password was changed" follows). */
export async function changePassword(
  url: string,
  account: Account,
  newPassword: string,
  token?: string,
): Promise<void> {
  token ??= await tokenFor(url, account);
  const changed = await request(`${url}/v1/me/password`, {
    method: 'PUT',
    json: { currentPassword: account.password, newPassword, newPasswordRepeat: newPassword },
    headers: bearer(token),
  });
  if (changed.status !== 204) throw new Error(`password change failed: ${changed.status}`);
  account.password = newPassword;
}

export const PASSWORD_CHANGED = (mail: { subject: string }) => mail.subject === 'Your password was changed';
