import { DOMWrapper, flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, noContent, problem } from '../../../testing/fake-api';
import ResetMfaDialog from './reset-mfa-dialog.vue';

const user = { id: 'u-1', email: 'Ann@Example.com' };

/** The modal teleports to <body>, so the test reads the page rather than the wrapper. */
function mountDialog() {
  const wrapper = mount(ResetMfaDialog, { props: { show: true, user }, attachTo: document.body });
  const page = new DOMWrapper(document.body);
  return { wrapper, page, submit: () => page.get('[data-test="reset-mfa-submit"]') };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('reset-MFA dialog', () => {
  it('cannot be submitted without both a reason and the typed email', async () => {
    const api = fakeApi({});
    const { page, submit } = mountDialog();
    await flushPromises();

    expect(submit().attributes()).toHaveProperty('disabled');

    await page.get('[data-test="reset-mfa-reason"]').setValue('Lost phone; identity checked by video call');
    expect(submit().attributes()).toHaveProperty('disabled');

    await page.get('[data-test="reset-mfa-confirm-email"]').setValue('someone-else@example.com');
    expect(submit().attributes()).toHaveProperty('disabled');

    await page.get('[data-test="reset-mfa-reason"]').setValue('   ');
    await page.get('[data-test="reset-mfa-confirm-email"]').setValue('ann@example.com');
    expect(submit().attributes()).toHaveProperty('disabled');

    // Submitting the form by Enter must not get around the button being disabled.
    await page.get('[data-test="reset-mfa-dialog"] form').trigger('submit');
    await flushPromises();
    expect(api.requests).toHaveLength(0);
  });

  it('sends the trimmed reason once both are given, then closes', async () => {
    const api = fakeApi({ 'POST /v1/admin/users/u-1/mfa/reset': noContent() });
    const { wrapper, page, submit } = mountDialog();
    await flushPromises();

    await page.get('[data-test="reset-mfa-reason"]').setValue('  Lost phone, ticket 42  ');
    await page.get('[data-test="reset-mfa-confirm-email"]').setValue(' ann@example.com ');
    expect(submit().attributes()).not.toHaveProperty('disabled');

    await submit().trigger('click'); // a submit button: the click submits the form
    await flushPromises();

    expect(api.requests).toHaveLength(1);
    expect(api.requests[0].body).toEqual({ reason: 'Lost phone, ticket 42' });
    expect(wrapper.emitted('update:show')).toEqual([[false]]);
    expect(wrapper.emitted('done')).toHaveLength(1);
  });

  it('stays open and explains a refusal', async () => {
    fakeApi({ 'POST /v1/admin/users/u-1/mfa/reset': problem(403, 'forbidden', 'Admins only.') });
    const { wrapper, page } = mountDialog();
    await flushPromises();

    await page.get('[data-test="reset-mfa-reason"]').setValue('Lost phone');
    await page.get('[data-test="reset-mfa-confirm-email"]').setValue('ann@example.com');
    await page.get('[data-test="reset-mfa-dialog"] form').trigger('submit');
    await flushPromises();

    // One plain sentence for the refusal (the API's own words are folded away for support).
    expect(page.get('[data-test="reset-mfa-error"] [data-test="error-message"]').text()).toBe(
      'This console needs an administrator or auditor account.',
    );
    expect(wrapper.emitted('done')).toBeUndefined();
  });
});
