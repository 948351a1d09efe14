/**
 * The audit chain's contract with an event store: what the chain hashes comes back the same from
 * every read of that store (by stream or in log order, now and later), so a chain signed once
 * verifies forever, and the check still finds a change. Run against every EventStore adapter.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '@app/event-store';
import { GENESIS_LINK, nextLink } from '../audit-chain';
import { signCheckpoint } from '../audit-checkpoint';
import { AuditSigningKey } from '../audit-signing-key';
import { eventDigest } from '../canonical-event';
import { verifyLog } from '../verify-log';

export interface AuditChainContractHarness {
  open(): Promise<EventStore>;
}

export function describeAuditChainContract(adapterName: string, harness: AuditChainContractHarness): void {
  describe(`audit chain contract: ${adapterName}`, () => {
    let store: EventStore;
    const key = new AuditSigningKey(randomBytes(32));

    beforeEach(async () => {
      store = await harness.open();
    });
    afterEach(() => store.close());

    /** One signed checkpoint over `events`, as the chainer makes them. */
    function sign(events: RecordedEvent[]) {
      const digests = events.map((event) => eventDigest(event).toString('base64url'));
      let link = GENESIS_LINK;
      for (const event of events) link = nextLink(link, eventDigest(event));
      return signCheckpoint(key, {
        version: 1,
        fromSeq: 1,
        toSeq: events.length,
        firstPosition: events[0].position,
        lastPosition: events[events.length - 1].position,
        previousLink: GENESIS_LINK,
        link,
        digests,
        signedAt: new Date().toISOString(),
      });
    }

    it('hashes an event the same on every read: by stream, in log order, and after reopening', async () => {
      const stream = `audit-contract-${randomUUID()}`;
      const before = await store.headPosition();
      await store.append(
        stream,
        [
          // Keys out of order, nesting, unicode, numbers and nulls: what canonical JSON must settle.
          {
            type: 'Checked',
            data: { z: 1, a: { y: [3, 2, { b: null, a: 'ü' }], x: 1.5 } },
            metadata: { b: 'x', a: null },
          },
          { type: 'Checked', data: { emoji: '🔐', quote: 'a "b" \\ c', big: 9007199254740991 }, metadata: {} },
        ],
        { expectedRevision: 'no_stream' },
      );
      const digestsOf = (events: RecordedEvent[]) => events.map((event) => eventDigest(event).toString('base64url'));
      const digests = digestsOf(await store.readStream(stream));
      expect(digestsOf(await store.readStream(stream))).toEqual(digests);
      // In log order (other writers of a shared server may have appended in between).
      const inLog = (await store.readAll({ after: before, maxCount: 1000 })).filter(
        (event) => event.streamId === stream,
      );
      expect(digestsOf(inLog)).toEqual(digests);
      await store.close();
      store = await harness.open();
      expect(digestsOf(await store.readStream(stream))).toEqual(digests);
    });

    it('verifies a signed stretch read back from the store, and finds one changed event in it', async () => {
      const stream = `audit-contract-${randomUUID()}`;
      await store.append(
        stream,
        Array.from({ length: 4 }, (_, n) => ({ type: 'Checked', data: { n }, metadata: { ip: '203.0.113.7' } })),
        { expectedRevision: 'no_stream' },
      );
      const events = await store.readStream(stream);
      const checkpoint = sign(events);
      expect(await verifyLog(await store.readStream(stream), [checkpoint], key.publicKey)).toMatchObject({
        status: 'intact',
        pending: 0,
      });
      const changed = (await store.readStream(stream)).map((event, i) =>
        i === 2 ? { ...event, data: { ...event.data, n: 99 } } : event,
      );
      expect((await verifyLog(changed, [checkpoint], key.publicKey)).firstBroken).toMatchObject({
        seq: 3,
        position: events[2].position,
      });
    });
  });
}
