import { mongo } from 'mongoose';

/**
 * Server error codes that pass: an election, a shutdown, a node that is not primary (yet), a
 * network hiccup, a write conflict between two transactions, a time limit. Retrying the same batch
 * later can succeed. See the server's error_codes.yml.
 */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  112, // WriteConflict
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
  64, // WriteConcernFailed (wtimeout)
  50, // MaxTimeMSExpired
  251, // NoSuchTransaction (aborted under us)
]);

/**
 * Whether retrying the same work can never succeed: a duplicate key, a document too large, a
 * validation failure, a bad update: the projector stops on these instead of retrying forever.
 * Anything the driver labels transient or retryable, network and server-selection errors, and
 * the codes above are not permanent; an error that is not MongoDB's is not judged here.
 */
export function isPermanentMongoError(error: unknown): boolean {
  if (!(error instanceof mongo.MongoError)) return false;
  if (
    error.hasErrorLabel('TransientTransactionError') ||
    error.hasErrorLabel('UnknownTransactionCommitResult') ||
    error.hasErrorLabel('RetryableWriteError') ||
    error.hasErrorLabel('ResetPool')
  )
    return false;
  if (error instanceof mongo.MongoNetworkError || error instanceof mongo.MongoServerSelectionError) return false;
  const code = typeof error.code === 'number' ? error.code : undefined;
  if (code === undefined) return false;
  return !TRANSIENT_CODES.has(code);
}
