// A statement line as an invoice line that EN 16931 accepts: a UN/ECE unit, a price per base
// quantity (an hourly price on minutes: per 60 MIN), and the difference between the statement's net
// and quantity × price — a daily cap, a line covered by a pass or a quota, lines rounded one by one
// — as a line allowance or charge with its reason, so the line's net stays the statement's.
import type { StatementLine } from '../../../common/accounts/reports.js';
import type { InvoiceLine, VatCategory } from '../../../common/accounts/invoices.js';
import type { Language } from '../../../common/reference-data.js';
import { INVOICE_WORDS } from './labels.js';

/**
 * A line's category: the treatment its statement line froze (Z or E); otherwise a 0 % line is exempt
 * (E, with the generic reason in the breakdown), as before treatments existed, and any other rate
 * is standard (S).
 */
export const vatCategoryOf = (line: Pick<StatementLine, 'vatRateBp' | 'vatTreatment'>): VatCategory =>
  line.vatRateBp !== 0 ? 'S' : (line.vatTreatment?.category ?? 'E');

/** An E line's own ground, as its statement line froze it, in the buyer's language. */
function exemptionOf(line: StatementLine, language: Language): Pick<InvoiceLine, 'exemptionReasonCode' | 'exemptionReason'> {
  const t = line.vatTreatment;
  if (line.vatRateBp !== 0 || t?.category !== 'E') return {};
  return { ...(t.exemptionReasonCode ? { exemptionReasonCode: t.exemptionReasonCode } : {}), ...(t.reason ? { exemptionReason: t.reason[language] } : {}) };
}

/** UN/ECE Recommendation 20 code and base quantity of a statement line's unit. */
function unitOf(line: StatementLine): { unitCode: string; baseQuantity: number } | undefined {
  switch (line.unit) {
    case 'min':
      return { unitCode: 'MIN', baseQuantity: 60 };
    case 'month':
      return { unitCode: 'MON', baseQuantity: 1 };
    case 'day':
      return { unitCode: 'DAY', baseQuantity: 1 };
    case 'page':
    case 'item':
    case 'half_day':
      return { unitCode: 'C62', baseQuantity: 1 };
    default:
      // A quota package (its minutes for one price) and anything else: one unit at its price.
      return undefined;
  }
}

/** Half away from zero, as the tariff rounds. */
const roundCents = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/**
 * The invoice line of a statement line (`sign` -1 gives it back, for a credit note). Undefined for
 * a line with nothing on it (no quantity, no amount).
 */
export function invoiceLineOf(line: StatementLine, lineNo: number, language: Language, sign: 1 | -1 = 1): InvoiceLine | undefined {
  const netCents = sign * line.netCents;
  const vatCents = sign * line.vatCents;
  let quantity = sign * line.quantity;
  if (quantity === 0 && netCents === 0) return undefined;
  const unit = unitOf(line);
  let unitCode = unit?.unitCode ?? 'C62';
  let baseQuantity = unit?.baseQuantity ?? 1;
  let unitPriceCents = line.unitPriceCents;
  if (!unit || unitPriceCents < 0) {
    quantity = netCents < 0 ? -1 : 1;
    unitPriceCents = Math.abs(netCents);
    unitCode = 'C62';
    baseQuantity = 1;
  }
  const difference = netCents - roundCents((quantity * unitPriceCents) / baseQuantity);
  const words = INVOICE_WORDS[language];
  const reason = netCents === 0 && line.coverage === 'pass' ? words.coveredPass : netCents === 0 && line.coverage === 'quota' ? words.coveredQuota : words.capOrRounding;
  return {
    lineNo,
    description: line.description,
    quantity,
    unitCode,
    unitPriceCents,
    baseQuantity,
    netCents,
    ...(difference < 0 ? { allowanceCents: -difference, allowanceChargeReason: reason } : {}),
    ...(difference > 0 ? { chargeCents: difference, allowanceChargeReason: reason } : {}),
    vatCents,
    vatRateBp: line.vatRateBp,
    vatCategory: vatCategoryOf(line),
    ...exemptionOf(line, language),
    ...(line.adjustsPeriod ? { adjustsPeriod: line.adjustsPeriod } : {}),
    ...(line.siteName ? { siteName: line.siteName } : {}),
    ...(line.serviceCode ? { serviceCode: line.serviceCode } : {}),
  };
}
