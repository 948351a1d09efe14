import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import { listUsers } from '../api/users';
import { useSessionStore } from '../stores/session';
import { fakeApi, json, noContent, problem, sessionWith } from '../testing/fake-api';
import ConsoleLayout from './console-layout.vue';

const Blank = { render: () => null };

async function mountLayout(roles = ['auditor']) {
  fakeApi({
    'GET /v1/sessions/current': json(sessionWith(roles)),
    'DELETE /v1/sessions/current': noContent(),
    'GET /v1/admin/users': problem(401, 'unauthorized'),
  });
  await useSessionStore().establish('tok');
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/sign-in', name: 'sign-in', component: Blank },
      { path: '/forbidden', name: 'forbidden', component: Blank },
      {
        path: '/',
        component: ConsoleLayout,
        children: [
          { path: '', name: 'dashboard', component: Blank },
          { path: 'users', name: 'users', component: Blank, meta: { title: 'Users' } },
          { path: 'events', name: 'events', component: Blank },
          { path: 'users/:id', name: 'user', component: Blank, meta: { title: 'User' } },
        ],
      },
    ],
  });
  await router.push('/users');
  const wrapper = mount(RouterView, { global: { plugins: [router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router };
}

function phoneWidth(matches: boolean) {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches,
    media: query,
    addEventListener() {},
    removeEventListener() {},
  }));
}

beforeEach(() => {
  sessionStorage.clear();
  setActivePinia(createPinia());
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('console layout', () => {
  it('shows who is signed in and their console role', async () => {
    phoneWidth(false);
    const { wrapper } = await mountLayout(['auditor']);
    expect(wrapper.get('[data-test="current-user"]').text()).toContain('admin@example.com');
    expect(wrapper.get('[data-test="current-role"]').text()).toBe('auditor');
    expect(wrapper.find('[data-test="nav-users"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="nav-open"]').exists()).toBe(false);
  });

  it("heads the page with its title, and names the header's sign-out apart from any other", async () => {
    phoneWidth(false);
    const { wrapper, router } = await mountLayout(['auditor']);
    expect(wrapper.findAll('h1').map((h) => h.text())).toEqual(['Users']);
    expect(wrapper.get('[data-test="sign-out"]').attributes('aria-label')).toBe('Sign out of the console');
    expect(wrapper.get('nav[aria-label="Console"]').find('[data-test="nav-users"]').exists()).toBe(true);
    // A user's page is headed by the account's address (its own h1): the header keeps a plain title.
    await router.push('/users/u-1');
    await flushPromises();
    expect(wrapper.findAll('h1')).toHaveLength(0);
    expect(wrapper.get('.page-title').text()).toBe('User');
  });

  it('puts the menu behind a button at phone width', async () => {
    phoneWidth(true);
    const { wrapper } = await mountLayout();
    expect(wrapper.find('[data-test="nav-users"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="nav-open"]').exists()).toBe(true);
  });

  it('goes back to sign-in when the API says the session is gone', async () => {
    phoneWidth(false);
    const { router } = await mountLayout();
    await listUsers({}).catch(() => undefined);
    await flushPromises();
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(router.currentRoute.value.query.redirect).toBe('/users');
  });

  it('signs out on the server and returns to sign-in', async () => {
    phoneWidth(false);
    const { wrapper, router } = await mountLayout();
    await wrapper.get('[data-test="sign-out"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(useSessionStore().token).toBeNull();
  });
});
