/**
 * The KurrentDB adapter through the shared contract suite. Needs a running server, e.g.
 * `EVENTSTORE_URL=kurrentdb://localhost:2113?tls=false npm run test:integration`. The contract
 * appends a 1 MB event, above KurrentDB's default 1 MiB append limit: start the server with
 * `KURRENTDB_MAX_APPEND_SIZE=4194304` (or `--max-append-size`).
 */
import { describeEventStoreContract } from '../contract/event-store.contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';

const url = process.env.EVENTSTORE_URL;
const suiteName = 'EventStore contract: KurrentDbEventStore (set EVENTSTORE_URL to run)';

if (url) {
  describeEventStoreContract('KurrentDbEventStore', { open: async () => new KurrentDbEventStore(url) });
} else {
  // Reported as skipped, by name, in the summary that scripts/test.mjs prints.
  describe.skip(suiteName, () => {
    it('runs the contract suite against KurrentDB', () => undefined);
  });
}
