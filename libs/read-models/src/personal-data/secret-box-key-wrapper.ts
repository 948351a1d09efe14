import { SecretBox } from '@app/security';
import type { KeyWrapper } from './personal-data-keys.port';

/** Data keys sealed with the service's SecretBox, bound to their owner (a key copied to another row does not open). */
export function secretBoxKeyWrapper(box: SecretBox): KeyWrapper {
  return {
    wrap: (key, userId) => box.seal(key.toString('base64'), `user:${userId}:data-key`),
    unwrap: (wrapped, userId) => Buffer.from(box.open(wrapped, `user:${userId}:data-key`), 'base64'),
  };
}
