import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeApi, json } from '../testing/fake-api';
import {
  answerChallenge,
  answerChallengeWithPasskey,
  fetchChallengePasskeyOptions,
  fetchPasskeySignInOptions,
  signInWithPasskey,
} from './auth';
import { connectSession } from './http';

const assertion = {
  id: 'cred',
  rawId: 'cred',
  type: 'public-key' as const,
  clientExtensionResults: {},
  response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA', userHandle: 'dQ' },
};
const session = { status: 'authenticated', token: 'tok-new', session: { id: 's1', expiresAt: '2030-01-02T00:00:00Z' } };

// A stale token must never go with a sign-in call.
beforeEach(() => connectSession({ token: () => 'stale', onUnauthorized() {}, onAccessDenied() {} }));
afterEach(() => connectSession({ token: () => null, onUnauthorized() {}, onAccessDenied() {} }));

describe('sign-in API wrappers for passkeys', () => {
  it('answers the second step with a passkey: options for the challenge, then the assertion', async () => {
    const api = fakeApi({
      'POST /v1/sessions/challenges/ch-1/passkey-options': json({ challenge: 'c', allowCredentials: [] }),
      'POST /v1/sessions/challenges/ch-1': json(session, 201),
    });
    expect(await fetchChallengePasskeyOptions('ch-1')).toEqual({ challenge: 'c', allowCredentials: [] });
    expect(await answerChallengeWithPasskey('ch-1', assertion)).toEqual(session);
    expect(api.last('/v1/sessions/challenges/ch-1')?.body).toEqual({ method: 'passkey', assertion });
    expect(api.requests.every((r) => r.headers.Authorization === undefined)).toBe(true);
  });

  it('keeps codes as {method, code}', async () => {
    const api = fakeApi({ 'POST /v1/sessions/challenges/ch-1': json(session, 201) });
    await answerChallenge('ch-1', 'totp', '123456');
    expect(api.last('/v1/sessions/challenges/ch-1')?.body).toEqual({ method: 'totp', code: '123456' });
  });

  it('signs in with a passkey alone, without naming the account', async () => {
    const api = fakeApi({
      'POST /v1/sessions/passkey/options': json({ challenge: 'c', userVerification: 'required', allowCredentials: [] }),
      'POST /v1/sessions/passkey': json(session, 201),
    });
    expect(await fetchPasskeySignInOptions()).toMatchObject({ userVerification: 'required' });
    expect(api.last('/v1/sessions/passkey/options')?.body).toBeUndefined();
    expect(await signInWithPasskey(assertion)).toEqual(session);
    expect(api.last('/v1/sessions/passkey')?.body).toEqual({ assertion });
    expect(api.requests.every((r) => r.headers.Authorization === undefined)).toBe(true);
  });
});
