// npm test: pure rules (*.spec.ts), adapters and handlers on the embedded store (*.int-spec.ts),
// and HTTP end-to-end tests on the embedded default (test/*.e2e-spec.ts).
const base = require('./jest.base.config');

module.exports = {
  ...base,
  testRegex: '(\\.spec|\\.int-spec|\\.e2e-spec)\\.ts$',
};
