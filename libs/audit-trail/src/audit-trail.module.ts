import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventStore, type RecordedEvent } from '@app/event-store';
import { APP_CONFIG, AppConfig, Clock } from '@app/platform';
import { BackgroundWorkLease, ReadStore } from '@app/read-models';
import { STORAGE_OPTIONS, StorageOptions } from '@app/read-models/storage/storage-options';
import { STORED_EVENTS } from '@app/read-models/storage/storage.module';
import { AUDIT_CHECKPOINTS, AuditChainer } from './audit-chainer';
import { auditExportLines } from './audit-export';
import { checkIntegrity, storedCheckpoints, wholeLog } from './audit-integrity';
import { AuditSigningKey } from './audit-signing-key';
import type { IntegrityReport } from './verify-log';

/** The integrity check the admin API runs. */
@Injectable()
export class AuditIntegrity {
  /** The check under way: callers at the same time share it (it reads the whole log, ~28k events/s). */
  private running: Promise<IntegrityReport & { checkedAt: string }> | undefined;

  constructor(
    /** The events as stored (personal values sealed): what the chain covers. */
    @Inject(STORED_EVENTS) private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly key: AuditSigningKey,
    private readonly clock: Clock,
  ) {}

  /** The log checked now against its checkpoints; a caller arriving during a check gets that check. */
  check(): Promise<IntegrityReport & { checkedAt: string }> {
    this.running ??= (async () => {
      const checkedAt = this.clock.now().toISOString();
      try {
        return { ...(await checkIntegrity(this.events, this.readStore, this.key.publicKey)), checkedAt };
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** The log as JSON Lines with its signed checkpoints: the events `keep` keeps (see audit-export.ts). */
  async *exportLines(keep: (event: RecordedEvent) => boolean, filters: object): AsyncGenerator<string> {
    await this.readStore.ensureCollection(AUDIT_CHECKPOINTS, []);
    yield* auditExportLines({
      events: wholeLog(this.events),
      checkpoints: await storedCheckpoints(this.readStore),
      publicKey: this.key.publicKey,
      keep,
      filters,
      exportedAt: this.clock.now().toISOString(),
    });
  }
}

/** Runs the chainer where background work runs (the embedded process, or the projector app), while it holds the lease. */
@Injectable()
export class AuditChainRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(STORAGE_OPTIONS) private readonly options: StorageOptions,
    private readonly chainer: AuditChainer,
    private readonly lease: BackgroundWorkLease,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.chainer.ensureCollections();
    if (this.options.runProjector)
      await this.lease.add({ name: 'audit chain', start: () => this.chainer.start(), stop: () => this.chainer.stop() });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.chainer.stop();
  }
}

@Module({
  providers: [
    {
      provide: AuditSigningKey,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new AuditSigningKey(config.keys.auditSigningKey),
    },
    {
      provide: AuditChainer,
      // The chain covers the events as stored: an erasure destroys a key, never a sealed value. It
      // commits through the lease's store: a process that lost the lease cannot write the chain.
      inject: [STORED_EVENTS, BackgroundWorkLease, AuditSigningKey, Clock, APP_CONFIG],
      useFactory: (
        events: EventStore,
        lease: BackgroundWorkLease,
        key: AuditSigningKey,
        clock: Clock,
        config: AppConfig,
      ) => {
        const logger = new Logger('AuditChain');
        return new AuditChainer(events, lease.readStore, key, clock, {
          ...config.audit,
          log: (level, message) => logger[level](message),
        });
      },
    },
    AuditIntegrity,
    AuditChainRunner,
  ],
  exports: [AuditSigningKey, AuditChainer, AuditIntegrity],
})
export class AuditTrailModule {}
