import { ReadStore } from '@app/read-models';
import { Projector } from '@app/read-models';
import { request, startTestApp, STRONG_PASSWORD, uniqueEmail } from './support/test-app';

describe('restart on the same DATA_DIR', () => {
  it('keeps users, and the projector resumes from its checkpoint instead of replaying from zero', async () => {
    const first = await startTestApp();
    const email = uniqueEmail('persistent');
    const { body } = await request(`${first.url}/v1/users`, { method: 'POST', json: { email, password: STRONG_PASSWORD } });
    const checkpoint = first.app.get(Projector).getStatus().checkpoint;
    expect(checkpoint).not.toBe('');
    await first.close();

    const second = await startTestApp({ dataDir: first.dataDir });
    try {
      const status = second.app.get(Projector).getStatus();
      expect(status.startedFrom).toBe(checkpoint);
      expect(status.eventsProjected).toBe(0);
      expect(await second.app.get(ReadStore).get('users', body.userId)).toMatchObject({ email });
      const again = await request(`${second.url}/v1/users`, { method: 'POST', json: { email, password: STRONG_PASSWORD } });
      expect(again.body.code).toBe('email_taken');
      const ready = await request(`${second.url}/health/ready`);
      expect(ready.body.checks.projector).toMatchObject({ startedFrom: checkpoint, eventsBehind: 0 });
    } finally {
      await second.close({ removeData: true });
    }
  });
});
