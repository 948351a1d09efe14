import { DOMWrapper, flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SecurityState } from '../../../api/me';
import { fakeApi, json, noContent, problem } from '../../../testing/fake-api';
import EmailMfaDialog from './email-mfa-dialog.vue';

const noMfa: SecurityState = {
  password: { changedAt: null },
  totp: { enabled: false, enabledAt: null },
  email: { enabled: false, enabledAt: null, address: 'ann@example.com' },
  recoveryCodes: { remaining: 0, generatedAt: null },
  passkeys: [],
};

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

async function openAndConfirm() {
  const wrapper = mount(EmailMfaDialog, {
    props: { show: true, security: noMfa, address: 'ann@example.com' },
    attachTo: document.body,
  });
  const page = new DOMWrapper(document.body);
  await flushPromises();
  await page.get('[data-test="reauth-password"]').setValue('pw');
  await page.get('[data-test="reauth-form"]').trigger('submit');
  await flushPromises();
  return { wrapper, page };
}

describe('email codes dialog', () => {
  it('sends a code after the identity check, locks "Request code" for 60 s, then confirms', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const send = vi.fn(() => json({ resendAvailableAt: new Date(Date.now() + 60_000).toISOString() }, 202));
    const api = fakeApi({
      'POST /v1/me/reauth': json({ reauthToken: 're-1', expiresAt: 'x' }, 201),
      'POST /v1/me/mfa/email': send,
      'POST /v1/me/mfa/email/confirm': new Response(null, { status: 200 }),
    });
    const { wrapper, page } = await openAndConfirm();

    expect(send).toHaveBeenCalledTimes(1);
    expect(api.last('/v1/me/mfa/email')?.headers['X-Reauth-Token']).toBe('re-1');
    expect(page.get('[data-test="email-mfa-sent"]').text()).toContain('ann@example.com');
    const resend = () => page.get('[data-test="email-mfa-resend"]');
    expect(resend().attributes()).toHaveProperty('disabled');
    expect(page.get('[data-test="email-mfa-countdown"]').text()).toContain('60 s');

    await vi.advanceTimersByTimeAsync(59_000);
    expect(page.get('[data-test="email-mfa-countdown"]').text()).toContain('1 s');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(page.find('[data-test="email-mfa-countdown"]').exists()).toBe(false);
    expect(resend().text()).toBe('Request code');
    expect(resend().attributes()).not.toHaveProperty('disabled');

    await resend().trigger('click');
    await flushPromises();
    expect(send).toHaveBeenCalledTimes(2);
    expect(page.get('[data-test="email-mfa-countdown"]').text()).toContain('60 s');

    await page.get('[data-test="email-mfa-code"]').setValue('654321');
    await page.get('[data-test="email-mfa-step-code"]').trigger('submit');
    await flushPromises();
    expect(api.last('/v1/me/mfa/email/confirm')?.body).toEqual({ code: '654321' });
    expect(wrapper.emitted('enabled')).toHaveLength(1);
  });

  it('counts down the Retry-After of a 429', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    let calls = 0;
    fakeApi({
      'POST /v1/me/reauth': json({ reauthToken: 're-1', expiresAt: 'x' }, 201),
      'POST /v1/me/mfa/email': () =>
        ++calls === 1
          ? json({ resendAvailableAt: new Date(Date.now() + 60_000).toISOString() }, 202)
          : problem(429, 'rate_limited', '', { 'Retry-After': '42' }),
      'DELETE /v1/me/mfa/email': noContent(),
    });
    const { page } = await openAndConfirm();
    await vi.advanceTimersByTimeAsync(60_000);
    await page.get('[data-test="email-mfa-resend"]').trigger('click');
    await flushPromises();
    expect(page.get('[data-test="email-mfa-countdown"]').text()).toContain('42 s');
    expect(page.get('[data-test="email-mfa-error"]').text()).toContain('Try again in 42 s');
  });
});
