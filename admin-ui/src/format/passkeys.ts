/** Words about a passkey that the account page and the console share. */

/** Synced passkeys survive the loss of a device; the others live on one device or key only. */
export function passkeyStorageWords(passkey: { backedUp: boolean; deviceType: string }): string {
  if (passkey.backedUp) return 'Synced';
  return passkey.deviceType === 'multiDevice' ? 'Can sync, not synced yet' : 'This device only';
}
