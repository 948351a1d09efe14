import 'reflect-metadata';
import { ConfigError, loadConfig, SystemClock } from '@app/platform';
import { ALL_PROJECTIONS, BackgroundWorkLease, Projector } from '@app/read-models';
import { openEventStore, openPersonalDataKeys, openReadStore } from '@app/read-models/storage/storage.module';

/** The exit code when another process runs the background work (EX_TEMPFAIL: try again after stopping it). */
const LEASE_HELD = 75;

/**
 * `npm run rebuild`: drops every read model and replays the whole log from position zero. It takes
 * the background-work lease first (issue 16) and commits under it: while the API (embedded) or the
 * projector app runs the background work, it refuses to start and says which process holds it.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const keys = await openPersonalDataKeys(config); // projections see personal values opened
  const events = await openEventStore(config, keys);
  const readStore = await openReadStore(config);
  const lease = new BackgroundWorkLease(readStore, new SystemClock(), {
    enabled: true,
    ttlMs: config.projectorLeaseTtlMs,
    reclaimFromStoppedLocalProcesses: !config.mongoUrl,
    log: (level, message) => (level === 'log' ? undefined : console.error(message)),
  });
  try {
    await lease.begin();
    if (!lease.active) {
      const { holder, expiresAt } = await lease.report();
      console.error(
        `Not rebuilding: another process runs the background work (the lease ${lease.name} is held by ${holder} ` +
          `until ${expiresAt}). Stop the API (embedded) or the projector app first.`,
      );
      process.exitCode = LEASE_HELD;
      return;
    }
    const projector = new Projector(events, lease.readStore, ALL_PROJECTIONS, { batchSize: 2000 });
    const started = process.hrtime.bigint();
    await projector.reset();
    await projector.catchUp();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const { checkpoint } = projector.getStatus();
    console.log(
      `Rebuilt ${ALL_PROJECTIONS.length} projections up to position ${checkpoint || '(empty log)'} in ${seconds.toFixed(2)} s`,
    );
  } finally {
    await lease.shutdown();
    await events.close();
    await readStore.close();
    await keys.close();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
