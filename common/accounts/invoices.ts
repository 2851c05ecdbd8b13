// The network's invoices and credit notes (issue 17): what a closed month's statement becomes for
// each payer with a balance. One model, written out as UBL (Peppol BIS Billing 3.0), as a PDF and as
// a line of the accounting journal; it crosses to the admin page, so it has its schema here.
import { z } from 'zod';
import { languageSchema, networkProfileSchema } from '../reference-data.js';
import { billingAddressSchema } from '../signup.js';
import { periodSchema } from './reports.js';

const cents = z.number().int();
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * EN 16931 VAT category of a line or a breakdown: S standard (a rate above 0), Z zero-rated,
 * E exempt, AE reverse charge (an EU company outside Belgium), with its exemption reason.
 */
export const vatCategorySchema = z.enum(['S', 'Z', 'E', 'AE']);
export type VatCategory = z.infer<typeof vatCategorySchema>;

export const invoiceLineSchema = z.object({
  /** 1, 2, 3… in the document's order. */
  lineNo: z.number().int().min(1),
  description: z.string().min(1),
  /** As the statement has it: minutes for an hourly service (priced per `baseQuantity` = 60 minutes), months, units. */
  quantity: z.number().int(),
  /** UN/ECE Recommendation 20 unit: MIN, MON, C62 (a unit). */
  unitCode: z.string().min(1).max(3),
  unitPriceCents: cents,
  /** How many units `unitPriceCents` is for (60 for a per-hour price on minutes). */
  baseQuantity: z.number().int().min(1),
  /**
   * The line's net: quantity × unitPriceCents / baseQuantity (rounded to the cent), less
   * `allowanceCents`, plus `chargeCents` — EN 16931's rule for a line, which a daily cap, a covered
   * line (a pass, a quota) or the sum of lines rounded one by one would otherwise break.
   */
  netCents: cents,
  allowanceCents: z.number().int().min(0).optional(),
  chargeCents: z.number().int().min(0).optional(),
  /** Why the allowance or the charge, in the buyer's language. */
  allowanceChargeReason: z.string().optional(),
  /** The statement's VAT of the line (its consumption lines' VAT, each rounded): the breakdown adds these up. */
  vatCents: cents.optional(),
  vatRateBp: z.number().int().min(0),
  vatCategory: vatCategorySchema,
  /**
   * For an exempt (E) line: its ground as its statement line froze it (a VATEX code, BT-121, and the
   * words in the buyer's language, BT-120), which the E breakdown states. Absent on an E line: the
   * generic reason.
   */
  exemptionReasonCode: z.string().optional(),
  exemptionReason: z.string().optional(),
  /** For a line carried from a later month's adjustment: the month it corrects. */
  adjustsPeriod: periodSchema.optional(),
  siteName: z.string().optional(),
  serviceCode: z.string().optional(),
});
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;

export const vatBreakdownSchema = z.object({
  vatRateBp: z.number().int().min(0),
  vatCategory: vatCategorySchema,
  taxableCents: cents,
  vatCents: cents,
  /** Why an exempt (E) breakdown carries no VAT (EN 16931 BT-120), in the payer's language. */
  exemptionReason: z.string().optional(),
  /** Its VATEX code (BT-121), when all its lines give the same one. */
  exemptionReasonCode: z.string().optional(),
});
export type VatBreakdown = z.infer<typeof vatBreakdownSchema>;

export const invoiceBuyerSchema = z.object({
  payerId: z.string(),
  name: z.string().min(1),
  language: languageSchema,
  address: billingAddressSchema.optional(),
  vatNumber: z.string().optional(),
  enterpriseNumber: z.string().optional(),
  peppolId: z.string().optional(),
});
export type InvoiceBuyer = z.infer<typeof invoiceBuyerSchema>;

export const invoiceDocumentSchema = z.object({
  kind: z.enum(['invoice', 'credit_note']),
  /** Gap-free per network and year, never reused: "2026-000042". */
  number: z.string().regex(/^\d{4}-\d{6}$/),
  issueDate: localDate,
  dueDate: localDate,
  /** The closed month it bills (or whose adjustments a credit note gives back). */
  period: periodSchema,
  currency: z.literal('EUR'),
  seller: networkProfileSchema,
  buyer: invoiceBuyerSchema,
  lines: z.array(invoiceLineSchema).min(1),
  vat: z.array(vatBreakdownSchema).min(1),
  /** Sums of the lines and the breakdown; a credit note's are positive (it gives back what they say). */
  totals: z.object({
    netCents: cents,
    vatCents: cents,
    grossCents: cents,
    /**
     * Already paid (EN 16931 BT-113): on an invoice, what the payer's members paid at the centres'
     * desks (issue 16's prepayments, this month's and what earlier documents could not take), up to
     * its amount; negative, a refund at a desk nothing gave back, owed again. On a credit note, what
     * a desk already refunded of what it gives back. Absent: nothing.
     */
    prepaidCents: cents.optional(),
    /** grossCents − prepaidCents (BT-115). */
    payableCents: cents,
    /** Paid at the desks beyond this invoice's amount: kept for the payer's next invoice (said on the PDF). */
    keptForNextCents: cents.optional(),
  }),
  /** +++123/4567/89012+++, the reference a payment names it by. */
  structuredCommunication: z.string().regex(/^\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+$/),
  /** A credit note: the invoice it corrects. */
  corrects: z.object({ number: z.string(), issueDate: localDate }).optional(),
  /** Peppol (UBL to an access point) when the buyer has a Peppol id; PDF only otherwise (a person paying for themself). */
  channel: z.enum(['peppol', 'pdf']),
});
export type InvoiceDocument = z.infer<typeof invoiceDocumentSchema>;
