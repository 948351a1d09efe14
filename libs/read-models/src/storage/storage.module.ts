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
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventStore } from '@app/event-store';
import { SqliteEventStore } from '@app/event-store/sqlite/sqlite-event-store';
import { APP_CONFIG, AppConfig, Throttles } from '@app/platform';
import { ReadStore } from '../read-store.port';
import { SqliteReadStore } from '../sqlite/sqlite-read-store';
import { Projector } from '../projector/projector';
import {
  CheckpointPollingProgress,
  InProcessProjectionProgress,
  ProjectionProgress,
} from '../projector/projection-progress';
import { ALL_PROJECTIONS } from '../projections';
import { STORAGE_OPTIONS, StorageOptions } from './storage-options';

export const EMBEDDED_DATABASE_FILE = 'accounts.sqlite';

export async function openEventStore(config: AppConfig): Promise<EventStore> {
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

/** Starts the in-process projector with the app and closes every store on shutdown. */
@Injectable()
class StorageLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(STORAGE_OPTIONS) private readonly options: StorageOptions,
    private readonly projector: Projector,
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly throttles: Throttles,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.options.runProjector) await this.projector.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
    await this.events.close();
    await this.throttles.close();
    await this.readStore.close();
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
        { provide: EventStore, inject: [APP_CONFIG], useFactory: openEventStore },
        { provide: ReadStore, inject: [APP_CONFIG], useFactory: openReadStore },
        { provide: Throttles, inject: [ReadStore], useFactory: (readStore: ReadStore) => readStore.openThrottles() },
        {
          provide: Projector,
          inject: [EventStore, ReadStore],
          useFactory: (events: EventStore, readStore: ReadStore) => {
            const logger = new Logger('Projector');
            return new Projector(events, readStore, ALL_PROJECTIONS, {
              log: (level, message) => logger[level](message),
            });
          },
        },
        {
          provide: ProjectionProgress,
          inject: [Projector, ReadStore],
          useFactory: (projector: Projector, readStore: ReadStore) =>
            options.runProjector
              ? new InProcessProjectionProgress(projector)
              : new CheckpointPollingProgress(
                  readStore,
                  ALL_PROJECTIONS.map((p) => p.name),
                ),
        },
        StorageLifecycle,
      ],
      exports: [STORAGE_OPTIONS, EventStore, ReadStore, Throttles, Projector, ProjectionProgress],
    };
  }
}
