// What both stores check of a month's documents before they store them: numbered from the year's
// next free number on, one after another, so a builder that skipped or repeated one fails the
// transaction instead of leaving a gap or a reused number behind.
import type { DocumentIssue, IssuedDocumentRecord, IssuedDocuments } from './store.js';

export const documentNumber = (year: number, seq: number): string => `${year}-${String(seq).padStart(6, '0')}`;

export function numberedDocuments(issue: DocumentIssue, firstSeq: number, carriedPrepaid: Readonly<Record<string, number>>): IssuedDocuments {
  const built = issue.build(firstSeq, carriedPrepaid);
  const docs = built.documents;
  docs.forEach((d, i) => {
    const expected = documentNumber(issue.year, firstSeq + i);
    if (d.number !== expected) throw new RangeError(`document ${i + 1} of ${issue.period} is numbered ${d.number}, expected ${expected}: numbers are gap-free`);
    if (d.period !== issue.period) throw new RangeError(`document ${d.number} is of ${d.period}, not ${issue.period}`);
  });
  for (const [payerId, cents] of Object.entries(built.carriedPrepaid))
    if (!Number.isSafeInteger(cents) || cents === 0) throw new RangeError(`payer ${payerId} carries ${cents} cents: a carried amount is a non-zero whole number of cents`);
  return built;
}

/** A run's stored balance of desk payments no document declared (JSON text, payer id → cents). */
export const parseCarriedPrepaid = (text: string | null | undefined): Record<string, number> => (text ? (JSON.parse(text) as Record<string, number>) : {});

export interface DocumentRow {
  number: string;
  period: string;
  kind: string;
  payer_id: string;
  issued_at: string;
  model: string;
  ubl?: Buffer | Uint8Array | null;
  pdf?: Buffer | Uint8Array | null;
}

export function documentRecord(r: DocumentRow): IssuedDocumentRecord {
  return {
    number: r.number,
    period: r.period,
    kind: r.kind as IssuedDocumentRecord['kind'],
    payerId: r.payer_id,
    issuedAt: r.issued_at,
    model: r.model,
    ...(r.ubl ? { ubl: Buffer.from(r.ubl) } : {}),
    ...(r.pdf ? { pdf: Buffer.from(r.pdf) } : {}),
  };
}
