// 013: receipts that prove payment (issue 16). The site profile gains the centre's legal name,
// address and VAT number, printed on every receipt. Each receipt printed as an original takes the
// next number of its stream (site + install epoch): receipt_number is append-only and its numbers
// run 1, 2, 3… per stream, so a missing number would show; a new install epoch starts a new stream
// rather than risking a number already printed by the database it replaced.
import type { Migration } from './index.js';

const appendOnly = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correction instead'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correction instead'); END;
`;

export const migration013: Migration = {
  version: 13,
  name: 'receipts',
  up: (db) => {
    db.exec(`
ALTER TABLE site ADD COLUMN legal_name TEXT;
ALTER TABLE site ADD COLUMN address TEXT;
ALTER TABLE site ADD COLUMN vat_number TEXT;
CREATE TABLE receipt_number (
  site_id TEXT NOT NULL,
  epoch TEXT NOT NULL,
  number INTEGER NOT NULL CHECK (number >= 1),
  visit_id TEXT,
  issued_at TEXT NOT NULL,
  -- What the receipt says (lines, totals, check-out): the same receipt asked for again is a duplicate.
  content TEXT NOT NULL,
  PRIMARY KEY (site_id, epoch, number)
) STRICT, WITHOUT ROWID;
CREATE INDEX receipt_number_visit ON receipt_number(visit_id);
${appendOnly('receipt_number')}
`);
  },
};
