import type { RouteLocationNormalized, RouteLocationRaw, Router } from 'vue-router';
import type { SessionStore } from '../stores/session';

/**
 * Navigation rules as small functions, composed per route through `meta.guards`. They only
 * steer the user to the right page; the API enforces every rule again on each call.
 */

export type GuardResult = true | RouteLocationRaw;
export interface GuardContext {
  to: RouteLocationNormalized;
  session: SessionStore;
}
export type Guard = (context: GuardContext) => GuardResult | Promise<GuardResult>;

/** Runs guards in order; the first one that redirects wins. */
export function composeGuards(...guards: Guard[]): Guard {
  return async (context) => {
    for (const guard of guards) {
      const result = await guard(context);
      if (result !== true) return result;
    }
    return true;
  };
}

/** A reload keeps only the token: learn who it belongs to before deciding anything. */
export const loadSession: Guard = async ({ session }) => {
  if (session.token && !session.current) await session.refresh();
  return true as const;
};

/** Is this route one of the end user's account pages (rather than the console)? */
export function isAccountRoute(to: Pick<RouteLocationNormalized, 'path' | 'meta'>): boolean {
  return to.meta.area === 'account' || to.path === '/account' || to.path.startsWith('/account/');
}

/** Where a freshly signed-in person belongs: admins and auditors to the console, others to their account. */
export function homeFor(session: SessionStore): RouteLocationRaw {
  return session.hasConsoleRole ? { name: 'dashboard' } : { name: 'account-security' };
}

const LANDING_PATHS = ['/', '/admin', '/admin/', '/account', '/account/', '/account/security'];

export const requireSignedIn: Guard = ({ to, session }) =>
  session.isSignedIn
    ? true
    : {
        name: isAccountRoute(to) ? 'account-sign-in' : 'sign-in',
        query: LANDING_PATHS.includes(to.fullPath) ? {} : { redirect: to.fullPath },
      };

export const requireConsoleRole: Guard = ({ session }) =>
  session.hasConsoleRole ? true : { name: 'forbidden', query: { reason: 'forbidden' } };

export const requireSecondFactor: Guard = ({ session }) =>
  session.usedSecondFactor ? true : { name: 'forbidden', query: { reason: 'mfa_required' } };

/** The API refused a console read with 403 earlier: show why instead of a broken page. */
export const respectServerDenial: Guard = ({ session }) =>
  session.denial ? { name: 'forbidden', query: { reason: session.denial } } : true;

export const skipWhenSignedIn: Guard = ({ to, session }) => {
  if (!session.isSignedIn) return true;
  return isAccountRoute(to) ? { name: 'account-security' } : { name: 'dashboard' };
};

export const consoleGuards = composeGuards(
  loadSession,
  requireSignedIn,
  requireConsoleRole,
  requireSecondFactor,
  respectServerDenial,
);
export const signedInGuards = composeGuards(loadSession, requireSignedIn);
/** The account pages need a session only: every user manages their own security. */
export const accountGuards = signedInGuards;
export const anonymousGuards = composeGuards(loadSession, skipWhenSignedIn);

declare module 'vue-router' {
  interface RouteMeta {
    guard?: Guard;
  }
}

/** Uses the deepest matched route's guard, so children inherit their layout's rules. */
export function installGuards(router: Router, session: () => SessionStore): void {
  router.beforeEach(async (to) => {
    const guard = [...to.matched].reverse().find((record) => record.meta.guard)?.meta.guard;
    return guard ? guard({ to, session: session() }) : true;
  });
}

/** Only same-app paths are followed after sign-in: an open redirect would hand off a fresh session. */
export function safeRedirect(value: unknown): string | null {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : null;
}
