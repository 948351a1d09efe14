import { EventStore, RecordedEvent, START } from '@app/event-store';
import { ReadStore } from '@app/read-models';
import { AuditCheckpointDocument } from './audit-checkpoint';
import { AUDIT_CHECKPOINTS } from './audit-chainer';
import type { AuditPublicKey } from './audit-signing-key';
import { IntegrityReport, verifyLog } from './verify-log';

const PAGE = 1000;

/** The whole log, page by page, in log order. */
export async function* wholeLog(events: EventStore): AsyncGenerator<RecordedEvent> {
  let after = START;
  for (;;) {
    const page = await events.readAll({ after, maxCount: PAGE });
    if (page.length === 0) return;
    yield* page;
    after = page[page.length - 1].position;
  }
}

/** Every signed checkpoint, in order. */
export async function storedCheckpoints(readStore: ReadStore): Promise<AuditCheckpointDocument[]> {
  const all: AuditCheckpointDocument[] = [];
  let after: string | null = null;
  for (;;) {
    const page: AuditCheckpointDocument[] = await readStore.find<AuditCheckpointDocument>(AUDIT_CHECKPOINTS, {
      where: after === null ? undefined : { id: { gt: after } },
      orderBy: [{ field: 'id', direction: 'asc' }],
      limit: 100,
    });
    all.push(...page);
    if (page.length < 100) return all;
    after = page[page.length - 1].id;
  }
}

/**
 * Checks the stored log against the stored checkpoints with the public key only (what the admin
 * API and `npm run cli -- verify-log` report). Reads every event: its cost grows with the log.
 */
export async function checkIntegrity(
  events: EventStore,
  readStore: ReadStore,
  publicKey: AuditPublicKey,
): Promise<IntegrityReport> {
  await readStore.ensureCollection(AUDIT_CHECKPOINTS, []);
  return verifyLog(wholeLog(events), await storedCheckpoints(readStore), publicKey);
}
