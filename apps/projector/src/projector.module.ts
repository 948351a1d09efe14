import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { StorageModule } from '@app/read-models/storage/storage.module';

/** The production projector: subscriptions from the event store into the read models. */
@Global()
@Module({})
export class ProjectorAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProjectorAppModule,
      imports: [StorageModule.forRoot({ runProjector: true })],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
