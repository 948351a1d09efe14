import { describe, expect, it } from 'vitest';
import { passkeyStorageWords } from './passkeys';

describe('passkey words', () => {
  it('says whether a passkey is synced or bound to one device', () => {
    expect(passkeyStorageWords({ backedUp: true, deviceType: 'multiDevice' })).toBe('Synced');
    expect(passkeyStorageWords({ backedUp: false, deviceType: 'multiDevice' })).toBe('Can sync, not synced yet');
    expect(passkeyStorageWords({ backedUp: false, deviceType: 'singleDevice' })).toBe('This device only');
  });
});
