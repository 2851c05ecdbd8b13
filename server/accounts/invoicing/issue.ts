// Issuing a closed month's documents at the hub: drafts from its frozen statements, numbered by the
// store in the transaction that keeps them (the close's own, or a later one when the month closed
// before the network's legal profile was in the reference data); when first emitted, their files
// are rendered once and kept: the PDF, and the UBL for the Peppol channel. Re-emitted from the
// store, byte for byte.
import { invoiceDocumentSchema, type InvoiceDocument } from '../../../common/accounts/invoices.js';
import type { Statement } from '../../../common/accounts/reports.js';
import { networkProfileSchema, type NetworkProfile } from '../../../common/reference-data.js';
import { addDays, DEFAULT_TIME_ZONE, localDate } from '../../../common/time.js';
import type { DocumentIssue, HubStore, IssuedDocumentRecord } from '../../store/store.js';
import type { AccountsReference } from '../reference.js';
import { monthDocuments, numbered } from './documents.js';
import { writeUbl } from './ubl.js';

/** Days a payer has to pay an invoice. */
export const PAYMENT_DAYS = 30;

export class InvoicingError extends Error {
  constructor(
    readonly code: 'NETWORK_PROFILE_MISSING' | 'PERIOD_OPEN' | 'NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

export const NETWORK_PROFILE_MISSING =
  'the reference data has no "network" profile (the network\'s legal name, address, enterprise number, VAT number, IBAN, BIC and Peppol id): add it to the reference file and import it, then issue the invoices again';

/** The network's legal profile, or undefined when the reference data has none (or one that no longer parses). */
export async function networkProfile(store: HubStore): Promise<NetworkProfile | undefined> {
  const parsed = networkProfileSchema.safeParse(await store.getNetworkProfile());
  return parsed.success ? parsed.data : undefined;
}

/** What to give the store to issue a month's documents, sold by `network` (the profile the caller read). */
export async function prepareIssue(
  store: HubStore,
  ref: AccountsReference,
  period: string,
  statements: readonly Statement[],
  issuedAt: string,
  network: NetworkProfile,
): Promise<DocumentIssue> {
  const issueDate = localDate(issuedAt, DEFAULT_TIME_ZONE);
  const year = Number(issueDate.slice(0, 4));
  // What a credit note corrects: the invoice issued to that payer for that month.
  const earlier = new Map<string, { number: string; issueDate: string }>();
  const needs = new Set(statements.filter((s) => s.lines.some((l) => l.kind === 'adjustment')).map((s) => s.payerId));
  for (const payerId of needs)
    for (const r of await store.listDocuments({ payerId, before: period }))
      if (r.kind === 'invoice') earlier.set(`${payerId} ${r.period}`, { number: r.number, issueDate: (JSON.parse(r.model) as InvoiceDocument).issueDate });
  return {
    period,
    year,
    issuedAt,
    // In the store's transaction: the desk payments no document declared yet are the balance of the
    // run issued last, whichever month it was.
    build: (firstSeq, carried) => {
      const { drafts, carriedPrepaid } = monthDocuments(statements, {
        issueDate,
        dueDate: addDays(issueDate, PAYMENT_DAYS),
        network,
        payers: ref.payers,
        invoiceOf: (payerId, p) => earlier.get(`${payerId} ${p}`),
        carriedPrepaid: new Map(Object.entries(carried)),
      });
      return {
        documents: drafts.map((d, i) => {
          const doc = numbered(d, year, firstSeq + i);
          return { number: doc.number, period, kind: doc.kind, payerId: doc.buyer.payerId, issuedAt, model: JSON.stringify(doc) };
        }),
        carriedPrepaid: Object.fromEntries([...carriedPrepaid].sort(([a], [b]) => (a < b ? -1 : 1))),
      };
    },
  };
}

/** A document's PDF. */
export type DocumentPdf = (doc: InvoiceDocument) => Promise<Buffer>;

/** The invoice or credit note itself as PDF (render/invoice-pdf.ts: number, structured communication, the transfer QR). */
export const invoiceAsPdf: DocumentPdf = async (doc) => (await import('../render/invoice-pdf.js')).invoicePdf(doc);

/**
 * Renders and keeps the files a document lacks: its PDF, and its UBL (with the PDF attached) on the
 * Peppol channel. Done when a document is first emitted, not in the close: a PDF takes about a
 * tenth of a second, and a network's month is thousands of them. Written once, then re-emitted as
 * stored, byte for byte.
 */
export async function completeFiles(store: HubStore, records: readonly IssuedDocumentRecord[], pdfOf: DocumentPdf = invoiceAsPdf): Promise<number> {
  let rendered = 0;
  for (const r of records) {
    const doc = invoiceDocumentSchema.parse(JSON.parse(r.model));
    if (r.pdf && (r.ubl || doc.channel !== 'peppol')) continue;
    const pdf = r.pdf ?? (await pdfOf(doc));
    await store.attachDocumentFiles(r.number, { pdf, ...(doc.channel === 'peppol' && !r.ubl ? { ubl: Buffer.from(writeUbl(doc, pdf), 'utf8') } : {}) });
    rendered++;
  }
  return rendered;
}

export interface IssuedInvoice {
  document: InvoiceDocument;
  ubl?: Buffer;
  pdf?: Buffer;
}

export const issuedInvoice = (r: IssuedDocumentRecord): IssuedInvoice => ({
  document: invoiceDocumentSchema.parse(JSON.parse(r.model)),
  ...(r.ubl ? { ubl: r.ubl } : {}),
  ...(r.pdf ? { pdf: r.pdf } : {}),
});
