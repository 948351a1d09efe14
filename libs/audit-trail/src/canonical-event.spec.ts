import type { RecordedEvent } from '@app/event-store';
import { canonicalJson, eventDigest, toExportedEvent } from './canonical-event';

const stored: RecordedEvent = {
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  streamId: 'challenge-0b7c1f2e-5b5c-4b39-a3a4-0d1c2b3a4f5e',
  revision: 2,
  position: '00000000000000000042',
  type: 'ChallengeCodeSent',
  data: {
    userId: 'u1',
    challengeId: '0b7c1f2e-5b5c-4b39-a3a4-0d1c2b3a4f5e',
    codeHash: 'abc123',
    nested: { tokenHash: 'ff' },
  },
  metadata: { ip: '203.0.113.7', actor: { type: 'anonymous', id: null } },
  recordedAt: '2026-11-28T10:00:00.000Z',
};

describe('canonicalJson', () => {
  it('orders keys at every depth and leaves arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: undefined, b: 'ü' })).toBe('{"b":"ü"}');
  });
});

describe('an event exported for auditors', () => {
  it("holds no secret and no challenge id, yet has the stored event's digest", () => {
    const exported = toExportedEvent(stored);
    const text = JSON.stringify(exported);
    for (const secret of ['abc123', '0b7c1f2e-5b5c-4b39-a3a4-0d1c2b3a4f5e', '"ff"']) expect(text).not.toContain(secret);
    expect(exported.streamId).toBeNull();
    expect(exported.data).toMatchObject({ userId: 'u1', codeHash: { $commitment: expect.any(String) } });
    expect(eventDigest(exported).equals(eventDigest(stored))).toBe(true);
    // It survives a trip through JSON, as a file of JSON lines.
    expect(eventDigest(JSON.parse(text)).equals(eventDigest(stored))).toBe(true);
  });

  it('changes its digest when a secret, a field or the stream changes', () => {
    const base = eventDigest(stored);
    expect(eventDigest({ ...stored, data: { ...stored.data, codeHash: 'abc124' } }).equals(base)).toBe(false);
    expect(eventDigest({ ...stored, data: { ...stored.data, userId: 'u2' } }).equals(base)).toBe(false);
    expect(eventDigest({ ...stored, streamId: 'challenge-other' }).equals(base)).toBe(false);
    expect(eventDigest({ ...stored, recordedAt: '2026-11-28T10:00:00.001Z' }).equals(base)).toBe(false);
  });

  it('refuses a stream name that does not match its commitment', () => {
    const exported = { ...toExportedEvent({ ...stored, streamId: 'user-u1' }), streamId: 'user-u2' };
    expect(() => eventDigest(exported)).toThrow('streamCommitment does not match streamId');
  });
});
