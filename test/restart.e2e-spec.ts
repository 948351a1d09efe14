import { ReadStore } from '@app/read-models';
import { Projector } from '@app/read-models';
import { register } from './support/accounts';
import { request, startTestApp, STRONG_PASSWORD, uniqueEmail } from './support/test-app';

describe('restart on the same DATA_DIR', () => {
  it('keeps users, and the projector resumes from its checkpoint instead of replaying from zero', async () => {
    const first = await startTestApp();
    const email = uniqueEmail('persistent');
    const account = await register(first.url, email);
    const checkpoint = first.app.get(Projector).getStatus().checkpoint;
    expect(checkpoint).not.toBe('');
    await first.close();

    const second = await startTestApp({ dataDir: first.dataDir });
    try {
      const status = second.app.get(Projector).getStatus();
      expect(status.startedFrom).toBe(checkpoint);
      expect(status.eventsProjected).toBe(0);
      expect(await second.app.get(ReadStore).get('users', account.userId)).toMatchObject({ email });
      // The account survived: signing in works on the new process.
      const signedIn = await request(`${second.url}/v1/sessions`, {
        method: 'POST',
        json: { email, password: STRONG_PASSWORD },
      });
      expect(signedIn.status).toBe(201);
      const ready = await request(`${second.url}/health/ready`);
      expect(ready.body.checks.projector).toMatchObject({ startedFrom: checkpoint, eventsBehind: 0 });
    } finally {
      await second.close({ removeData: true });
    }
  });
});
