import { DOMWrapper, flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, noContent, problem } from '../../../testing/fake-api';
import EraseUserDialog from './erase-user-dialog.vue';

const user = { id: 'u-1', email: 'Ann@Example.com' };

/** The modal teleports to <body>, so the test reads the page rather than the wrapper. */
function mountDialog() {
  const wrapper = mount(EraseUserDialog, { props: { show: true, user }, attachTo: document.body });
  const page = new DOMWrapper(document.body);
  /** The field a label names, as a person (or a screen reader) finds it. */
  const field = (label: string) => {
    const found = page.findAll('label').find((candidate) => candidate.text().startsWith(label));
    if (!found) throw new Error(`no label "${label}"`);
    return page.get(`#${found.attributes('for')}`);
  };
  return {
    wrapper,
    page,
    reason: () => field('Reason (recorded in the audit log)'),
    typedEmail: () => field(`Type ${user.email} to confirm`),
    submit: () => page.get('[data-test="erase-user-submit"]'),
  };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('erase-personal-data dialog', () => {
  it('says what goes for good and what stays, with labelled fields', async () => {
    fakeApi({});
    const { page, reason, typedEmail, submit } = mountDialog();
    await flushPromises();

    const dialog = page.get('[data-test="erase-user-dialog"]');
    expect(dialog.attributes('role')).toBe('dialog');
    expect(dialog.text()).toContain('Erase personal data');
    expect(dialog.text()).toContain('Ann@Example.com');
    expect(dialog.text()).toMatch(/email address, IP addresses, devices and passkey names/);
    expect(dialog.text()).toMatch(/audit log/);
    expect(dialog.text()).toMatch(/integrity check still passes/);
    expect(dialog.text()).toMatch(/cannot be undone/);
    expect(reason().element.tagName).toBe('TEXTAREA');
    expect(typedEmail().element.tagName).toBe('INPUT');
    expect(submit().text()).toBe('Erase personal data');
  });

  it('cannot be submitted without both a reason and the typed email', async () => {
    const api = fakeApi({});
    const { page, reason, typedEmail, submit } = mountDialog();
    await flushPromises();

    expect(submit().attributes()).toHaveProperty('disabled');

    await reason().setValue('Erasure request by the user, ticket 7');
    expect(submit().attributes()).toHaveProperty('disabled');

    await typedEmail().setValue('someone-else@example.com');
    expect(submit().attributes()).toHaveProperty('disabled');

    await reason().setValue('   ');
    await typedEmail().setValue('ann@example.com');
    expect(submit().attributes()).toHaveProperty('disabled');

    await reason().setValue('x'.repeat(501));
    expect(submit().attributes()).toHaveProperty('disabled');

    // Submitting the form by Enter must not get around the button being disabled.
    await page.get('[data-test="erase-user-dialog"] form').trigger('submit');
    await flushPromises();
    expect(api.requests).toHaveLength(0);
  });

  it('sends the trimmed reason once both are given, then closes', async () => {
    const api = fakeApi({ 'POST /v1/admin/users/u-1/erase': noContent() });
    const { wrapper, reason, typedEmail, submit } = mountDialog();
    await flushPromises();

    await reason().setValue('  Erasure request, ticket 42  ');
    await typedEmail().setValue(' ann@example.com ');
    expect(submit().attributes()).not.toHaveProperty('disabled');

    await submit().trigger('click'); // a submit button: the click submits the form
    await flushPromises();

    expect(api.requests).toHaveLength(1);
    expect(api.requests[0].method).toBe('POST');
    expect(api.requests[0].body).toEqual({ reason: 'Erasure request, ticket 42' });
    expect(wrapper.emitted('update:show')).toEqual([[false]]);
    expect(wrapper.emitted('done')).toHaveLength(1);
  });

  it('stays open and explains a refusal', async () => {
    fakeApi({ 'POST /v1/admin/users/u-1/erase': problem(409, 'conflict', 'You cannot erase your own account here.') });
    const { wrapper, page, reason, typedEmail } = mountDialog();
    await flushPromises();

    await reason().setValue('Erasure request');
    await typedEmail().setValue('ann@example.com');
    await page.get('[data-test="erase-user-dialog"] form').trigger('submit');
    await flushPromises();

    expect(page.get('[data-test="erase-user-error"]').text()).toBe(
      'You cannot erase your own account here. Close it from your account page, or ask another administrator.',
    );
    expect(page.get('[data-test="erase-user-error"]').attributes('role')).toBe('alert');
    expect(page.find('[data-test="erase-user-dialog"]').exists()).toBe(true);
    expect(wrapper.emitted('done')).toBeUndefined();
    expect(wrapper.emitted('update:show')).toBeUndefined();
  });
});
