// 015: the till and invoicing a company (issue 16). A till is opened by a clerk with a float and
// closed with a count: two append-only tables, the open till being the one no till_close names
// (at most one per station, kept by openTill in its IMMEDIATE transaction). A cash payment or
// refund names the till it went into or came out of. A payment may now be invoiced to a company
// (name and VAT number, no money at the desk): SQLite cannot change a CHECK constraint in place,
// so payment is rebuilt — and payment_refund with it, as it references payment and a table that is
// referenced cannot be dropped. The rows are copied as they are; the append-only triggers come
// back with the tables.
import type { Migration } from './index.js';

const appendOnly = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correction instead'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correction instead'); END;
`;

export const migration015: Migration = {
  version: 15,
  name: 'till',
  up: (db) => {
    db.exec(`
CREATE TABLE till (
  id TEXT PRIMARY KEY,
  staff_id TEXT NOT NULL,
  shift_id TEXT NOT NULL,
  float_cents INTEGER NOT NULL CHECK (float_cents >= 0),
  opened_at TEXT NOT NULL
) STRICT;
CREATE TABLE till_close (
  till_id TEXT PRIMARY KEY REFERENCES till(id),
  counted_cents INTEGER NOT NULL CHECK (counted_cents >= 0),
  expected_cents INTEGER NOT NULL,
  difference_cents INTEGER NOT NULL,
  reason TEXT,
  closed_by TEXT NOT NULL,
  shift_id TEXT,
  closed_at TEXT NOT NULL,
  CHECK (difference_cents = counted_cents - expected_cents),
  CHECK (difference_cents = 0 OR reason IS NOT NULL)
) STRICT, WITHOUT ROWID;

CREATE TABLE payment_015 (
  id TEXT PRIMARY KEY,
  visit_id TEXT NOT NULL REFERENCES visit(id),
  method TEXT NOT NULL CHECK (method IN ('cash','card','invoice')),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  tendered_cents INTEGER,
  change_cents INTEGER,
  card_reference TEXT,
  company_name TEXT,
  company_vat TEXT,
  -- The till open when it was taken: cash went into it; a card or invoice is only counted on its report.
  till_id TEXT REFERENCES till(id),
  paid_at TEXT NOT NULL,
  shift_id TEXT,
  CHECK ((method = 'cash' AND change_cents >= 0 AND tendered_cents = amount_cents + change_cents AND card_reference IS NULL AND company_name IS NULL)
      OR (method = 'card' AND tendered_cents IS NULL AND change_cents IS NULL AND company_name IS NULL)
      OR (method = 'invoice' AND tendered_cents IS NULL AND change_cents IS NULL AND card_reference IS NULL AND company_name IS NOT NULL AND company_vat IS NOT NULL))
) STRICT;
INSERT INTO payment_015 (id, visit_id, method, amount_cents, tendered_cents, change_cents, card_reference, paid_at, shift_id)
  SELECT id, visit_id, method, amount_cents, tendered_cents, change_cents, card_reference, paid_at, shift_id FROM payment;
CREATE TABLE payment_refund_015 (
  id TEXT PRIMARY KEY,
  payment_id TEXT NOT NULL REFERENCES payment_015(id),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  reason TEXT NOT NULL,
  refunded_at TEXT NOT NULL,
  shift_id TEXT,
  till_id TEXT REFERENCES till(id)
) STRICT;
INSERT INTO payment_refund_015 (id, payment_id, amount_cents, reason, refunded_at, shift_id)
  SELECT id, payment_id, amount_cents, reason, refunded_at, shift_id FROM payment_refund;
DROP TABLE payment_refund;
DROP TABLE payment;
ALTER TABLE payment_015 RENAME TO payment;
ALTER TABLE payment_refund_015 RENAME TO payment_refund;
CREATE INDEX payment_visit ON payment(visit_id);
CREATE INDEX payment_till ON payment(till_id) WHERE till_id IS NOT NULL;
CREATE INDEX payment_refund_payment ON payment_refund(payment_id);
CREATE INDEX payment_refund_till ON payment_refund(till_id) WHERE till_id IS NOT NULL;
${['till', 'till_close', 'payment', 'payment_refund'].map(appendOnly).join('\n')}
`);
  },
};
