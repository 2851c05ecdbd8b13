// Payments at the desk (issue 16): money taken for a visit, in cash or by card, or the visit
// invoiced to a company; and refunds. Amounts in integer cents. A card terminal is outside Escale:
// the clerk confirms its approval. Cash goes into the station's open till (till.ts).
import { z } from 'zod';
import { invoicedCompanySchema, type InvoicedCompany, type PaymentMethod } from '../payments.js';
import type { PrintJob } from '../devices.js';
import { uuid, reason, shiftId } from './fields.js';
import type { MethodSpec } from './method.js';

const cents = z.number().int('a whole number of cents').positive('more than 0').max(10_000_000, 'at most 100000.00');

export const paymentsMethods = {
  /**
   * Records a payment of `amountCents` (absent: all that is left to pay) on a visit. Cash: the
   * change is computed from what was tendered, and it goes into the open till (none open: refused).
   * Card: `approved` is the clerk's confirmation that the terminal approved it. Invoice: `company`
   * is billed by the network. The receipt takes its number in the same transaction; it is queued
   * for printing when a receipt printer is set up.
   */
  recordPayment: {
    role: 'desk',
    changes: 'visits',
    // One object (the access gate reads every input's shape); what each method needs is checked below.
    input: z
      .object({
        visitId: uuid,
        method: z.enum(['cash', 'card', 'invoice']),
        amountCents: cents.optional(),
        /** Cash: what the guest handed over. */
        tenderedCents: cents.optional(),
        /** Card: the clerk confirms the terminal approved the payment. */
        approved: z.literal(true).optional(),
        /** Card: the terminal's reference, if the clerk types it. */
        reference: z.string().trim().min(1, 'must not be empty').max(40, 'at most 40 characters').optional(),
        /** Invoice: the company the network bills. */
        company: invoicedCompanySchema.optional(),
        shiftId,
      })
      .superRefine((p, issues) => {
        if (p.method === 'cash' && p.tenderedCents === undefined) issues.addIssue({ code: 'custom', path: ['tenderedCents'], message: 'give the cash handed over' });
        if (p.method === 'cash' && p.reference !== undefined) issues.addIssue({ code: 'custom', path: ['reference'], message: 'a cash payment has no card reference' });
        if (p.method === 'card' && p.approved !== true) issues.addIssue({ code: 'custom', path: ['approved'], message: 'confirm that the card terminal approved the payment' });
        if (p.method === 'card' && p.tenderedCents !== undefined) issues.addIssue({ code: 'custom', path: ['tenderedCents'], message: 'a card payment has no cash handed over' });
        if (p.method === 'invoice' && p.company === undefined) issues.addIssue({ code: 'custom', path: ['company'], message: 'give the company to invoice: its name and VAT number' });
        if (p.method !== 'invoice' && p.company !== undefined) issues.addIssue({ code: 'custom', path: ['company'], message: 'only an invoice names a company' });
        if (p.method === 'invoice' && (p.tenderedCents !== undefined || p.reference !== undefined || p.approved !== undefined))
          issues.addIssue({ code: 'custom', path: ['method'], message: 'an invoice to a company takes no cash or card details' });
      }),
  },
  /**
   * Gives back `amountCents` (absent: all that is left) of a payment, by the payment's method, with
   * a reason: cash out of the open till, card through the terminal, an invoice withdrawn.
   */
  refundPayment: {
    role: 'desk',
    changes: 'visits',
    input: z.object({ paymentId: uuid, amountCents: cents.optional(), reason, shiftId }),
  },
} as const satisfies Record<string, MethodSpec>;

export interface PaymentRecord {
  paymentId: string;
  visitId: string;
  method: PaymentMethod;
  amountCents: number;
  tenderedCents?: number;
  changeCents?: number;
  cardReference?: string;
  company?: InvoicedCompany;
  /** The paid receipt's number (stream and sequence as printed), taken in the payment's transaction. */
  receiptNumber?: string;
  paidAt: string;
  /** What is still to pay on the visit after this payment. */
  outstandingCents: number;
  /** The paid receipt, queued in the same transaction; absent when no receipt printer is set up. */
  receipt?: PrintJob;
}

export interface RefundRecord {
  refundId: string;
  paymentId: string;
  visitId: string;
  method: PaymentMethod;
  amountCents: number;
  reason: string;
  refundedAt: string;
  outstandingCents: number;
}

export interface PaymentsOutputs {
  recordPayment: PaymentRecord;
  refundPayment: RefundRecord;
}

/** A visit's payments and refunds as its detail lists them (visitDetail), oldest first. */
export interface VisitPaymentEntry {
  /** The payment's or the refund's id. */
  id: string;
  kind: 'payment' | 'refund';
  /** For a refund: the payment it gives money back on. */
  paymentId: string;
  method: PaymentMethod;
  amountCents: number;
  tenderedCents?: number;
  changeCents?: number;
  cardReference?: string;
  company?: InvoicedCompany;
  reason?: string;
  at: string;
}

export interface VisitPayments {
  entries: VisitPaymentEntry[];
  /** Paid at the desk in cash or by card, less refunds. */
  paidCents: number;
  /** Invoiced to a company by the network, less withdrawn invoices. */
  invoicedCents: number;
  /** What is left to pay on the visit. */
  dueCents: number;
}
