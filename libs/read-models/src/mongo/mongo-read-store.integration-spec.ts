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
  // Not describe.skip: Jest prints nothing for a file whose tests are all skipped, while a todo
  // keeps the suite's name in the report.
  describe('ReadStore contract: MongoReadStore (skipped: set MONGO_URL to run)', () => {
    it.todo('runs the contract suite against MongoDB');
  });
}
