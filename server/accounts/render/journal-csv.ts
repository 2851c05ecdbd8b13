// The accounting journal of the issued invoices and credit notes (issue 17): what an accountant's
// sales-journal import reads. One row per document and VAT rate, because that is one booking line
// of a sales journal (a taxable amount and its VAT under one VAT code, grids 01/02/03 of the
// Belgian return) and because the rates are open: a new rate or category (0 %, 12 %, exempt,
// reverse charge) is a new row, never a new column the import has to be taught. The document's
// columns repeat on each of its rows so that every row stands alone; the document totals repeat
// too and must be taken once per number (the rows' net_eur and vat_eur add up to them).
//
// Format: UTF-8 with a byte-order mark (Excel opens it as UTF-8, "Liège" stays "Liège"),
// semicolon-separated (the separator of spreadsheets set to Belgian locales), a header of stable
// English column names, CRLF line ends, fields quoted when they hold a semicolon, a quote or a
// line break. Amounts are euros with a decimal point and two decimals written from the integer
// cents ("1234.56"), rates percentages ("21.00"), dates ISO (YYYY-MM-DD). Amounts are as the
// document states them: a credit note's are positive, its kind says it gives them back. The
// structured communication is its 12 digits, as bank statements (CODA) carry it for matching
// payments; its printed +++…+++ form would start with "+", which a spreadsheet runs as a formula.
import { centsToDecimal } from '../../../common/money.js';
import type { InvoiceDocument } from '../../../common/accounts/invoices.js';
import { bpToPercent, safeText } from './csv.js';

export const JOURNAL_CSV_COLUMNS = [
  'number', 'kind', 'issue_date', 'due_date', 'period', 'payer_id', 'payer_name', 'buyer_vat_number', 'buyer_enterprise_number', 'channel',
  'vat_rate_percent', 'vat_category', 'net_eur', 'vat_eur', 'document_net_eur', 'document_vat_eur', 'document_total_eur',
  'structured_communication', 'corrects_number',
  // Appended (an import maps columns by name): what members already paid at the desks, and what is left due.
  'document_prepaid_eur', 'document_payable_eur',
] as const;

const SEPARATOR = ';';

function field(cell: string | undefined): string {
  const text = cell ?? '';
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The journal of `documents`, in number order, each document's rates as its breakdown lists them. */
export function accountingJournalCsv(documents: readonly InvoiceDocument[]): string {
  const sorted = [...documents].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
  const rows = sorted.flatMap((d) =>
    d.vat.map((v) => [
      d.number, d.kind, d.issueDate, d.dueDate, d.period, d.buyer.payerId, safeText(d.buyer.name), d.buyer.vatNumber, d.buyer.enterpriseNumber, d.channel,
      bpToPercent(v.vatRateBp), v.vatCategory, centsToDecimal(v.taxableCents), centsToDecimal(v.vatCents),
      centsToDecimal(d.totals.netCents), centsToDecimal(d.totals.vatCents), centsToDecimal(d.totals.grossCents),
      d.structuredCommunication.replace(/\D/g, ''), d.corrects?.number,
      centsToDecimal(d.totals.prepaidCents ?? 0), centsToDecimal(d.totals.payableCents),
    ]),
  );
  return '\uFEFF' + [[...JOURNAL_CSV_COLUMNS], ...rows].map((r) => r.map(field).join(SEPARATOR)).join('\r\n') + '\r\n';
}
