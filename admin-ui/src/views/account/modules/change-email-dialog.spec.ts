import { DOMWrapper, flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecurityState } from '../../../api/me';
import { fakeApi, json, noContent, problem } from '../../../testing/fake-api';
import ChangeEmailDialog from './change-email-dialog.vue';

const noMfa: SecurityState = {
  password: { changedAt: null },
  totp: { enabled: false, enabledAt: null },
  email: { enabled: false, enabledAt: null, address: 'ann@old.example' },
  recoveryCodes: { remaining: 0, generatedAt: null },
  passkeys: [],
};

afterEach(() => {
  document.body.innerHTML = '';
});

async function openToAddress() {
  const wrapper = mount(ChangeEmailDialog, {
    props: { show: true, security: noMfa, address: 'ann@old.example' },
    attachTo: document.body,
  });
  const page = new DOMWrapper(document.body);
  await flushPromises();
  await page.get('[data-test="reauth-password"]').setValue('pw');
  await page.get('[data-test="reauth-form"]').trigger('submit');
  await flushPromises();
  return { wrapper, page };
}

describe('change email dialog', () => {
  it('confirms identity, sends a code to the new address with the step-up token, then changes the address', async () => {
    const api = fakeApi({
      'POST /v1/me/reauth': json({ reauthToken: 're-1', expiresAt: 'x' }, 201),
      'POST /v1/me/email': json({ resendAvailableAt: new Date(Date.now() + 60_000).toISOString() }, 202),
      'POST /v1/me/email/confirm': noContent(),
    });
    const { wrapper, page } = await openToAddress();
    expect(page.get('[data-test="change-email-dialog"]').attributes('data-step')).toBe('address');
    expect(page.get('label[for="change-email-new"]').text()).toContain('New email address');
    await page.get('[data-test="change-email-new"]').setValue(' ann@new.example ');
    await page.get('[data-test="change-email-step-address"]').trigger('submit');
    await flushPromises();
    expect(api.last('/v1/me/email')?.body).toEqual({ newEmail: 'ann@new.example' });
    expect(api.last('/v1/me/email')?.headers['X-Reauth-Token']).toBe('re-1');
    expect(page.get('[data-test="change-email-sent"]').text()).toContain('ann@new.example');

    await page.get('[data-test="change-email-code"]').setValue('123456');
    await page.get('[data-test="change-email-step-code"]').trigger('submit');
    await flushPromises();
    expect(api.last('/v1/me/email/confirm')?.body).toEqual({ code: '123456' });
    expect(wrapper.emitted('changed')).toEqual([['ann@new.example']]);
  });

  it('stays on the address step and says why when the grant was used up', async () => {
    fakeApi({
      'POST /v1/me/reauth': json({ reauthToken: 're-1', expiresAt: 'x' }, 201),
      'POST /v1/me/email': problem(403, 'reauth_required'),
    });
    const { page, wrapper } = await openToAddress();
    await page.get('[data-test="change-email-new"]').setValue('ann@new.example');
    await page.get('[data-test="change-email-step-address"]').trigger('submit');
    await flushPromises();
    expect(page.get('[data-test="change-email-dialog"]').attributes('data-step')).toBe('address');
    expect(page.get('[data-test="change-email-error"]').text()).toContain('Confirm who you are again');
    expect(wrapper.emitted('changed')).toBeUndefined();
  });

  it('shows a taken address in plain words at the code step, and changes nothing', async () => {
    fakeApi({
      'POST /v1/me/reauth': json({ reauthToken: 're-1', expiresAt: 'x' }, 201),
      'POST /v1/me/email': json({ resendAvailableAt: new Date(Date.now() + 60_000).toISOString() }, 202),
      'POST /v1/me/email/confirm': problem(409, 'email_taken', 'An account with this address exists already.'),
    });
    const { page, wrapper } = await openToAddress();
    await page.get('[data-test="change-email-new"]').setValue('bob@example.com');
    await page.get('[data-test="change-email-step-address"]').trigger('submit');
    await flushPromises();
    await page.get('[data-test="change-email-code"]').setValue('123456');
    await page.get('[data-test="change-email-step-code"]').trigger('submit');
    await flushPromises();
    expect(page.get('[data-test="change-email-error"]').text().length).toBeGreaterThan(0);
    expect(wrapper.emitted('changed')).toBeUndefined();
  });
});
