import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { MetricReadings } from './metric-readings';
import { MetricsController } from './metrics.controller';

export { HealthController, MetricsController };
export * from './route-metadata';

/**
 * The HTTP edge both apps share (the API and the projector answer /health and /metrics): kept out of the domain
 * and adapter libraries, which import no HTTP framework.
 */
@Module({ controllers: [HealthController, MetricsController], providers: [MetricReadings] })
export class HealthModule {}
