// Online backup with SQLite's backup API: the station keeps working while it copies. The copy is
// marked, so that if it is ever opened as a live station database it starts a new install epoch:
// events it writes then can never collide with those the original wrote after the backup. A backup
// holds personal data like the database: it is made readable by its owner only (0600), and the
// pages it copies were zeroed by secure_delete where data was erased before it was taken.
import fs from 'node:fs';
import type { Database } from 'better-sqlite3';
import { FILE_MODE, openDatabaseFile } from './open.js';
import { StationFailure, toStationFailure } from '../errors.js';

export const BACKUP_MARKER = 'backup_of_epoch';

export async function backupTo(db: Database, destination: string): Promise<{ file: string; bytes: number }> {
  // Made here, empty and 0600, before SQLite writes into it: never a moment readable by others,
  // and an existing file is never overwritten (the exclusive create refuses it).
  try {
    fs.closeSync(fs.openSync(destination, 'wx', FILE_MODE));
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST')
      throw new StationFailure('CONFLICT', `The backup file ${destination} already exists; choose a new name so no backup is overwritten.`);
    throw toStationFailure(e, `the backup file ${destination}`);
  }
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
