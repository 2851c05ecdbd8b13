// The hub store contract (store-contract.ts) on embedded SQLite: a fresh file per test; a second
// "process" is a second connection to the same file; SQL from outside, a third one.
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteHubStore } from '../../server/store/sqlite-store.js';
import type { HubStore } from '../../server/store/store.js';
import { tempDir } from '../support/station-fixture.js';
import { hubStoreContract, type StoreFactory } from './store-contract.js';
import { invoiceStoreContract } from './invoice-store-contract.js';

const files = new WeakMap<HubStore, string>();

const factory = (): StoreFactory => ({
  open: async () => {
    const file = path.join(tempDir('escale-hub-store-'), 'hub.sqlite');
    const store = new SqliteHubStore(file);
    files.set(store, file);
    return store;
  },
  openAnother: async (store) => {
    const file = files.get(store)!;
    const other = new SqliteHubStore(file);
    files.set(other, file);
    return other;
  },
  exec: async (store, sql) => {
    const db = new Database(files.get(store)!);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  },
});

hubStoreContract('SQLite', factory);
invoiceStoreContract('SQLite', factory);
