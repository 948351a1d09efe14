import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { listUsers } from '../api/users';
import { ADMIN_SESSION, fakeApi, json, noContent, problem, sessionWith } from '../testing/fake-api';
import { TOKEN_STORAGE_KEY, useSessionStore } from './session';

beforeEach(() => {
  sessionStorage.clear();
  setActivePinia(createPinia());
});

describe('session store', () => {
  it('keeps a new token in sessionStorage and loads who it belongs to', async () => {
    const api = fakeApi({ 'GET /v1/sessions/current': json(ADMIN_SESSION) });
    const session = useSessionStore();

    await session.establish('tok-1');

    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('tok-1');
    expect(api.requests[0].headers.Authorization).toBe('Bearer tok-1');
    expect(session.isSignedIn).toBe(true);
    expect(session.current?.user.email).toBe('admin@example.com');
    expect(session.isAdmin).toBe(true);
  });

  it('picks the token up again after a reload', async () => {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, 'tok-saved');
    fakeApi({ 'GET /v1/sessions/current': json(ADMIN_SESSION) });
    const session = useSessionStore();

    expect(session.token).toBe('tok-saved');
    await session.refresh();
    expect(session.isSignedIn).toBe(true);
  });

  it('forgets the token when the API answers 401', async () => {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, 'tok-expired');
    fakeApi({ 'GET /v1/sessions/current': problem(401, 'unauthorized') });
    const session = useSessionStore();

    await session.refresh();

    expect(session.token).toBeNull();
    expect(session.isSignedIn).toBe(false);
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(session.loadError).toBeNull();
  });

  it('forgets the token when any later call answers 401 (revoked by an admin, expired)', async () => {
    fakeApi({ 'GET /v1/sessions/current': json(ADMIN_SESSION), 'GET /v1/admin/users': problem(401, 'unauthorized') });
    const session = useSessionStore();
    await session.establish('tok-1');

    await listUsers({}).catch(() => undefined);

    expect(session.token).toBeNull();
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(session.takeEnded()).toEqual({ reason: null });
  });

  it('keeps why the API ended the session, for the sign-in page to say once', async () => {
    fakeApi({
      'GET /v1/sessions/current': json(ADMIN_SESSION),
      'GET /v1/admin/users': new Response(JSON.stringify({ status: 401, code: 'unauthorized', reason: 'mfa_reset' }), {
        status: 401,
        headers: { 'Content-Type': 'application/problem+json' },
      }),
    });
    const session = useSessionStore();
    await session.establish('tok-1');
    expect(session.ended).toBeNull();

    await listUsers({}).catch(() => undefined);

    expect(session.isSignedIn).toBe(false);
    expect(session.takeEnded()).toEqual({ reason: 'mfa_reset' });
    expect(session.takeEnded()).toBeNull();
  });

  it('keeps the token but reports the failure when the service is unreachable', async () => {
    fakeApi({ 'GET /v1/sessions/current': problem(503, 'unavailable') });
    const session = useSessionStore();
    await session.establish('tok-1');

    expect(session.token).toBe('tok-1');
    expect(session.isSignedIn).toBe(false);
    expect(session.loadError).toMatchObject({ status: 503 });
  });

  it('ends the session on the server when signing out', async () => {
    const api = fakeApi({
      'GET /v1/sessions/current': json(ADMIN_SESSION),
      'DELETE /v1/sessions/current': noContent(),
    });
    const session = useSessionStore();
    await session.establish('tok-1');

    await session.signOut();

    expect(api.last('/v1/sessions/current')).toMatchObject({
      method: 'DELETE',
      headers: { Authorization: 'Bearer tok-1' },
    });
    expect(session.token).toBeNull();
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('reads roles and the second factor from the current session as the API reports them', async () => {
    fakeApi({ 'GET /v1/sessions/current': json(sessionWith(['auditor'], ['pwd'])) });
    const session = useSessionStore();
    await session.establish('tok-1');

    expect(session.hasConsoleRole).toBe(true);
    expect(session.isAdmin).toBe(false);
    expect(session.usedSecondFactor).toBe(false);
  });

  it('remembers a 403 on a console read so the layout can explain it', async () => {
    fakeApi({ 'GET /v1/sessions/current': json(ADMIN_SESSION), 'GET /v1/admin/users': problem(403, 'mfa_required') });
    const session = useSessionStore();
    await session.establish('tok-1');

    await listUsers({}).catch(() => undefined);

    expect(session.denial).toBe('mfa_required');
  });
});
