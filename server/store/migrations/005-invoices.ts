// 005: the network's invoices and credit notes (issue 17). A document's number is gap-free per year
// and never reused, so it is taken from a per-year counter in the transaction that stores the
// document; an issued document never changes (the triggers refuse it), except that its files (the
// UBL bytes, the PDF), rendered after the numbering's commit, are written once where still empty.
// A credit note looks up the invoice it corrects by payer and month (invoice_document_payer).
// One run per month: a month's documents are issued once, at its close or later when the network's
// legal profile was missing then. Text for the model and the times: they are re-emitted as stored.
import type { HubMigration } from './index.js';

const sqlite = `
CREATE TABLE invoice_counter (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE invoice_run (period TEXT PRIMARY KEY, issued_at TEXT NOT NULL, documents INTEGER NOT NULL);
CREATE TABLE invoice_document (
  number TEXT PRIMARY KEY, period TEXT NOT NULL, kind TEXT NOT NULL, payer_id TEXT NOT NULL,
  issued_at TEXT NOT NULL, model TEXT NOT NULL, ubl BLOB, pdf BLOB
);
CREATE INDEX invoice_document_period ON invoice_document (period, number);
CREATE INDEX invoice_document_payer ON invoice_document (payer_id, period);
CREATE TRIGGER invoice_document_no_delete BEFORE DELETE ON invoice_document
BEGIN SELECT RAISE(ABORT, 'an issued document is never deleted'); END;
CREATE TRIGGER invoice_document_issued BEFORE UPDATE ON invoice_document
WHEN NEW.number IS NOT OLD.number OR NEW.period IS NOT OLD.period OR NEW.kind IS NOT OLD.kind OR NEW.payer_id IS NOT OLD.payer_id
  OR NEW.issued_at IS NOT OLD.issued_at OR NEW.model IS NOT OLD.model
  OR (OLD.ubl IS NOT NULL AND NEW.ubl IS NOT OLD.ubl) OR (OLD.pdf IS NOT NULL AND NEW.pdf IS NOT OLD.pdf)
BEGIN SELECT RAISE(ABORT, 'an issued document never changes'); END;
`;

const postgres = `
CREATE TABLE invoice_counter (year integer PRIMARY KEY, last integer NOT NULL);
CREATE TABLE invoice_run (period text COLLATE "C" PRIMARY KEY, issued_at text NOT NULL, documents integer NOT NULL);
CREATE TABLE invoice_document (
  number text COLLATE "C" PRIMARY KEY, period text COLLATE "C" NOT NULL, kind text NOT NULL, payer_id text NOT NULL,
  issued_at text NOT NULL, model text NOT NULL, ubl bytea, pdf bytea
);
CREATE INDEX invoice_document_period ON invoice_document (period, number);
CREATE INDEX invoice_document_payer ON invoice_document (payer_id, period);
CREATE FUNCTION invoice_document_issued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'an issued document is never deleted'; END IF;
  IF NEW.number IS DISTINCT FROM OLD.number OR NEW.period IS DISTINCT FROM OLD.period OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.payer_id IS DISTINCT FROM OLD.payer_id OR NEW.issued_at IS DISTINCT FROM OLD.issued_at OR NEW.model IS DISTINCT FROM OLD.model
     OR (OLD.ubl IS NOT NULL AND NEW.ubl IS DISTINCT FROM OLD.ubl) OR (OLD.pdf IS NOT NULL AND NEW.pdf IS DISTINCT FROM OLD.pdf) THEN
    RAISE EXCEPTION 'an issued document never changes';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER invoice_document_issued BEFORE UPDATE OR DELETE ON invoice_document FOR EACH ROW EXECUTE FUNCTION invoice_document_issued();
`;

export const migration005: HubMigration = { version: 5, name: 'invoices', sqlite, postgres };
