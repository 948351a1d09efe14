import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError, JsonLogger, loadConfig } from '@app/platform';
import { ProjectorAppModule } from './projector.module';

/** Runs the projector as its own process, with /health/live and /health/ready on PORT (default 3001). */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ PORT: '3001', ...process.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  // Only /health here: Fastify like the API (Node's time limits, no Nest middleware).
  const app = await NestFactory.create<NestFastifyApplication>(
    ProjectorAppModule.forRoot(config),
    new FastifyAdapter({ skipMiddie: true, requestTimeout: 300_000, keepAliveTimeout: 5_000 }),
    { logger: config.logFormat === 'json' ? new JsonLogger() : ['log', 'warn', 'error'] },
  );
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  new Logger('Projector').log(`Projector health on http://${config.host}:${config.port}/health/ready`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
