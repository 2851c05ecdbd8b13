// Opens (or creates) the station database in a data folder: WAL, synchronous=FULL (a commit is
// on disk before a tap is answered), secure_delete, foreign keys, migrations, and an integrity
// check. The folder is the station's alone (0700), the database and its -wal/-shm files too (0600):
// they hold members' and guests' personal data.
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
  /** Told of each existing folder or file whose looser mode was tightened (for the station's log). */
  tightened?: (what: string) => void;
}

/** The data folder: the station's user only. */
export const FOLDER_MODE = 0o700;
/** The database, its -wal and -shm files and its backups: the station's user only. */
export const FILE_MODE = 0o600;

/**
 * Tightens an existing folder or file to `mode` when group or others may reach it; says so through
 * `tightened`. One the station may not change (another owner) is said too, and left as it is: the
 * station still runs, and the operator reads why.
 */
export function restrictMode(target: string, mode: number, tightened?: (what: string) => void): void {
  let current: number;
  try {
    current = fs.statSync(target).mode & 0o777;
  } catch {
    return; // not there (yet): made with the right mode when it is
  }
  if ((current & 0o077) === 0) return;
  try {
    fs.chmodSync(target, mode);
    tightened?.(`${target}: mode ${current.toString(8)} tightened to ${mode.toString(8)}`);
  } catch (e) {
    tightened?.(`${target}: mode ${current.toString(8)} could not be tightened to ${mode.toString(8)} (${(e as { code?: string }).code ?? (e as Error).message})`);
  }
}

/**
 * Creates an empty database file readable by its owner only, unless it exists. SQLite creates its
 * -wal and -shm files with the mode of the database file, so they are 0600 too. A file that cannot
 * be made here is left to SQLite to report (a missing or read-only folder), in its own words.
 */
export function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', FILE_MODE));
  } catch {
    // EEXIST: an existing database, tightened by restrictMode; anything else: SQLite says it.
  }
}

/**
 * mkdir -p, one level at a time. Not fs.mkdirSync(dir, { recursive: true }): where mkdir answers
 * ENOENT under a parent that exists (under /proc, below a dangling symlink) Node's recursive mode
 * retries the parent and the child forever, freezing the station at 100 % CPU.
 */
function makeFolder(dir: string, mode?: number): void {
  const absolute = path.resolve(dir);
  if (fs.existsSync(absolute)) return;
  const parent = path.dirname(absolute);
  if (parent !== absolute) makeFolder(parent);
  try {
    fs.mkdirSync(absolute, mode === undefined ? undefined : { mode });
  } catch (e) {
    if ((e as { code?: string }).code !== 'EEXIST') throw e;
  }
}

/** Makes the data folder (0700; the parents it makes get the default mode) and checks it can be written. */
export function ensureWritableFolder(dir: string, tightened?: (what: string) => void): void {
  try {
    makeFolder(dir, FOLDER_MODE);
    restrictMode(dir, FOLDER_MODE, tightened);
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
  // Deleted and overwritten content is zeroed in the database pages, not just unlinked: a purged
  // guest's or an erased member's names must not stay readable in the file. On the tap path only a
  // check-out deletes (its open_visit row), on a page the commit writes anyway.
  db.pragma('secure_delete = ON');
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
    if (!options.readonly) {
      createPrivateFile(file);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) restrictMode(f, FILE_MODE, options.tightened);
    }
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
  if (!options.readonly) ensureWritableFolder(dataDir, options.tightened);
  return openDatabaseFile(path.join(dataDir, DATABASE_FILE), options);
}
