import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRouter, createWebHistory } from 'vue-router';
import {
  fakeApi,
  noContent,
  passwordPolicyProblem,
  problem,
  type FakeHandler,
  type FakeRequest,
} from '../../testing/fake-api';
import ResetView from './reset.vue';
import { takePasswordResetNotice } from './reset-data';

const TOKEN = '0f8e7a9c-3b1d-4c55-9a2e-6d1f0b7c8e21.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE';
const NEW_PASSWORD = 'lighthouse meadow copper violin';
const CONFIRM = '/v1/password-resets/confirm';

/** 403 `mfa_required` as the API sends it: `methods` at the top level of the problem. */
function mfaRequired(methods: string[], detail = 'This account has two-step verification.'): Response {
  return new Response(
    JSON.stringify({
      type: '/problems/mfa_required',
      title: 'Forbidden',
      status: 403,
      detail,
      code: 'mfa_required',
      methods,
    }),
    { status: 403, headers: { 'Content-Type': 'application/problem+json' } },
  );
}

/** Asks for a second factor until the request carries one, then answers with `then`. */
function needsSecondFactor(methods: string[], then: FakeHandler = () => noContent()): FakeHandler {
  return (request: FakeRequest) =>
    (request.body as { secondFactor?: unknown }).secondFactor ? then(request) : mfaRequired(methods);
}

/** The page as the emailed link opens it: the browser's own history, the token in the fragment. */
async function openLink(confirm: FakeHandler | Response, url = `/account/reset#token=${TOKEN}`) {
  const api = fakeApi({ [`POST ${CONFIRM}`]: confirm });
  const router = createRouter({
    history: createWebHistory('/'),
    routes: [
      { path: '/account/reset', name: 'account-reset', component: ResetView },
      { path: '/account/sign-in', name: 'account-sign-in', component: { render: () => null } },
      { path: '/account/forgot-password', name: 'account-forgot-password', component: { render: () => null } },
    ],
  });
  window.history.replaceState(null, '', url);
  await router.push(url);
  const wrapper = mount(ResetView, { global: { plugins: [router] }, attachTo: document.body });
  // What the address bar shows before any other work (the router's own update comes later).
  const atOnce = { hash: window.location.hash, state: JSON.stringify(window.history.state) };
  await flushPromises();
  return { wrapper, api, router, atOnce };
}

type Wrapper = Awaited<ReturnType<typeof openLink>>['wrapper'];

async function typePasswords(wrapper: Wrapper, password = NEW_PASSWORD, repeat = password) {
  await wrapper.get('[data-test="reset-password"]').setValue(password);
  await wrapper.get('[data-test="reset-password-repeat"]').setValue(repeat);
}

async function submitPasswords(wrapper: Wrapper, password = NEW_PASSWORD, repeat = password) {
  await typePasswords(wrapper, password, repeat);
  await wrapper.get('[data-test="reset-form"]').trigger('submit');
  await flushPromises();
}

async function submitCode(wrapper: Wrapper, code: string) {
  await wrapper.get('[data-test="reset-code"]').setValue(code);
  await wrapper.get('[data-test="reset-mfa-form"]').trigger('submit');
  await flushPromises();
}

const labelOf = (wrapper: Wrapper, id: string) => wrapper.get(`label[for="${id}"]`).text();

beforeEach(() => {
  takePasswordResetNotice(); // nothing left over from another test
});
afterEach(() => {
  document.body.innerHTML = '';
  window.history.replaceState(null, '', '/');
});

describe('reset page', () => {
  it('takes the token out of the address bar and the history at once, and keeps it for the request', async () => {
    const { wrapper, api, router, atOnce } = await openLink(noContent());
    const secret = TOKEN.split('.')[1];

    expect(atOnce.hash).toBe('');
    expect(atOnce.state).not.toContain(secret);
    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/account/reset');
    expect(window.location.href).not.toContain(secret);
    expect(JSON.stringify(window.history.state)).not.toContain(secret);
    expect(router.currentRoute.value.fullPath).toBe('/account/reset');

    await submitPasswords(wrapper);
    expect(api.last(CONFIRM)?.body).toEqual({
      token: TOKEN,
      newPassword: NEW_PASSWORD,
      newPasswordRepeat: NEW_PASSWORD,
    });
    expect(api.last(CONFIRM)?.headers.Authorization).toBeUndefined();
  });

  it('goes to the sign-in page on success, which learns of it without anything in the URL', async () => {
    const { wrapper, router } = await openLink(noContent());
    expect(labelOf(wrapper, 'reset-new-password')).toBe('New password');
    expect(labelOf(wrapper, 'reset-repeat-password')).toBe('Repeat new password');
    expect(wrapper.find('[data-test="strength-meter"]').exists()).toBe(true);

    await submitPasswords(wrapper);
    expect(router.currentRoute.value.name).toBe('account-sign-in');
    expect(router.currentRoute.value.fullPath).toBe('/account/sign-in');
    expect(window.location.href).not.toContain(TOKEN.split('.')[1]);
    expect(takePasswordResetNotice()).toBe(true);
    expect(takePasswordResetNotice()).toBe(false);
  });

  it('keeps "Set new password" off while the passwords differ or are too short, and sends nothing', async () => {
    const { wrapper, api } = await openLink(noContent());
    const button = () => wrapper.get('[data-test="reset-submit"]');
    expect(button().text()).toBe('Set new password');

    await typePasswords(wrapper, 'too short', 'too short');
    expect(button().attributes()).toHaveProperty('disabled');
    expect(wrapper.get('[data-test="strength-label"]').text()).toBe('Too short');

    await typePasswords(wrapper, NEW_PASSWORD, `${NEW_PASSWORD}!`);
    expect(button().attributes()).toHaveProperty('disabled');
    expect(wrapper.get('[data-test="reset-password-mismatch"]').text()).toBe('The two passwords differ.');
    const repeat = wrapper.get('[data-test="reset-password-repeat"]');
    expect(repeat.attributes('aria-invalid')).toBe('true');
    expect(repeat.attributes('aria-describedby')).toBe('reset-repeat-feedback');

    // Enter in a field submits the form: still refused.
    await wrapper.get('[data-test="reset-form"]').trigger('submit');
    await flushPromises();
    expect(api.requests).toHaveLength(0);

    await typePasswords(wrapper, NEW_PASSWORD, NEW_PASSWORD);
    expect(wrapper.find('[data-test="reset-password-mismatch"]').exists()).toBe(false);
    expect(button().attributes()).not.toHaveProperty('disabled');
  });

  it('asks for an app code on mfa_required, then sends it with the same token and passwords', async () => {
    const { wrapper, api, router } = await openLink(needsSecondFactor(['totp', 'recovery_code']));
    await submitPasswords(wrapper);

    expect(wrapper.find('[data-test="reset-form"]').exists()).toBe(false);
    expect(wrapper.get('[data-test="reset-mfa-intro"]').text()).toBe(
      'Your account uses two-step verification: confirm the new password with a code from your authenticator app or one of your recovery codes.',
    );
    expect(labelOf(wrapper, 'reset-code')).toBe('Code from your authenticator app');
    const input = wrapper.get('[data-test="reset-code"]');
    expect(input.attributes()).toMatchObject({ autocomplete: 'one-time-code', inputmode: 'numeric', placeholder: '' });
    expect(input.attributes()).not.toHaveProperty('maxlength'); // a pasted "123 456" must not be cut
    expect(document.activeElement).toBe(input.element);
    const confirm = () => wrapper.get('[data-test="reset-mfa-submit"]');
    expect(confirm().text()).toBe('Confirm and set the new password');
    expect(confirm().attributes()).toHaveProperty('disabled');

    await submitCode(wrapper, '123 456');
    expect(api.requests).toHaveLength(2);
    expect(api.last(CONFIRM)?.body).toEqual({
      token: TOKEN,
      newPassword: NEW_PASSWORD,
      newPasswordRepeat: NEW_PASSWORD,
      secondFactor: { method: 'totp', code: '123456' },
    });
    expect(router.currentRoute.value.name).toBe('account-sign-in');
    expect(takePasswordResetNotice()).toBe(true);
  });

  it('lets the user switch to a recovery code when both are offered', async () => {
    const { wrapper, api } = await openLink(needsSecondFactor(['totp', 'recovery_code']));
    await submitPasswords(wrapper);

    const picker = wrapper.get('[data-test="reset-method-picker"]');
    expect(picker.text()).toContain('Authenticator app');
    expect(picker.text()).toContain('Recovery code');
    await wrapper.get('[data-test="reset-method-recovery_code"] input').trigger('change');

    expect(labelOf(wrapper, 'reset-code')).toBe('Recovery code');
    expect(wrapper.get('[data-test="reset-code"]').attributes('inputmode')).toBeUndefined();
    await submitCode(wrapper, ' abcd-efgh-ijkl ');
    expect(api.last(CONFIRM)?.body).toMatchObject({
      token: TOKEN,
      secondFactor: { method: 'recovery_code', code: 'abcd-efgh-ijkl' },
    });
  });

  it('asks only for what the API lists, and reports a wrong code in plain words', async () => {
    const { wrapper, api, router } = await openLink(
      needsSecondFactor(['recovery_code'], () => problem(401, 'code_invalid', 'The code is invalid.')),
    );
    await submitPasswords(wrapper);

    expect(wrapper.find('[data-test="reset-method-picker"]').exists()).toBe(false);
    expect(labelOf(wrapper, 'reset-code')).toBe('Recovery code');
    await submitCode(wrapper, 'abcd-efgh-ijkl');

    expect(api.requests).toHaveLength(2);
    expect(wrapper.get('[data-test="reset-error"]').text()).toContain('That code is not right');
    expect((wrapper.get('[data-test="reset-code"]').element as HTMLInputElement).value).toBe('');
    expect(router.currentRoute.value.name).toBe('account-reset');
    expect(takePasswordResetNotice()).toBe(false);
  });

  it('explains that an administrator must reset two-step verification when no method is offered', async () => {
    const { wrapper, api } = await openLink(
      mfaRequired(
        [],
        'This account signs in with email codes only, which cannot confirm a reset that came by email: ask an administrator to reset two-step verification.',
      ),
    );
    await submitPasswords(wrapper);

    expect(api.requests).toHaveLength(1);
    const notice = wrapper.get('[data-test="reset-administrator"]');
    expect(notice.text()).toContain('Ask an administrator to reset your two-step verification first');
    expect(notice.text()).toContain('Your password has not been changed.');
    expect(wrapper.findAll('input')).toHaveLength(0);
    expect(wrapper.findAll('button')).toHaveLength(0);
    expect(wrapper.find('[data-test="reset-mfa-form"]').exists()).toBe(false);
  });

  it('explains a used or expired link and offers a new one', async () => {
    const { wrapper, api } = await openLink(problem(400, 'token_invalid', 'The link is invalid or has expired.'));
    await submitPasswords(wrapper);

    expect(api.requests).toHaveLength(1);
    expect(wrapper.find('[data-test="reset-form"]').exists()).toBe(false);
    expect(wrapper.get('[data-test="reset-invalid-message"]').text()).toContain('The link is invalid or has expired.');
    expect(wrapper.get('[data-test="reset-new-link"]').attributes('href')).toBe('/account/forgot-password');
    expect(wrapper.findAll('input')).toHaveLength(0);
  });

  it('says the link is unusable, without asking the API, when the address has no token', async () => {
    const { wrapper, api } = await openLink(noContent(), '/account/reset');
    expect(wrapper.find('[data-test="reset-form"]').exists()).toBe(false);
    expect(wrapper.get('[data-test="reset-invalid-message"]').text()).toContain(
      'This page needs the link from the email',
    );
    expect(wrapper.get('[data-test="reset-new-link"]').text()).toBe('Ask for a new link');
    expect(api.requests).toHaveLength(0);
  });

  it('shows the policy reasons and keeps the form (the link is not spent)', async () => {
    const policy = passwordPolicyProblem('breached', 'This password appears in known data breaches.');
    const { wrapper } = await openLink(policy);
    await submitPasswords(wrapper, 'password1234', 'password1234');

    expect(wrapper.get('[data-test="reset-error"]').text()).toContain('That password is not accepted.');
    expect(wrapper.get('[data-test="error-reason"]').text()).toBe('This password appears in known data breaches.');
    expect(wrapper.find('[data-test="reset-form"]').exists()).toBe(true);

    // Editing the refused password takes the refusal away; the meter speaks for the new one.
    await wrapper.get('[data-test="reset-password"]').setValue('violet harbour lantern 1987');
    await flushPromises();
    expect(wrapper.find('[data-test="reset-error"]').exists()).toBe(false);
  });
});
