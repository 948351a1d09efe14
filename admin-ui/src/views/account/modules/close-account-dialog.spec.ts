import { DOMWrapper, flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecurityState } from '../../../api/me';
import { fakeApi, json, noContent, problem } from '../../../testing/fake-api';
import CloseAccountDialog from './close-account-dialog.vue';

const noMfa: SecurityState = {
  password: { changedAt: null },
  totp: { enabled: false, enabledAt: null },
  email: { enabled: false, enabledAt: null, address: 'ann@example.com' },
  recoveryCodes: { remaining: 0, generatedAt: null },
  passkeys: [],
};

afterEach(() => {
  document.body.innerHTML = '';
});

async function openToConfirm() {
  const wrapper = mount(CloseAccountDialog, {
    props: { show: true, security: noMfa, address: 'Ann@example.com' },
    attachTo: document.body,
  });
  const page = new DOMWrapper(document.body);
  await flushPromises();
  await page.get('[data-test="reauth-password"]').setValue('pw');
  await page.get('[data-test="reauth-form"]').trigger('submit');
  await flushPromises();
  return { wrapper, page };
}

describe('close account dialog', () => {
  it('confirms identity, then closes the account with the step-up token once the address is typed back', async () => {
    const api = fakeApi({
      'POST /v1/me/reauth': json({ reauthToken: 're-9', expiresAt: 'x' }, 201),
      'DELETE /v1/me': noContent(),
    });
    const { wrapper, page } = await openToConfirm();
    expect(page.get('[data-test="close-account-dialog"]').attributes('data-step')).toBe('confirm');
    expect(page.get('label[for="close-account-email"]').text()).toBe('Type Ann@example.com to confirm');
    const submit = page.get('[data-test="close-account-submit"]');
    expect(submit.attributes('disabled')).toBeDefined();
    await page.get('[data-test="close-account-email"]').setValue('someone@else.example');
    expect(submit.attributes('disabled')).toBeDefined();
    await page.get('[data-test="close-account-email"]').setValue(' ann@EXAMPLE.com ');
    expect(submit.attributes('disabled')).toBeUndefined();
    await page.get('[data-test="close-account-step-confirm"]').trigger('submit');
    await flushPromises();
    expect(api.last('/v1/me')?.headers['X-Reauth-Token']).toBe('re-9');
    expect(wrapper.emitted('closed')).toEqual([[]]);
  });

  it('stays open and says why when the API refuses', async () => {
    fakeApi({
      'POST /v1/me/reauth': json({ reauthToken: 're-9', expiresAt: 'x' }, 201),
      'DELETE /v1/me': problem(403, 'reauth_required'),
    });
    const { wrapper, page } = await openToConfirm();
    await page.get('[data-test="close-account-email"]').setValue('ann@example.com');
    await page.get('[data-test="close-account-step-confirm"]').trigger('submit');
    await flushPromises();
    expect(page.find('[data-test="close-account-error"]').exists()).toBe(true);
    expect(wrapper.emitted('closed')).toBeUndefined();
  });
});
