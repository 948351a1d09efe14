import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import ServiceHealth from './service-health.vue';

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/** A stubbed fetch whose answer the test releases when it chooses. */
function deferredFetch() {
  let answer!: (response: Response) => void;
  const fetchMock = vi.fn(
    () =>
      new Promise<Response>((resolve) => {
        answer = resolve;
      }),
  );
  vi.stubGlobal('fetch', fetchMock);
  return { fetchMock, answer: (response: Response) => answer(response) };
}

describe('service health card', () => {
  it('shows its title and links to the API explorer', () => {
    deferredFetch();
    const wrapper = mount(ServiceHealth);

    expect(wrapper.get('h2').text()).toBe('Service health');
    expect(wrapper.get('a[href="/docs"]').text()).toBe('API explorer');
  });

  it('shows loading, then the ready report', async () => {
    const { fetchMock, answer } = deferredFetch();
    const wrapper = mount(ServiceHealth);

    expect(wrapper.find('[data-test="health-loading"]').text()).toBe('Checking service health…');
    expect(fetchMock).toHaveBeenCalledWith('/health/ready', expect.anything());

    answer(jsonResponse({ status: 'ok', checks: { eventStore: { status: 'up' }, projector: { status: 'up' } } }));
    await flushPromises();

    expect(wrapper.find('[data-test="health-loading"]').exists()).toBe(false);
    const ready = wrapper.get('[data-test="health-ready"]');
    expect(ready.text()).toContain('The service is ready.');
    expect(ready.findAll('li').map((li) => li.text())).toEqual(['Event store: up', 'Projector: up']);
  });

  it('shows the failure with its status and retries on request', async () => {
    const { fetchMock, answer } = deferredFetch();
    const wrapper = mount(ServiceHealth);

    answer(jsonResponse({ status: 'error', checks: { readStore: { status: 'down' } } }, 503));
    await flushPromises();

    const failure = wrapper.get('[data-test="health-error"]');
    expect(failure.text()).toContain('The service is not ready (HTTP 503).');
    expect(failure.text()).toContain('Read models store: down');

    expect(failure.get('button').text()).toBe('Check service health again');
    await failure.get('button').trigger('click');
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(wrapper.find('[data-test="health-loading"]').exists()).toBe(true);

    answer(jsonResponse({ status: 'ok', checks: {} }));
    await flushPromises();
    expect(wrapper.get('[data-test="health-ready"]').text()).toContain('The service is ready.');
  });

  it('shows a network failure', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const wrapper = mount(ServiceHealth);
    await flushPromises();

    expect(wrapper.get('[data-test="health-error"]').text()).toContain('The service could not be reached.');
  });
});
