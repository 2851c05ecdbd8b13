// Opens (or creates) the station database in a data folder: WAL, synchronous=FULL (a commit is
// on disk before a tap is answered), foreign keys, migrations, and an integrity check.
import fs from 'node:fs';
import path from 'node:path';
import Database, { type Database as Db } from 'better-sqlite3';
import { StationFailure, toStationFailure } from '../errors.js';
import { migrate } from './migrate.js';

export const DATABASE_FILE = 'station.sqlite';

export interface OpenDatabaseOptions {
  /** Cap on the database size in pages: how tests and small disks simulate a full disk. */
  maxPageCount?: number;
  readonly?: boolean;
}

export function ensureWritableFolder(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const probe = path.join(dir, `.write-probe-${process.pid}`);
    fs.writeFileSync(probe, 'ok');
    fs.unlinkSync(probe);
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    throw new StationFailure(
      code === 'ENOSPC' ? 'STORAGE_FULL' : 'DATA_DIR_UNWRITABLE',
      code === 'ENOSPC'
        ? `The disk holding the data folder ${dir} is full. Free some space, then start the station again.`
        : `The data folder ${dir} cannot be written (${code || 'error'}). Choose a folder the station may write, with --data.`,
      String((e as Error).message ?? e),
    );
  }
}

export function applyPragmas(db: Db, options: OpenDatabaseOptions = {}): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
}

/** Opens the station database file, migrating it; refuses a database newer than this app. */
export function openDatabaseFile(file: string, options: OpenDatabaseOptions = {}): Db {
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    if (!options.readonly) {
      applyPragmas(db, options);
      migrate(db);
    }
    return db;
  } catch (e) {
    db?.close();
    throw toStationFailure(e, `the station database ${file}`);
  }
}

export function openStationDatabase(dataDir: string, options: OpenDatabaseOptions = {}): Db {
  if (!options.readonly) ensureWritableFolder(dataDir);
  return openDatabaseFile(path.join(dataDir, DATABASE_FILE), options);
}
