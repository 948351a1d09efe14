import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import { fakeApi, json, problem, type FakeRequest } from '../../testing/fake-api';
import UsersList from './list.vue';

function user(n: number) {
  return {
    id: `u-${n}`,
    email: `user${n}@example.com`,
    roles: n === 1 ? ['admin'] : [],
    createdAt: '2025-01-01T00:00:00Z',
    mfa: { totp: n % 2 === 0, email: false },
    locked: n === 3,
    lastLoginAt: null,
  };
}

/** Page 1 is users 1-2 with a cursor, page 2 is user 3; a search for "ann" finds nobody. */
function usersEndpoint(request: FakeRequest) {
  const q = request.url.searchParams.get('q');
  if (q === 'ann') return json({ items: [], nextCursor: null });
  if (request.url.searchParams.get('cursor') === 'p2') return json({ items: [user(3)], nextCursor: null });
  return json({ items: [user(1), user(2)], nextCursor: 'p2' });
}

async function mountList() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/users', name: 'users', component: UsersList },
      { path: '/users/:id', name: 'user', component: { render: () => null } },
    ],
  });
  await router.push('/users');
  const wrapper = mount(UsersList, { global: { plugins: [router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router };
}

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('users list', () => {
  it('shows rows, loads more by cursor, and opens a user', async () => {
    const api = fakeApi({ 'GET /v1/admin/users': usersEndpoint });
    const { wrapper, router } = await mountList();

    expect(wrapper.findAll('[data-test="user-row"]').map((row) => row.attributes('data-user-id'))).toEqual([
      'u-1',
      'u-2',
    ]);
    await wrapper.get('[data-test="users-load-more"]').trigger('click');
    await flushPromises();

    expect(api.requests.at(-1)?.url.searchParams.get('cursor')).toBe('p2');
    const rows = wrapper.findAll('[data-test="user-row"]');
    expect(rows).toHaveLength(3);
    expect(rows[2].text()).toContain('locked');
    expect(wrapper.find('[data-test="users-load-more"]').exists()).toBe(false);

    await rows[1].trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/users/u-2');
  });

  it('searches by email prefix after typing stops, and says when nothing matches', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const api = fakeApi({ 'GET /v1/admin/users': usersEndpoint });
    const { wrapper, router } = await mountList();

    await wrapper.get('[data-test="user-search"]').setValue('an');
    await wrapper.get('[data-test="user-search"]').setValue('ann');
    await vi.advanceTimersByTimeAsync(300);
    await flushPromises();

    expect(api.requests.map((r) => r.url.searchParams.get('q'))).toEqual([null, 'ann']);
    expect(router.currentRoute.value.query.q).toBe('ann');
    expect(wrapper.findAll('[data-test="user-row"]')).toHaveLength(0);
    expect(wrapper.get('[data-test="users-empty"]').text()).toContain('No user’s email starts with “ann”.');
  });

  it('opens the user that was clicked while the search was still being typed', async () => {
    // The user page is its own chunk, so leaving the list takes a while; a search applied in that
    // window used to replace the pending navigation, and the click was lost (seen in Chromium).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    fakeApi({ 'GET /v1/admin/users': usersEndpoint });
    let loadUserPage!: () => void;
    const userPage = new Promise<{ default: unknown }>((resolve) => {
      loadUserPage = () =>
        resolve({ default: defineComponent({ render: () => h('p', { 'data-test': 'user-page' }) }) });
    });
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/users', name: 'users', component: UsersList },
        { path: '/users/:id', name: 'user', component: () => userPage },
      ],
    });
    await router.push('/users');
    const wrapper = mount(defineComponent({ render: () => h(RouterView) }), {
      global: { plugins: [router] },
      attachTo: document.body,
    });
    await flushPromises();

    await wrapper.get('[data-test="user-search"]').setValue('user');
    await wrapper.get('[data-test="user-row"][data-user-id="u-2"] [data-test="user-link"]').trigger('click');
    await vi.advanceTimersByTimeAsync(300); // the search's debounce ends while the page loads
    loadUserPage();
    await flushPromises();

    expect(router.currentRoute.value.fullPath).toBe('/users/u-2');
    expect(wrapper.find('[data-test="user-page"]').exists()).toBe(true);
  });

  it('shows the API’s refusal in plain words', async () => {
    fakeApi({ 'GET /v1/admin/users': problem(503, 'unavailable', 'Read store is down.') });
    const { wrapper } = await mountList();
    const alert = wrapper.get('[data-test="error-alert"]');
    expect(alert.text()).toContain('The service failed (HTTP 503)');
  });
});
