import type { EventStore } from '@app/event-store';
import type { BackgroundWorkLease, Projector, ReadStore } from '@app/read-models';
import { HealthController } from './health.controller';

describe('GET /health/ready with a stalled projector', () => {
  it('answers 503 with where it stopped and why', async () => {
    const events = {
      ping: async () => undefined,
      headPosition: async () => '00000000000000000042',
    } as unknown as EventStore;
    const readStore = { ping: async () => undefined } as unknown as ReadStore;
    const projector = {
      getStatus: () => ({
        running: true,
        checkpoint: '00000000000000000040',
        startedFrom: '',
        lastError: 'E11000 duplicate key error',
        stalled: { after: '00000000000000000040', reason: 'E11000 duplicate key error' },
        eventsProjected: 40,
      }),
    } as unknown as Projector;
    const lease = {
      report: async () => ({ name: 'background-work', role: 'active', holder: 'host:1:ab', expiresAt: null }),
    } as unknown as BackgroundWorkLease;
    const health = new HealthController(events, readStore, projector, { runProjector: true }, lease);
    let status = 0;
    const body = await health.ready({ status: (code: number) => (status = code) });
    expect(status).toBe(503);
    expect(body.checks.projector).toMatchObject({
      status: 'down',
      stalledAfter: '00000000000000000040',
      reason: 'E11000 duplicate key error',
      eventsBehind: 2,
    });
  });
});
