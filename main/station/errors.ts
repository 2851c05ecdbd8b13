// A failure the station reports to its caller: a stable code, a sentence a clerk understands,
// and the detail an engineer needs. Anything else thrown inside is turned into one here.
import type { ErrorCode, StationError } from '../../common/result.js';
import type { ErrorKey, Say } from '../../common/messages/errors/index.js';

export class StationFailure extends Error {
  /** The sentence for screens, in any language (see `saying`). */
  say?: Say;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: string,
    /** The input field at fault, when there is one (the message then starts with it too). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'StationFailure';
  }
  /** Words this failure for screens: a key of common/messages/errors and its values. */
  saying(key: ErrorKey, values?: Say['values']): this {
    this.say = values === undefined ? { key } : { key, values };
    return this;
  }
  toError(): StationError {
    return {
      code: this.code,
      message: this.message,
      ...(this.say === undefined ? {} : { say: this.say }),
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.field !== undefined && this.say !== undefined ? { fields: [{ field: this.field, say: this.say }] } : {}),
    };
  }
}

interface SqliteLike {
  code?: unknown;
  message?: unknown;
}

/** Maps what SQLite or the file system threw to a failure a clerk can act on. */
export function toStationFailure(e: unknown, where = 'the station database'): StationFailure {
  if (e instanceof StationFailure) return e;
  const err = (e ?? {}) as SqliteLike;
  const code = typeof err.code === 'string' ? err.code : '';
  const detail = `${code ? code + ': ' : ''}${typeof err.message === 'string' ? err.message : String(e)}`;
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC')
    return new StationFailure('STORAGE_FULL', `The disk holding ${where} is full: nothing was recorded. Free some space, then try again.`, detail).saying('storageFull');
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
    return new StationFailure('STORAGE_READ_ONLY', `${where} cannot be written: nothing was recorded. Check the folder's permissions and disk.`, detail).saying('storageReadOnly');
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'))
    return new StationFailure('DATABASE_CORRUPT', `${where} is damaged. Stop the station and restore the latest backup.`, detail).saying('databaseCorrupt');
  if (code.startsWith('SQLITE_CANTOPEN'))
    return new StationFailure('DATA_DIR_UNWRITABLE', `${where} cannot be opened. Check that the data folder exists and is writable.`, detail).saying('dataFolderUnopenable');
  return new StationFailure('INTERNAL', 'Something went wrong inside the station; nothing was recorded. Try again, and report it if it repeats.', detail);
}
