import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { hkdfSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventStore } from '@app/event-store';
import { SqliteEventStore } from '@app/event-store/sqlite/sqlite-event-store';
import { APP_CONFIG, AppConfig, Clock, KeyedThrottles, Metrics, Throttles } from '@app/platform';
import { MeasuredEventStore } from './measured-event-store';
import { SecretBox } from '@app/security';
import { ReadStore } from '../read-store.port';
import { PersonalDataKeys } from '../personal-data/personal-data-keys.port';
import { PersonalDataSealer } from '../personal-data/personal-data-sealer';
import { PersonalDataEventStore } from '../personal-data/personal-data-event-store';
import { SqlitePersonalDataKeys } from '../personal-data/sqlite-personal-data-keys';
import { secretBoxKeyWrapper } from '../personal-data/secret-box-key-wrapper';
import { SqliteReadStore } from '../sqlite/sqlite-read-store';
import { Projector } from '../projector/projector';
import {
  CheckpointPollingProgress,
  InProcessProjectionProgress,
  ProjectionProgress,
} from '../projector/projection-progress';
import { ALL_PROJECTIONS } from '../projections';
import { BackgroundWorkLease } from '../leases/background-work-lease';
import { LeasedProjectionProgress } from '../leases/leased-projection-progress';
import { STORAGE_OPTIONS, StorageOptions } from './storage-options';

export const EMBEDDED_DATABASE_FILE = 'accounts.sqlite';

/** The events as written: personal values sealed. The audit chain reads these. */
export const STORED_EVENTS = Symbol('STORED_EVENTS');

/** The store the service works with: personal values opened (see PersonalDataEventStore). */
export async function openEventStore(
  config: AppConfig,
  keys?: PersonalDataKeys,
  metrics?: Metrics,
): Promise<PersonalDataEventStore> {
  const sealer = new PersonalDataSealer(keys ?? (await openPersonalDataKeys(config)));
  const stored = await openStoredEvents(config);
  return new PersonalDataEventStore(metrics ? new MeasuredEventStore(stored, metrics) : stored, sealer);
}

/** Data keys live beside the read models (MongoDB, else the embedded file), never in the log. */
export async function openPersonalDataKeys(config: AppConfig): Promise<PersonalDataKeys> {
  const wrapper = secretBoxKeyWrapper(new SecretBox(config.keys.secretBoxKey));
  if (config.mongoUrl) {
    const { MongoPersonalDataKeys } = await import('../personal-data/mongo-personal-data-keys');
    return MongoPersonalDataKeys.connect(config.mongoUrl, wrapper);
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqlitePersonalDataKeys(join(config.dataDir, EMBEDDED_DATABASE_FILE), wrapper);
}

export async function openStoredEvents(config: AppConfig): Promise<EventStore> {
  if (config.eventStoreUrl) {
    // Loaded only when configured: the embedded default never touches the gRPC client.
    const { KurrentDbEventStore } = await import('@app/event-store/kurrentdb/kurrentdb-event-store');
    return new KurrentDbEventStore(config.eventStoreUrl);
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteEventStore(join(config.dataDir, EMBEDDED_DATABASE_FILE));
}

export async function openReadStore(config: AppConfig): Promise<ReadStore> {
  if (config.mongoUrl) {
    const { MongoReadStore } = await import('../mongo/mongo-read-store');
    return MongoReadStore.connect(config.mongoUrl);
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteReadStore(join(config.dataDir, EMBEDDED_DATABASE_FILE));
}

/**
 * Where background work runs: hands the projector to the lease (it starts once this process holds
 * it; the audit chain and the reactors join it), and on shutdown stops the work, releases the
 * lease, then closes every store.
 */
@Injectable()
class StorageLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(STORAGE_OPTIONS) private readonly options: StorageOptions,
    private readonly lease: BackgroundWorkLease,
    private readonly projector: Projector,
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly throttles: Throttles,
    private readonly keys: PersonalDataKeys,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.options.runProjector) return;
    await this.lease.add({ name: 'projector', start: () => this.projector.start(), stop: () => this.projector.stop() });
    await this.lease.begin();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lease.shutdown();
    await this.projector.stop();
    await this.events.close();
    await this.throttles.close();
    await this.readStore.close();
    await this.keys.close();
  }
}

/** Chooses the event store and read store adapters from configuration alone. */
@Global()
@Module({})
export class StorageModule {
  static forRoot(options: StorageOptions): DynamicModule {
    return {
      module: StorageModule,
      providers: [
        { provide: STORAGE_OPTIONS, useValue: options },
        { provide: PersonalDataKeys, inject: [APP_CONFIG], useFactory: openPersonalDataKeys },
        {
          provide: EventStore,
          inject: [APP_CONFIG, PersonalDataKeys, Metrics],
          useFactory: (config: AppConfig, keys: PersonalDataKeys, metrics: Metrics) =>
            openEventStore(config, keys, metrics),
        },
        {
          provide: PersonalDataSealer,
          inject: [EventStore],
          useFactory: (events: PersonalDataEventStore) => events.sealer,
        },
        { provide: STORED_EVENTS, inject: [EventStore], useFactory: (events: PersonalDataEventStore) => events.sealed },
        { provide: ReadStore, inject: [APP_CONFIG], useFactory: openReadStore },
        {
          provide: Throttles,
          inject: [ReadStore, APP_CONFIG],
          useFactory: (readStore: ReadStore, config: AppConfig) =>
            new KeyedThrottles(
              readStore.openThrottles(),
              Buffer.from(hkdfSync('sha256', config.keys.tokenKey, Buffer.alloc(0), 'throttle-keys', 32)),
            ),
        },
        {
          provide: BackgroundWorkLease,
          inject: [ReadStore, Clock, APP_CONFIG],
          useFactory: (readStore: ReadStore, clock: Clock, config: AppConfig) => {
            const logger = new Logger('BackgroundWork');
            return new BackgroundWorkLease(readStore, clock, {
              enabled: options.runProjector,
              ttlMs: config.projectorLeaseTtlMs,
              // The embedded file is on this host: a killed predecessor is known to be gone.
              reclaimFromStoppedLocalProcesses: !config.mongoUrl,
              log: (level, message) => logger[level](message),
            });
          },
        },
        {
          provide: Projector,
          inject: [EventStore, BackgroundWorkLease],
          useFactory: (events: EventStore, lease: BackgroundWorkLease) => {
            const logger = new Logger('Projector');
            return new Projector(events, lease.readStore, ALL_PROJECTIONS, {
              log: (level, message) => logger[level](message),
            });
          },
        },
        {
          provide: ProjectionProgress,
          inject: [Projector, ReadStore, BackgroundWorkLease],
          useFactory: (projector: Projector, readStore: ReadStore, lease: BackgroundWorkLease) => {
            const shared = new CheckpointPollingProgress(
              readStore,
              ALL_PROJECTIONS.map((p) => p.name),
            );
            return options.runProjector
              ? new LeasedProjectionProgress(lease, new InProcessProjectionProgress(projector), shared)
              : shared;
          },
        },
        StorageLifecycle,
      ],
      exports: [
        STORAGE_OPTIONS,
        EventStore,
        STORED_EVENTS,
        PersonalDataKeys,
        PersonalDataSealer,
        ReadStore,
        Throttles,
        Projector,
        ProjectionProgress,
        BackgroundWorkLease,
      ],
    };
  }
}
