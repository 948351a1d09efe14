import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, JsonLogger, loadConfig } from '@app/platform';
import { appLogger, createApp, listen } from './app.factory';

async function main(): Promise<void> {
  const config = loadConfig();
  const appLog = appLogger(config);
  if (appLog instanceof JsonLogger) Logger.overrideLogger(appLog); // these lines too, before the app exists
  const logger = new Logger('Bootstrap');
  if (config.keys.generated) {
    logger.warn(
      `No SECRET_BOX_KEY/TOKEN_KEY/AUDIT_SIGNING_KEY configured: using development keys from ${config.dataDir}/secrets.json`,
    );
  }
  const mode = config.eventStoreUrl ? 'KurrentDB' : `embedded SQLite in ${config.dataDir}`;
  logger.log(`Event store: ${mode}; read models: ${config.mongoUrl ? 'MongoDB' : 'embedded SQLite'}`);
  const app = await createApp(config, { logger: appLog });
  const url = await listen(app, config);
  if (!(appLog instanceof JsonLogger)) console.log(`\n  Account security service ready at ${url}\n`);
}

main().catch((error) => {
  // Bad configuration, found when reading it or while starting (e.g. the bootstrap admin): EX_CONFIG.
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  console.error(error);
  process.exit(1);
});
