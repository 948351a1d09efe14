import { Injectable } from '@nestjs/common';
import { EmailCodeMethod } from './email-code/email-code.method';
import { PasskeyMethod } from './passkey/passkey.method';
import { RecoveryCodesMethod } from './recovery-codes/recovery-codes.method';
import type { FactorStatus, FactorUse, SecondFactorMethod } from './second-factor-method';
import { TotpMethod } from './totp/totp.method';

/**
 * Every second factor the service knows, in one list: the sign-in challenge, step-up and password
 * reset ask it which methods an account can answer with, and hand the answer to the method.
 */
@Injectable()
export class SecondFactorRegistry {
  readonly methods: readonly SecondFactorMethod[];

  constructor(totp: TotpMethod, email: EmailCodeMethod, recoveryCodes: RecoveryCodesMethod, passkey: PasskeyMethod) {
    this.methods = [totp, email, recoveryCodes, passkey];
  }

  /** The `amr` values that show a session passed a second factor (`mfa`: one passkey that verified its user). */
  get secondFactorAmr(): string[] {
    return [...this.methods.map((method) => method.amr), 'mfa'];
  }

  get(id: string): SecondFactorMethod | null {
    return this.methods.find((method) => method.id === id) ?? null;
  }

  /** Each method's status on the account, in the registry's order. */
  async statuses(userId: string): Promise<{ method: SecondFactorMethod; status: FactorStatus }[]> {
    return Promise.all(this.methods.map(async (method) => ({ method, status: await method.status(userId) })));
  }

  /** The methods the account can answer with for a use, empty when none. */
  static offered(statuses: { method: SecondFactorMethod; status: FactorStatus }[], use: FactorUse): string[] {
    return statuses
      .filter(({ method, status }) => status.available && method.uses.includes(use))
      .map(({ method }) => method.id);
  }

  /** Two-step verification is on: some method counts as a second factor. */
  static anyOn(statuses: { status: FactorStatus }[]): boolean {
    return statuses.some(({ status }) => status.on);
  }

  /** When each method was last set up: part of what a sign-in challenge binds. */
  static setUpVersion(statuses: { status: FactorStatus }[]): string[] {
    return statuses.map(({ status }) => status.setUpAt ?? '');
  }
}
