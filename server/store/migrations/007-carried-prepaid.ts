// 007: what each payer paid at the desks that a month's documents could not declare (a payment for
// last month's visit, a refund nothing credited: invoicing/documents.ts), kept with the month's run
// so the next month's documents declare it. JSON text, payer id → cents; written in the run's own
// transaction, never changed. A run issued before 007 carried nothing: '{}'.
import type { HubMigration } from './index.js';

export const migration007: HubMigration = {
  version: 7,
  name: 'carried prepayments',
  sqlite: `ALTER TABLE invoice_run ADD COLUMN carried_prepaid TEXT NOT NULL DEFAULT '{}';`,
  postgres: `ALTER TABLE invoice_run ADD COLUMN carried_prepaid text NOT NULL DEFAULT '{}';`,
};
