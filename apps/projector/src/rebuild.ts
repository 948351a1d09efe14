import 'reflect-metadata';
import { ConfigError, loadConfig } from '@app/platform';
import { ALL_PROJECTIONS, Projector } from '@app/read-models';
import { openEventStore, openPersonalDataKeys, openReadStore } from '@app/read-models/storage/storage.module';

/**
 * `npm run rebuild`: drops every read model and replays the whole log from position zero.
 * Stop the API (embedded) or the projector (production) first.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const keys = await openPersonalDataKeys(config); // projections see personal values opened
  const events = await openEventStore(config, keys);
  const readStore = await openReadStore(config);
  const projector = new Projector(events, readStore, ALL_PROJECTIONS, { batchSize: 2000 });
  const started = process.hrtime.bigint();
  await projector.reset();
  await projector.catchUp();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { checkpoint } = projector.getStatus();
  console.log(
    `Rebuilt ${ALL_PROJECTIONS.length} projections up to position ${checkpoint || '(empty log)'} in ${seconds.toFixed(2)} s`,
  );
  await events.close();
  await readStore.close();
  await keys.close();
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
