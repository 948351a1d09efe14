import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RecordedEvent } from '@app/event-store';
import { SqliteEventStore } from '@app/event-store/sqlite/sqlite-event-store';
import { ManualClock } from '@app/platform';
import { SqliteReadStore } from '@app/read-models/sqlite/sqlite-read-store';
import { foldLinks, GENESIS_LINK } from './audit-chain';
import { AUDIT_CHAIN, AuditChainer } from './audit-chainer';
import { AuditSigningKey } from './audit-signing-key';
import { eventDigest } from './canonical-event';
import { describeAuditChainContract } from './contract/audit-chain.contract';
import { checkIntegrity, storedCheckpoints, wholeLog } from './audit-integrity';
import { auditExportLines, verifyExport } from './audit-export';

/**
 * The audit chain on a real SQLite file, as the embedded service keeps it (events and read models
 * in one file), and what an attacker with write access to that file can do to it: edit, delete or
 * reorder an event, or rewrite the chain without the signing key. Each is found by `verifyLog`.
 */
describe('audit chain on a real SQLite file', () => {
  let dir: string;
  let file: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  let chainer: AuditChainer;
  const clock = new ManualClock(new Date('2026-11-28T10:00:00.000Z'));
  const key = new AuditSigningKey(randomBytes(32));

  const checkpoints = () => storedCheckpoints(readStore);
  const verify = () => checkIntegrity(events, readStore, key.publicKey);

  /** Opens the file as an attacker would: no service code, plain SQL. */
  function tamper(sql: (db: Database.Database) => void): void {
    const db = new Database(file);
    try {
      sql(db);
    } finally {
      db.close();
    }
  }

  async function appendEvents(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      await events.append(
        `user-${i % 3}`,
        [
          {
            type: 'Something',
            data: { n: i, nested: { b: 2, a: [1, { z: 'x', y: null }] } },
            metadata: { ip: '203.0.113.7' },
          },
        ],
        { expectedRevision: 'any' },
      );
    }
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-chain-'));
    file = join(dir, 'accounts.sqlite');
    events = new SqliteEventStore(file);
    readStore = new SqliteReadStore(file);
    chainer = new AuditChainer(events, readStore, key, clock, { checkpointEvery: 5, sealSeconds: 60 });
    await chainer.ensureCollections();
    await appendEvents(12);
    await chainer.sealNow();
  });

  afterEach(async () => {
    await chainer.stop();
    await events.close();
    await readStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs a checkpoint every 5 events and the rest on demand; the whole log verifies', async () => {
    const stored = await checkpoints();
    expect(stored.map((c) => [c.fromSeq, c.toSeq])).toEqual([
      [1, 5],
      [6, 10],
      [11, 12],
    ]);
    expect(stored[0].previousLink).toBe(GENESIS_LINK);
    const report = await verify();
    expect(report).toMatchObject({ status: 'intact', events: 12, pending: 0, firstBroken: null });
    expect(report.verified?.events).toBe(12);
    expect(report.lastCheckpoint?.toSeq).toBe(12);
  });

  it('signs the young tail once it is sealSeconds old, and counts it as pending until then', async () => {
    await appendEvents(2);
    await chainer.catchUp();
    expect(await verify()).toMatchObject({ status: 'intact', events: 14, pending: 2 });
    clock.advance(61_000);
    await chainer.catchUp(); // nothing new to read, but the open stretch is old enough now
    expect(await verify()).toMatchObject({ status: 'intact', events: 14, pending: 0 });
  });

  it('finds an edited event, naming its position', async () => {
    const [seventh] = (await events.readAll({ maxCount: 7 })).slice(-1);
    tamper((db) =>
      db.prepare("UPDATE events SET data = json_set(data, '$.n', 99) WHERE position = ?").run(Number(seventh.position)),
    );
    const report = await verify();
    expect(report.status).toBe('broken');
    expect(report.firstBroken).toMatchObject({ seq: 7, position: seventh.position });
    expect(report.verified?.events).toBe(6);
  });

  it('finds a deleted event where it is missing', async () => {
    const all = await events.readAll();
    tamper((db) => db.prepare('DELETE FROM events WHERE position = ?').run(Number(all[3].position)));
    const report = await verify();
    expect(report.firstBroken).toMatchObject({ seq: 4, position: all[4].position });
    expect(report.verified?.events).toBe(3);
  });

  it('finds the last events cut off', async () => {
    const all = await events.readAll();
    tamper((db) => db.prepare('DELETE FROM events WHERE position >= ?').run(Number(all[10].position)));
    expect((await verify()).firstBroken).toMatchObject({ seq: 11, position: null });
  });

  it('finds two events swapped in the log', async () => {
    const all = await events.readAll();
    const [a, b] = [Number(all[2].position), Number(all[8].position)];
    tamper((db) =>
      db.transaction(() => {
        db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(a);
        db.prepare('UPDATE events SET position = ? WHERE position = ?').run(a, b);
        db.prepare('UPDATE events SET position = ? WHERE position = -1').run(b);
      })(),
    );
    expect((await verify()).firstBroken).toMatchObject({ seq: 3, position: all[2].position });
  });

  it('finds the chain rewritten without the key: links and digests recomputed, the signature no longer holds', async () => {
    const all = await events.readAll();
    tamper((db) =>
      db.prepare("UPDATE events SET data = json_set(data, '$.n', 99) WHERE position = ?").run(Number(all[1].position)),
    );
    const edited = (await events.readAll())[1];
    // The attacker knows the algorithm: recomputes the digest and every link after it.
    const stored = await checkpoints();
    const rewritten = structuredClone(stored);
    rewritten[0].digests[1] = eventDigest(edited).toString('base64url');
    let previous = GENESIS_LINK;
    for (const checkpoint of rewritten) {
      checkpoint.previousLink = previous;
      checkpoint.link = foldLinks(previous, checkpoint.digests);
      previous = checkpoint.link;
    }
    tamper((db) => {
      const update = db.prepare('UPDATE rm_audit_checkpoints SET body = ? WHERE id = ?');
      for (const checkpoint of rewritten) update.run(JSON.stringify(checkpoint), checkpoint.id);
    });
    const report = await verify();
    expect(report.status).toBe('broken');
    expect(report.firstBroken).toMatchObject({ seq: 1, reason: 'checkpoint has an invalid signature' });
    expect(report.verified).toBeNull();
    // What the untrusted checkpoints cover is unverified, not waiting to be signed.
    expect(report.pending).toBe(0);
    // Signing with a key of their own does not help either: the checkpoint names another key.
    const forger = new AuditSigningKey(randomBytes(32));
    const forged = new AuditChainer(events, readStore, forger, clock, { checkpointEvery: 5, sealSeconds: 60 });
    tamper((db) => db.exec('DELETE FROM rm_audit_checkpoints; DELETE FROM rm_audit_chain'));
    await forged.sealNow();
    expect((await verify()).firstBroken?.reason).toMatch(/^checkpoint signed by another key/);
  });

  it('will not sign after a checkpoint it cannot trust, and resumes from the last checkpoint when its head is lost', async () => {
    // Head lost (deleted): it carries on from the last checkpoint, signing only new events.
    tamper((db) => db.exec('DELETE FROM rm_audit_chain'));
    await appendEvents(3);
    await chainer.sealNow();
    expect(await verify()).toMatchObject({ status: 'intact', events: 15, pending: 0 });

    // The last checkpoint edited: the chainer stops rather than sign on top of it.
    tamper((db) => {
      const row = db.prepare('SELECT id, body FROM rm_audit_checkpoints ORDER BY id DESC LIMIT 1').get() as {
        id: string;
        body: string;
      };
      const body = JSON.parse(row.body);
      body.digests[0] = body.digests[0].replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A'));
      db.prepare('UPDATE rm_audit_checkpoints SET body = ? WHERE id = ?').run(JSON.stringify(body), row.id);
    });
    await appendEvents(1);
    await expect(chainer.sealNow()).rejects.toThrow(
      /last audit checkpoint \(event 15\) does not match the link it signed/,
    );
  });

  describe('export for auditors (JSON Lines), checked offline with the public key', () => {
    async function exportLines(keep: (event: RecordedEvent) => boolean = () => true): Promise<string[]> {
      const lines: string[] = [];
      for await (const line of auditExportLines({
        events: wholeLog(events),
        checkpoints: await checkpoints(),
        publicKey: key.publicKey,
        keep,
        filters: {},
        exportedAt: clock.now().toISOString(),
      }))
        lines.push(line.trimEnd());
      return lines;
    }
    const edited = (lines: string[], index: number, change: (entry: any) => void) =>
      lines.map((line, i) => {
        if (i !== index) return line;
        const entry = JSON.parse(line);
        change(entry);
        return JSON.stringify(entry);
      });

    it('verifies the whole log and a filtered part of it', async () => {
      const all = await exportLines();
      expect(await verifyExport(all, key.publicKey)).toMatchObject({
        status: 'verified',
        events: 12,
        verified: 12,
        unsigned: 0,
      });
      const some = await exportLines((event) => (event.data.n as number) % 4 === 1);
      expect(some.filter((line) => line.includes('"kind":"event"'))).toHaveLength(3);
      expect(await verifyExport(some, key.publicKey)).toMatchObject({ status: 'verified', events: 3, verified: 3 });
    });

    it('counts events younger than the last checkpoint as unsigned, not as verified', async () => {
      await appendEvents(2);
      await chainer.catchUp();
      expect(await verifyExport(await exportLines(), key.publicKey)).toMatchObject({
        status: 'verified',
        events: 14,
        verified: 12,
        unsigned: 2,
      });
    });

    it('finds an edited event, a removed checkpoint, a file cut short and another key', async () => {
      const all = await exportLines();
      const fifthEvent = all.findIndex((line) => line.includes('"seq":5,'));
      expect(
        (
          await verifyExport(
            edited(all, fifthEvent, (e) => (e.event.data.n = 99)),
            key.publicKey,
          )
        ).firstProblem,
      ).toMatchObject({
        seq: 5,
        reason: 'the event does not match its signed digest',
      });
      const withoutFirstCheckpoint = all.filter((line, i) => !(i === 1 && line.includes('"kind":"checkpoint"')));
      expect((await verifyExport(withoutFirstCheckpoint, key.publicKey)).firstProblem?.reason).toBe(
        'the checkpoint that signed this event is missing',
      );
      expect((await verifyExport(all.slice(0, -1), key.publicKey)).firstProblem?.reason).toBe(
        'the export is cut short (no closing line)',
      );
      const stranger = new AuditSigningKey(randomBytes(32)).publicKey;
      expect((await verifyExport(all, stranger)).status).toBe('broken');
      // A checkpoint edited to fit an edited event no longer carries a valid signature.
      const checkpointLine = all.findIndex((line) => line.includes('"kind":"checkpoint"'));
      const both = edited(
        edited(all, fifthEvent, (e) => (e.event.data.n = 99)),
        checkpointLine,
        (c) => {
          const event = JSON.parse(edited(all, fifthEvent, (e) => (e.event.data.n = 99))[fifthEvent]).event;
          c.checkpoint.digests[4] = eventDigest(event).toString('base64url');
          c.checkpoint.link = foldLinks(c.checkpoint.previousLink, c.checkpoint.digests);
        },
      );
      expect((await verifyExport(both, key.publicKey)).firstProblem?.reason).toBe(
        'checkpoint has an invalid signature',
      );
    });
  });

  it('keeps its records apart from the read models (a rebuild does not touch them)', async () => {
    await readStore.reset(['sessions'], []);
    expect(await readStore.get(AUDIT_CHAIN, 'head')).not.toBeNull();
    expect((await checkpoints()).length).toBe(3);
  });
});

/** One file for the contract's stores: reopening must find what was appended. */
const contractFile = join(mkdtempSync(join(tmpdir(), 'audit-contract-')), 'events.sqlite');

describeAuditChainContract('SqliteEventStore', {
  open: async () => new SqliteEventStore(contractFile),
});
