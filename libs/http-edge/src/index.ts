import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

export { HealthController };
export * from './route-metadata';

/**
 * The HTTP edge both apps share (the API and the projector answer /health): kept out of the domain
 * and adapter libraries, which import no HTTP framework.
 */
@Module({ controllers: [HealthController] })
export class HealthModule {}
