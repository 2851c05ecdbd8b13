// 007: what each payer paid at the desks that the documents issued so far could not declare (a
// payment for last month's visit, a refund nothing credited: invoicing/documents.ts), as a running
// balance kept with each month's run, and the order the runs were issued in: the next run reads
// the balance of the one issued last, whatever its month (a month may be issued after a later one:
// one closed before the first month ever closed, or one issued once the network's legal profile
// came). JSON text, payer id → cents, written in the run's own transaction, never changed. Runs
// issued before 007 carried nothing ('{}') and are ordered by when they were issued.
import type { HubMigration } from './index.js';

export const migration007: HubMigration = {
  version: 7,
  name: 'carried prepayments',
  sqlite: `
ALTER TABLE invoice_run ADD COLUMN carried_prepaid TEXT NOT NULL DEFAULT '{}';
ALTER TABLE invoice_run ADD COLUMN issued_order INTEGER;
UPDATE invoice_run SET issued_order = (
  SELECT COUNT(*) FROM invoice_run AS r WHERE r.issued_at < invoice_run.issued_at OR (r.issued_at = invoice_run.issued_at AND r.period <= invoice_run.period)
);
CREATE UNIQUE INDEX invoice_run_order ON invoice_run (issued_order);
`,
  postgres: `
ALTER TABLE invoice_run ADD COLUMN carried_prepaid text NOT NULL DEFAULT '{}';
ALTER TABLE invoice_run ADD COLUMN issued_order integer;
UPDATE invoice_run SET issued_order = ordered.n FROM (
  SELECT period, row_number() OVER (ORDER BY issued_at, period) AS n FROM invoice_run
) AS ordered WHERE ordered.period = invoice_run.period;
CREATE UNIQUE INDEX invoice_run_order ON invoice_run (issued_order);
`,
};
