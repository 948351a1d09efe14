import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, SecureRandom } from '@app/platform';
import {
  CodeHasher,
  newNumericCode,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  SecretBox,
  verifyTotp,
} from '@app/security';
import type { EmailCodeCheck } from '../second-factors/email-code/email-code.model';
import type { RecoveryCodeCheck } from '../second-factors/recovery-codes/recovery-codes.model';
import type { TotpCheck } from '../second-factors/totp/totp.model';

/**
 * The secrets of MFA and how they are kept: TOTP seeds and viewable recovery codes sealed with
 * AES-256-GCM bound to their user; email and recovery codes stored as keyed HMACs. The deciders
 * receive only the check functions built here.
 */
@Injectable()
export class MfaCrypto {
  private readonly box: SecretBox;
  private readonly hasher: CodeHasher;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly random: SecureRandom,
    private readonly clock: Clock,
  ) {
    this.box = new SecretBox(config.keys.secretBoxKey);
    this.hasher = new CodeHasher(config.keys.tokenKey);
  }

  newTotpSecret(userId: string): { secret: string; sealedSecret: string } {
    const secret = newTotpSecret(this.random);
    return { secret, sealedSecret: this.box.seal(secret, `user:${userId}:totp-seed`) };
  }

  totpCheck(userId: string, code: string): TotpCheck {
    const now = this.clock.now();
    return (sealedSecret) => {
      const result = verifyTotp(this.box.open(sealedSecret, `user:${userId}:totp-seed`), code, now);
      return result.valid ? result.timeStep : null;
    };
  }

  newEmailCode(purposeKey: string): { code: string; codeHash: string } {
    const code = newNumericCode(this.random);
    return { code, codeHash: this.hasher.hash(code, purposeKey) };
  }

  /** `purposeKey` ties a code to the request it was sent for (a codeId, a challenge). */
  emailCodeCheck(code: string, purposeKey: (codeId: string) => string): EmailCodeCheck {
    return (codeId, codeHash) => /^\d{6}$/.test(code) && this.hasher.matches(code, purposeKey(codeId), codeHash);
  }

  newRecoveryCodes(userId: string): { codes: string[]; codeHashes: string[]; sealedCodes: string } {
    const codes = newRecoveryCodes(this.random);
    return {
      codes,
      codeHashes: codes.map((c) => this.hasher.hash(normalizeRecoveryCode(c), `recovery-code:${userId}`)),
      sealedCodes: this.box.seal(JSON.stringify(codes), `user:${userId}:recovery-codes`),
    };
  }

  openRecoveryCodes(userId: string, sealedCodes: string): string[] {
    return JSON.parse(this.box.open(sealedCodes, `user:${userId}:recovery-codes`)) as string[];
  }

  recoveryCodeCheck(userId: string, input: string): RecoveryCodeCheck {
    const normalized = normalizeRecoveryCode(input);
    return (hashes, used) => {
      // Compare against every hash (no early exit), so timing does not tell which one matched.
      let found: number | null = null;
      hashes.forEach((hash, index) => {
        if (this.hasher.matches(normalized, `recovery-code:${userId}`, hash) && !used.has(index) && found === null)
          found = index;
      });
      return found;
    };
  }
}
