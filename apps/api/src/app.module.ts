import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { NotificationsModule, NotificationsReactorModule } from '@app/notifications';
import { IdentityModule } from '@app/identity';
import { ClosingChallengesModule } from '@app/identity/closing-challenges/closing-challenges.module';
import { APP_CONFIG, AppConfig, Metrics } from '@app/platform';
import { StorageModule } from '@app/read-models/storage/storage.module';
import { SecurityModule } from '@app/security';
import { SessionGuard } from './auth/session.guard';
import { RolesGuard } from './auth/roles.guard';
import { IdentityHttpModule } from './identity-http.module';
import { HealthModule } from '@app/http-edge';

@Global()
@Module({})
class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Metrics, useFactory: () => new Metrics() },
      ],
      exports: [APP_CONFIG, Metrics],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        StorageModule.forRoot({ runProjector: config.projectorInProcess }),
        SecurityModule,
        NotificationsModule,
        NotificationsReactorModule,
        IdentityModule,
        IdentityHttpModule,
        HealthModule,
        ClosingChallengesModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: SessionGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
    };
  }
}
