import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, DomainError, RequestContext } from '@app/platform';
import { eventMetadata, type ProofFactor, type ProofPurpose } from '@app/identity-events';
import { EmailIndex } from './email-index';
import { lockRemainingSeconds, signInAttemptsDecider } from '../signing-in/sign-in-attempts.decider';
import { CommandExecutor } from './command-executor';

export class AccountLockedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'account_locked',
      `Too many wrong attempts: this account is locked for ${retryAfterSeconds} s. Nothing was checked.`,
    );
  }
}

/** What a check of a proof found: the value to return, or the error to refuse with. */
export type ProofOutcome<T> = { accepted: true; value: T } | { accepted: false; error: Error };

export interface ProofSubject {
  userId: string;
  email: string;
  factor: ProofFactor;
  purpose: ProofPurpose;
}

/**
 * Every proof of identity of a known account (a code, the current password) is checked through
 * here: refused unchecked while the account is locked, then counted on the account's one failure
 * budget (the attempts stream of its address, shared by every API process through the event
 * store). In this process the proofs of one account are checked one at a time, so parallel guesses
 * cannot all pass the "not locked yet" look; across processes each may check one more before it
 * reads the lock (the append itself never loses a failure: it retries on a revision conflict).
 */
@Injectable()
export class FailureBudget {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly executor: CommandExecutor,
    private readonly clock: Clock,
    private readonly index: EmailIndex,
  ) {}

  async check<T>(
    subject: ProofSubject,
    context: RequestContext,
    checkProof: () => Promise<ProofOutcome<T>>,
  ): Promise<T> {
    const stream = this.index.attemptsOf(subject.email);
    return this.executor.withLock(stream, async () => {
      const state = await this.executor.load(stream, signInAttemptsDecider);
      const wait = lockRemainingSeconds(state, this.clock.now());
      if (wait > 0) throw new AccountLockedError(wait);
      const outcome = await checkProof();
      const now = this.clock.now();
      await this.executor.executeLocked(
        stream,
        signInAttemptsDecider,
        {
          kind: 'proof',
          userId: subject.userId,
          factor: subject.factor,
          purpose: subject.purpose,
          succeeded: outcome.accepted,
          now,
          policy: this.config.lockout,
        },
        eventMetadata({ ...context, actor: { type: 'user', id: subject.userId } }, now),
      );
      if (!outcome.accepted) throw outcome.error;
      return outcome.value;
    });
  }
}
