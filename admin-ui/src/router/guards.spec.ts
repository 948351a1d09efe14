import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router';
import { TOKEN_STORAGE_KEY, useSessionStore } from '../stores/session';
import { fakeApi, json, problem, sessionWith } from '../testing/fake-api';
import {
  accountGuards,
  anonymousGuards,
  consoleGuards,
  homeFor,
  installGuards,
  safeRedirect,
  signedInGuards,
} from './guards';

const Page = { template: '<div />' };

/** The real guards on the app's route shape, with empty pages so nothing heavy loads. */
function makeRouter() {
  const routes: RouteRecordRaw[] = [
    { path: '/sign-in', name: 'sign-in', component: Page, meta: { guard: anonymousGuards } },
    { path: '/forbidden', name: 'forbidden', component: Page, meta: { guard: signedInGuards } },
    {
      path: '/',
      component: Page,
      meta: { guard: consoleGuards },
      children: [
        { path: '', name: 'dashboard', component: Page },
        { path: 'users/:id', name: 'user', component: Page },
      ],
    },
    {
      path: '/account/sign-in',
      name: 'account-sign-in',
      component: Page,
      meta: { guard: anonymousGuards, area: 'account' },
    },
    {
      path: '/account',
      component: Page,
      meta: { guard: accountGuards, area: 'account' },
      children: [
        { path: 'security', name: 'account-security', component: Page },
        { path: 'sessions', name: 'account-sessions', component: Page },
      ],
    },
  ];
  const router = createRouter({ history: createMemoryHistory(), routes });
  installGuards(router, () => useSessionStore());
  return router;
}

async function visit(path: string) {
  const router = makeRouter();
  await router.push(path);
  return router.currentRoute.value;
}

function signedInAs(current: unknown) {
  sessionStorage.setItem(TOKEN_STORAGE_KEY, 'tok');
  fakeApi({ 'GET /v1/sessions/current': json(current) });
}

beforeEach(() => {
  sessionStorage.clear();
  setActivePinia(createPinia());
});

describe('router guards', () => {
  it('sends an anonymous visitor to sign-in, remembering where they were going', async () => {
    fakeApi({});
    const route = await visit('/users/u-1');
    expect(route.name).toBe('sign-in');
    expect(route.query.redirect).toBe('/users/u-1');
  });

  it('sends a visitor whose stored token the API rejects to sign-in, and forgets the token', async () => {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, 'tok-old');
    fakeApi({ 'GET /v1/sessions/current': problem(401, 'unauthorized') });
    const route = await visit('/');
    expect(route.name).toBe('sign-in');
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('shows "forbidden" to a signed-in user without the admin or auditor role', async () => {
    signedInAs(sessionWith([], ['pwd', 'otp']));
    const route = await visit('/users/u-1');
    expect(route.name).toBe('forbidden');
    expect(route.query.reason).toBe('forbidden');
  });

  it('asks for a second factor when an auditor signed in with a password only', async () => {
    signedInAs(sessionWith(['auditor'], ['pwd']));
    const route = await visit('/');
    expect(route.name).toBe('forbidden');
    expect(route.query.reason).toBe('mfa_required');
  });

  it.each([
    ['an auditor with an app code', ['auditor'], ['pwd', 'otp']],
    ['an admin with an email code', ['admin'], ['pwd', 'email']],
    ['an admin with a recovery code', ['admin'], ['pwd', 'recovery_code']],
  ])('lets in %s', async (_name, roles, amr) => {
    signedInAs(sessionWith(roles, amr));
    expect((await visit('/users/u-1')).name).toBe('user');
  });

  it('sends a signed-in user away from the sign-in page', async () => {
    signedInAs(sessionWith(['admin']));
    expect((await visit('/sign-in')).name).toBe('dashboard');
  });

  it('lets the forbidden page be seen only when signed in', async () => {
    fakeApi({});
    expect((await visit('/forbidden')).name).toBe('sign-in');
  });
});

describe('account area', () => {
  it('sends an anonymous visitor of an account page to the account sign-in', async () => {
    fakeApi({});
    const route = await visit('/account/sessions');
    expect(route.name).toBe('account-sign-in');
    expect(route.query.redirect).toBe('/account/sessions');
  });

  it('lets any signed-in user in, with or without roles or a second factor', async () => {
    signedInAs(sessionWith([], ['pwd']));
    expect((await visit('/account/security')).name).toBe('account-security');
  });

  it('sends a signed-in user away from the account sign-in to the account page', async () => {
    signedInAs(sessionWith([], ['pwd']));
    expect((await visit('/account/sign-in')).name).toBe('account-security');
  });

  it('sends admins and auditors home to the console, everyone else to their account', async () => {
    signedInAs(sessionWith(['auditor']));
    const session = useSessionStore();
    await session.refresh();
    expect(homeFor(session)).toEqual({ name: 'dashboard' });
    session.current = sessionWith([]) as never;
    expect(homeFor(session)).toEqual({ name: 'account-security' });
  });
});

describe('safeRedirect', () => {
  it('follows only paths inside the console', () => {
    expect(safeRedirect('/users/u-1?x=1')).toBe('/users/u-1?x=1');
    expect(safeRedirect('//evil.example/')).toBeNull();
    expect(safeRedirect('https://evil.example/')).toBeNull();
    expect(safeRedirect(['/a'])).toBeNull();
  });
});
