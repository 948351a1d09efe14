import { DOMWrapper, flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Passkey, SecurityState } from '../../../api/me';
import { fakeApi, json, noContent, problem } from '../../../testing/fake-api';
import PasskeysCard from './passkeys-card.vue';

// The browser's prompt is stood in for; the error sorting stays real.
const prompt = vi.hoisted(() => ({ create: vi.fn(), sign: vi.fn() }));
vi.mock('../../../browser/passkey', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../browser/passkey')>()),
  passkeysSupported: () => true,
  createPasskey: prompt.create,
  signWithPasskey: prompt.sign,
}));
const { PasskeyPromptError } = await import('../../../browser/passkey');

const laptop: Passkey = {
  id: 'pk-1',
  name: 'Work laptop',
  createdAt: '2030-01-01T00:00:00Z',
  lastUsedAt: '2030-01-02T00:00:00Z',
  backedUp: true,
  deviceType: 'multiDevice',
};
const registration = {
  id: 'cred',
  rawId: 'cred',
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: 'e30', attestationObject: 'oA' },
};
const assertion = {
  id: 'cred',
  rawId: 'cred',
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
};

function security(passkeys: Passkey[] = [], email = false): SecurityState {
  return {
    password: { changedAt: null },
    totp: { enabled: false, enabledAt: null },
    email: { enabled: email, enabledAt: null, address: 'ann@example.com' },
    recoveryCodes: { remaining: 0, generatedAt: null },
    passkeys,
  };
}

function mountCard(state: SecurityState) {
  const wrapper = mount(PasskeysCard, { props: { security: state }, attachTo: document.body });
  return { wrapper, page: new DOMWrapper(document.body) };
}

beforeEach(() => {
  prompt.create.mockReset();
  prompt.sign.mockReset();
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('passkeys card', () => {
  it('lists each passkey with its dates, whether it is synced, and buttons that name it', async () => {
    const { page } = mountCard(
      security([
        laptop,
        { ...laptop, id: 'pk-2', name: 'YubiKey', lastUsedAt: null, backedUp: false, deviceType: 'singleDevice' },
      ]),
    );
    const rows = page.findAll('[data-test="passkey-row"]');
    expect(rows).toHaveLength(2);
    expect(rows[0].text()).toContain('Work laptop');
    expect(rows[0].find('time').attributes('datetime')).toBe('2030-01-01T00:00:00Z');
    expect(rows[0].get('[data-test="passkey-storage"]').text()).toBe('Synced');
    expect(rows[1].text()).toContain('Last used never');
    expect(rows[1].get('[data-test="passkey-storage"]').text()).toBe('This device only');
    expect(rows[0].get('[data-test="passkey-rename"]').attributes('aria-label')).toBe('Rename Work laptop');
    expect(rows[1].get('[data-test="passkey-remove"]').attributes('aria-label')).toBe('Remove YubiKey');
    expect(page.get('[data-test="passkeys-status"]').text()).toBe('On');
  });

  it('adds one: step-up with the password, the browser prompt, then a name', async () => {
    const api = fakeApi({
      'POST /v1/me/reauth': json({ reauthToken: 're-1', expiresAt: 'x' }, 201),
      'POST /v1/me/passkeys/options': json({ challenge: 'c' }),
      'POST /v1/me/passkeys': json({ id: 'pk-9', name: 'Desk key' }, 201),
    });
    prompt.create.mockResolvedValue(registration);
    const { wrapper, page } = mountCard(security());
    expect(page.get('[data-test="passkeys-empty"]').text()).toContain('no passkeys');

    await page.get('[data-test="passkey-add"]').trigger('click');
    await flushPromises();
    await page.get('[data-test="reauth-password"]').setValue('pw');
    await page.get('[data-test="reauth-form"]').trigger('submit');
    await flushPromises();
    expect(api.last('/v1/me/passkeys/options')?.headers['X-Reauth-Token']).toBe('re-1');
    expect(prompt.create).toHaveBeenCalledWith({ challenge: 'c' });

    const name = page.get<HTMLInputElement>('[data-test="add-passkey-name"]');
    expect(name.element.value).not.toBe('');
    await name.setValue('Desk key');
    await page.get('[data-test="add-passkey-step-name"]').trigger('submit');
    await flushPromises();
    expect(api.last('/v1/me/passkeys')?.body).toEqual({ response: registration, name: 'Desk key' });
    expect(wrapper.emitted('changed')).toEqual([['Passkey “Desk key” added.']]);
  });

  it('says so in plain words when the person closes the prompt, and can try again', async () => {
    fakeApi({
      'POST /v1/me/reauth': json({ reauthToken: 're-1', expiresAt: 'x' }, 201),
      'POST /v1/me/passkeys/options': json({ challenge: 'c' }),
    });
    prompt.create.mockRejectedValueOnce(new PasskeyPromptError('cancelled')).mockResolvedValueOnce(registration);
    const { page } = mountCard(security());
    await page.get('[data-test="passkey-add"]').trigger('click');
    await flushPromises();
    await page.get('[data-test="reauth-password"]').setValue('pw');
    await page.get('[data-test="reauth-form"]').trigger('submit');
    await flushPromises();
    expect(page.get('[data-test="add-passkey-error"]').text()).toContain('The passkey prompt was closed or timed out.');

    await page.get('[data-test="add-passkey-retry"]').trigger('click');
    await flushPromises();
    expect(prompt.create).toHaveBeenCalledTimes(2);
    expect(page.find('[data-test="add-passkey-name"]').exists()).toBe(true);
  });

  it('renames one without a step-up', async () => {
    const api = fakeApi({ 'PATCH /v1/me/passkeys/pk-1': noContent() });
    const { wrapper, page } = mountCard(security([laptop]));
    await page.get('[data-test="passkey-rename"]').trigger('click');
    await flushPromises();
    const name = page.get<HTMLInputElement>('[data-test="rename-passkey-name"]');
    expect(name.element.value).toBe('Work laptop');
    await name.setValue('Old laptop');
    await page.get('[data-test="rename-passkey-form"]').trigger('submit');
    await flushPromises();
    expect(api.last('/v1/me/passkeys/pk-1')).toMatchObject({ method: 'PATCH', body: { name: 'Old laptop' } });
    expect(wrapper.emitted('changed')).toEqual([['Passkey renamed to “Old laptop”.']]);
  });

  it('removes one after a step-up with a passkey, warning when it is the only second factor', async () => {
    const api = fakeApi({
      'POST /v1/me/reauth/passkey-options': json({ challenge: 'c2' }),
      'POST /v1/me/reauth': json({ reauthToken: 're-2', expiresAt: 'x' }, 201),
      'DELETE /v1/me/passkeys/pk-1': noContent(),
    });
    prompt.sign.mockResolvedValue(assertion);
    const { wrapper, page } = mountCard(security([laptop]));
    await page.get('[data-test="passkey-remove"]').trigger('click');
    await flushPromises();
    expect(page.get('[data-test="remove-passkey-warning"]').text()).toContain('only second factor');
    // The password is no proof once a second factor is on: the passkey is offered.
    expect(page.find('[data-test="reauth-password"]').exists()).toBe(false);
    await page.get('[data-test="reauth-passkey"]').trigger('click');
    await flushPromises();
    expect(prompt.sign).toHaveBeenCalledTimes(1);
    expect(prompt.sign).toHaveBeenCalledWith({ challenge: 'c2' });
    expect(api.last('/v1/me/reauth')?.body).toEqual({ method: 'passkey', assertion });

    await page.get('[data-test="remove-passkey-confirm"]').trigger('click');
    await flushPromises();
    expect(api.last('/v1/me/passkeys/pk-1')).toMatchObject({ method: 'DELETE', headers: { 'X-Reauth-Token': 're-2' } });
    expect(wrapper.emitted('changed')).toEqual([['Passkey “Work laptop” removed.']]);
  });

  it('asks for the confirmation again when it ran out before the removal', async () => {
    let deletes = 0;
    const api = fakeApi({
      'POST /v1/me/reauth/passkey-options': json({ challenge: 'c2' }),
      'POST /v1/me/reauth': json({ reauthToken: 're-3', expiresAt: 'x' }, 201),
      'DELETE /v1/me/passkeys/pk-1': () => (++deletes === 1 ? problem(403, 'reauth_required') : noContent()),
    });
    prompt.sign.mockResolvedValue(assertion);
    const { wrapper, page } = mountCard(security([laptop]));
    await page.get('[data-test="passkey-remove"]').trigger('click');
    await flushPromises();
    await page.get('[data-test="reauth-passkey"]').trigger('click');
    await flushPromises();
    await page.get('[data-test="remove-passkey-confirm"]').trigger('click');
    await flushPromises();
    expect(page.get('[data-test="remove-passkey-dialog"]').attributes('data-step')).toBe('reauth');
    expect(page.get('[data-test="remove-passkey-error"]').text()).toContain('Confirm who you are again');

    await page.get('[data-test="reauth-passkey"]').trigger('click');
    await flushPromises();
    expect(page.find('[data-test="remove-passkey-error"]').exists()).toBe(false);
    await page.get('[data-test="remove-passkey-confirm"]').trigger('click');
    await flushPromises();
    expect(api.last('/v1/me/passkeys/pk-1')?.headers['X-Reauth-Token']).toBe('re-3');
    expect(wrapper.emitted('changed')).toHaveLength(1);
  });

  it('gives no warning when another second factor stays on', async () => {
    const { page } = mountCard(security([laptop], true));
    await page.get('[data-test="passkey-remove"]').trigger('click');
    await flushPromises();
    expect(page.find('[data-test="remove-passkey-warning"]').exists()).toBe(false);
    expect(page.get('[data-test="reauth-method-picker"]').text()).toContain('Passkey');
  });
});
