import { createHash } from 'node:crypto';

/** The link before the first event. */
export const GENESIS_LINK = createHash('sha256').update('account-security audit chain v1').digest('base64url');

/** The chain's next link: SHA-256 of the previous link and the event's digest. */
export function nextLink(previousLink: string, digest: Buffer): string {
  return createHash('sha256').update(Buffer.from(previousLink, 'base64url')).update(digest).digest('base64url');
}

/** The link after `digests` (base64url), starting from `previousLink`. */
export function foldLinks(previousLink: string, digests: readonly string[]): string {
  let link = previousLink;
  for (const digest of digests) link = nextLink(link, Buffer.from(digest, 'base64url'));
  return link;
}
