// 002: rejected uploads keep their raw text for an operator, and so may hold a person's data: a purge
// or an erasure looks through them for the person's copies (raw-copies.ts) without scanning the
// ledger. Partial: accepted events never touch the index. (Commit 6a8532a, "erased means erased".)
import type { HubMigration } from './index.js';

const statements = `CREATE INDEX event_rejected ON event (received_at) WHERE status = 'rejected';`;

export const migration002: HubMigration = {
  version: 2,
  name: 'rejected copies',
  sqlite: statements,
  postgres: statements,
};
