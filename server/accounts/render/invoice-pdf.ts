// An invoice or a credit note as a PDF (issue 17), in the buyer's language: the document a person
// paying for themself receives, and the one a company's UBL carries as its attachment. An invoice
// ends with what to pay, where and under which structured communication, and an EPC QR code a
// banking app scans; a credit note names the invoice it corrects and has nothing to pay. The PDF's
// dates are the issue date, so a document re-emitted from the same InvoiceDocument is the same bytes.
import { formatMoney, formatRateBp } from '../../../common/money.js';
import { invoiceDocumentSchema, type InvoiceDocument, type InvoiceLine, type VatBreakdown } from '../../../common/accounts/invoices.js';
import type { BillingAddress } from '../../../common/signup.js';
import { hoursAndMinutes } from '../../../common/documents/duration.js';
import type { Language } from '../../../common/reference-data.js';
import { INVOICE_LABELS, type InvoiceLabels } from './invoice-labels.js';
import { drawEpcQr, epcPayload } from './epc-qr.js';
import { formatDay, formatPeriod } from './labels.js';
import { ACCENT, INK, MUTED, RULE, Writer, printable, type Column } from './pdf.js';

/** "0790123495" → "0790.123.495", as the KBO/BCE prints it. */
export const formatEnterpriseNumber = (n: string): string => (/^\d{10}$/.test(n) ? `${n.slice(0, 4)}.${n.slice(4, 7)}.${n.slice(7)}` : n);

/** "BE71096123456769" → "BE71 0961 2345 6769". */
export const formatIban = (iban: string): string => iban.replace(/(.{4})(?=.)/g, '$1 ');

/** The 12 digits of a structured communication, the text a payment names it by in a QR code. */
export const structuredReferenceDigits = (communication: string): string => communication.replace(/\D/g, '');

// About 35 mm: a phone reads it from paper at arm's length, and it fits beside the payment lines.
const QR_SIZE = 100;
/** The blank margin a QR code needs: four modules (a 41-module code on QR_SIZE points ≈ 2.4 pt each). */
const QR_QUIET = 10;

const countFormats = new Map<string, Intl.NumberFormat>();

function quantityText(l: InvoiceLine, labels: InvoiceLabels, language: Language): string {
  if (l.unitCode === 'MIN') return hoursAndMinutes(l.quantity, language);
  if (l.unitCode === 'MON') return labels.months(l.quantity);
  let f = countFormats.get(labels.locale);
  if (!f) countFormats.set(labels.locale, (f = new Intl.NumberFormat(labels.locale)));
  return f.format(l.quantity);
}

function unitPriceText(l: InvoiceLine, labels: InvoiceLabels, language: Language): string {
  const price = formatMoney(l.unitPriceCents, language);
  if (l.unitCode === 'MIN' && l.baseQuantity === 60) return `${price} / ${labels.perHour}`;
  if (l.unitCode === 'MON' && l.baseQuantity === 1) return `${price} / ${labels.perMonth}`;
  return l.baseQuantity === 1 ? price : `${price} / ${l.baseQuantity}`;
}

function addressLines(a: BillingAddress | undefined): string[] {
  if (!a) return [];
  return [a.street, `${a.postalCode} ${a.city}${a.country === 'BE' ? '' : ` (${a.country})`}`];
}

/** Seller and buyer side by side, each a label, a name in bold and its lines. */
function parties(w: Writer, blocks: { label: string; name: string; lines: string[] }[]): void {
  const { doc } = w;
  const gap = 24;
  const width = (w.width - gap) / blocks.length;
  const top = doc.y;
  let bottom = top;
  blocks.forEach((b, i) => {
    const x = w.left + i * (width + gap);
    doc.font('body').fontSize(8).fillColor(MUTED).text(printable(b.label.toUpperCase()), x, top, { width });
    doc.font('bold').fontSize(10.5).fillColor(INK).text(printable(b.name), x, doc.y + 2, { width });
    doc.font('body').fontSize(9).fillColor(INK);
    for (const line of b.lines) doc.text(printable(line), x, doc.y + 1, { width });
    bottom = Math.max(bottom, doc.y);
  });
  doc.x = w.left;
  doc.y = bottom + 12;
}

/** quantity × unit price ÷ base quantity, rounded to the cent half away from zero (EN 16931's line amount before allowances). */
export function lineGrossAmountCents(l: Pick<InvoiceLine, 'quantity' | 'unitPriceCents' | 'baseQuantity'>): number {
  const exact = (l.quantity * l.unitPriceCents) / l.baseQuantity;
  return Math.sign(exact) * Math.round(Math.abs(exact));
}

/**
 * A line's description, its centre, the month it corrects, and what its amount leaves out or adds
 * to quantity × unit price (a daily cap, hours a pass or a quota covered), so that the line reads
 * true. The reason is the document's own when it gives one.
 */
function lineDescription(l: InvoiceLine & { allowanceChargeReason?: string }, labels: InvoiceLabels, language: Language): string {
  const parts = [l.description];
  // The UBL's item name may carry the centre already ("Desk — Gent Zuid"): not twice.
  if (l.siteName && !l.description.includes(l.siteName)) parts.push(l.siteName);
  if (l.adjustsPeriod) parts.push(labels.adjusts(`${formatPeriod(l.adjustsPeriod, language)}`));
  const difference = l.netCents - lineGrossAmountCents(l);
  if (difference !== 0) parts.push(`${l.allowanceChargeReason ?? (difference < 0 ? labels.allowance : labels.charge)} ${formatMoney(difference, language)}`);
  return parts.join('\n');
}

/** The totals at the right, under the VAT breakdown, the amount due (or credited) last and larger. */
function totalsBlock(w: Writer, rows: [string, string][], last: [string, string]): void {
  const { doc } = w;
  const width = 270;
  const x = w.left + w.width - width;
  w.ensure(rows.length * 13 + 30);
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font('body').fontSize(9).fillColor(MUTED).text(printable(label), x, y, { width: 160 });
    doc.font('bold').fillColor(INK).text(printable(value), x + 160, y, { width: width - 160, align: 'right' });
    doc.y = y + 13;
  }
  doc.moveTo(x, doc.y + 1).lineTo(x + width, doc.y + 1).lineWidth(1).strokeColor(INK).stroke();
  const y = doc.y + 5;
  doc.font('bold').fontSize(11).fillColor(INK).text(printable(last[0]), x, y, { width: 160 });
  doc.text(printable(last[1]), x + 160, y, { width: width - 160, align: 'right' });
  doc.x = w.left;
  doc.y = y + 18;
}

/** The payment block of an invoice: beneficiary, IBAN, BIC and structured communication, the QR at the right. */
function paymentBlock(w: Writer, d: InvoiceDocument, labels: InvoiceLabels, language: Language): void {
  const { doc } = w;
  const amount = formatMoney(d.totals.payableCents, language);
  const qr =
    d.totals.payableCents > 0
      ? epcPayload({
          bic: d.seller.bic,
          name: d.seller.legalName,
          iban: d.seller.iban,
          amountCents: d.totals.payableCents,
          creditorReference: structuredReferenceDigits(d.structuredCommunication),
        })
      : undefined;
  // The heading stays with its block on one page.
  w.ensure(QR_SIZE + 56);
  w.heading(labels.payment);
  const top = doc.y;
  const textWidth = qr ? w.width - QR_SIZE - 24 : w.width;
  const pairs: [string, string][] = [
    [labels.beneficiary, d.seller.legalName],
    [labels.iban, formatIban(d.seller.iban)],
    [labels.bic, d.seller.bic],
  ];
  for (const [label, value] of pairs) {
    const y = doc.y;
    doc.font('body').fontSize(9).fillColor(MUTED).text(printable(label), w.left, y, { width: 120 });
    doc.font('bold').fillColor(INK).text(printable(value), w.left + 120, y, { width: textWidth - 120 });
    doc.y = Math.max(doc.y, y + 12) + 1;
  }
  doc.y += 4;
  doc.font('body').fontSize(9).fillColor(MUTED).text(printable(labels.structuredCommunication), w.left, doc.y, { width: textWidth });
  doc.font('bold').fontSize(15).fillColor(ACCENT).text(printable(d.structuredCommunication), w.left, doc.y + 2, { width: textWidth });
  doc.font('body').fontSize(9).fillColor(INK).text(printable(labels.payBy(amount, formatDay(d.dueDate, language))), w.left, doc.y + 6, { width: textWidth });
  let bottom = doc.y;
  if (qr) {
    // The caption is wider than the code: both end at the right margin, the code centred over it.
    // A QR code needs four modules of blank paper around it (≈10 pt at this size) to be read: the
    // heading above and the caption below keep that distance.
    const x = w.left + w.width - QR_SIZE - 12;
    drawEpcQr(doc, qr, x, top + QR_QUIET, QR_SIZE);
    doc.font('body').fontSize(7.5).fillColor(MUTED).text(printable(labels.scanToPay), x - 12, top + QR_QUIET + QR_SIZE + QR_QUIET, { width: QR_SIZE + 24, align: 'center' });
    bottom = Math.max(bottom, doc.y);
  }
  doc.x = w.left;
  doc.y = bottom + 8;
}

/** The invoice or credit note as a PDF in its buyer's language; refuses a document its schema refuses. */
export async function invoicePdf(input: InvoiceDocument): Promise<Buffer> {
  const d = invoiceDocumentSchema.parse(input);
  const language = d.buyer.language;
  const labels = INVOICE_LABELS[language];
  const money = (c: number) => formatMoney(c, language);
  const kind = d.kind === 'invoice' ? labels.invoice : labels.creditNote;
  const title = `${kind} ${d.number}`;
  const w = new Writer(labels, `${title} — ${d.seller.legalName} — ${labels.vatNumber} ${d.seller.vatNumber}`, {
    title: `${title} — ${d.buyer.name}`,
    createdAt: new Date(`${d.issueDate}T00:00:00Z`),
  });
  const { doc } = w;

  w.text(d.seller.legalName, { size: 11, bold: true, color: ACCENT, gap: 2 });
  w.text(title, { size: 22, bold: true, gap: 2 });
  const month = formatPeriod(d.period, language);
  w.text(month.charAt(0).toLocaleUpperCase(labels.locale) + month.slice(1), { size: 11, color: MUTED, gap: 14 });

  const seller = d.seller;
  const buyer = d.buyer;
  parties(w, [
    {
      label: labels.seller,
      name: seller.legalName,
      lines: [
        ...addressLines(seller.address),
        `${labels.enterpriseNumber} ${formatEnterpriseNumber(seller.enterpriseNumber)}`,
        `${labels.vatNumber} ${seller.vatNumber}`,
        ...(seller.email ? [`${labels.email} ${seller.email}`] : []),
      ],
    },
    {
      label: labels.buyer,
      name: buyer.name,
      lines: [
        ...addressLines(buyer.address),
        ...(buyer.enterpriseNumber ? [`${labels.enterpriseNumber} ${formatEnterpriseNumber(buyer.enterpriseNumber)}`] : []),
        ...(buyer.vatNumber ? [`${labels.vatNumber} ${buyer.vatNumber}`] : []),
        ...(buyer.peppolId ? [`${labels.peppolId} ${buyer.peppolId}`] : []),
      ],
    },
  ]);

  w.pairs([
    [labels.number, d.number],
    [labels.issueDate, formatDay(d.issueDate, language)],
    ...(d.kind === 'invoice' ? [[labels.dueDate, formatDay(d.dueDate, language)] as [string, string]] : []),
    [labels.period, `${formatPeriod(d.period, language)} (${d.period})`],
  ], 130);
  if (d.corrects) {
    doc.y += 4;
    w.text(labels.corrects(d.corrects.number, formatDay(d.corrects.issueDate, language)), { size: 10, bold: true, gap: 4 });
  }

  w.heading(labels.lines);
  const columns: Column<InvoiceLine>[] = [
    { title: labels.description, width: 200, cell: (l) => lineDescription(l, labels, language), total: () => labels.totalNet },
    { title: labels.quantity, width: 60, align: 'right', cell: (l) => quantityText(l, labels, language), total: () => '' },
    { title: labels.unitPrice, width: 70, align: 'right', cell: (l) => unitPriceText(l, labels, language), total: () => '' },
    { title: labels.vatRate, width: 40, align: 'right', cell: (l) => formatRateBp(l.vatRateBp, language), total: () => '' },
    { title: labels.net, width: 70, align: 'right', cell: (l) => money(l.netCents) },
  ];
  w.table(columns, d.lines, { fontSize: 8.5, totals: { ...d.lines[0]!, netCents: d.totals.netCents } });

  w.heading(labels.vatBreakdown);
  w.table<VatBreakdown>(
    [
      { title: labels.vatRate, width: 60, cell: (r) => formatRateBp(r.vatRateBp, language) },
      { title: labels.category, width: 160, cell: (r) => `${r.vatCategory} — ${labels.categories[r.vatCategory]}${r.exemptionReason ? `\n${r.exemptionReason}` : ''}` },
      { title: labels.taxable, width: 100, align: 'right', cell: (r) => money(r.taxableCents) },
      { title: labels.vat, width: 100, align: 'right', cell: (r) => money(r.vatCents) },
    ],
    d.vat,
    { fontSize: 8.5 },
  );

  const prepaid = d.totals.prepaidCents ?? 0;
  const credit = d.kind === 'credit_note';
  // Paid at the desks: taken off an invoice (or, refunded, added back to it); on a credit note,
  // what the desks already handed back.
  const prepaidLabel = credit ? labels.refundedAtDesks : prepaid > 0 ? labels.prepaid : labels.refundedDueAgain;
  totalsBlock(w, [
    [labels.totalNet, money(d.totals.netCents)],
    [labels.totalVat, money(d.totals.vatCents)],
    [labels.totalGross, money(d.totals.grossCents)],
    ...(prepaid ? [[prepaidLabel, money(-prepaid)] as [string, string]] : []),
  ], credit ? [prepaid ? labels.creditLeft : labels.credited, money(prepaid ? d.totals.payableCents : d.totals.grossCents)] : [labels.payable, money(d.totals.payableCents)]);

  if (!credit && d.totals.payableCents > 0) paymentBlock(w, d, labels, language);
  else {
    // A credit note, or an invoice the members already paid at the desks: no transfer to ask for.
    w.heading(labels.payment);
    const said = credit ? (prepaid && d.totals.payableCents === 0 ? labels.refundedAtDesksAll : labels.nothingToPay) : d.totals.payableCents === 0 ? labels.paidAtDesks : labels.nothingToPay;
    w.text(said, { size: 9.5, gap: 4 });
    w.pairs([[labels.quoteReference, d.structuredCommunication]], 160);
  }
  if (d.totals.keptForNextCents) w.text(labels.keptForNext(money(d.totals.keptForNextCents)), { size: 9.5, gap: 4 });
  doc.moveTo(w.left, doc.y).lineTo(w.left + w.width, doc.y).lineWidth(0.4).strokeColor(RULE).stroke();
  return w.finish();
}
