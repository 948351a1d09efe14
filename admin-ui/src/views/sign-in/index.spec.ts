import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { TOKEN_STORAGE_KEY, useSessionStore } from '../../stores/session';
import { ADMIN_SESSION, fakeApi, json, problem, type FakeHandler } from '../../testing/fake-api';
import { notePasswordReset } from '../account/reset-data';
import { noteRegistered } from './data';
import SignInView from './index.vue';

const challenge = {
  status: 'mfa_required',
  challengeId: 'ch-1',
  methods: ['totp', 'email', 'recovery_code'],
  expiresAt: '2030-01-01T00:05:00Z',
};
const authenticated = {
  status: 'authenticated',
  token: 'tok-new',
  session: { id: 's1', expiresAt: '2030-01-02T00:00:00Z' },
};

async function mountSignIn(routes: Record<string, FakeHandler | Response>, pinia: Pinia = createPinia()) {
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
  const wrapper = mount(SignInView, { global: { plugins: [pinia, router] }, attachTo: document.body });
  return { wrapper, router, api };
}

async function signInWithPassword(wrapper: Awaited<ReturnType<typeof mountSignIn>>['wrapper']) {
  await wrapper.get('[data-test="sign-in-email"]').setValue('admin@example.com');
  await wrapper.get('[data-test="sign-in-password"]').setValue('correct horse battery');
  await wrapper.get('[data-test="sign-in-form"]').trigger('submit');
  await flushPromises();
}

async function pickMethod(wrapper: Awaited<ReturnType<typeof mountSignIn>>['wrapper'], method: string) {
  await wrapper.get(`[data-test="mfa-method-${method}"] input`).trigger('change');
}

beforeEach(() => sessionStorage.clear());
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('sign-in flow', () => {
  it('goes from password to method picker to code, then on to where the user was going', async () => {
    const { wrapper, router, api } = await mountSignIn({
      'POST /v1/sessions': json(challenge),
      'POST /v1/sessions/challenges/ch-1': json(authenticated, 201),
    });

    await signInWithPassword(wrapper);
    expect(api.last('/v1/sessions')?.body).toEqual({ email: 'admin@example.com', password: 'correct horse battery' });

    const picker = wrapper.get('[data-test="mfa-method-picker"]');
    expect(picker.text()).toContain('Authenticator app');
    expect(picker.text()).toContain('Email code');
    expect(picker.text()).toContain('Recovery code');

    const codeInput = wrapper.get('[data-test="mfa-code-input"]');
    expect(codeInput.attributes()).toMatchObject({ autocomplete: 'one-time-code', inputmode: 'numeric' });
    // No maxlength: it would cut a pasted "123 456" to "123 45" before the spaces are dropped.
    expect(codeInput.attributes()).not.toHaveProperty('maxlength');
    expect(codeInput.attributes('placeholder')).toBe('');
    expect(wrapper.get('label[for="sign-in-code"]').text()).toBe('Code from your authenticator app');
    // The second step starts in its code field.
    expect(document.activeElement).toBe(codeInput.element);
    expect(wrapper.get('[data-test="mfa-submit"]').attributes()).toHaveProperty('disabled');

    await codeInput.setValue('123-456');
    expect((codeInput.element as HTMLInputElement).value).toBe('123456');
    await codeInput.setValue('123 45x6');
    expect((codeInput.element as HTMLInputElement).value).toBe('123456');
    expect(wrapper.get('[data-test="mfa-submit"]').attributes()).not.toHaveProperty('disabled');

    await wrapper.get('[data-test="mfa-form"]').trigger('submit');
    await flushPromises();

    expect(api.last('/v1/sessions/challenges/ch-1')?.body).toEqual({ method: 'totp', code: '123456' });
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('tok-new');
    expect(router.currentRoute.value.fullPath).toBe('/users/u-7');
  });

  it('signs straight in when the account has no second factor', async () => {
    const { wrapper, router } = await mountSignIn({ 'POST /v1/sessions': json(authenticated, 201) });
    await signInWithPassword(wrapper);
    expect(wrapper.find('[data-test="mfa-method-picker"]').exists()).toBe(false);
    expect(router.currentRoute.value.name).toBe('user');
  });

  it('shows wrong credentials in plain words', async () => {
    const { wrapper } = await mountSignIn({
      'POST /v1/sessions': problem(401, 'invalid_credentials', 'Invalid email or password.'),
    });
    await signInWithPassword(wrapper);
    expect(wrapper.get('[data-test="sign-in-error"]').text()).toContain('The email or password is not right.');
  });

  it('sends an email code, then keeps "Request code" locked for 60 seconds', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const sendCode = vi.fn(() => json({ resendAvailableAt: new Date(Date.now() + 60_000).toISOString() }, 202));
    const { wrapper, api } = await mountSignIn({
      'POST /v1/sessions': json(challenge),
      'POST /v1/sessions/challenges/ch-1/email-code': sendCode,
      'POST /v1/sessions/challenges/ch-1': json(authenticated, 201),
    });
    await signInWithPassword(wrapper);
    await pickMethod(wrapper, 'email');

    const send = () => wrapper.get('[data-test="mfa-send-email-code"]');
    expect(send().text()).toBe('Send code');
    await send().trigger('click');
    await flushPromises();

    expect(sendCode).toHaveBeenCalledTimes(1);
    expect(wrapper.find('[data-test="mfa-email-sent"]').exists()).toBe(true);
    expect(send().attributes()).toHaveProperty('disabled');
    expect(wrapper.get('[data-test="mfa-resend-countdown"]').text()).toContain('60 s');

    await vi.advanceTimersByTimeAsync(59_000);
    expect(wrapper.get('[data-test="mfa-resend-countdown"]').text()).toContain('1 s');
    expect(send().attributes()).toHaveProperty('disabled');

    await vi.advanceTimersByTimeAsync(1_000);
    expect(wrapper.find('[data-test="mfa-resend-countdown"]').exists()).toBe(false);
    expect(send().text()).toBe('Request code');
    expect(send().attributes()).not.toHaveProperty('disabled');

    await wrapper.get('[data-test="mfa-code-input"]').setValue('654321');
    await wrapper.get('[data-test="mfa-form"]').trigger('submit');
    await flushPromises();
    expect(api.last('/v1/sessions/challenges/ch-1')?.body).toEqual({ method: 'email', code: '654321' });
  });

  it('counts down the Retry-After the API gives inside the cooldown', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const { wrapper } = await mountSignIn({
      'POST /v1/sessions': json(challenge),
      'POST /v1/sessions/challenges/ch-1/email-code': problem(429, 'rate_limited', 'Wait.', { 'Retry-After': '25' }),
    });
    await signInWithPassword(wrapper);
    await pickMethod(wrapper, 'email');
    await wrapper.get('[data-test="mfa-send-email-code"]').trigger('click');
    await flushPromises();

    expect(wrapper.get('[data-test="mfa-resend-countdown"]').text()).toContain('25 s');
    expect(wrapper.get('[data-test="mfa-error"]').text()).toContain('Try again in 25 s');
  });

  it('takes a recovery code as text and reports a wrong one', async () => {
    const { wrapper, api } = await mountSignIn({
      'POST /v1/sessions': json(challenge),
      'POST /v1/sessions/challenges/ch-1': problem(401, 'code_invalid', 'The code is invalid.'),
    });
    await signInWithPassword(wrapper);
    await pickMethod(wrapper, 'recovery_code');

    const input = wrapper.get('[data-test="mfa-code-input"]');
    expect(input.attributes('inputmode')).toBeUndefined();
    await input.setValue('abcd-efgh-ijkl');
    await wrapper.get('[data-test="mfa-form"]').trigger('submit');
    await flushPromises();

    expect(api.last('/v1/sessions/challenges/ch-1')?.body).toEqual({ method: 'recovery_code', code: 'abcd-efgh-ijkl' });
    expect(wrapper.get('[data-test="mfa-error"]').text()).toContain('That code is not right');
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('offers "Forgot password?" on the password step, leading to the account area', async () => {
    const { wrapper, router } = await mountSignIn({ 'POST /v1/sessions': json(challenge) });
    const link = wrapper.get('[data-test="sign-in-forgot-password-link"]');
    expect(link.text()).toBe('Forgot password?');
    expect(link.attributes('href')).toBe('/account/forgot-password');
    await link.trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.name).toBe('account-forgot-password');
  });

  it('hides "Forgot password?" during the second step', async () => {
    const { wrapper } = await mountSignIn({ 'POST /v1/sessions': json(challenge) });
    await signInWithPassword(wrapper);
    expect(wrapper.find('[data-test="mfa-form"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="sign-in-forgot-password-link"]').exists()).toBe(false);
  });
});

describe('sign-in after a password reset', () => {
  it('says once that the password was changed, with nothing about it in the address', async () => {
    notePasswordReset();
    const { wrapper, router } = await mountSignIn({ 'POST /v1/sessions': json(challenge) });
    expect(wrapper.get('[data-test="sign-in-password-reset"]').text()).toBe(
      'Your password was changed. Sign in with the new one.',
    );
    expect(router.currentRoute.value.fullPath).toBe('/sign-in?redirect=/users/u-7');

    // Once the second step starts, the notice has done its job.
    await signInWithPassword(wrapper);
    expect(wrapper.find('[data-test="mfa-form"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="sign-in-password-reset"]').exists()).toBe(false);

    // The next visit (a sign-out, say) does not repeat it.
    wrapper.unmount();
    const again = await mountSignIn({});
    expect(again.wrapper.find('[data-test="sign-in-form"]').exists()).toBe(true);
    expect(again.wrapper.find('[data-test="sign-in-password-reset"]').exists()).toBe(false);
  });

  it('fills in the address of an account just created, says so, and puts the cursor in the password', async () => {
    noteRegistered('new@example.com');
    const { wrapper, router } = await mountSignIn({});
    expect(wrapper.get('[data-test="sign-in-registered"]').text()).toBe(
      'Account created. Sign in with your new password.',
    );
    const email = wrapper.get('[data-test="sign-in-email"]');
    expect((email.element as HTMLInputElement).value).toBe('new@example.com');
    expect(document.activeElement).toBe(wrapper.get('[data-test="sign-in-password"]').element);
    expect(router.currentRoute.value.fullPath).not.toContain('new@example.com');

    wrapper.unmount();
    const again = await mountSignIn({});
    expect(again.wrapper.find('[data-test="sign-in-registered"]').exists()).toBe(false);
    expect((again.wrapper.get('[data-test="sign-in-email"]').element as HTMLInputElement).value).toBe('');
  });

  it.each([
    [
      'mfa_reset',
      'You were signed out because an administrator reset your two-step verification. Sign in again and set it up.',
    ],
    ['password_changed', 'You were signed out because your password was changed.'],
    [null, 'Your session has ended. Sign in again to continue.'],
    ['something_new', 'Your session has ended. Sign in again to continue.'],
  ])('says why the session ended (%s), once', async (reason, words) => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useSessionStore().ended = { reason };
    const { wrapper } = await mountSignIn({}, pinia);
    expect(wrapper.get('[data-test="sign-in-session-ended"]').text()).toContain(words);
    expect(useSessionStore().ended).toBeNull();
  });

  it('names every field by its label, with no example text standing in', async () => {
    const { wrapper } = await mountSignIn({});
    for (const [id, label] of [
      ['sign-in-email', 'Email'],
      ['sign-in-password', 'Password'],
    ]) {
      expect(wrapper.get(`label[for="${id}"]`).text()).toBe(label);
      expect(wrapper.get(`#${id}`).attributes('placeholder')).toBe('');
    }
  });

  it('puts the cursor back in the password after a refusal', async () => {
    const { wrapper } = await mountSignIn({ 'POST /v1/sessions': problem(401, 'invalid_credentials') });
    await signInWithPassword(wrapper);
    expect(document.activeElement).toBe(wrapper.get('[data-test="sign-in-password"]').element);
  });

  it('says nothing of a reset on an ordinary visit', async () => {
    const { wrapper } = await mountSignIn({});
    expect(wrapper.find('[data-test="sign-in-form"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="sign-in-password-reset"]').exists()).toBe(false);
  });
});
