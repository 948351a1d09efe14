import { Global, Module, OnModuleInit } from '@nestjs/common';
import {
  APP_CONFIG,
  AppConfig,
  Clock,
  CryptoSecureRandom,
  IdGenerator,
  MonotonicClock,
  RandomIdGenerator,
  SecureRandom,
  SystemClock,
  SystemMonotonicClock,
} from '@app/platform';
import { IpLocator, MmdbIpLocator } from './device/ip-locator';
import { ConcurrencyLimiter } from './concurrency/concurrency-limiter';
import { Argon2PasswordHasher } from './password/argon2-password-hasher';
import { HashingCapacity, PasswordHasher } from './password/password-hasher.port';
import { PasswordPolicy } from './password/password-policy';

/** Time, randomness, hashing (and its admission) and the device/location lookups: the ports tests replace. */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: IdGenerator, useClass: RandomIdGenerator },
    { provide: SecureRandom, useClass: CryptoSecureRandom },
    { provide: IpLocator, useFactory: () => MmdbIpLocator.open() },
    { provide: MonotonicClock, useClass: SystemMonotonicClock },
    // The one limiter of password hashing (hashes and verifies alike); the HTTP admission check asks
    // it, through HashingCapacity, before a request that will hash is read.
    {
      provide: ConcurrencyLimiter,
      inject: [APP_CONFIG, MonotonicClock],
      useFactory: (config: AppConfig, clock: MonotonicClock) =>
        new ConcurrencyLimiter(config.hashing.concurrency, config.hashing.queueLimit, {
          maxWaitMs: config.hashing.maxWaitMs,
          clock,
        }),
    },
    { provide: HashingCapacity, useExisting: ConcurrencyLimiter },
    {
      provide: PasswordHasher,
      inject: [APP_CONFIG, ConcurrencyLimiter],
      useFactory: (config: AppConfig, limiter: ConcurrencyLimiter) => new Argon2PasswordHasher(config.argon2, limiter),
    },
    PasswordPolicy,
  ],
  exports: [
    Clock,
    MonotonicClock,
    IdGenerator,
    SecureRandom,
    IpLocator,
    ConcurrencyLimiter,
    HashingCapacity,
    PasswordHasher,
    PasswordPolicy,
  ],
})
export class SecurityModule implements OnModuleInit {
  constructor(private readonly policy: PasswordPolicy) {}

  /** Loads the common-password list and the strength dictionaries now, not on the first request. */
  onModuleInit(): void {
    this.policy.warmUp();
  }
}
