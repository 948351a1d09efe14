/**
 * The audit chain's contract with KurrentDB: what the chain hashes reads back the same, so a chain
 * signed over a KurrentDB log verifies with the same code as on SQLite. Needs a running server:
 * `EVENTSTORE_URL=kurrentdb://localhost:2113?tls=false npm run test:integration`.
 */
import { KurrentDbEventStore } from '@app/event-store/kurrentdb/kurrentdb-event-store';
import { describeAuditChainContract } from './contract/audit-chain.contract';

const url = process.env.EVENTSTORE_URL;

if (url) {
  describeAuditChainContract('KurrentDbEventStore', { open: async () => new KurrentDbEventStore(url) });
} else {
  // Reported as skipped, by name, in the summary that scripts/test.mjs prints.
  describe.skip('audit chain contract: KurrentDbEventStore (set EVENTSTORE_URL to run)', () => {
    it('runs the audit chain contract against KurrentDB', () => undefined);
  });
}
