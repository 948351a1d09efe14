import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { fakeApi, json } from '../../testing/fake-api';
import EventLog from './list.vue';

const event = {
  id: 'e-1',
  position: '1',
  stream: 'user-u-1',
  type: 'MfaResetByAdmin',
  occurredAt: '2025-01-10T12:00:00Z',
  actor: { type: 'admin', id: 'admin-1', email: 'admin@example.com' },
  userId: 'u-1',
  userEmail: 'ann@example.com',
  ip: '198.51.100.4',
  userAgent: null,
  summary: 'MFA reset by an administrator',
};

async function mountLog(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/events', name: 'events', component: EventLog },
      { path: '/users/:id', name: 'user', component: { render: () => null } },
    ],
  });
  await router.push(path);
  const wrapper = mount(EventLog, { global: { plugins: [router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router };
}

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

describe('event log', () => {
  it('reads the filters from the URL and exports CSV with the same filters', async () => {
    const api = fakeApi({
      'GET /v1/admin/events': (request) =>
        request.headers.Accept === 'text/csv'
          ? new Response('id\ne-1\n', { headers: { 'Content-Type': 'text/csv' } })
          : json({ items: [event], nextCursor: null }),
    });
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);

    const { wrapper } = await mountLog('/events?type=MfaResetByAdmin&userId=u-1&from=2025-01-01&to=2025-01-31');

    // The integrity check is asked for too; the list's own request carries the filters.
    const list = api.requests.find((r) => r.url.pathname === '/v1/admin/events')!.url.searchParams;
    expect(list.get('type')).toBe('MfaResetByAdmin');
    expect(list.get('userId')).toBe('u-1');
    expect(new Date(list.get('from')!).getDate()).toBe(1);
    expect(new Date(list.get('to')!).getDate()).toBe(31);
    expect(list.get('limit')).toBe('50');

    const row = wrapper.get('[data-test="timeline-row"]');
    expect(row.text()).toContain('MFA reset by an administrator');
    expect(row.get('[data-test="timeline-actor"]').text()).toBe('admin@example.com');
    const subject = row.get('[data-test="timeline-user-link"]');
    expect(subject.attributes('href')).toBe('/users/u-1');
    expect(subject.text()).toBe('ann@example.com');

    await wrapper.get('[data-test="events-export-csv"]').trigger('click');
    await flushPromises();
    const csv = api.requests.at(-1)!;
    expect(csv.headers.Accept).toBe('text/csv');
    const exported = Object.fromEntries(csv.url.searchParams);
    const { cursor: _cursor, limit: _limit, ...listed } = Object.fromEntries(list);
    expect(exported).toEqual(listed);

    // The signed export: the same filters, as JSON Lines.
    await wrapper.get('[data-test="events-export-jsonl"]').trigger('click');
    await flushPromises();
    const jsonl = api.requests.at(-1)!;
    expect(jsonl.headers.Accept).toBe('application/x-ndjson');
    expect(Object.fromEntries(jsonl.url.searchParams)).toEqual(listed);
  });

  it('applies a user filter through the URL and starts the list over', async () => {
    const api = fakeApi({ 'GET /v1/admin/events': json({ items: [], nextCursor: null }) });
    const { wrapper, router } = await mountLog('/events');
    expect(wrapper.get('[data-test="timeline-empty"]').text()).toContain('No events match these filters.');

    await wrapper.get('[data-test="events-filter-user"]').setValue(' u-9 ');
    await wrapper.get('[data-test="events-filters"]').trigger('submit');
    await flushPromises();

    expect(router.currentRoute.value.query).toEqual({ userId: 'u-9' });
    expect(api.requests.at(-1)?.url.searchParams.get('userId')).toBe('u-9');
  });

  it('filters by an email address: the account that has it now, by its id; the field keeps the address', async () => {
    const api = fakeApi({
      'GET /v1/admin/users': json({
        items: [
          { id: 'u-7', email: 'ann@example.com' },
          { id: 'u-8', email: 'ann@example.com.au' },
        ],
        nextCursor: null,
      }),
      'GET /v1/admin/events': json({ items: [], nextCursor: null }),
    });
    const { wrapper, router } = await mountLog('/events');
    expect(wrapper.get('label[for="events-user"]').text()).toBe('Email or user id');

    await wrapper.get('[data-test="events-filter-user"]').setValue(' Ann@Example.com ');
    await wrapper.get('[data-test="events-filters"]').trigger('submit');
    await flushPromises();

    expect(api.last('/v1/admin/users')?.url.searchParams.get('q')).toBe('Ann@Example.com');
    expect(router.currentRoute.value.query).toEqual({ userId: 'u-7', email: 'Ann@Example.com' });
    expect(api.requests.at(-1)?.url.searchParams.get('userId')).toBe('u-7');
    expect(api.requests.at(-1)?.url.searchParams.has('email')).toBe(false);
    expect((wrapper.get('[data-test="events-filter-user"]').element as HTMLInputElement).value).toBe('Ann@Example.com');
  });

  it('says when no account has the address, changes nothing, and takes the message away on edit', async () => {
    const api = fakeApi({
      'GET /v1/admin/users': json({ items: [{ id: 'u-8', email: 'ann@example.com.au' }], nextCursor: null }),
      'GET /v1/admin/events': json({ items: [], nextCursor: null }),
    });
    const { wrapper, router } = await mountLog('/events?type=LoginFailed');
    const listed = api.requests.filter((r) => r.url.pathname === '/v1/admin/events').length;

    const field = wrapper.get('[data-test="events-filter-user"]');
    await field.setValue('ann@example.com');
    await wrapper.get('[data-test="events-filters"]').trigger('submit');
    await flushPromises();

    expect(wrapper.get('[data-test="events-filter-user-error"]').text()).toBe(
      'No account has the address ann@example.com.',
    );
    expect(field.attributes('aria-invalid')).toBe('true');
    expect(field.attributes('aria-describedby')).toBe('events-user-feedback');
    expect(router.currentRoute.value.query).toEqual({ type: 'LoginFailed' });
    expect(api.requests.filter((r) => r.url.pathname === '/v1/admin/events')).toHaveLength(listed);

    await field.setValue('ann@example.com.au');
    await flushPromises();
    expect(wrapper.find('[data-test="events-filter-user-error"]').exists()).toBe(false);
  });
});
