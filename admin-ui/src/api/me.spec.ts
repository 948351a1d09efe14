import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectSession, ApiError } from './http';
import { describeError } from './error-messages';
import {
  addPasskey,
  changePassword,
  confirmTotp,
  disableEmailMfa,
  disableTotp,
  fetchPasskeyCreationOptions,
  fetchReauthPasskeyOptions,
  listEndedSessions,
  listOwnEvents,
  listPasskeys,
  reauthenticate,
  registerUser,
  regenerateRecoveryCodes,
  removePasskey,
  renamePasskey,
  revokeOwnSession,
  startEmailMfa,
  startTotpEnrollment,
  viewRecoveryCodes,
} from './me';
import { fakeApi, json, noContent, problem } from '../testing/fake-api';

beforeEach(() => connectSession({ token: () => 'tok', onUnauthorized() {}, onAccessDenied() {} }));
afterEach(() => connectSession({ token: () => null, onUnauthorized() {}, onAccessDenied() {} }));

describe('self-service API wrappers', () => {
  it('sends the step-up token as X-Reauth-Token when enabling a method', async () => {
    const api = fakeApi({
      'POST /v1/me/mfa/totp': json({ secret: 'S', otpauthUri: 'otpauth://x', qrCode: 'data:image/png;base64,AA' }, 201),
      'POST /v1/me/mfa/email': json({ resendAvailableAt: '2030-01-01T00:01:00Z' }, 202),
    });
    await startTotpEnrollment('re-1');
    await startEmailMfa('re-2');
    expect(api.last('/v1/me/mfa/totp')?.headers['X-Reauth-Token']).toBe('re-1');
    expect(api.last('/v1/me/mfa/totp')?.headers.Authorization).toBe('Bearer tok');
    expect(api.last('/v1/me/mfa/email')?.headers['X-Reauth-Token']).toBe('re-2');
  });

  it('uses the documented methods, paths and bodies', async () => {
    const api = fakeApi({
      'PUT /v1/me/password': noContent(),
      'POST /v1/me/reauth': json({ reauthToken: 'r', expiresAt: 'x' }, 201),
      'POST /v1/me/mfa/totp/confirm': json({ recoveryCodes: ['a'] }),
      'DELETE /v1/me/mfa/totp': noContent(),
      'DELETE /v1/me/mfa/email': noContent(),
      'POST /v1/me/recovery-codes/regenerate': json({ recoveryCodes: ['b'] }),
      'DELETE /v1/me/sessions/s%202': noContent(),
      'GET /v1/me/events': json({ items: [], nextCursor: null }),
      'GET /v1/me/sessions/ended': json({
        items: [{ id: 'e1', endedAt: '2030-01-01T00:00:00Z', endReason: 'logout' }],
      }),
    });
    await changePassword('old', 'new pass', 'new pass');
    expect(api.last('/v1/me/password')?.body).toEqual({
      currentPassword: 'old',
      newPassword: 'new pass',
      newPasswordRepeat: 'new pass',
    });
    await reauthenticate({ method: 'totp', code: '123456' });
    expect(api.last('/v1/me/reauth')?.body).toEqual({ method: 'totp', code: '123456' });
    expect(await confirmTotp('111111')).toEqual({ recoveryCodes: ['a'] });
    await disableTotp('222222');
    expect(api.last('/v1/me/mfa/totp')).toMatchObject({ method: 'DELETE', body: { code: '222222' } });
    await disableEmailMfa('333333');
    expect(api.last('/v1/me/mfa/email')).toMatchObject({ method: 'DELETE', body: { code: '333333' } });
    expect(await regenerateRecoveryCodes('444444')).toEqual({ recoveryCodes: ['b'] });
    await revokeOwnSession('s 2');
    expect(api.requests.some((r) => r.method === 'DELETE' && r.url.pathname === '/v1/me/sessions/s%202')).toBe(true);
    await listOwnEvents('c-9');
    expect(api.last('/v1/me/events')?.url.search).toBe('?cursor=c-9');
    expect((await listEndedSessions()).items[0]).toMatchObject({ id: 'e1', endReason: 'logout' });
  });

  it('registers without a token and turns password_policy reasons into plain words', async () => {
    const api = fakeApi({
      'POST /v1/users': new Response(
        JSON.stringify({
          status: 400,
          code: 'password_policy',
          detail: 'Too common.',
          reasons: [{ code: 'too_common', message: 'This password is too common.' }],
        }),
        { status: 400, headers: { 'Content-Type': 'application/problem+json' } },
      ),
    });
    const error = await registerUser('a@example.com', 'passwordpassword').catch((caught: unknown) => caught);
    expect(api.last('/v1/users')?.headers.Authorization).toBeUndefined();
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).extras.reasons).toEqual([
      { code: 'too_common', message: 'This password is too common.' },
    ]);
    expect(describeError(error)).toMatchObject({
      message: 'That password is not accepted.',
      reasons: ['This password is too common.'],
    });
  });

  it('adds a passkey after a step-up, renames it, and removes it with a fresh step-up', async () => {
    const creationOptions = {
      challenge: 'c',
      rp: { id: 'localhost', name: 'Accounts' },
      user: { id: 'u', name: 'ann@example.com', displayName: 'ann' },
      pubKeyCredParams: [],
    };
    const api = fakeApi({
      'POST /v1/me/passkeys/options': json(creationOptions),
      'POST /v1/me/passkeys': json({ id: 'pk 1', name: 'Laptop' }, 201),
      'GET /v1/me/passkeys': json({ items: [] }),
      'PATCH /v1/me/passkeys/pk%201': noContent(),
      'DELETE /v1/me/passkeys/pk%201': noContent(),
    });
    expect(await fetchPasskeyCreationOptions('re-1')).toEqual(creationOptions);
    expect(api.last('/v1/me/passkeys/options')).toMatchObject({
      method: 'POST',
      headers: { 'X-Reauth-Token': 're-1', Authorization: 'Bearer tok' },
    });

    const response = {
      id: 'cred',
      rawId: 'cred',
      type: 'public-key' as const,
      clientExtensionResults: {},
      response: { clientDataJSON: 'e30', attestationObject: 'oA' },
    };
    expect(await addPasskey(response, 'Laptop')).toEqual({ id: 'pk 1', name: 'Laptop' });
    expect(api.last('/v1/me/passkeys')).toMatchObject({ method: 'POST', body: { response, name: 'Laptop' } });
    expect(api.last('/v1/me/passkeys')?.headers['X-Reauth-Token']).toBeUndefined();

    await listPasskeys();
    expect(api.last('/v1/me/passkeys')?.method).toBe('GET');

    await renamePasskey('pk 1', 'Work laptop');
    expect(api.requests.find((r) => r.method === 'PATCH')).toMatchObject({ body: { name: 'Work laptop' } });
    expect(api.requests.find((r) => r.method === 'PATCH')?.url.pathname).toBe('/v1/me/passkeys/pk%201');

    await removePasskey('pk 1', 're-2');
    expect(api.requests.find((r) => r.method === 'DELETE')?.headers['X-Reauth-Token']).toBe('re-2');
  });

  it('confirms a step-up with a passkey: request options, then the assertion as the proof', async () => {
    const requestOptions = {
      challenge: 'c2',
      rpId: 'localhost',
      allowCredentials: [{ id: 'cred', type: 'public-key' }],
    };
    const api = fakeApi({
      'POST /v1/me/reauth/passkey-options': json(requestOptions),
      'POST /v1/me/reauth': json({ reauthToken: 'r', expiresAt: 'x' }, 201),
    });
    expect(await fetchReauthPasskeyOptions()).toEqual(requestOptions);
    const assertion = {
      id: 'cred',
      rawId: 'cred',
      type: 'public-key' as const,
      clientExtensionResults: {},
      response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
    };
    await reauthenticate({ method: 'passkey', assertion });
    expect(api.last('/v1/me/reauth')?.body).toEqual({ method: 'passkey', assertion });
  });

  it.each([
    ['passkey_invalid', 'That passkey was not accepted.'],
    ['code_invalid', 'That code is not right'],
    ['reauth_required', 'Confirm who you are again'],
    ['mfa_code_required', 'confirm with a code instead of the password'],
    ['current_password_invalid', 'The current password is not right.'],
    ['rate_limited', 'Too many attempts'],
    ['account_locked', 'the account is locked for a while'],
  ])('describes %s in plain words', async (code, words) => {
    fakeApi({ 'POST /v1/me/reauth': problem(403, code) });
    const error = await reauthenticate({ password: 'x' }).catch((caught: unknown) => caught);
    expect(describeError(error).message).toContain(words);
  });

  it('says how long a locked account stays locked', async () => {
    fakeApi({ 'POST /v1/me/recovery-codes': problem(429, 'account_locked', 'Locked.', { 'Retry-After': '60' }) });
    const error = await viewRecoveryCodes('123456').catch((caught: unknown) => caught);
    expect(describeError(error).message).toBe(
      'Too many wrong passwords or codes: the account is locked. Try again in 60 s.',
    );
  });
});
