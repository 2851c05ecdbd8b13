// A month's documents as files for an accountant, an archive or an access point: one UBL per
// document on the Peppol channel, one PDF per document, and a manifest naming each with its
// SHA-256. Nothing in it depends on when it is written: written again, the folder is the same.
import { createHash } from 'node:crypto';
import type { IssuedInvoice } from './issue.js';

export const MANIFEST_FORMAT = 'escale.invoices/1';

export interface ManifestFile {
  name: string;
  /** application/xml (UBL) or application/pdf. */
  type: 'ubl' | 'pdf';
  bytes: number;
  sha256: string;
}

export interface InvoiceManifest {
  format: typeof MANIFEST_FORMAT;
  period: string;
  documents: {
    number: string;
    kind: 'invoice' | 'credit_note';
    issueDate: string;
    payerId: string;
    payerName: string;
    channel: 'peppol' | 'pdf';
    /** The receiver on the Peppol network (scheme:id), for the access point. */
    peppolId?: string;
    structuredCommunication: string;
    corrects?: string;
    totals: { netCents: number; vatCents: number; grossCents: number; payableCents: number };
    files: ManifestFile[];
  }[];
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The files to write (name → bytes) and the manifest naming them. */
export function invoiceFiles(period: string, docs: readonly IssuedInvoice[]): { files: Map<string, Buffer>; manifest: InvoiceManifest } {
  const files = new Map<string, Buffer>();
  const manifest: InvoiceManifest = { format: MANIFEST_FORMAT, period, documents: [] };
  for (const { document: d, ubl, pdf } of docs) {
    const listed: ManifestFile[] = [];
    const add = (name: string, type: ManifestFile['type'], bytes: Buffer) => {
      files.set(name, bytes);
      listed.push({ name, type, bytes: bytes.length, sha256: sha256(bytes) });
    };
    if (ubl) add(`${d.number}.xml`, 'ubl', ubl);
    if (pdf) add(`${d.number}.pdf`, 'pdf', pdf);
    manifest.documents.push({
      number: d.number,
      kind: d.kind,
      issueDate: d.issueDate,
      payerId: d.buyer.payerId,
      payerName: d.buyer.name,
      channel: d.channel,
      ...(d.channel === 'peppol' && d.buyer.peppolId ? { peppolId: d.buyer.peppolId } : {}),
      structuredCommunication: d.structuredCommunication,
      ...(d.corrects ? { corrects: d.corrects.number } : {}),
      totals: d.totals,
      files: listed,
    });
  }
  return { files, manifest };
}
