import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, IdGenerator, RandomIdGenerator, SystemClock } from '@app/platform';
import { ConcurrencyLimiter } from './concurrency/concurrency-limiter';
import { Argon2PasswordHasher } from './password/argon2-password-hasher';
import { PasswordHasher } from './password/password-hasher.port';
import { PasswordPolicy } from './password/password-policy';

/** Time, randomness and hashing: the ports tests replace. */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: IdGenerator, useClass: RandomIdGenerator },
    {
      provide: PasswordHasher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new Argon2PasswordHasher(config.argon2, new ConcurrencyLimiter(config.hashing.concurrency, config.hashing.queueLimit)),
    },
    PasswordPolicy,
  ],
  exports: [Clock, IdGenerator, PasswordHasher, PasswordPolicy],
})
export class SecurityModule {}
