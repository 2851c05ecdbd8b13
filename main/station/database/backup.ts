// Online backup with SQLite's backup API: the station keeps working while it copies. The copy is
// marked, so that if it is ever opened as a live station database it starts a new install epoch:
// events it writes then can never collide with those the original wrote after the backup.
import fs from 'node:fs';
import type { Database } from 'better-sqlite3';
import { openDatabaseFile } from './open.js';
import { StationFailure, toStationFailure } from '../errors.js';

export const BACKUP_MARKER = 'backup_of_epoch';

export async function backupTo(db: Database, destination: string): Promise<{ file: string; bytes: number }> {
  if (fs.existsSync(destination))
    throw new StationFailure('CONFLICT', `The backup file ${destination} already exists; choose a new name so no backup is overwritten.`);
  try {
    await db.backup(destination);
    const copy = openDatabaseFile(destination);
    try {
      const epoch = (db.prepare(`SELECT value FROM station_meta WHERE key = 'epoch'`).get() as { value: string } | undefined)?.value ?? 'none';
      copy.prepare(`INSERT OR REPLACE INTO station_meta(key, value) VALUES (?, ?)`).run(BACKUP_MARKER, epoch);
      copy.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      copy.close();
    }
    return { file: destination, bytes: fs.statSync(destination).size };
  } catch (e) {
    throw toStationFailure(e, `the backup file ${destination}`);
  }
}
