import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { fakeApi, json, passwordPolicyProblem, problem } from '../../testing/fake-api';
import { takeRegisteredEmail } from '../sign-in/data';
import RegisterView from './register.vue';

const PASSWORD = 'violet harbour lantern 1987';

async function mountRegister(routes: Parameters<typeof fakeApi>[0]) {
  const api = fakeApi(routes);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/account/register', name: 'account-register', component: RegisterView },
      { path: '/account/sign-in', name: 'account-sign-in', component: { render: () => null } },
    ],
  });
  await router.push('/account/register');
  const wrapper = mount(RegisterView, { global: { plugins: [router] }, attachTo: document.body });
  return { wrapper, router, api };
}

async function fillDetails(wrapper: Awaited<ReturnType<typeof mountRegister>>['wrapper']) {
  await wrapper.get('[data-test="register-email"]').setValue('ada@example.com');
  await wrapper.get('[data-test="register-password"]').setValue(PASSWORD);
  await wrapper.get('[data-test="register-form"]').trigger('submit');
  await flushPromises();
}

const started = (resendInSeconds = 60) => ({
  registrationId: 'r-1',
  expiresAt: new Date(Date.now() + 600_000).toISOString(),
  resendAvailableAt: new Date(Date.now() + resendInSeconds * 1000).toISOString(),
});

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('sign-up with a mailed code', () => {
  it('asks for the code mailed to the address, then creates the account and goes to sign in', async () => {
    const { wrapper, router, api } = await mountRegister({
      'POST /v1/users': json(started(), 202),
      'POST /v1/users/registrations/r-1': json({ userId: 'r-1' }, 201),
    });
    await fillDetails(wrapper);
    expect(api.last('/v1/users')?.body).toEqual({ email: 'ada@example.com', password: PASSWORD });
    expect(wrapper.get('[data-test="register-code-sent"]').text()).toContain('ada@example.com');
    expect(wrapper.find('[data-test="register-password"]').exists()).toBe(false); // the password is not kept on screen
    // The code field is named by its label and has the focus.
    const code = wrapper.get('[data-test="register-code"]');
    expect(wrapper.get('label[for="register-code"]').text()).toBe('Code from the email');
    expect(code.attributes()).toMatchObject({ autocomplete: 'one-time-code', inputmode: 'numeric', placeholder: '' });
    expect(document.activeElement).toBe(code.element);

    await code.setValue('123-456');
    expect((code.element as HTMLInputElement).value).toBe('123456');
    await code.setValue('12 34 56');
    await wrapper.get('[data-test="register-code-form"]').trigger('submit');
    await flushPromises();
    expect(api.last('/v1/users/registrations/r-1')?.body).toEqual({ code: '123456' });
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('account-sign-in'));
    // The address goes to the sign-in page in memory, never in the URL.
    expect(router.currentRoute.value.fullPath).toBe('/account/sign-in');
    expect(takeRegisteredEmail()).toBe('ada@example.com');
    expect(takeRegisteredEmail()).toBeNull();
  });

  it('goes back to correct the address', async () => {
    const { wrapper } = await mountRegister({ 'POST /v1/users': json(started(), 202) });
    await fillDetails(wrapper);
    await wrapper.get('[data-test="register-change-address"]').trigger('click');
    await flushPromises();
    const email = wrapper.get('[data-test="register-email"]');
    expect((email.element as HTMLInputElement).value).toBe('ada@example.com');
    expect(document.activeElement).toBe(email.element);
  });

  it('locks "Request code" for the cooldown, then sends a new code', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { wrapper, api } = await mountRegister({
      'POST /v1/users': json(started(60), 202),
      'POST /v1/users/registrations/r-1/email-code': json(
        { resendAvailableAt: new Date(Date.now() + 120_000).toISOString() },
        202,
      ),
    });
    await fillDetails(wrapper);
    const resend = () => wrapper.get('[data-test="register-resend"]');
    expect(resend().attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-test="register-countdown"]').text()).toMatch(/in (59|60) s/);
    vi.advanceTimersByTime(61_000);
    await flushPromises();
    expect(resend().attributes('disabled')).toBeUndefined();
    await resend().trigger('click');
    await flushPromises();
    expect(api.requests.filter((r) => r.url.pathname === '/v1/users/registrations/r-1/email-code')).toHaveLength(1);
    expect(resend().attributes('disabled')).toBeDefined();
  });

  it('says so in plain words when the code is wrong, and stays on the code step', async () => {
    const { wrapper, router } = await mountRegister({
      'POST /v1/users': json(started(), 202),
      'POST /v1/users/registrations/r-1': problem(401, 'code_invalid'),
    });
    await fillDetails(wrapper);
    await wrapper.get('[data-test="register-code"]').setValue('000000');
    await wrapper.get('[data-test="register-code-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-test="register-error"]').text()).toContain('That code is not right');
    expect(router.currentRoute.value.name).toBe('account-register');
  });

  it('keeps the details step with the policy reasons when the password is refused', async () => {
    const { wrapper } = await mountRegister({
      'POST /v1/users': passwordPolicyProblem('too_common', 'This password is too common.'),
    });
    await fillDetails(wrapper);
    expect(wrapper.find('[data-test="register-code-form"]').exists()).toBe(false);
    expect(wrapper.get('[data-test="register-error"]').text()).toContain('This password is too common.');

    // The refusal was about the password sent: typing another one takes it away (the meter speaks now).
    await wrapper.get('[data-test="register-password"]').setValue('violet harbour lantern 1988');
    await flushPromises();
    expect(wrapper.find('[data-test="register-error"]').exists()).toBe(false);
  });

  it('takes an error away when the address is edited', async () => {
    const { wrapper } = await mountRegister({
      'POST /v1/users': problem(400, 'validation_failed', 'email is invalid'),
    });
    await fillDetails(wrapper);
    expect(wrapper.find('[data-test="register-error"]').exists()).toBe(true);
    await wrapper.get('[data-test="register-email"]').setValue('ada@example.org');
    await flushPromises();
    expect(wrapper.find('[data-test="register-error"]').exists()).toBe(false);
  });
});
