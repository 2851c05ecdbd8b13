// 012: a check-out can be undone the same day (issue 15). Nothing billable is updated in place, so
// an undo is a row of its own (visit_checkout_undo, append-only), naming the check-out it undoes;
// the visit is then open again and checked out anew later. visit_checkout therefore holds every
// check-out of a visit, keyed by (visit, time): a visit's check-out is its one row that no undo
// names. The rows are copied as they are; the append-only triggers come back with the table.
import type { Migration } from './index.js';

const appendOnly = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correction instead'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correction instead'); END;
`;

export const migration012: Migration = {
  version: 12,
  name: 'checkout undo',
  up: (db) => {
    db.exec(`
CREATE TABLE visit_checkout_012 (
  visit_id TEXT NOT NULL REFERENCES visit(id),
  checked_out_at TEXT NOT NULL,
  checked_out_by TEXT NOT NULL CHECK (checked_out_by IN ('badge','staff','auto')),
  shift_id TEXT,
  PRIMARY KEY (visit_id, checked_out_at)
) STRICT, WITHOUT ROWID;
INSERT INTO visit_checkout_012 (visit_id, checked_out_at, checked_out_by, shift_id) SELECT visit_id, checked_out_at, checked_out_by, shift_id FROM visit_checkout;
DROP TABLE visit_checkout;
ALTER TABLE visit_checkout_012 RENAME TO visit_checkout;
CREATE TABLE visit_checkout_undo (
  visit_id TEXT NOT NULL,
  checked_out_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  undone_at TEXT NOT NULL,
  shift_id TEXT,
  PRIMARY KEY (visit_id, checked_out_at),
  FOREIGN KEY (visit_id, checked_out_at) REFERENCES visit_checkout(visit_id, checked_out_at)
) STRICT, WITHOUT ROWID;
${['visit_checkout', 'visit_checkout_undo'].map(appendOnly).join('\n')}
`);
  },
};
