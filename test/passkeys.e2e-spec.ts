import { EventStore } from '@app/event-store';
import { IdentityEvent, streams } from '@app/identity-events';
import { bearer, register, signIn, tokenFor } from './support/accounts';
import { waitForMail } from './support/mailboxes';
import { SoftAuthenticator } from './support/soft-authenticator';
import { request, startTestApp, TestApp } from './support/test-app';

export const PASSKEY_ENV = {
  WEBAUTHN_RP_ID: 'localhost',
  WEBAUTHN_ORIGINS: 'http://localhost:5173',
  SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
};

/** Passkeys over HTTP, answered by an authenticator in software (the browser story is in test/browser). */
describe('passkeys end to end', () => {
  let api: TestApp;
  const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
    request(`${api.url}${path}`, { method: 'POST', json, headers });
  const reauth = async (token: string, password: string) =>
    (await post('/v1/me/reauth', { password }, bearer(token))).body.reauthToken as string;

  beforeAll(async () => {
    api = await startTestApp({ env: PASSKEY_ENV });
  });
  afterAll(() => api.close({ removeData: true }));

  it('adds a passkey after a step-up, then uses it as the second step, for step-up, and alone; renames and removes it', async () => {
    const account = await register(api.url);
    const device = new SoftAuthenticator({ origin: 'http://localhost:5173', rpId: 'localhost' });
    let token = await tokenFor(api.url, account);

    // Adding one needs a fresh confirmation.
    expect((await post('/v1/me/passkeys/options', {}, bearer(token))).body.code).toBe('reauth_required');
    const options = await post(
      '/v1/me/passkeys/options',
      {},
      bearer(token, { 'x-reauth-token': await reauth(token, account.password) }),
    );
    expect(options.status).toBe(200);
    expect(options.body).toMatchObject({
      rp: { id: 'localhost' },
      user: { name: account.email },
      authenticatorSelection: { residentKey: 'required' },
      excludeCredentials: [],
    });
    const added = await post(
      '/v1/me/passkeys',
      { response: device.create(options.body), name: 'Laptop' },
      bearer(token),
    );
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ id: expect.any(String), name: 'Laptop' });
    // Its owner is told at once: a passkey signs in without the password.
    const addedNotice = await waitForMail(
      api.url,
      account.email,
      (m) => m.subject === 'A passkey was added to your account',
    );
    expect(addedNotice.text).toContain(`A passkey named "Laptop" was added to your account ${account.email}.`);
    const listed = await request(`${api.url}/v1/me/passkeys`, { headers: bearer(token) });
    expect(listed.body.items).toEqual([
      {
        id: added.body.id,
        name: 'Laptop',
        createdAt: expect.any(String),
        lastUsedAt: null,
        backedUp: true,
        deviceType: 'multiDevice',
      },
    ]);

    // Password, then the passkey as the second step.
    const challenge = await signIn(api.url, account.email, account.password);
    expect(challenge.body).toMatchObject({ status: 'mfa_required', methods: ['passkey'] });
    const getOptions = await post(`/v1/sessions/challenges/${challenge.body.challengeId}/passkey-options`, {});
    expect(getOptions.status).toBe(200);
    expect(getOptions.body.allowCredentials).toEqual([
      { id: added.body.id, type: 'public-key', transports: ['internal'] },
    ]);
    const answered = await post(`/v1/sessions/challenges/${challenge.body.challengeId}`, {
      method: 'passkey',
      assertion: device.get(getOptions.body),
    });
    expect(answered.status).toBe(201);
    token = answered.body.token;
    expect((await request(`${api.url}/v1/sessions/current`, { headers: bearer(token) })).body.session.amr).toEqual([
      'pwd',
      'hwk',
    ]);

    // Step-up with the passkey (the password is refused once a second factor is on).
    expect((await post('/v1/me/reauth', { password: account.password }, bearer(token))).body.code).toBe(
      'mfa_code_required',
    );
    const stepUpOptions = await post('/v1/me/reauth/passkey-options', {}, bearer(token));
    const stepUp = await post(
      '/v1/me/reauth',
      { method: 'passkey', assertion: device.get(stepUpOptions.body) },
      bearer(token),
    );
    expect(stepUp.status).toBe(201);

    // Alone: a discoverable passkey that verified its user counts as two factors.
    const passwordless = await post('/v1/sessions/passkey/options', {});
    expect(passwordless.body).toMatchObject({ userVerification: 'required', allowCredentials: [] });
    const alone = await post('/v1/sessions/passkey', { assertion: device.get(passwordless.body) });
    expect(alone.status).toBe(201);
    expect(
      (await request(`${api.url}/v1/sessions/current`, { headers: bearer(alone.body.token) })).body.session.amr,
    ).toEqual(['hwk', 'mfa']);

    // Counters and backup flags are recorded with each use.
    const accepted = (await api.app.get(EventStore).readStream(streams.user(account.userId))).filter(
      (e) => e.type === IdentityEvent.PasskeyAssertionAccepted,
    );
    expect(accepted.map((e) => [e.data.counter, e.data.backedUp, e.data.purpose])).toEqual([
      [1, true, 'sign_in'],
      [2, true, 'step_up'],
      [3, true, 'passwordless'],
    ]);

    // Renamed; removed with a fresh confirmation; then the password alone signs in again.
    const renamed = await request(`${api.url}/v1/me/passkeys/${added.body.id}`, {
      method: 'PATCH',
      json: { name: 'Work laptop' },
      headers: bearer(token),
    });
    expect(renamed.status).toBe(204);
    expect((await request(`${api.url}/v1/me/passkeys`, { headers: bearer(token) })).body.items[0]).toMatchObject({
      name: 'Work laptop',
      lastUsedAt: expect.any(String),
    });
    expect(
      (await request(`${api.url}/v1/me/passkeys/${added.body.id}`, { method: 'DELETE', headers: bearer(token) })).body
        .code,
    ).toBe('reauth_required');
    const removeOptions = await post('/v1/me/reauth/passkey-options', {}, bearer(token));
    const grant = (
      await post('/v1/me/reauth', { method: 'passkey', assertion: device.get(removeOptions.body) }, bearer(token))
    ).body.reauthToken;
    const removed = await request(`${api.url}/v1/me/passkeys/${added.body.id}`, {
      method: 'DELETE',
      headers: bearer(token, { 'x-reauth-token': grant }),
    });
    expect(removed.status).toBe(204);
    expect((await request(`${api.url}/v1/me/passkeys`, { headers: bearer(token) })).body.items).toEqual([]);
    const removedNotice = await waitForMail(
      api.url,
      account.email,
      (m) => m.subject === 'A passkey was removed from your account',
    );
    expect(removedNotice.text).toContain('Your account is now protected by your password alone.');
    expect((await signIn(api.url, account.email, account.password)).body.token).toEqual(expect.any(String));
  });

  it('refuses bad input with a clear 400 and loses nothing', async () => {
    const account = await register(api.url);
    const token = await tokenFor(api.url, account);
    expect((await post('/v1/me/passkeys', { response: 'not an object' }, bearer(token))).status).toBe(400);
    expect((await post('/v1/me/passkeys', { response: {}, name: 'a\nb' }, bearer(token))).status).toBe(400);
    const forged = await post(
      '/v1/me/passkeys',
      {
        response: {
          id: 'x',
          rawId: 'x',
          type: 'public-key',
          response: { clientDataJSON: 'e30', attestationObject: 'oA' },
        },
      },
      bearer(token),
    );
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('passkey_invalid');
    expect((await post('/v1/sessions/passkey', { assertion: { id: 'x' } })).body.code).toBe('passkey_invalid');
    expect((await request(`${api.url}/v1/me/passkeys`, { headers: bearer(token) })).body.items).toEqual([]);
  });
});
