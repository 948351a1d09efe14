import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { endCurrentSession, fetchCurrentSession, type CurrentSession } from '../api/auth';
import { ApiError, connectSession } from '../api/http';

/**
 * Who is signed in. The token lives in sessionStorage: it survives a reload but not the tab, and
 * the user and roles always come from `GET /v1/sessions/current`, never from the token itself.
 */

export const TOKEN_STORAGE_KEY = 'admin-console.session-token';

/** amr values that prove a second factor (the API's AuthenticationMethod minus 'pwd'). */
const SECOND_FACTOR_AMR = ['otp', 'email', 'recovery_code'];
const CONSOLE_ROLES = ['admin', 'auditor'];

export type AccessDenial = 'forbidden' | 'mfa_required';

export const useSessionStore = defineStore('session', () => {
  const token = ref<string | null>(readStoredToken());
  const current = ref<CurrentSession | null>(null);
  /** Set when the session could not be checked for another reason than a 401 (network, 5xx). */
  const loadError = ref<unknown>(null);
  /** Set when the API refused a console read with 403: the server's word beats ours. */
  const denial = ref<AccessDenial | null>(null);
  /**
   * Set when the API refused our token (401): the session ended while in use. `reason` is the API's
   * word for why (`mfa_reset`, `password_changed`, ...), given only to this token's holder; null
   * when the API did not say. The sign-in page reads it once (`takeEnded`).
   */
  const ended = ref<{ reason: string | null } | null>(null);

  const isSignedIn = computed(() => token.value !== null && current.value !== null);
  const roles = computed(() => current.value?.user.roles ?? []);
  const isAdmin = computed(() => roles.value.includes('admin'));
  const hasConsoleRole = computed(() => roles.value.some((role) => CONSOLE_ROLES.includes(role)));
  const usedSecondFactor = computed(
    () => current.value?.session.amr.some((method) => SECOND_FACTOR_AMR.includes(method)) ?? false,
  );

  function clear(): void {
    token.value = null;
    current.value = null;
    denial.value = null;
    writeStoredToken(null);
  }

  /** Loads the signed-in user; a 401 clears the session (through the http hook). */
  async function refresh(): Promise<void> {
    if (!token.value) return;
    try {
      current.value = await fetchCurrentSession();
      loadError.value = null;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) loadError.value = error;
    }
  }

  /** After a successful sign-in: keep the new token and learn who it belongs to. */
  async function establish(newToken: string): Promise<void> {
    ended.value = null;
    token.value = newToken;
    current.value = null;
    denial.value = null;
    writeStoredToken(newToken);
    await refresh();
  }

  /** Why the last session ended, once: the sign-in page shows it, a later visit does not. */
  function takeEnded(): { reason: string | null } | null {
    const taken = ended.value;
    ended.value = null;
    return taken;
  }

  async function signOut(): Promise<void> {
    try {
      if (token.value) await endCurrentSession();
    } catch {
      // The token is dropped either way; a failed logout only leaves a session to expire.
    } finally {
      clear();
    }
  }

  connectSession({
    token: () => token.value,
    onUnauthorized: (error) => {
      ended.value = { reason: error.extras.reason ?? null };
      clear();
    },
    onAccessDenied: (code) => {
      denial.value = code === 'mfa_required' ? 'mfa_required' : 'forbidden';
    },
  });

  return {
    token,
    current,
    loadError,
    denial,
    ended,
    isSignedIn,
    roles,
    isAdmin,
    hasConsoleRole,
    usedSecondFactor,
    clear,
    refresh,
    establish,
    signOut,
    takeEnded,
  };
});

export type SessionStore = ReturnType<typeof useSessionStore>;

function readStoredToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null; // Storage disabled by the browser: the user signs in for this page only.
  }
}

function writeStoredToken(value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(TOKEN_STORAGE_KEY);
    else sessionStorage.setItem(TOKEN_STORAGE_KEY, value);
  } catch {
    // Storage disabled: the token stays in memory only.
  }
}
