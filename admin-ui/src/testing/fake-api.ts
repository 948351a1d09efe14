import { vi } from 'vitest';

/** A stand-in for the API in component and store tests: routes "METHOD /path" to canned answers. */

export interface FakeRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}

export type FakeHandler = (request: FakeRequest) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function problem(status: number, code: string, detail = '', headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ type: `/problems/${code}`, title: 'Error', status, detail, code }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

/** The API's 400 `password_policy` answer with one reason. */
export function passwordPolicyProblem(reason: string, message: string): Response {
  return new Response(
    JSON.stringify({
      status: 400,
      code: 'password_policy',
      detail: 'The password does not meet the policy.',
      reasons: [{ code: reason, message }],
    }),
    { status: 400, headers: { 'Content-Type': 'application/problem+json' } },
  );
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** Stubs global fetch; unknown routes answer 404 so a missing stub fails loudly. */
export function fakeApi(routes: Record<string, FakeHandler | Response>) {
  const requests: FakeRequest[] = [];
  const fetchMock = vi.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://console.test');
    const method = init.method ?? 'GET';
    const headers = { ...(init.headers as Record<string, string> | undefined) };
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const request = { method, url, headers, body };
    requests.push(request);
    const route = routes[`${method} ${url.pathname}`];
    if (!route) return problem(404, 'not_found', `No fake for ${method} ${url.pathname}`);
    return typeof route === 'function' ? route(request) : route.clone();
  });
  vi.stubGlobal('fetch', fetchMock);
  return { fetchMock, requests, last: (path: string) => requests.filter((r) => r.url.pathname === path).at(-1) };
}

export const ADMIN_SESSION = {
  session: { id: 's1', createdAt: '2025-01-01T00:00:00Z', expiresAt: '2025-01-02T00:00:00Z', amr: ['pwd', 'otp'] },
  user: { id: 'admin-1', email: 'admin@example.com', roles: ['admin'] },
};

export function sessionWith(roles: string[], amr: string[] = ['pwd', 'otp']) {
  return { ...ADMIN_SESSION, session: { ...ADMIN_SESSION.session, amr }, user: { ...ADMIN_SESSION.user, roles } };
}
