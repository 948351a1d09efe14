import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { beforeEach, afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { TOKEN_STORAGE_KEY } from '../../stores/session';
import { ADMIN_SESSION, fakeApi, json, problem, type FakeHandler } from '../../testing/fake-api';
import SignInView from './index.vue';

// The browser's prompt is stood in for; the error sorting stays real.
const prompt = vi.hoisted(() => ({ sign: vi.fn(), supported: vi.fn(() => true) }));
vi.mock('../../browser/passkey', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../browser/passkey')>()),
  passkeysSupported: prompt.supported,
  signWithPasskey: prompt.sign,
}));
const { toPasskeyPromptError } = await import('../../browser/passkey');

const assertion = {
  id: 'cred',
  rawId: 'cred',
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
};
const authenticated = {
  status: 'authenticated',
  token: 'tok-new',
  session: { id: 's1', expiresAt: '2030-01-02T00:00:00Z' },
};
const challenge = {
  status: 'mfa_required',
  challengeId: 'ch-1',
  methods: ['totp', 'passkey'],
  expiresAt: '2030-01-01T00:05:00Z',
};

async function mountSignIn(routes: Record<string, FakeHandler | Response>) {
  const api = fakeApi({ 'GET /v1/sessions/current': json(ADMIN_SESSION), ...routes });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/sign-in', name: 'sign-in', component: SignInView },
      { path: '/', name: 'dashboard', component: { render: () => null } },
      { path: '/users/:id', name: 'user', component: { render: () => null } },
      { path: '/account/forgot-password', name: 'account-forgot-password', component: { render: () => null } },
    ],
  });
  await router.push('/sign-in?redirect=/users/u-7');
  const wrapper = mount(SignInView, { global: { plugins: [createPinia(), router] }, attachTo: document.body });
  return { wrapper, router, api };
}

beforeEach(() => {
  sessionStorage.clear();
  prompt.sign.mockReset();
  prompt.supported.mockReturnValue(true);
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('sign-in with a passkey', () => {
  it('signs in with a passkey alone, typing nothing', async () => {
    prompt.sign.mockResolvedValue(assertion);
    const { wrapper, router, api } = await mountSignIn({
      'POST /v1/sessions/passkey/options': json({ challenge: 'c', userVerification: 'required', allowCredentials: [] }),
      'POST /v1/sessions/passkey': json(authenticated, 201),
    });
    const button = wrapper.get('[data-test="passkey-sign-in-button"]');
    expect(button.text()).toBe('Sign in with a passkey');
    await button.trigger('click');
    await flushPromises();
    expect(prompt.sign).toHaveBeenCalledWith({ challenge: 'c', userVerification: 'required', allowCredentials: [] });
    expect(api.last('/v1/sessions/passkey')?.body).toEqual({ assertion });
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('tok-new');
    expect(router.currentRoute.value.fullPath).toBe('/users/u-7');
  });

  it('says so plainly when the person closes the prompt, and stays on the page', async () => {
    prompt.sign.mockRejectedValue(
      toPasskeyPromptError(
        Object.assign(new Error('The operation either timed out or was not allowed.'), { name: 'NotAllowedError' }),
      ),
    );
    const { wrapper, router } = await mountSignIn({
      'POST /v1/sessions/passkey/options': json({ challenge: 'c', allowCredentials: [] }),
    });
    await wrapper.get('[data-test="passkey-sign-in-button"]').trigger('click');
    await flushPromises();
    const error = wrapper.get('[data-test="passkey-sign-in-error"]').text();
    expect(error).toContain('The passkey prompt was closed or timed out.');
    expect(error).not.toContain('not allowed');
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(wrapper.find('[data-test="sign-in-form"]').exists()).toBe(true);
  });

  it('reports a passkey the server refuses', async () => {
    prompt.sign.mockResolvedValue(assertion);
    const { wrapper } = await mountSignIn({
      'POST /v1/sessions/passkey/options': json({ challenge: 'c', allowCredentials: [] }),
      'POST /v1/sessions/passkey': problem(401, 'passkey_invalid'),
    });
    await wrapper.get('[data-test="passkey-sign-in-button"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-test="passkey-sign-in-error"]').text()).toContain('That passkey was not accepted.');
  });

  it('has no passkey button where the browser cannot use passkeys', async () => {
    prompt.supported.mockReturnValue(false);
    const { wrapper } = await mountSignIn({});
    expect(wrapper.find('[data-test="passkey-sign-in-button"]').exists()).toBe(false);
  });

  it('offers the passkey first at the second step, and answers with it', async () => {
    prompt.sign.mockResolvedValue(assertion);
    const { wrapper, router, api } = await mountSignIn({
      'POST /v1/sessions': json(challenge),
      'POST /v1/sessions/challenges/ch-1/passkey-options': json({
        challenge: 'c3',
        allowCredentials: [{ id: 'cred', type: 'public-key' }],
      }),
      'POST /v1/sessions/challenges/ch-1': json(authenticated, 201),
    });
    await wrapper.get('[data-test="sign-in-email"]').setValue('admin@example.com');
    await wrapper.get('[data-test="sign-in-password"]').setValue('correct horse battery');
    await wrapper.get('[data-test="sign-in-form"]').trigger('submit');
    await flushPromises();

    expect(wrapper.find('[data-test="passkey-sign-in-button"]').exists()).toBe(false);
    expect(wrapper.get('[data-test="mfa-method-picker"]').text()).toContain('Passkey');
    expect(wrapper.find('[data-test="mfa-code-input"]').exists()).toBe(false);
    const use = wrapper.get('[data-test="mfa-passkey"]');
    expect(use.text()).toBe('Use a passkey');
    await use.trigger('click');
    await flushPromises();
    expect(prompt.sign).toHaveBeenCalledTimes(1);
    expect(api.last('/v1/sessions/challenges/ch-1')?.body).toEqual({ method: 'passkey', assertion });
    expect(router.currentRoute.value.fullPath).toBe('/users/u-7');
  });

  it('keeps the code methods at hand when the passkey prompt is closed', async () => {
    prompt.sign.mockRejectedValue(toPasskeyPromptError(Object.assign(new Error('x'), { name: 'NotAllowedError' })));
    const { wrapper } = await mountSignIn({
      'POST /v1/sessions': json(challenge),
      'POST /v1/sessions/challenges/ch-1/passkey-options': json({ challenge: 'c3' }),
    });
    await wrapper.get('[data-test="sign-in-email"]').setValue('admin@example.com');
    await wrapper.get('[data-test="sign-in-password"]').setValue('correct horse battery');
    await wrapper.get('[data-test="sign-in-form"]').trigger('submit');
    await flushPromises();
    await wrapper.get('[data-test="mfa-passkey"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-test="mfa-error"]').text()).toContain('The passkey prompt was closed or timed out.');
    await wrapper.get('[data-test="mfa-method-totp"] input').trigger('change');
    expect(wrapper.find('[data-test="mfa-code-input"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="mfa-error"]').exists()).toBe(false);
  });
});
