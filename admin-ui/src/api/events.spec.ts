import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, json } from '../testing/fake-api';
import { downloadEventsCsv, eventsCsvUrl, fileNameFromDisposition, listEvents } from './events';
import { connectSession } from './http';

const filters = {
  type: 'LoginFailed',
  userId: ' u-1 ',
  from: '2025-01-01T00:00:00.000Z',
  to: '2025-01-31T23:59:59.999Z',
};

afterEach(() => {
  connectSession({ token: () => null, onUnauthorized() {}, onAccessDenied() {} });
  vi.restoreAllMocks();
});

describe('event log calls', () => {
  it('builds the CSV export URL from the filters, without paging, skipping blank ones', () => {
    expect(eventsCsvUrl(filters)).toBe(
      '/v1/admin/events?type=LoginFailed&userId=u-1&from=2025-01-01T00%3A00%3A00.000Z&to=2025-01-31T23%3A59%3A59.999Z',
    );
    expect(eventsCsvUrl({ type: undefined, userId: '  ' })).toBe('/v1/admin/events');
  });

  it('lists a page with the same filters plus cursor and limit', async () => {
    const api = fakeApi({ 'GET /v1/admin/events': json({ items: [], nextCursor: null }) });
    await listEvents(filters, { cursor: 'c2', limit: 50 });
    const params = Object.fromEntries(api.requests[0].url.searchParams);
    expect(params).toEqual({
      type: 'LoginFailed',
      userId: 'u-1',
      from: filters.from,
      to: filters.to,
      cursor: 'c2',
      limit: '50',
    });
  });

  it('downloads the CSV with Accept: text/csv, the bearer token and the filters, and saves it as a file', async () => {
    connectSession({ token: () => 'tok', onUnauthorized() {}, onAccessDenied() {} });
    const api = fakeApi({
      'GET /v1/admin/events': new Response('id,type\n1,LoginFailed\n', {
        status: 200,
        headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="events.csv"' },
      }),
    });
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:csv');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });

    const fileName = await downloadEventsCsv(filters);

    const request = api.requests[0];
    expect(request.headers.Accept).toBe('text/csv');
    expect(request.headers.Authorization).toBe('Bearer tok');
    expect(`${request.url.pathname}${request.url.search}`).toBe(eventsCsvUrl(filters));
    expect(fileName).toBe('events.csv');
    expect(createObjectURL).toHaveBeenCalledWith(expect.any(Blob));
    expect(clicked[0].download).toBe('events.csv');
    expect(clicked[0].getAttribute('href')).toBe('blob:csv');
  });

  it('names the file by date when the server gives no name, and never follows a path in it', () => {
    expect(fileNameFromDisposition(null)).toBeNull();
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(fileNameFromDisposition("attachment; filename*=UTF-8''security%20events.csv")).toBe('security events.csv');
  });
});
