import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { TOKEN_STORAGE_KEY, useSessionStore } from '../../stores/session';
import { fakeApi, json, problem, type FakeHandler } from '../../testing/fake-api';
import ForgotPasswordView from './forgot-password.vue';

const confirmation = (address: string) =>
  `If an account uses ${address}, we sent it a link to choose a new password. It works for 30 minutes.`;

async function mountPage(routes: Record<string, FakeHandler | Response>) {
  const api = fakeApi(routes);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/account/forgot-password', name: 'account-forgot-password', component: ForgotPasswordView },
      { path: '/account/sign-in', name: 'account-sign-in', component: { render: () => null } },
    ],
  });
  await router.push('/account/forgot-password');
  const wrapper = mount(ForgotPasswordView, { global: { plugins: [router] }, attachTo: document.body });
  return { wrapper, api, router };
}

type Wrapper = Awaited<ReturnType<typeof mountPage>>['wrapper'];

async function ask(wrapper: Wrapper, address: string) {
  await wrapper.get('[data-test="forgot-password-email"]').setValue(address);
  await wrapper.get('[data-test="forgot-password-form"]').trigger('submit');
  await flushPromises();
}

const sentText = (wrapper: Wrapper) =>
  wrapper.get('[data-test="forgot-password-sent-message"]').text().replace(/\s+/g, ' ');

beforeEach(() => {
  sessionStorage.clear();
  setActivePinia(createPinia());
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('forgot password page', () => {
  it('says the same for any address, and asks without the stale session of this tab', async () => {
    // A token from an earlier session in this tab must not travel with the request.
    sessionStorage.setItem(TOKEN_STORAGE_KEY, 'stale-token');
    useSessionStore();
    const { wrapper, api } = await mountPage({ 'POST /v1/password-resets': json({}, 202) });

    const label = wrapper.get('label[for="forgot-password-email"]');
    expect(label.text()).toBe('Email');
    expect(wrapper.get('#forgot-password-email').attributes('data-test')).toBe('forgot-password-email');

    await ask(wrapper, '  ann@example.com ');
    expect(api.last('/v1/password-resets')?.body).toEqual({ email: 'ann@example.com' });
    expect(api.last('/v1/password-resets')?.headers.Authorization).toBeUndefined();
    expect(wrapper.find('[data-test="forgot-password-form"]').exists()).toBe(false);
    expect(sentText(wrapper)).toBe(confirmation('ann@example.com'));
    expect(document.activeElement).toBe(wrapper.get('[data-test="forgot-password-sent"]').element);
    expect(wrapper.get('[data-test="forgot-password-sign-in-link"]').attributes('href')).toBe('/account/sign-in');

    // Another address, known or not: the same words, only the address differs.
    await wrapper.get('[data-test="forgot-password-again"]').trigger('click');
    await ask(wrapper, 'nobody@example.com');
    expect(api.requests).toHaveLength(2);
    expect(sentText(wrapper)).toBe(confirmation('nobody@example.com'));
  });

  it('keeps "Send reset link" off until the address looks like one', async () => {
    const { wrapper, api } = await mountPage({ 'POST /v1/password-resets': json({}, 202) });
    const button = () => wrapper.get('[data-test="forgot-password-submit"]');
    expect(button().text()).toBe('Send reset link');
    expect(button().attributes()).toHaveProperty('disabled');

    await ask(wrapper, 'not an address');
    expect(button().attributes()).toHaveProperty('disabled');
    expect(api.requests).toHaveLength(0);

    await wrapper.get('[data-test="forgot-password-email"]').setValue('ann@example.com');
    expect(button().attributes()).not.toHaveProperty('disabled');
  });

  it('shows a rate limit in plain words and keeps the form', async () => {
    const { wrapper } = await mountPage({
      'POST /v1/password-resets': problem(429, 'rate_limited', 'Too many requests.', { 'Retry-After': '1740' }),
    });
    await ask(wrapper, 'ann@example.com');
    expect(wrapper.get('[data-test="forgot-password-error"]').text()).toContain(
      'Too many attempts. Try again in 29 minutes.',
    );
    expect(wrapper.find('[data-test="forgot-password-sent"]').exists()).toBe(false);
    expect((wrapper.get('[data-test="forgot-password-email"]').element as HTMLInputElement).value).toBe(
      'ann@example.com',
    );
  });

  it('shows a short rate limit in seconds', async () => {
    const { wrapper } = await mountPage({
      'POST /v1/password-resets': problem(429, 'rate_limited', '', { 'Retry-After': '45' }),
    });
    await ask(wrapper, 'ann@example.com');
    expect(wrapper.get('[data-test="forgot-password-error"]').text()).toContain(
      'Too many attempts. Try again in 45 s.',
    );
  });

  it('shows an address the API refuses as invalid', async () => {
    const { wrapper } = await mountPage({
      'POST /v1/password-resets': problem(400, 'validation_failed', 'email must be an email'),
    });
    await ask(wrapper, 'ann@example.c');
    expect(wrapper.get('[data-test="forgot-password-error"]').text()).toContain(
      'Some of what was entered is not valid.',
    );
    expect(wrapper.find('[data-test="forgot-password-sent"]').exists()).toBe(false);
  });
});
