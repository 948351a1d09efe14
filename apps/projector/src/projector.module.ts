import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { NotificationsModule, NotificationsReactorModule } from '@app/notifications';
import { StorageModule } from '@app/read-models/storage/storage.module';
import { SecurityModule } from '@app/security';

/** The production background process: projections into the read models, and the notices reactor. */
@Global()
@Module({})
export class ProjectorAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProjectorAppModule,
      imports: [StorageModule.forRoot({ runProjector: true }), SecurityModule, NotificationsModule, NotificationsReactorModule],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
