import { EventStore } from '@app/event-store';
import { PasswordResets } from '@app/identity/resetting-password/password-resets.service';
import { SignUps } from '@app/identity/registering-user/sign-ups.service';
import { Projector } from '@app/read-models';
import type { TestApp } from './test-app';

/**
 * Waits until the app is idle: the work done after an answer (mail) and the projection of every
 * event so far. Timing comparisons call it before each request, so that one request's background
 * work is not measured as part of the next one.
 */
export async function quiesce(api: TestApp): Promise<void> {
  await api.app.get(SignUps).settled();
  await api.app.get(PasswordResets).settled();
  const head = BigInt(await api.app.get(EventStore).headPosition());
  for (let i = 0; i < 400; i++) {
    const checkpoint = api.app.get(Projector).getStatus().checkpoint;
    if (checkpoint !== '' && BigInt(checkpoint) >= head) return;
    if (head === 0n) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the projector did not catch up');
}
