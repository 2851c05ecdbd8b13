// An issued document's PDF read back as its reader sees it (pdftotext, pdftoppm): the words of the
// buyer's language, the number, the structured communication, the amount due or credited, and the
// EPC QR code on an invoice with something to pay, none on a credit note.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { formatMoney } from '../../common/money.js';
import type { InvoiceDocument } from '../../common/accounts/invoices.js';
import { INVOICE_LABELS } from '../../server/accounts/render/invoice-labels.js';
import { tempDir } from './station-fixture.js';
import { blackBox, greyPage } from './pdf-raster.js';

/** pdftotext's reading of a PDF, no-break spaces as spaces and each run of blanks as one; whether its last page draws a QR code. */
export function pdfTextOf(pdf: Buffer): { text: string; qr: boolean } {
  const file = path.join(tempDir(), 'document.pdf');
  fs.writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ').replace(/[ \t]+/g, ' ');
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  return { text, qr: blackBox(greyPage(file, pages, 72)) !== undefined };
}

/** Where the PDFs read back are kept for a person to look at (test-output/pdf/issued-NUMBER.pdf). */
const OUT = path.resolve('test-output/pdf');

export function expectDocumentPdf(d: InvoiceDocument, pdf: Buffer | undefined): void {
  expect(pdf, `${d.number} has a PDF`).toBeDefined();
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, `issued-${d.number}.pdf`), pdf!);
  const { text, qr } = pdfTextOf(pdf!);
  const labels = INVOICE_LABELS[d.buyer.language];
  const money = (c: number) => formatMoney(c, d.buyer.language).replace(/[\u00a0\u202f]/g, ' ');
  const seen = { number: d.number, title: text.includes(`${d.kind === 'invoice' ? labels.invoice : labels.creditNote} ${d.number}`), communication: text.includes(d.structuredCommunication), qr };
  const amount = d.kind === 'invoice' ? `${labels.payable} ${money(d.totals.payableCents)}` : `${labels.credited} ${money(d.totals.grossCents)}`;
  expect(seen).toEqual({ number: d.number, title: true, communication: true, qr: d.kind === 'invoice' && d.totals.payableCents > 0 });
  expect(text).toContain(amount);
  expect(text).toContain(`${labels.totalNet} ${money(d.totals.netCents)}`);
  expect(text).toContain(`${labels.totalVat} ${money(d.totals.vatCents)}`);
  if (d.corrects) expect(text).toContain(d.corrects.number);
  expect(text).not.toMatch(/undefined|NaN|\[object/);
}
