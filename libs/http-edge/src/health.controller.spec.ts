import type { EventStore } from '@app/event-store';
import type { BackgroundWorkLease, Projector, ReadStore } from '@app/read-models';
import { HealthController } from './health.controller';

const TOKEN = 'an-operators-token-of-at-least-32-characters';

/** A health controller over a projector that stopped on an error retrying cannot cure. */
function stalledHealth(metrics: { token: string | null; public: boolean }) {
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
  const health = new HealthController(events, readStore, projector, { runProjector: true }, lease, { metrics });
  return async (authorization?: string) => {
    let status = 0;
    const body = await health.ready({ status: (code: number) => (status = code) }, authorization);
    return { status, body };
  };
}

describe('GET /health/ready with a stalled projector', () => {
  it('answers 503 with where it stopped and why, to those who may read /metrics', async () => {
    const { status, body } = await stalledHealth({ token: null, public: true })();
    expect(status).toBe(503);
    expect(body.checks.projector).toMatchObject({
      status: 'down',
      stalledAfter: '00000000000000000040',
      reason: 'E11000 duplicate key error',
      eventsBehind: 2,
      lease: { holder: 'host:1:ab' },
    });
    const withToken = await stalledHealth({ token: TOKEN, public: false })(`Bearer ${TOKEN}`);
    expect(withToken.body.checks.projector).toMatchObject({ reason: 'E11000 duplicate key error' });
  });

  it('tells anyone else only the status of each check: no error, position or lease holder', async () => {
    const closed = stalledHealth({ token: null, public: false });
    const guarded = stalledHealth({ token: TOKEN, public: true });
    for (const ask of [() => closed(), () => closed(`Bearer ${TOKEN}`), () => guarded(), () => guarded('Bearer x')]) {
      const { status, body } = await ask();
      expect(status).toBe(503);
      expect(body).toEqual({
        status: 'unavailable',
        checks: { eventStore: { status: 'ok' }, readStore: { status: 'ok' }, projector: { status: 'down' } },
      });
    }
  });
});
