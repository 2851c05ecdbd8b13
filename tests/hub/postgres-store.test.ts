// The hub store contract (store-contract.ts) on a real PostgreSQL server (tests/support/postgres.ts:
// ESCALE_TEST_PG_URL, or a throwaway cluster started for this file): a fresh database per test; a
// second "process" is a second store (its own connection pool) on the same database.
import { afterAll, beforeAll } from 'vitest';
import pgDriver from 'pg';
import { PostgresHubStore } from '../../server/store/postgres-store.js';
import type { HubStore } from '../../server/store/store.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { hubStoreContract, type StoreFactory } from './store-contract.js';
import { invoiceStoreContract } from './invoice-store-contract.js';

let server: TestPostgres | undefined;
const urls = new WeakMap<HubStore, string>();

beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const factory = (): StoreFactory => {
  if (!server) throw new Error('PostgreSQL for the tests did not start: see the error of beforeAll');
  const pg = server;
  return {
    open: async () => {
      const url = await pg.newDatabase();
      const store = await PostgresHubStore.connect(url);
      urls.set(store, url);
      return store;
    },
    openAnother: async (store) => {
      const url = urls.get(store)!;
      const other = await PostgresHubStore.connect(url);
      urls.set(other, url);
      return other;
    },
    exec: async (store, sql) => {
      const client = new pgDriver.Client({ connectionString: urls.get(store)! });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    },
  };
};

hubStoreContract('PostgreSQL', factory);
invoiceStoreContract('PostgreSQL', factory);
