import * as argon2 from 'argon2';
import { ConcurrencyLimiter } from '../concurrency/concurrency-limiter';
import { PasswordHasher } from './password-hasher.port';

export interface Argon2Parameters {
  memoryKiB: number;
  timeCost: number;
  parallelism: number;
}

/**
 * argon2id with a random per-hash salt (OWASP: m=19 MiB, t=2, p=1 at least). Passwords are
 * NFC-normalised first (NIST 800-63B 5.1.1.2), so the same text typed on different systems matches;
 * nothing else is changed: no trimming, no case folding, no truncation.
 */
export class Argon2PasswordHasher extends PasswordHasher {
  constructor(
    private readonly parameters: Argon2Parameters,
    private readonly limiter: ConcurrencyLimiter,
  ) {
    super();
  }

  override hash(password: string): Promise<string> {
    return this.limiter.run(() =>
      argon2.hash(password.normalize('NFC'), {
        type: argon2.argon2id,
        memoryCost: this.parameters.memoryKiB,
        timeCost: this.parameters.timeCost,
        parallelism: this.parameters.parallelism,
      }),
    );
  }

  override async verify(hash: string, password: string): Promise<boolean> {
    return this.limiter.run(async () => {
      try {
        return await argon2.verify(hash, password.normalize('NFC'));
      } catch {
        return false; // a malformed stored hash never verifies
      }
    });
  }

  override needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, {
      memoryCost: this.parameters.memoryKiB,
      timeCost: this.parameters.timeCost,
      parallelism: this.parameters.parallelism,
    });
  }
}
