import { DOMWrapper, flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadPasswordContentChecks } from '../../../format/password-strength';
import { fakeApi, noContent, passwordPolicyProblem } from '../../../testing/fake-api';
import ChangePasswordDialog from './change-password-dialog.vue';

const EMAIL = 'alice.smith@example.com';

afterEach(() => {
  document.body.innerHTML = '';
});

async function open(email?: string) {
  const wrapper = mount(ChangePasswordDialog, { props: { show: true, email }, attachTo: document.body });
  await flushPromises();
  return { wrapper, page: new DOMWrapper(document.body) };
}

async function fill(page: DOMWrapper<Element>, next: string, repeat = next) {
  await page.get('[data-test="password-current"]').setValue('the old passphrase here');
  await page.get('[data-test="password-new"]').setValue(next);
  await page.get('[data-test="password-repeat"]').setValue(repeat);
  await flushPromises();
}

describe('change password dialog', () => {
  beforeAll(async () => {
    await loadPasswordContentChecks(); // the meter's dictionaries, once for the file
  });

  it("rates the new password against the account's address, as the API does", async () => {
    const { page } = await open(EMAIL);
    await fill(page, 'alice.smith2026');
    expect(page.get('[data-test="strength-label"]').text()).toBe('Built on your email address');
    expect(page.get('[data-test="strength-hint"]').text()).toBe('Do not build the password on your email address.');
  });

  it('takes a refusal away once the new password is edited', async () => {
    const api = fakeApi({
      'PUT /v1/me/password': passwordPolicyProblem('breached', 'This password appears in known data breaches.'),
    });
    const { page } = await open(EMAIL);
    await fill(page, 'violet harbour lantern 1987');
    await page.get('form').trigger('submit');
    await flushPromises();
    expect(api.last('/v1/me/password')?.body).toMatchObject({ newPassword: 'violet harbour lantern 1987' });
    expect(page.get('[data-test="password-error"]').text()).toContain('This password appears in known data breaches.');

    await page.get('[data-test="password-new"]').setValue('violet harbour lantern 1988');
    await flushPromises();
    expect(page.find('[data-test="password-error"]').exists()).toBe(false);
  });

  it('closes and reports the change when the API accepts it', async () => {
    fakeApi({ 'PUT /v1/me/password': noContent() });
    const { wrapper, page } = await open(EMAIL);
    await fill(page, 'violet harbour lantern 1987');
    await page.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.emitted('changed')).toHaveLength(1);
    expect(wrapper.emitted('update:show')?.at(-1)).toEqual([false]);
  });
});
