import { describe, expect, it } from 'vitest';
import { fakeApi, noContent } from '../testing/fake-api';
import { eraseUser, listUsers, resetUserMfa, setUserRoles, toUserSecurity } from './users';

describe('user calls', () => {
  it('searches by email prefix with cursor paging', async () => {
    const api = fakeApi({ 'GET /v1/admin/users': Response.json({ items: [], nextCursor: null }) });
    await listUsers({ q: 'ann', cursor: 'next', limit: 50 });
    expect(api.requests[0].url.search).toBe('?q=ann&cursor=next&limit=50');
  });

  it('sends the reason with an MFA reset and escapes the id in the path', async () => {
    const api = fakeApi({
      'POST /v1/admin/users/a%2Fb/mfa/reset': noContent(),
      'PUT /v1/admin/users/u1/roles': noContent(),
    });
    await resetUserMfa('a/b', 'lost phone');
    await setUserRoles('u1', ['auditor']);
    expect(api.requests.map((r) => r.body)).toEqual([{ reason: 'lost phone' }, { roles: ['auditor'] }]);
  });

  it('posts the reason to erase a person', async () => {
    const api = fakeApi({ 'POST /v1/admin/users/a%2Fb/erase': noContent() });
    await eraseUser('a/b', 'GDPR request, ticket 7');
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0].method).toBe('POST');
    expect(api.requests[0].body).toEqual({ reason: 'GDPR request, ticket 7' });
  });
});

describe('toUserSecurity', () => {
  const base = {
    id: 'u1',
    roles: [],
    createdAt: '2025-01-01T00:00:00Z',
    locked: false,
    password: { changedAt: null },
    totp: { enabled: true, enabledAt: '2025-01-02T00:00:00Z' },
    recoveryCodes: { remaining: 8, generatedAt: '2025-01-02T00:00:00Z' },
    sessions: [],
  };

  it('reads `email` as the email-MFA object holding the address', () => {
    const user = toUserSecurity({
      ...base,
      email: { enabled: true, enabledAt: '2025-01-03T00:00:00Z', address: 'a@x.test' },
    });
    expect(user.email).toBe('a@x.test');
    expect(user.emailMfa).toEqual({ enabled: true, enabledAt: '2025-01-03T00:00:00Z', address: 'a@x.test' });
  });

  it('reads `email` as the address when the MFA state comes separately', () => {
    const user = toUserSecurity({
      ...base,
      email: 'a@x.test',
      emailMfa: { enabled: false, enabledAt: null, address: null },
    });
    expect(user.email).toBe('a@x.test');
    expect(user.emailMfa.enabled).toBe(false);
    expect(user.totp.enabled).toBe(true);
    expect(user.recoveryCodes.remaining).toBe(8);
  });

  it('reads how the address was proved, and nothing for an account older than that rule', () => {
    const confirmed = toUserSecurity({
      ...base,
      email: { enabled: false, enabledAt: null, address: 'a@x.test', verifiedBy: 'code' },
    });
    expect(confirmed.emailVerifiedBy).toBe('code');
    const older = toUserSecurity({ ...base, email: { enabled: false, enabledAt: null, address: 'a@x.test' } });
    expect(older.emailVerifiedBy).toBeNull();
    const odd = toUserSecurity({
      ...base,
      email: { enabled: false, enabledAt: null, address: 'a@x.test', verifiedBy: '<b>yes</b>' },
    });
    expect(odd.emailVerifiedBy).toBeNull();
  });

  it('reads the passkeys, and none from a server that does not list them', () => {
    const passkey = {
      id: 'pk-1',
      name: 'Laptop',
      createdAt: '2025-01-04T00:00:00Z',
      lastUsedAt: null,
      backedUp: true,
      deviceType: 'multiDevice',
    };
    const user = toUserSecurity({
      ...base,
      email: 'a@x.test',
      passkeys: [passkey, { id: 'pk-2', createdAt: '2025-01-05T00:00:00Z' }],
    });
    expect(user.passkeys).toEqual([
      passkey,
      {
        id: 'pk-2',
        name: 'Passkey',
        createdAt: '2025-01-05T00:00:00Z',
        lastUsedAt: null,
        backedUp: false,
        deviceType: 'singleDevice',
      },
    ]);
    expect(toUserSecurity({ ...base, email: 'a@x.test' }).passkeys).toEqual([]);
  });

  it('reads when the data was erased, and an erased account as one without an address', () => {
    expect(toUserSecurity({ ...base, email: 'a@x.test' }).erasedAt).toBeNull();
    const erased = toUserSecurity({
      ...base,
      roles: [],
      erasedAt: '2025-03-01T10:00:00Z',
      email: { address: null, enabled: false, enabledAt: null, verifiedBy: 'code' },
      passkeys: [{ id: 'pk-1', name: null, createdAt: '2025-01-04T00:00:00Z' }],
    });
    expect(erased.erasedAt).toBe('2025-03-01T10:00:00Z');
    expect(erased.email).toBe('');
    expect(erased.emailMfa.address).toBeNull();
    expect(erased.passkeys[0].name).toBe('Passkey');
  });
});
