import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http';
import ErrorAlert from './error-alert.vue';

const wrongCode = new ApiError(401, 'code_invalid', 'The code is not valid: it may be wrong, used or expired.', {
  requestId: '3f0c9a52-8d7e-4b1c-9a55-0f4b3c2d1e6a',
});

describe('ErrorAlert', () => {
  it('says one plain sentence; the request id and the API’s wording are folded away for support', () => {
    const wrapper = mount(ErrorAlert, { props: { error: wrongCode } });
    expect(wrapper.get('[data-test="error-message"]').text()).toBe(
      'That code is not right, was already used, or has expired. Check it and try again.',
    );
    expect(wrapper.text()).not.toContain('Reference');
    const support = wrapper.get('details[data-test="error-support"]');
    expect(support.attributes()).not.toHaveProperty('open');
    expect(support.get('summary').text()).toBe('Details for support');
    expect(support.get('[data-test="error-request-id"]').text()).toBe('3f0c9a52-8d7e-4b1c-9a55-0f4b3c2d1e6a');
    expect(support.get('[data-test="error-detail"]').text()).toContain('The code is not valid');
    // Everything outside the folded details is the one sentence.
    expect(wrapper.findAll('p').filter((p) => !p.element.closest('details'))).toHaveLength(1);
  });

  it('is an alert after an action, and a polite live region for a page’s load error (with "Try again")', async () => {
    const afterAction = mount(ErrorAlert, { props: { error: wrongCode } });
    expect(afterAction.attributes('role')).toBe('alert');
    expect(afterAction.find('[data-test="error-retry"]').exists()).toBe(false);

    const onLoad = mount(ErrorAlert, { props: { error: wrongCode, retryable: true, title: 'Could not load' } });
    expect(onLoad.attributes('role')).toBeUndefined();
    expect(onLoad.attributes('aria-live')).toBe('polite');
    expect(onLoad.text()).toContain('Could not load');
    await onLoad.get('[data-test="error-retry"]').trigger('click');
    expect(onLoad.emitted('retry')).toHaveLength(1);
  });

  it('lists the reasons a password was refused, under the sentence', () => {
    const refused = new ApiError(400, 'password_policy', 'Password refused.', {
      reasons: [{ code: 'too_common', message: 'This password is too common.' }],
    });
    const wrapper = mount(ErrorAlert, { props: { error: refused } });
    expect(wrapper.get('[data-test="error-message"]').text()).toBe('That password is not accepted.');
    expect(wrapper.findAll('[data-test="error-reason"]').map((item) => item.text())).toEqual([
      'This password is too common.',
    ]);
    expect(wrapper.find('details').exists()).toBe(false); // no request id: nothing to fold
  });
});
