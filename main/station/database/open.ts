// Opens (or creates) the station database in a data folder: WAL, synchronous=FULL (a commit is
// on disk before a tap is answered), foreign keys, migrations, and an integrity check.
import fs from 'node:fs';
import path from 'node:path';
import Database, { type Database as Db } from 'better-sqlite3';
import { StationFailure, toStationFailure } from '../errors.js';
import { migrate, refuseNewerDatabase } from './migrate.js';

export const DATABASE_FILE = 'station.sqlite';

export interface OpenDatabaseOptions {
  /** Cap on the database size in pages: how tests and small disks simulate a full disk. */
  maxPageCount?: number;
  readonly?: boolean;
}

/**
 * mkdir -p, one level at a time. Not fs.mkdirSync(dir, { recursive: true }): where mkdir answers
 * ENOENT under a parent that exists (under /proc, below a dangling symlink) Node's recursive mode
 * retries the parent and the child forever, freezing the station at 100 % CPU.
 */
function makeFolder(dir: string): void {
  const absolute = path.resolve(dir);
  if (fs.existsSync(absolute)) return;
  const parent = path.dirname(absolute);
  if (parent !== absolute) makeFolder(parent);
  try {
    fs.mkdirSync(absolute);
  } catch (e) {
    if ((e as { code?: string }).code !== 'EEXIST') throw e;
  }
}

export function ensureWritableFolder(dir: string): void {
  try {
    makeFolder(dir);
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
  // Checkpoint the WAL into the database every 4000 pages (~16 MB) instead of SQLite's 1000. The
  // commit that crosses the mark runs the checkpoint before it returns: at 1000 pages that was one
  // tap in 66, each held up ~5 ms; at 4000, one in ~260 (~14 ms), with less checkpoint I/O in all,
  // as the pages many taps touch are copied once. Durability is the WAL's, synced at each commit.
  db.pragma('wal_autocheckpoint = 4000');
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
      // Checked first: journal_mode = WAL rewrites the header of a database in another mode.
      refuseNewerDatabase(db);
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
