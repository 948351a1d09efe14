import { Controller, Get, Headers, Inject, NotFoundException, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig, Metrics } from '@app/platform';
import { MetricReadings } from './metric-readings';
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
    const { token, public: open } = this.config.metrics;
    if (token !== null) {
      if (!authorization || !sameText(authorization, `Bearer ${token}`)) throw new UnauthorizedException();
    } else if (!open) {
      throw new NotFoundException();
    }
    reply.header('Content-Type', this.metrics.contentType());
    reply.header('Cache-Control', 'no-store');
    reply.send(await this.metrics.text());
  }
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
