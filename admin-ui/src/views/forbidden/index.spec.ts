import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { useSessionStore } from '../../stores/session';
import { fakeApi, json, noContent, sessionWith } from '../../testing/fake-api';
import ForbiddenPage from './index.vue';

const Blank = { render: () => null };
const APP_ON =
  'Your account now has two-step verification. Sign out and sign in again with your authenticator app to open the console.';

function security(totp: boolean, email = false) {
  return {
    password: { changedAt: '2025-01-01T00:00:00Z' },
    totp: { enabled: totp, enabledAt: totp ? '2025-01-02T00:00:00Z' : null },
    email: { enabled: email, enabledAt: null, address: 'admin@example.com' },
    recoveryCodes: { remaining: totp ? 10 : 0, generatedAt: null },
    passkeys: [],
  };
}

async function mountPage(reason: 'mfa_required' | 'forbidden', answers: { totp: boolean }, roles = ['admin']) {
  const api = fakeApi({
    'GET /v1/sessions/current': json(sessionWith(roles, ['pwd'])),
    'DELETE /v1/sessions/current': noContent(),
    'GET /v1/me/security': () => json(security(answers.totp)),
  });
  await useSessionStore().establish('tok');
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/sign-in', name: 'sign-in', component: Blank },
      { path: '/forbidden', name: 'forbidden', component: ForbiddenPage },
      { path: '/', name: 'dashboard', component: Blank },
      { path: '/account/security', name: 'account-security', component: Blank },
    ],
  });
  await router.push({ name: 'forbidden', query: { reason } });
  const wrapper = mount(ForbiddenPage, { global: { plugins: [router] } });
  await flushPromises();
  return { wrapper, router, api };
}

beforeEach(() => {
  sessionStorage.clear();
  setActivePinia(createPinia());
});

describe('forbidden page', () => {
  it('asks for a second factor with a link to the account page where the app is turned on', async () => {
    const { wrapper } = await mountPage('mfa_required', { totp: false });
    expect(wrapper.get('h1').text()).toBe('Second factor needed');
    const link = wrapper.get('[data-test="forbidden-account-link"]');
    expect(link.text()).toBe('Turn on two-step verification on your account page');
    expect(link.attributes('href')).toBe('/account/security');
    expect(wrapper.get('[data-test="forbidden-message"]').text()).toContain('Turn on the authenticator app');
  });

  it('after the app is turned on, "Check again" says to sign out and sign in again with it', async () => {
    const answers = { totp: false };
    const { wrapper, router } = await mountPage('mfa_required', answers);
    const first = wrapper.get('[data-test="forbidden-message"]').text();
    answers.totp = true; // turned on in another tab, on the account page
    await wrapper.get('[data-test="forbidden-check-again"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-test="forbidden-message"]').text()).toBe(APP_ON);
    expect(wrapper.get('[data-test="forbidden-message"]').text()).not.toBe(first);
    expect(wrapper.find('[data-test="forbidden-account-link"]').exists()).toBe(false);
    // This session did not use the app: it stays here rather than bounce through the dashboard.
    expect(router.currentRoute.value.name).toBe('forbidden');
  });

  it('says it at once when the app was already on before this page opened', async () => {
    const { wrapper } = await mountPage('mfa_required', { totp: true });
    expect(wrapper.get('[data-test="forbidden-message"]').text()).toBe(APP_ON);
  });

  it('tells a person without a role, and says so again after "Check again"', async () => {
    const { wrapper, api } = await mountPage('forbidden', { totp: true }, []);
    expect(wrapper.get('h1').text()).toBe('No access to the console');
    expect(api.requests.some((r) => r.url.pathname === '/v1/me/security')).toBe(false);
    await wrapper.get('[data-test="forbidden-check-again"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-test="forbidden-message"]').text()).toContain(
      'Checked again: your account still has no console role.',
    );
  });

  it('signs out and goes to the sign-in page', async () => {
    const { wrapper, router } = await mountPage('mfa_required', { totp: true });
    expect(wrapper.get('[data-test="forbidden-sign-out"]').attributes('aria-label')).toBe('Sign out admin@example.com');
    await wrapper.get('[data-test="forbidden-sign-out"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(useSessionStore().token).toBeNull();
  });
});
