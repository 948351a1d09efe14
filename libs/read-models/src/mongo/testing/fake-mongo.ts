import { MongoReadStore } from '../mongo-read-store';

/** One call the store made on a collection. */
export interface FakeMongoCall {
  collection: string;
  method: string;
  args: unknown[];
  /** What a bulkWrite was given. */
  operations?: unknown[];
  /** Made inside a transaction, with its session. */
  inTransaction: boolean;
}

/**
 * MongoReadStore around a recording fake of the driver (no MongoDB server can run here; the
 * contract suite covers behaviour against a real one in `npm run test:integration`). `respond`
 * answers a call: a value is returned, an Error thrown; undefined gives `{}` (`null` to findOne).
 * A transaction rethrows what its work throws, as the driver's withTransaction does.
 */
export function fakeMongo(respond: (call: FakeMongoCall) => unknown = () => undefined) {
  const calls: FakeMongoCall[] = [];
  let sessions = 0;
  let inTransaction = false;
  const collection = (name: string) =>
    new Proxy(
      {},
      {
        get:
          (_target, method: string) =>
          async (...args: unknown[]) => {
            const options = args.find((a) => typeof a === 'object' && a !== null && 'session' in a);
            const call: FakeMongoCall = {
              collection: name,
              method,
              args,
              operations: method === 'bulkWrite' ? (args[0] as unknown[]) : undefined,
              inTransaction: inTransaction && options !== undefined,
            };
            calls.push(call);
            const answer = respond(call);
            if (answer instanceof Error) throw answer;
            return answer ?? (method === 'findOne' ? null : {});
          },
      },
    );
  const db = { collection, createCollection: async () => undefined };
  const session = {
    withTransaction: async (work: () => Promise<void>) => {
      inTransaction = true;
      try {
        await work();
      } finally {
        inTransaction = false;
      }
    },
    endSession: async () => undefined,
  };
  const connection = {
    getClient: () => ({
      startSession: () => {
        sessions += 1;
        return session;
      },
    }),
    close: async () => undefined,
  };
  // The constructor is private (connect() opens a real connection): built here around the fakes.
  const store = new (MongoReadStore as unknown as new (c: unknown, d: unknown) => MongoReadStore)(connection, db);
  return { store, calls, sessions: () => sessions };
}
