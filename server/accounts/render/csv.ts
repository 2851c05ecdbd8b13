// The accounts as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a
// comma, a quote or a line break, quotes doubled), for spreadsheets and accounting imports.
// Amounts are euros with two decimals written from the integer cents ("1234.56", "-0.05"); rates
// are percentages written from basis points ("21.00"). Column names are stable English
// identifiers: a CSV is read by programs as much as by people.
import { centsToDecimal } from '../../../common/money.js';
import { monthDevicesReported, type Evaluation, type Settlement, type Statement } from '../../../common/accounts/reports.js';

type Cell = string | number | undefined;

/**
 * A text a spreadsheet would run as a formula (=, +, -, @, tab, CR at its start) gets a leading
 * apostrophe: a member's name or a description must never execute in an accountant's Excel.
 * Numbers are written by us and never pass through here.
 */
function safeText(text: string | undefined): string {
  if (text === undefined) return '';
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function field(cell: Cell): string {
  const text = cell === undefined ? '' : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: readonly string[], rows: Cell[][]): string {
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/** Basis points as a percentage with two decimals, from integers: 2100 → "21.00", 550 → "5.50". */
export function bpToPercent(bp: number): string {
  return centsToDecimal(bp);
}

export const STATEMENT_CSV_COLUMNS = [
  'period', 'payer_id', 'payer_name', 'payer_vat_number', 'status', 'kind', 'description', 'member_id', 'site_id', 'site_name',
  'service_code', 'coverage', 'quantity', 'unit', 'unit_price_eur', 'vat_rate_percent', 'net_eur', 'vat_eur', 'gross_eur', 'adjusts_period',
] as const;

/** One CSV row per statement line, every statement of the list after the other. */
export function statementsCsv(statements: readonly Statement[]): string {
  const rows = statements.flatMap((s) =>
    s.lines.map((l) => [
      s.period, s.payerId, safeText(s.payerName), s.payerVatNumber, s.status, l.kind, safeText(l.description), l.memberId, l.siteId, safeText(l.siteName),
      l.serviceCode, l.coverage, l.quantity, l.unit, centsToDecimal(l.unitPriceCents), bpToPercent(l.vatRateBp),
      centsToDecimal(l.netCents), centsToDecimal(l.vatCents), centsToDecimal(l.grossCents), l.adjustsPeriod,
    ]),
  );
  return csv(STATEMENT_CSV_COLUMNS, rows);
}

export const SETTLEMENT_CSV_COLUMNS = [
  'period', 'status', 'site_id', 'site_name', 'payg_net_eur', 'pass_minutes', 'quota_minutes', 'pass_share_eur', 'quota_share_eur',
  'gross_due_eur', 'network_fee_eur', 'due_eur', 'commission_eur', 'payout_eur', 'desk_net_eur', 'desk_vat_eur',
] as const;

/** One CSV row per site of the settlement (the network's totals are in the JSON and the PDF). */
export function settlementCsv(settlement: Settlement): string {
  return csv(
    SETTLEMENT_CSV_COLUMNS,
    settlement.sites.map((s) => [
      settlement.period, settlement.status, s.siteId, safeText(s.siteName), centsToDecimal(s.paygNetCents), s.passMinutes, s.quotaMinutes,
      centsToDecimal(s.passShareCents), centsToDecimal(s.quotaShareCents), centsToDecimal(s.grossDueCents), centsToDecimal(s.networkFeeCents),
      centsToDecimal(s.dueCents), centsToDecimal(s.commissionCents), centsToDecimal(s.payoutCents), centsToDecimal(s.deskNetCents), centsToDecimal(s.deskVatCents),
    ]),
  );
}

export const EVALUATION_CSV_COLUMNS = [
  'site_id', 'site_name', 'period', 'visits', 'hosted_minutes', 'revenue_net_eur',
  'reader_faults', 'printer_faults', 'print_jobs_failed', 'device_down_minutes',
  'tills_closed', 'tills_with_difference', 'till_shortfall_eur', 'till_surplus_eur',
] as const;

/** One CSV row per month of the evaluation; the device cells are empty for a month the site did not report its devices. */
export function evaluationCsv(evaluation: Evaluation): string {
  return csv(
    EVALUATION_CSV_COLUMNS,
    evaluation.months.map((m) => [
      evaluation.siteId, safeText(evaluation.siteName), m.period, m.visits, m.hostedMinutes, centsToDecimal(m.revenueNetCents),
      ...(monthDevicesReported(evaluation, m.period) ? [m.readerFaults, m.printerFaults, m.printJobsFailed, m.downMinutes] : ['', '', '', '']),
      m.tills.closed, m.tills.withDifference, centsToDecimal(m.tills.shortfallCents), centsToDecimal(m.tills.surplusCents),
    ]),
  );
}
