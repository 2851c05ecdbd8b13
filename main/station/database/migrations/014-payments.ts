// 014: payments at the desk (issue 16). A payment is a row of its own, never updated: cash
// (tendered, change given back) or card (approved on a terminal outside Escale, its reference).
// A refund is a compensating row naming the payment, with its reason; a payment's refunds never
// exceed it (checked by the station in the same transaction as the row and its event).
import type { Migration } from './index.js';

const appendOnly = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correction instead'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correction instead'); END;
`;

export const migration014: Migration = {
  version: 14,
  name: 'payments',
  up: (db) => {
    db.exec(`
CREATE TABLE payment (
  id TEXT PRIMARY KEY,
  visit_id TEXT NOT NULL REFERENCES visit(id),
  method TEXT NOT NULL CHECK (method IN ('cash','card')),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  tendered_cents INTEGER,
  change_cents INTEGER,
  card_reference TEXT,
  paid_at TEXT NOT NULL,
  shift_id TEXT,
  CHECK ((method = 'cash' AND change_cents >= 0 AND tendered_cents = amount_cents + change_cents AND card_reference IS NULL)
      OR (method = 'card' AND tendered_cents IS NULL AND change_cents IS NULL))
) STRICT;
CREATE INDEX payment_visit ON payment(visit_id);
CREATE TABLE payment_refund (
  id TEXT PRIMARY KEY,
  payment_id TEXT NOT NULL REFERENCES payment(id),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  reason TEXT NOT NULL,
  refunded_at TEXT NOT NULL,
  shift_id TEXT
) STRICT;
CREATE INDEX payment_refund_payment ON payment_refund(payment_id);
${['payment', 'payment_refund'].map(appendOnly).join('\n')}
`);
  },
};
