// Opens the hub's store from --db: a SQLite file path, or a postgres:// URL; with its erasure log
// (beside a SQLite file by default; a PostgreSQL store has it only where it is given).
import type { HubStore } from './store.js';
import { SqliteHubStore } from './sqlite-store.js';

export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//.test(db);

export interface OpenStoreOptions {
  /** The erasure log file (server/store/erasure-log.ts); default: `FILE.erasures.jsonl` beside a SQLite file. */
  erasureLog?: string;
  /** Where the store reports what it does on its own (a WAL held by a reader, a file mode tightened). */
  log?: (line: string) => void;
}

export async function openStore(db: string, options: OpenStoreOptions = {}): Promise<HubStore> {
  if (isPostgresUrl(db)) {
    const { PostgresHubStore } = await import('./postgres-store.js');
    return PostgresHubStore.connect(db, options.erasureLog === undefined ? {} : { erasureLog: options.erasureLog });
  }
  return new SqliteHubStore(db, { ...(options.erasureLog === undefined ? {} : { erasureLog: options.erasureLog }), ...(options.log ? { log: options.log } : {}) });
}
