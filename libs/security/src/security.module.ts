import { Global, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, CryptoSecureRandom, IdGenerator, RandomIdGenerator, SecureRandom, SystemClock } from '@app/platform';
import { IpLocator, MmdbIpLocator } from './device/ip-locator';
import { ConcurrencyLimiter } from './concurrency/concurrency-limiter';
import { Argon2PasswordHasher } from './password/argon2-password-hasher';
import { PasswordHasher } from './password/password-hasher.port';
import { PasswordPolicy } from './password/password-policy';

/** Time, randomness, hashing and the device/location lookups: the ports tests replace. */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: IdGenerator, useClass: RandomIdGenerator },
    { provide: SecureRandom, useClass: CryptoSecureRandom },
    { provide: IpLocator, useFactory: () => MmdbIpLocator.open() },
    {
      provide: PasswordHasher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new Argon2PasswordHasher(config.argon2, new ConcurrencyLimiter(config.hashing.concurrency, config.hashing.queueLimit)),
    },
    PasswordPolicy,
  ],
  exports: [Clock, IdGenerator, SecureRandom, IpLocator, PasswordHasher, PasswordPolicy],
})
export class SecurityModule implements OnModuleInit {
  constructor(private readonly policy: PasswordPolicy) {}

  /** Loads the common-password list and the strength dictionaries now, not on the first request. */
  onModuleInit(): void {
    this.policy.warmUp();
  }
}
