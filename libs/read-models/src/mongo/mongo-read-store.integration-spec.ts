/**
 * The ReadStore contract against a real MongoDB replica set (transactions need one). From the
 * host, against `docker compose up`: MONGO_URL='mongodb://127.0.0.1:27017/read_models_test?directConnection=true'
 * npm run test:integration (`?replicaSet=rs0` makes the driver look for the member by its advertised
 * name, `mongo`, which resolves only inside the compose network).
 */
import { describeReadStoreContract } from '../contract/read-store.contract';
import { MongoReadStore } from './mongo-read-store';

const url = process.env.MONGO_URL;

if (url) {
  describeReadStoreContract('MongoReadStore', { open: () => MongoReadStore.connect(url) });
} else {
  // Reported as skipped, by name, in the summary that scripts/test.mjs prints.
  describe.skip('ReadStore contract: MongoReadStore (set MONGO_URL to run)', () => {
    it('runs the contract suite against MongoDB', () => undefined);
  });
}
