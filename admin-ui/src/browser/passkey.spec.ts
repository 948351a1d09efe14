import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebAuthnError } from '@simplewebauthn/browser';
import { describeError } from '../api/error-messages';
import { createPasskey, PasskeyPromptError, passkeysSupported, signWithPasskey, toPasskeyPromptError } from './passkey';

const domError = (name: string) => Object.assign(new Error(`${name} from the browser`), { name });

afterEach(() => vi.unstubAllGlobals());

describe('the browser passkey prompt', () => {
  it.each([
    ['NotAllowedError', 'cancelled'],
    ['AbortError', 'cancelled'],
    ['InvalidStateError', 'already_registered'],
    ['NotSupportedError', 'unsupported'],
    ['SecurityError', 'unsupported'],
    ['UnknownError', 'failed'],
  ])('sorts a raw %s as %s', (name, problem) => {
    expect(toPasskeyPromptError(domError(name)).problem).toBe(problem);
  });

  it("sorts @simplewebauthn's wrapped errors by their cause", () => {
    const cancelled = new WebAuthnError({
      message: 'x',
      code: 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY',
      cause: domError('NotAllowedError'),
    });
    expect(toPasskeyPromptError(cancelled).problem).toBe('cancelled');
    const again = new WebAuthnError({
      message: 'x',
      code: 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED',
      cause: domError('InvalidStateError'),
    });
    expect(toPasskeyPromptError(again).problem).toBe('already_registered');
  });

  it('tells a cancelled prompt in plain words, never the browser’s own text', () => {
    const description = describeError(toPasskeyPromptError(domError('NotAllowedError')));
    expect(description).toEqual({
      message: 'The passkey prompt was closed or timed out. Nothing was changed; you can try again.',
      detail: '',
    });
  });

  it('refuses at once where the browser has no WebAuthn', async () => {
    vi.stubGlobal('PublicKeyCredential', undefined);
    expect(passkeysSupported()).toBe(false);
    await expect(createPasskey({} as never)).rejects.toBeInstanceOf(PasskeyPromptError);
    await expect(signWithPasskey({} as never)).rejects.toMatchObject({ problem: 'unsupported' });
  });

  it('turns a prompt the person closed into a PasskeyPromptError', async () => {
    vi.stubGlobal('PublicKeyCredential', function PublicKeyCredential() {});
    vi.stubGlobal('navigator', {
      ...navigator,
      credentials: { get: vi.fn().mockRejectedValue(domError('NotAllowedError')) },
    });
    const error = await signWithPasskey({ challenge: 'AAAA', allowCredentials: [] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PasskeyPromptError);
    expect((error as PasskeyPromptError).problem).toBe('cancelled');
  });
});
