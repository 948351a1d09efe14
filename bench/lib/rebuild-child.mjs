// Rebuilds every projection from an event file into a fresh SQLite read store (or a MongoDB database), in its own process,
// and prints { events, seconds, eventsPerSec, peakRssMiB } as JSON.
// argv: <events.sqlite> <readstore.sqlite> <batchSize> [<secret box key, base64>]: with the key, the
// events are read as the service reads them, personal values opened with their data keys (kept in
// the events file, as in the embedded default).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';
import { memOf } from './proc.mjs';

const require = createRequire(import.meta.url);
const { SqliteEventStore } = require(join(ROOT, 'dist/libs/event-store/src/sqlite/sqlite-event-store.js'));
const { SqliteReadStore } = require(join(ROOT, 'dist/libs/read-models/src/sqlite/sqlite-read-store.js'));
const { Projector } = require(join(ROOT, 'dist/libs/read-models/src/projector/projector.js'));
const { ALL_PROJECTIONS } = require(join(ROOT, 'dist/libs/read-models/src/projections/index.js'));

const [eventsFile, readFile, batchSize, secretBoxKey] = process.argv.slice(2);
const events = secretBoxKey
  ? openedStore(eventsFile, Buffer.from(secretBoxKey, 'base64'))
  : new SqliteEventStore(eventsFile);

function openedStore(file, key) {
  const pd = require(join(ROOT, 'dist/libs/read-models/src/index.js'));
  const { SqlitePersonalDataKeys } = require(
    join(ROOT, 'dist/libs/read-models/src/personal-data/sqlite-personal-data-keys.js'),
  );
  const { SecretBox } = require(join(ROOT, 'dist/libs/security/src/index.js'));
  const keys = new SqlitePersonalDataKeys(file, pd.secretBoxKeyWrapper(new SecretBox(key)));
  return new pd.PersonalDataEventStore(new SqliteEventStore(file), new pd.PersonalDataSealer(keys));
}
// A MongoDB URL (with a database of its own: it is dropped afterwards) instead of a file: the
// production read store (issue 16, when MONGO_URL is set).
const mongo = /^mongodb(\+srv)?:/.test(readFile);
const reads = mongo
  ? await require(join(ROOT, 'dist/libs/read-models/src/mongo/mongo-read-store.js')).MongoReadStore.connect(readFile)
  : new SqliteReadStore(readFile);
const head = Number(await events.headPosition());
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, memOf(process.pid).rssMiB)), 100);
const projector = new Projector(events, reads, ALL_PROJECTIONS, { batchSize: Number(batchSize) });
const start = performance.now();
await projector.catchUp();
const seconds = (performance.now() - start) / 1000;
clearInterval(sampler);
const { hwmMiB } = memOf(process.pid);
await events.close();
await reads.close();
if (mongo) {
  const { MongoClient } = require(require.resolve('mongodb', { paths: [ROOT] }));
  const client = await MongoClient.connect(readFile);
  await client.db().dropDatabase();
  await client.close();
}
process.stdout.write(
  JSON.stringify({ events: head, seconds, eventsPerSec: head / seconds, peakRssMiB: Math.max(peak, hwmMiB) }),
);
