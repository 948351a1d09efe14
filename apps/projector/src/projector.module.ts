import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Metrics } from '@app/platform';
import { NotificationsModule, NotificationsReactorModule } from '@app/notifications';
import { StorageModule } from '@app/read-models/storage/storage.module';
import { SecurityModule } from '@app/security';
import { HealthModule } from '@app/http-edge';
import { AuditTrailModule } from '@app/audit-trail';
import { ClosingChallengesModule } from '@app/identity/closing-challenges/closing-challenges.module';

/** The production background process: projections into the read models, the notices, closing challenges and the audit chain. */
@Global()
@Module({})
export class ProjectorAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProjectorAppModule,
      imports: [
        StorageModule.forRoot({ runProjector: true }),
        SecurityModule,
        NotificationsModule,
        NotificationsReactorModule,
        ClosingChallengesModule,
        AuditTrailModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Metrics, useFactory: () => new Metrics() },
      ],
      exports: [APP_CONFIG, Metrics],
    };
  }
}
