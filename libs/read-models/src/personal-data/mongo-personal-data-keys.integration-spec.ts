/** The MongoDB key store through the shared contract; needs MONGO_URL (npm run test:integration). */
import { randomBytes } from 'node:crypto';
import { SecretBox } from '@app/security';
import { describePersonalDataKeysContract } from '../contract/personal-data-keys.contract';
import { MongoPersonalDataKeys } from './mongo-personal-data-keys';
import { secretBoxKeyWrapper } from './secret-box-key-wrapper';

const url = process.env.MONGO_URL;
const wrapper = secretBoxKeyWrapper(new SecretBox(randomBytes(32)));

if (url) {
  describePersonalDataKeysContract('MongoPersonalDataKeys', {
    open: () => MongoPersonalDataKeys.connect(url, wrapper),
  });
} else {
  // Reported as skipped, by name, in the summary that scripts/test.mjs prints.
  describe.skip('PersonalDataKeys contract: MongoPersonalDataKeys (set MONGO_URL to run)', () => {
    it('runs the contract suite against MongoDB', () => undefined);
  });
}
