import Database from 'better-sqlite3';
import { join } from 'node:path';
import { EMBEDDED_DATABASE_FILE } from '@app/read-models/storage/storage.module';

/**
 * What an attacker with write access to the embedded database file can do, with plain SQL and no
 * service code: change the IP address recorded with one event (by its log position).
 */
export function editEventIp(dataDir: string, position: string, ip = '198.51.100.66'): void {
  const db = new Database(join(dataDir, EMBEDDED_DATABASE_FILE));
  try {
    db.prepare("UPDATE events SET metadata = json_set(metadata, '$.ip', ?) WHERE position = ?").run(
      ip,
      Number(position),
    );
  } finally {
    db.close();
  }
}
