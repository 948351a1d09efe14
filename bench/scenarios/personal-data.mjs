// Scenario `personal-data` (issue 15): what sealing personal values costs. The same synthetic log
// (BENCH_PD_EVENTS, default 200,000 events; every event carries an IP and a user agent, 2% an email
// address; one data key per person, 50 events each) is appended raw and through the sealing store,
// then every projection is rebuilt from each: raw, and opened with the data keys as the service
// reads it. Reported as events/s and as ratios, sealed over raw, from the same run.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent } from '../lib/events-gen.mjs';
import { round } from '../lib/load.mjs';
import { ROOT } from '../lib/paths.mjs';
import { rebuildInChild } from '../lib/rebuild.mjs';
import { writeResult } from '../lib/report.mjs';

const require = createRequire(import.meta.url);
const TOTAL = Number(process.env.BENCH_PD_EVENTS ?? 200_000);
const BATCH = 1000;

export default async function personalData() {
  const dist = (path) => require(join(ROOT, 'dist', path));
  const { SqliteEventStore } = dist('libs/event-store/src/sqlite/sqlite-event-store.js');
  const { PersonalDataEventStore, PersonalDataSealer, secretBoxKeyWrapper } = dist('libs/read-models/src/index.js');
  const { SqlitePersonalDataKeys } = dist('libs/read-models/src/personal-data/sqlite-personal-data-keys.js');
  const { SecretBox } = dist('libs/security/src/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'bench-pd-'));
  const secretBoxKey = randomBytes(32);
  try {
    console.log(`\n== personal-data: ${TOTAL} events appended and rebuilt, raw and sealed`);
    const append = async (store) => {
      const t0 = performance.now();
      for (let written = 0; written < TOTAL; written += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, TOTAL - written) }, (_, k) => makeEvent(written + k));
        await store.append(`gen-${Math.floor(written / BATCH) % 10_000}`, batch, { expectedRevision: 'any' });
      }
      return TOTAL / ((performance.now() - t0) / 1000);
    };
    const rawFile = join(dir, 'raw.sqlite');
    const raw = new SqliteEventStore(rawFile);
    const rawAppends = await append(raw);
    await raw.close();

    const sealedFile = join(dir, 'sealed.sqlite');
    const keys = new SqlitePersonalDataKeys(sealedFile, secretBoxKeyWrapper(new SecretBox(secretBoxKey)));
    const sealed = new PersonalDataEventStore(new SqliteEventStore(sealedFile), new PersonalDataSealer(keys));
    const sealedAppends = await append(sealed);
    await sealed.close();
    await keys.close();
    console.log(
      `  batched appends: raw ${round(rawAppends, 0)} events/s, sealed ${round(sealedAppends, 0)} events/s (${round(sealedAppends / rawAppends, 2)} x)`,
    );

    const rebuild = (eventsFile, name, key) => rebuildInChild(eventsFile, join(dir, `${name}-read.sqlite`), 2000, key);
    const rawRebuild = await rebuild(rawFile, 'raw');
    const openedRebuild = await rebuild(sealedFile, 'sealed', secretBoxKey);
    const ratio = openedRebuild.eventsPerSec / rawRebuild.eventsPerSec;
    console.log(
      `  rebuild of every projection: raw ${round(rawRebuild.eventsPerSec, 0)} events/s, opened ${round(openedRebuild.eventsPerSec, 0)} events/s (${round(ratio, 2)} x); peak RSS ${round(rawRebuild.peakRssMiB, 0)} / ${round(openedRebuild.peakRssMiB, 0)} MiB`,
    );
    writeResult('personal-data', {
      events: TOTAL,
      appends: {
        rawEventsPerSec: round(rawAppends, 0),
        sealedEventsPerSec: round(sealedAppends, 0),
        ratio: round(sealedAppends / rawAppends, 2),
      },
      rebuild: {
        rawEventsPerSec: round(rawRebuild.eventsPerSec, 0),
        openedEventsPerSec: round(openedRebuild.eventsPerSec, 0),
        ratio: round(ratio, 2),
        peakRssMiB: { raw: round(rawRebuild.peakRssMiB, 0), opened: round(openedRebuild.peakRssMiB, 0) },
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
