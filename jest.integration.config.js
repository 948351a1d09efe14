// npm run test:integration: the production adapters (KurrentDB, MongoDB) through the same contract
// suites as the embedded ones. Each suite is skipped, by name, when its URL is not set.
const base = require('./jest.base.config');

module.exports = {
  ...base,
  testRegex: '\\.integration-spec\\.ts$',
};
