import { DOMWrapper, flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { useSessionStore } from '../../stores/session';
import { fakeApi, json, noContent, sessionWith } from '../../testing/fake-api';
import UserPage from './detail.vue';

const userDetail = {
  id: 'u-1',
  email: { enabled: true, enabledAt: '2025-01-03T00:00:00Z', address: 'ann@example.com' },
  roles: [],
  createdAt: '2025-01-01T00:00:00Z',
  lastLoginAt: '2025-02-01T09:30:00Z',
  locked: false,
  lockedUntil: null,
  password: { changedAt: '2025-01-01T00:00:00Z' },
  totp: { enabled: true, enabledAt: '2025-01-02T00:00:00Z' },
  recoveryCodes: { remaining: 9, generatedAt: '2025-01-02T00:00:00Z' },
  passkeys: [
    {
      id: 'pk-1',
      name: 'Work laptop',
      createdAt: '2025-01-05T00:00:00Z',
      lastUsedAt: '2025-02-01T09:30:00Z',
      backedUp: true,
      deviceType: 'multiDevice',
    },
    {
      id: 'pk-2',
      name: 'YubiKey',
      createdAt: '2025-01-06T00:00:00Z',
      lastUsedAt: null,
      backedUp: false,
      deviceType: 'singleDevice',
    },
  ],
  sessions: [
    {
      id: 's-9',
      browser: 'Firefox',
      os: 'Linux',
      ip: '203.0.113.9',
      location: 'NL',
      createdAt: '2025-02-01T09:30:00Z',
      lastActiveAt: '2025-02-01T10:00:00Z',
    },
  ],
};

const events = {
  items: [
    {
      id: 'e-2',
      position: '2',
      stream: 'user-u-1',
      type: 'LoginFailed',
      occurredAt: '2025-02-01T09:29:00Z',
      actor: { type: 'anonymous', id: null },
      userId: 'u-1',
      ip: '203.0.113.9',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0',
      summary: 'Sign-in failed: wrong password',
    },
    {
      id: 'e-1',
      position: '1',
      stream: 'user-u-1',
      type: 'UserRegistered',
      occurredAt: '2025-01-01T00:00:00Z',
      actor: { type: 'user', id: 'u-1' },
      userId: 'u-1',
      ip: null,
      userAgent: null,
      summary: 'Account created',
    },
  ],
  nextCursor: null,
};

const ACTION_SELECTOR = '[data-test^="action-"], [data-test="user-actions"]';

const asOfAnswer = {
  ...userDetail,
  totp: { enabled: false, enabledAt: null },
  locked: true,
  asOf: '2025-01-01T12:00:00.000Z',
  changedBy: {
    locked: {
      position: '3',
      type: 'AccountLockedByAdmin',
      occurredAt: '2025-01-01T11:00:00Z',
      summary: 'Locked by an administrator',
    },
    roles: { position: '1', type: 'UserRegistered', occurredAt: '2025-01-01T00:00:00Z', summary: 'Account created' },
  },
  lastChange: {
    position: '3',
    type: 'AccountLockedByAdmin',
    occurredAt: '2025-01-01T11:00:00Z',
    summary: 'Locked by an administrator',
  },
  sessions: [],
};

/** The account once its person's data was erased: no address, no roles, no sessions, nameless passkeys. */
const erasedDetail = {
  ...userDetail,
  erasedAt: '2025-03-01T10:00:00Z',
  email: { address: null, enabled: false, enabledAt: null, verifiedBy: 'code' },
  roles: [],
  passkeys: [{ ...userDetail.passkeys[0], name: null }],
  sessions: [],
};

async function mountAs(
  roles: string[],
  path = '/users/u-1',
  present: Record<string, unknown> = userDetail,
  extra: Parameters<typeof fakeApi>[0] = {},
) {
  const api = fakeApi({
    'GET /v1/sessions/current': json(sessionWith(roles)),
    'GET /v1/admin/users/u-1': (request) => json(request.url.searchParams.get('asOf') ? asOfAnswer : present),
    'GET /v1/admin/users/u-1/events': json(events),
    'GET /v1/admin/events/e-2': json({
      ...events.items[0],
      data: { reason: 'wrong_password' },
      metadata: { correlationId: 'c-1' },
    }),
    'POST /v1/admin/users/u-1/sessions/revoke': noContent(),
    ...extra,
  });
  await useSessionStore().establish('tok');
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/users/:id', name: 'user', component: UserPage }],
  });
  await router.push(path);
  const wrapper = mount(UserPage, { props: { id: 'u-1' }, global: { plugins: [router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, api, router };
}

beforeEach(() => {
  sessionStorage.clear();
  setActivePinia(createPinia());
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('user page', () => {
  it('shows an auditor the state, sessions and timeline, and no action buttons at all', async () => {
    const { wrapper } = await mountAs(['auditor']);

    expect(wrapper.get('[data-test="user-email"]').text()).toBe('ann@example.com');
    expect(wrapper.get('[data-test="state-totp"]').text()).toContain('On, turned on');
    expect(wrapper.get('[data-test="state-recovery-codes"]').text()).toContain('9 left');
    expect(wrapper.findAll('[data-test="session-row"]')).toHaveLength(1);
    expect(wrapper.findAll('[data-test="timeline-row"]')).toHaveLength(2);

    expect(wrapper.get('[data-test="user-passkeys"]').text()).toContain('Passkeys (2)');
    const passkeys = wrapper.findAll('[data-test="user-passkey-row"]');
    expect(passkeys.map((row) => row.get('[data-test="user-passkey-name"]').text())).toEqual([
      'Work laptop',
      'YubiKey',
    ]);
    expect(passkeys[0].findAll('time').map((time) => time.attributes('datetime'))).toEqual([
      '2025-01-05T00:00:00Z',
      '2025-02-01T09:30:00Z',
    ]);
    expect(passkeys[0].get('[data-test="user-passkey-storage"]').text()).toBe('Synced');
    expect(passkeys[1].text()).toContain('Last used never');
    expect(passkeys[1].get('[data-test="user-passkey-storage"]').text()).toBe('This device only');

    expect(wrapper.findAll(ACTION_SELECTOR)).toHaveLength(0);
    expect(wrapper.text()).not.toMatch(/Reset two-step|Sign out all sessions|Lock|Change roles|Erase/);
  });

  it('gives an admin the actions, and a confirmation before revoking sessions', async () => {
    const { wrapper, api } = await mountAs(['admin']);
    for (const action of ['reset-mfa', 'revoke-sessions', 'lock', 'edit-roles']) {
      expect(wrapper.find(`[data-test="action-${action}"]`).exists()).toBe(true);
    }
    expect(wrapper.find('[data-test="action-unlock"]').exists()).toBe(false);

    await wrapper.get('[data-test="action-revoke-sessions"]').trigger('click');
    await flushPromises();
    expect(api.requests.some((r) => r.url.pathname.endsWith('/sessions/revoke'))).toBe(false);

    await new DOMWrapper(document.body).get('[data-test="confirm-action-submit"]').trigger('click');
    await flushPromises();
    expect(api.last('/v1/admin/users/u-1/sessions/revoke')?.method).toBe('POST');
    expect(wrapper.get('[data-test="action-result"]').text()).toContain(
      'All sessions of this account were signed out.',
    );
  });

  it('names the account on each action button and reports the action that was confirmed', async () => {
    const { wrapper, api } = await mountAs(['admin'], '/users/u-1', userDetail, {
      'POST /v1/admin/users/u-1/lock': noContent(),
    });
    const lock = wrapper.get('[data-test="action-lock"]');
    expect(lock.text()).toBe('Lock account');
    expect(lock.attributes('aria-label')).toBe('Lock account of ann@example.com');
    await lock.trigger('click');
    await flushPromises();
    const body = new DOMWrapper(document.body);
    expect(body.get('[data-test="confirm-action-dialog"]').attributes('aria-label')).toBe('Lock this account?');
    await body.get('[data-test="confirm-action-submit"]').trigger('click');
    await flushPromises();
    expect(api.last('/v1/admin/users/u-1/lock')?.method).toBe('POST');
    // Not the words of another action: the dialog had closed (and forgotten its action) by then.
    expect(wrapper.get('[data-test="action-result"]').text()).toContain('The account is locked.');
  });

  it('tells each event in words and opens the raw event', async () => {
    const { wrapper, api } = await mountAs(['auditor']);
    const [failed, created] = wrapper.findAll('[data-test="timeline-row"]');

    expect(failed.get('[data-test="timeline-summary"]').text()).toBe('Sign-in failed: wrong password');
    expect(failed.get('[data-test="timeline-actor"]').text()).toBe('Someone not signed in');
    expect(failed.get('[data-test="timeline-ip"]').text()).toBe('from 203.0.113.9');
    expect(failed.get('[data-test="timeline-device"]').text()).toBe('Firefox on Linux');
    expect(failed.get('time').attributes('datetime')).toBe('2025-02-01T09:29:00Z');
    expect(created.get('[data-test="timeline-actor"]').text()).toBe('The user');

    await failed.get('[data-test="timeline-raw-event"]').trigger('click');
    await flushPromises();
    expect(api.last('/v1/admin/events/e-2')).toBeDefined();
    const json = new DOMWrapper(document.body).get('[data-test="raw-event-json"]').text();
    expect(JSON.parse(json)).toMatchObject({ id: 'e-2', data: { reason: 'wrong_password' } });
  });

  it('shows the account as it was at a chosen moment, what set each part, and no actions', async () => {
    const { wrapper, api, router } = await mountAs(['admin'], '/users/u-1?asOf=2025-01-01T12:00:00.000Z');
    expect(api.last('/v1/admin/users/u-1')?.url.searchParams.get('asOf')).toBe('2025-01-01T12:00:00.000Z');
    expect(wrapper.get('[data-test="as-of-banner"]').text()).toContain('This is the account as it was at');
    expect(wrapper.get('[data-test="as-of-banner"]').text()).toContain('Locked by an administrator');
    expect(wrapper.find('[data-test="state-locked"]').exists()).toBe(true);
    expect(wrapper.get('[data-test="state-totp"]').text()).toBe('Off');
    const changes = wrapper.get('[data-test="changed-by"]');
    expect(changes.get('[data-field="locked"]').text()).toContain(
      'Locked by an administrator: Locked by an administrator',
    );
    expect(changes.get('[data-field="roles"]').text()).toContain('Roles: Account created');
    // The past cannot be changed: no action buttons, even for an admin.
    expect(wrapper.findAll(ACTION_SELECTOR)).toHaveLength(0);

    // Back to now: the present state and the actions again.
    const back = wrapper.findAll('button').find((button) => button.text() === 'Back to now')!;
    await back.trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query.asOf).toBeUndefined();
    expect(wrapper.find('[data-test="as-of-banner"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="action-lock"]').exists()).toBe(true);
  });

  it('asks for a moment by a labelled field and sends it in UTC', async () => {
    const { wrapper, router } = await mountAs(['auditor']);
    const field = wrapper.get('input[type="datetime-local"]');
    expect(wrapper.get(`label[for="${field.attributes('id')}"]`).text()).toBe('Show the account as it was at');
    await field.setValue('2025-01-01T12:00');
    await wrapper.get('[data-test="as-of-picker"]').trigger('submit');
    await flushPromises();
    expect(router.currentRoute.value.query.asOf).toBe(new Date('2025-01-01T12:00').toISOString());
    expect(wrapper.find('[data-test="as-of-banner"]').exists()).toBe(true);
  });

  it('marks an erased account, names it so, and offers no actions even to an admin', async () => {
    const { wrapper } = await mountAs(['admin'], '/users/u-1', erasedDetail);

    expect(wrapper.get('[data-test="user-email"]').text()).toBe('Erased account');
    const banner = wrapper.get('[data-test="erased-banner"]');
    expect(banner.text()).toContain('Personal data erased on');
    expect(banner.text()).toContain(
      "The account's events remain in the audit log; its email, addresses and devices are gone.",
    );
    expect(banner.get('time').attributes('datetime')).toBe('2025-03-01T10:00:00Z');
    expect(wrapper.get('[data-test="state-email-verified"]').text()).toBe('Erased');
    expect(wrapper.findAll(ACTION_SELECTOR)).toHaveLength(0);
    expect(wrapper.text()).not.toContain('Erase personal data');
    expect(wrapper.findAll('[data-test="timeline-row"]')).toHaveLength(2);
  });

  it('erases from the actions and then shows the account as erased', async () => {
    let erased = false;
    const { wrapper, api } = await mountAs(
      ['admin'],
      '/users/u-1',
      {},
      {
        'GET /v1/admin/users/u-1': () => json(erased ? erasedDetail : userDetail),
        'POST /v1/admin/users/u-1/erase': () => {
          erased = true;
          return noContent();
        },
      },
    );
    expect(wrapper.find('[data-test="erased-banner"]').exists()).toBe(false);

    await wrapper.get('[data-test="action-erase"]').trigger('click');
    await flushPromises();
    const page = new DOMWrapper(document.body);
    await page.get('[data-test="erase-user-reason"]').setValue('Erasure request, ticket 9');
    await page.get('[data-test="erase-user-confirm-email"]').setValue('ann@example.com');
    await page.get('[data-test="erase-user-submit"]').trigger('click');
    await flushPromises();

    expect(api.last('/v1/admin/users/u-1/erase')?.body).toEqual({ reason: 'Erasure request, ticket 9' });
    expect(wrapper.get('[data-test="action-result"]').text()).toContain(
      'The personal data of this account was erased.',
    );
    expect(wrapper.find('[data-test="erased-banner"]').exists()).toBe(true);
    expect(wrapper.get('[data-test="user-email"]').text()).toBe('Erased account');
    // The actions are gone (the result message above is not one of them).
    expect(wrapper.findAll(ACTION_SELECTOR).map((found) => found.attributes('data-test'))).toEqual(['action-result']);
  });

  it('shows no erased banner for a moment before the erasure', async () => {
    const { wrapper } = await mountAs(['admin'], '/users/u-1?asOf=2025-01-01T12:00:00.000Z', erasedDetail);
    expect(wrapper.find('[data-test="as-of-banner"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="erased-banner"]').exists()).toBe(false);
    expect(wrapper.get('[data-test="user-email"]').text()).toBe('ann@example.com');
    expect(wrapper.findAll(ACTION_SELECTOR)).toHaveLength(0);
  });
});
