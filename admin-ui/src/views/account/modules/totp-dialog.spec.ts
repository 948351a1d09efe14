import { DOMWrapper, flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecurityState } from '../../../api/me';
import { fakeApi, json, problem } from '../../../testing/fake-api';
import TotpDialog from './totp-dialog.vue';

const recoveryCodes = Array.from({ length: 10 }, (_, i) => `rc-${i}`);
const noMfa: SecurityState = {
  password: { changedAt: '2030-01-01T00:00:00Z' },
  totp: { enabled: false, enabledAt: null },
  email: { enabled: false, enabledAt: null, address: 'ann@example.com' },
  recoveryCodes: { remaining: 0, generatedAt: null },
  passkeys: [],
};

function mountDialog(security: SecurityState = noMfa) {
  const wrapper = mount(TotpDialog, { props: { show: true, security }, attachTo: document.body });
  const page = new DOMWrapper(document.body);
  const step = () => page.get('[data-test="totp-dialog"]').attributes('data-step');
  return { wrapper, page, step };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('authenticator app dialog', () => {
  it('walks confirm → scan → verify → save codes', async () => {
    const api = fakeApi({
      'POST /v1/me/reauth': json({ reauthToken: 're-1', expiresAt: '2030-01-01T00:05:00Z' }, 201),
      'POST /v1/me/mfa/totp': json(
        {
          secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
          otpauthUri: 'otpauth://totp/x',
          qrCode: 'data:image/png;base64,iVBOR',
        },
        201,
      ),
      'POST /v1/me/mfa/totp/confirm': json({ recoveryCodes }),
    });
    const { wrapper, page, step } = mountDialog();
    await flushPromises();
    expect(step()).toBe('1');

    // No method on yet: the password confirms identity.
    await page.get('[data-test="reauth-password"]').setValue('my password');
    await page.get('[data-test="reauth-form"]').trigger('submit');
    await flushPromises();
    expect(api.last('/v1/me/reauth')?.body).toEqual({ password: 'my password' });
    expect(api.last('/v1/me/mfa/totp')?.headers['X-Reauth-Token']).toBe('re-1');

    expect(step()).toBe('2');
    expect(page.get('[data-test="totp-qr"]').attributes('src')).toBe('data:image/png;base64,iVBOR');
    expect(page.get('[data-test="totp-secret"]').text()).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    await page.get('[data-test="totp-next"]').trigger('click');

    expect(step()).toBe('3');
    const input = page.get('[data-test="totp-code"]');
    expect(input.attributes()).toMatchObject({ autocomplete: 'one-time-code', inputmode: 'numeric' });
    await input.setValue('123 456'); // a pasted code with a space
    expect((input.element as HTMLInputElement).value).toBe('123456');
    await page.get('[data-test="totp-step-verify"]').trigger('submit');
    await flushPromises();
    expect(api.last('/v1/me/mfa/totp/confirm')?.body).toEqual({ code: '123456' });

    expect(step()).toBe('4');
    expect(page.findAll('[data-test="recovery-code"]')).toHaveLength(10);
    expect(wrapper.emitted('enabled')).toHaveLength(1);
    await page.get('[data-test="totp-done"]').trigger('click');
    expect(wrapper.emitted('update:show')?.at(-1)).toEqual([false]);
  });

  it('confirms identity with an app or email code when a method is on, and shows a wrong code in plain words', async () => {
    const api = fakeApi({
      'POST /v1/me/reauth': problem(401, 'code_invalid'),
    });
    const { page, step } = mountDialog({
      ...noMfa,
      email: { enabled: true, enabledAt: 'x', address: 'ann@example.com' },
    });
    await flushPromises();
    expect(page.find('[data-test="reauth-password"]').exists()).toBe(false);
    await page.get('[data-test="reauth-code"]').setValue('000000');
    await page.get('[data-test="reauth-form"]').trigger('submit');
    await flushPromises();
    expect(api.last('/v1/me/reauth')?.body).toEqual({ method: 'email', code: '000000' });
    expect(page.get('[data-test="reauth-error"]').text()).toContain('That code is not right');
    expect(step()).toBe('1');
  });
});
