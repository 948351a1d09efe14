import { EventStore } from '@app/event-store';
import { ReadStore } from '@app/read-models';
import type { TestApp } from './test-app';

/**
 * Waits until a reactor has handled every event in the log so far (mail sent or skipped), as its
 * checkpoint in the shared read store says: whichever process runs it, any app on the store can ask.
 */
export async function reactorSettled(api: TestApp, reactor = 'notifications'): Promise<void> {
  const head = BigInt(await api.app.get(EventStore).headPosition());
  for (let i = 0; i < 400; i++) {
    const reached = (await api.app.get(ReadStore).checkpoints())[`reactor:${reactor}`];
    if (reached !== undefined && BigInt(reached) >= head) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the ${reactor} reactor did not catch up`);
}
