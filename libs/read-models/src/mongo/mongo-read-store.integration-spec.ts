/**
 * The ReadStore contract against a real MongoDB replica set (transactions need one), e.g.
 * MONGO_URL='mongodb://localhost:27017/read_models_test?replicaSet=rs0' npm run test:integration
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
