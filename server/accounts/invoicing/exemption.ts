// The ground an invoice states for its exempt (E) lines. EN 16931 allows one E breakdown per
// document (BR-E-01) with one code and one text: lines exempt on different grounds share it, so
// its text names each ground once, in the lines' order, and it carries a VATEX code only when
// every one of its lines gives that same code.
import type { InvoiceLine, VatBreakdown } from '../../../common/accounts/invoices.js';
import type { Language } from '../../../common/reference-data.js';
import { INVOICE_WORDS } from './labels.js';

export function exemptionOfLines(lines: readonly InvoiceLine[], language: Language): Pick<VatBreakdown, 'exemptionReason' | 'exemptionReasonCode'> {
  // A 0 % line whose reference data declared no treatment: the generic reason, as before treatments.
  const generic = INVOICE_WORDS[language].vatExempt;
  const codes = new Set(lines.map((l) => l.exemptionReasonCode ?? ''));
  const code = codes.size === 1 ? [...codes][0] || undefined : undefined;
  // With several codes, each ground keeps its code in the words: the breakdown can carry only one.
  const grounds = new Set(lines.map((l) => (code === undefined && l.exemptionReasonCode ? `${l.exemptionReason ?? generic} (${l.exemptionReasonCode})` : (l.exemptionReason ?? generic))));
  return { exemptionReason: [...grounds].join('; '), ...(code ? { exemptionReasonCode: code } : {}) };
}
