// The hub's schema as numbered migrations, each with its SQLite and its PostgreSQL statements; run.ts
// applies the pending ones when a store opens. To add one: write NNN-name.ts exporting a HubMigration
// with the next version, append it here, and add what it leaves behind to tests/hub/migrations.test.ts.
import type { Database } from 'better-sqlite3';
import { migration001 } from './001-initial.js';
import { migration002 } from './002-rejected-copies.js';
import { migration003 } from './003-entity-owner.js';
import { migration004 } from './004-badge-uid-case.js';
import { migration005 } from './005-invoices.js';
import { migration006 } from './006-payment-owners.js';
import { migration007 } from './007-carried-prepaid.js';

/** A query inside the migrating transaction on PostgreSQL: its rows. Without values, text may hold several statements. */
export type PgQuery = (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface HubMigration {
  version: number;
  name: string;
  /** SQLite statements (one `exec`). */
  sqlite: string;
  /** PostgreSQL statements (one simple query). */
  postgres: string;
  /**
   * What the statements alone do not say (a backfill, a column added only where it is missing), for
   * each engine: run after the statements, in the same transaction.
   */
  data?: { sqlite?: (db: Database) => void; postgres?: (q: PgQuery) => Promise<void> };
}

export const MIGRATIONS: readonly HubMigration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007];
