import { mongo } from 'mongoose';
import { isPermanentMongoError } from './mongo-errors';

const serverError = (code: number, labels: string[] = []) => {
  const error = new mongo.MongoServerError({ code, errmsg: `error ${code}`, message: `error ${code}` });
  for (const label of labels) error.addErrorLabel(label);
  return error;
};

describe('which MongoDB errors are permanent (the projector stops) and which pass (it retries)', () => {
  it('stops on a duplicate key, a document too large, a failed validation', () => {
    for (const code of [11000, 10334, 121, 2 /* BadValue */, 9 /* FailedToParse */])
      expect(isPermanentMongoError(serverError(code))).toBe(true);
  });

  it('retries an election, a shutdown, a write conflict, a network error, and anything labelled transient', () => {
    for (const code of [189, 10107, 11600, 91, 112, 262, 50])
      expect(isPermanentMongoError(serverError(code))).toBe(false);
    expect(isPermanentMongoError(serverError(11000, ['TransientTransactionError']))).toBe(false);
    expect(isPermanentMongoError(serverError(64, ['RetryableWriteError']))).toBe(false);
    expect(isPermanentMongoError(new mongo.MongoNetworkError('socket closed'))).toBe(false);
  });

  it('does not judge errors that are not MongoDB errors', () => {
    expect(isPermanentMongoError(new Error('boom'))).toBe(false);
    expect(isPermanentMongoError('text')).toBe(false);
  });
});
