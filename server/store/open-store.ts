// Opens the hub's store from --db: a SQLite file path, or a postgres:// URL.
import type { HubStore } from './store.js';
import { SqliteHubStore } from './sqlite-store.js';

export async function openStore(db: string): Promise<HubStore> {
  if (/^postgres(ql)?:\/\//.test(db)) {
    const { PostgresHubStore } = await import('./postgres-store.js');
    return PostgresHubStore.connect(db);
  }
  return new SqliteHubStore(db);
}
