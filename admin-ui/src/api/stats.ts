import { requestJson } from './http';

/** Daily sign-in figures for the dashboard (API.md, `GET /v1/admin/stats`). */

export interface DailySignInStats {
  date: string;
  signIns: number;
  failures: number;
  lockouts: number;
}

export interface SignInStats {
  days: DailySignInStats[];
  mfaAdoption: { users: number; withMfa: number };
}

/** `from` and `to` are calendar dates, YYYY-MM-DD. */
export function fetchStats(from: string, to: string, signal?: AbortSignal): Promise<SignInStats> {
  return requestJson('/v1/admin/stats', { query: { from, to }, signal });
}
