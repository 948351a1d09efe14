import { Controller, Get, Headers, Inject, NotFoundException, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, Metrics } from '@app/platform';
import { MetricReadings } from './metric-readings';
import { operatorAccess } from './operator-access';
import { Public } from './route-metadata';

/** The part of the reply this controller uses. */
type TextReply = { header(name: string, value: string): unknown; send(body: string): unknown };

/**
 * `GET /metrics` in Prometheus' text format. Not for everyone in production: with METRICS_TOKEN
 * it wants that bearer token; without one it answers only when METRICS_PUBLIC (the default
 * outside production), and 404 otherwise.
 */
@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
    // Registers the gauges read at scrape time (queue depth, projector lag) with the metrics.
    _readings: MetricReadings,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: TextReply): Promise<void> {
    const access = operatorAccess(this.config.metrics, authorization);
    if (access === 'wrong-token') throw new UnauthorizedException();
    if (access === 'closed') throw new NotFoundException();
    reply.header('Content-Type', this.metrics.contentType());
    reply.header('Cache-Control', 'no-store');
    reply.send(await this.metrics.text());
  }
}
