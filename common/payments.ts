// Money taken at a reception desk (issue 16), as every side names it: the three ways a visit is
// paid, and the company a visit is invoiced to. Shared by the station's API, its events and the hub.
import { z } from 'zod';
import { vatNumberSchema } from './vat-number.js';

/**
 * - `cash`: into the station's open till; change is given back from it.
 * - `card`: on the desk's card terminal, which is outside Escale: the clerk confirms its approval.
 * - `invoice`: nothing is taken at the desk; the network bills the company named (a payer at the hub).
 */
export const paymentMethodSchema = z.enum(['cash', 'card', 'invoice']);
export type PaymentMethod = z.infer<typeof paymentMethodSchema>;

/** The company a visit is invoiced to: its name as it is to appear on the invoice, and its VAT number (Belgian ones checked by their check digits). */
export const invoicedCompanySchema = z.object({
  name: z.string().trim().min(2, 'at least 2 characters').max(100, 'at most 100 characters').regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u, 'printable characters only'),
  vatNumber: vatNumberSchema,
});
export type InvoicedCompany = z.infer<typeof invoicedCompanySchema>;

/** The hub's payer for a company invoiced at a desk when no payer of the reference data has its VAT number. */
export const invoicedCompanyPayerId = (vatNumber: string): string => `company-${vatNumber}`;
