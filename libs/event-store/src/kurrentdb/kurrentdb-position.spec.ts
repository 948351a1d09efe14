import { WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { START, WrongExpectedRevisionError } from '../event-store.port';
import {
  decodeKurrentPosition,
  encodeKurrentPosition,
  isSystemEvent,
  toPayload,
  toStreamState,
  toWrongExpectedRevisionError,
} from './kurrentdb-event-store';

const position = (commit: bigint, prepare: bigint) => ({ commit, prepare });

describe('KurrentDB position encoding', () => {
  it('encodes commit then prepare as 40 digits', () => {
    expect(encodeKurrentPosition(position(1n, 5n))).toBe(`${'1'.padStart(20, '0')}${'5'.padStart(20, '0')}`);
  });

  it('orders encoded positions like (commit, prepare)', () => {
    const ordered = [position(0n, 0n), position(1n, 5n), position(1n, 6n), position(2n, 0n), position(10n, 0n)];
    const encoded = ordered.map(encodeKurrentPosition);
    expect([...encoded].sort()).toEqual(encoded);
    expect(START < encoded[0]).toBe(true);
  });

  it('round-trips positions beyond 2^53 exactly, up to the largest u64', () => {
    const u64Max = 2n ** 64n - 1n;
    for (const p of [position(2n ** 53n + 1n, 2n ** 53n + 3n), position(u64Max, u64Max - 1n), position(0n, 0n)]) {
      expect(decodeKurrentPosition(encodeKurrentPosition(p))).toEqual(p);
    }
  });

  it('decodes START as the beginning of the log', () => {
    expect(decodeKurrentPosition(START)).toBeUndefined();
  });

  it('rejects strings that are not positions of this adapter', () => {
    for (const bad of ['123', 'x'.repeat(40), '1'.repeat(41), `-${'1'.repeat(39)}`]) {
      expect(() => decodeKurrentPosition(bad)).toThrow(RangeError);
    }
  });

  it('rejects negative or oversized parts', () => {
    expect(() => encodeKurrentPosition(position(-1n, 0n))).toThrow(RangeError);
    expect(() => encodeKurrentPosition(position(10n ** 20n, 0n))).toThrow(RangeError);
  });
});

describe('ExpectedRevision to KurrentDB stream state', () => {
  it('maps the named states', () => {
    expect(toStreamState('no_stream')).toBe('no_stream');
    expect(toStreamState('stream_exists')).toBe('stream_exists');
    expect(toStreamState('any')).toBe('any');
  });

  it('maps a revision to a bigint', () => {
    expect(toStreamState(0)).toBe(0n);
    expect(toStreamState(41)).toBe(41n);
  });

  it('rejects revisions that are not non-negative integers', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => toStreamState(bad)).toThrow(RangeError);
  });
});

describe('WrongExpectedVersionError to WrongExpectedRevisionError', () => {
  const clientError = (actualState: bigint | 'no_stream') =>
    new WrongExpectedVersionError(undefined, { streamName: 's', expected: 1n, current: actualState });

  it('carries the actual revision as a number', () => {
    const error = toWrongExpectedRevisionError('s', 1, clientError(2n));
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ streamId: 's', expected: 1, actual: 2 });
  });

  it('reports a missing stream as -1', () => {
    expect(toWrongExpectedRevisionError('s', 0, clientError('no_stream')).actual).toBe(-1);
    expect(toWrongExpectedRevisionError('s', 0, clientError(-1n)).actual).toBe(-1);
  });

  it('reports other negative states (deleted, tombstoned) as unknown', () => {
    expect(toWrongExpectedRevisionError('s', 'any', clientError(-5n)).actual).toBeUndefined();
  });
});

describe('event mapping helpers', () => {
  it('recognises system streams and events', () => {
    expect(isSystemEvent({ type: '$metadata', streamId: 'orders' })).toBe(true);
    expect(isSystemEvent({ type: 'Opened', streamId: '$stats-127.0.0.1:2113' })).toBe(true);
    expect(isSystemEvent({ type: 'Opened', streamId: 'orders-1' })).toBe(false);
  });

  it('keeps JSON objects and wraps or parses everything else', () => {
    expect(toPayload({ a: 1 })).toEqual({ a: 1 });
    expect(toPayload(undefined)).toEqual({});
    expect(toPayload(new Uint8Array())).toEqual({});
    expect(toPayload(Buffer.from('{"b":2}'))).toEqual({ b: 2 });
    expect(toPayload(new Uint8Array(Buffer.from('not json')))).toEqual({ value: 'not json' });
    expect(toPayload([1, 2])).toEqual({ value: [1, 2] });
  });
});
