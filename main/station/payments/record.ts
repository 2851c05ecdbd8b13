// Payments and refunds at the desk: each an append-only row and its event in one transaction
// (the caller's), so the hub hears of each exactly once. Money in integer cents.
import { newId } from '../../../common/ids.js';
import type { InvoicedCompany, PaymentMethod } from '../../../common/payments.js';
import { iso, sql, type StationContext } from '../context.js';
import { StationFailure } from '../errors.js';
import { appendEvent } from '../outbox/outbox.js';
import { money } from '../../../common/documents/print-documents.js';
import { findVisit } from '../visits/read.js';
import { outstandingCents, paidCents, paymentEntries } from './read.js';
import { openTillRow, tillForCash } from '../till/till.js';

export type PaymentInput =
  | { method: 'cash'; visitId: string; amountCents?: number | undefined; tenderedCents: number; shiftId?: string | undefined }
  | { method: 'card'; visitId: string; amountCents?: number | undefined; reference?: string | undefined; shiftId?: string | undefined }
  /** Nothing is taken at the desk: the network bills the company (a payer at the hub, by its VAT number). */
  | { method: 'invoice'; visitId: string; amountCents?: number | undefined; company: InvoicedCompany; shiftId?: string | undefined };

export interface RecordedPayment {
  paymentId: string;
  amountCents: number;
  tenderedCents?: number;
  changeCents?: number;
  cardReference?: string;
  company?: InvoicedCompany;
  paidAt: string;
  outstandingCents: number;
}

// The English sentence (command line, logs) writes amounts as a receipt does; the screens write
// them from the …Cents values in the clerk's language.
const eur = (cents: number) => money(cents, 'en');

export function recordPayment(ctx: StationContext, input: PaymentInput): RecordedPayment {
  const visit = findVisit(ctx, input.visitId);
  if (visit.void_reason !== null) throw new StationFailure('REFUSED', 'This visit was voided; it cannot be paid.').saying('paymentVoidedVisit');
  // The network already bills a member's visits to their payer: invoicing a company as well would
  // bill them twice. Cash or card on a member's visit is a prepayment of that bill (the hub's statement).
  if (input.method === 'invoice' && visit.member_id !== null)
    throw new StationFailure('REFUSED', "A member's visits are already billed to their payer by the network: only a guest's visit can be invoiced to a company.").saying('paymentInvoiceMember');
  // The hub bills the company the visit's lines, all of them: an invoice is for a whole visit, once
  // its time is known (checked out), and for nothing already paid otherwise (below).
  if (input.method === 'invoice' && visit.checked_out_at === null)
    throw new StationFailure('REFUSED', 'Check the visit out first: an invoice to a company is for the whole visit.').saying('paymentInvoiceOnSite');
  const entries = paymentEntries(ctx, visit.id);
  const due = outstandingCents(ctx, visit, entries);
  if (due === 0) throw new StationFailure('REFUSED', 'Nothing is left to pay on this visit.').saying('paymentNothingDue');
  const amount = input.amountCents ?? due;
  if (input.method === 'invoice') {
    if (paidCents(entries) !== 0 || amount !== due)
      throw new StationFailure('REFUSED', `An invoice to a company is for the whole visit (${eur(due + paidCents(entries))}): refund what was paid on it first, and invoice all of it.`).saying('paymentInvoiceWhole', {
        totalCents: due + paidCents(entries),
      });
  }
  if (amount > due) throw new StationFailure('INVALID_INPUT', `amountCents: ${eur(amount)} is more than is left to pay (${eur(due)}).`).saying('paymentTooMuch', { dueCents: due });
  let cash: { tenderedCents: number; changeCents: number } | undefined;
  if (input.method === 'cash') {
    if (input.tenderedCents < amount)
      throw new StationFailure('INVALID_INPUT', `tenderedCents: ${eur(input.tenderedCents)} is less than the amount to pay (${eur(amount)}).`).saying('paymentTenderedShort', {
        tenderedCents: input.tenderedCents,
        amountCents: amount,
      });
    cash = { tenderedCents: input.tenderedCents, changeCents: input.tenderedCents - amount };
  }
  const reference = input.method === 'card' ? input.reference : undefined;
  const company = input.method === 'invoice' ? input.company : undefined;
  // Cash goes into the open till (none open: refused); a card or invoice is only counted on the
  // report of the till open at the time, if any.
  const till = input.method === 'cash' ? tillForCash(ctx) : openTillRow(ctx);
  const id = newId();
  const nowMs = ctx.clock.now();
  const at = iso(nowMs);
  sql(ctx.db, 'INSERT INTO payment (id, visit_id, method, amount_cents, tendered_cents, change_cents, card_reference, company_name, company_vat, till_id, paid_at, shift_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    id,
    visit.id,
    input.method,
    amount,
    cash?.tenderedCents ?? null,
    cash?.changeCents ?? null,
    reference ?? null,
    company?.name ?? null,
    company?.vatNumber ?? null,
    till?.id ?? null,
    at,
    input.shiftId ?? null,
  );
  appendEvent(
    ctx,
    'payment.recorded',
    {
      paymentId: id,
      visitId: visit.id,
      method: input.method,
      amountCents: amount,
      ...(cash ?? {}),
      ...(reference ? { cardReference: reference } : {}),
      ...(company ? { company } : {}),
      ...(input.method === 'cash' && till ? { tillId: till.id } : {}),
      ...(visit.member_id !== null ? { memberId: visit.member_id } : {}),
      at,
      ...(input.shiftId ? { shiftId: input.shiftId } : {}),
    },
    nowMs,
  );
  return { paymentId: id, amountCents: amount, ...(cash ?? {}), ...(reference ? { cardReference: reference } : {}), ...(company ? { company } : {}), paidAt: at, outstandingCents: due - amount };
}

export interface RecordedRefund {
  refundId: string;
  visitId: string;
  method: PaymentMethod;
  amountCents: number;
  refundedAt: string;
  outstandingCents: number;
}

export function refundPayment(ctx: StationContext, input: { paymentId: string; amountCents?: number | undefined; reason: string; shiftId?: string | undefined }): RecordedRefund {
  const payment = sql(ctx.db, 'SELECT visit_id, method, amount_cents FROM payment WHERE id = ?').get(input.paymentId) as { visit_id: string; method: PaymentMethod; amount_cents: number } | undefined;
  if (!payment) throw new StationFailure('NOT_FOUND', `No payment ${input.paymentId} at this station.`).saying('paymentUnknown');
  const refunded = paymentEntries(ctx, payment.visit_id)
    .filter((e) => e.kind === 'refund' && e.paymentId === input.paymentId)
    .reduce((sum, e) => sum + e.amountCents, 0);
  const left = payment.amount_cents - refunded;
  const amount = input.amountCents ?? left;
  if (left === 0 || amount > left) throw new StationFailure('INVALID_INPUT', `amountCents: ${eur(amount)} is more than is left to refund on this payment (${eur(left)}).`).saying('refundTooMuch', { leftCents: left });
  // The hub withdraws an invoice whole (the company is billed the visit's lines or none of them).
  if (payment.method === 'invoice' && amount !== left)
    throw new StationFailure('INVALID_INPUT', `amountCents: an invoice to a company is withdrawn whole (${eur(left)}).`).saying('refundInvoiceWhole', { leftCents: left });
  // Cash comes out of the open till (none open: refused).
  const till = payment.method === 'cash' ? tillForCash(ctx) : openTillRow(ctx);
  const paidVisit = findVisit(ctx, payment.visit_id);
  const id = newId();
  const nowMs = ctx.clock.now();
  const at = iso(nowMs);
  sql(ctx.db, 'INSERT INTO payment_refund (id, payment_id, amount_cents, reason, refunded_at, shift_id, till_id) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    id,
    input.paymentId,
    amount,
    input.reason,
    at,
    input.shiftId ?? null,
    till?.id ?? null,
  );
  appendEvent(
    ctx,
    'payment.refunded',
    {
      refundId: id,
      paymentId: input.paymentId,
      visitId: payment.visit_id,
      method: payment.method,
      amountCents: amount,
      reason: input.reason,
      ...(payment.method === 'cash' && till ? { tillId: till.id } : {}),
      ...(paidVisit.member_id !== null ? { memberId: paidVisit.member_id } : {}),
      at,
      ...(input.shiftId ? { shiftId: input.shiftId } : {}),
    },
    nowMs,
  );
  return { refundId: id, visitId: payment.visit_id, method: payment.method, amountCents: amount, refundedAt: at, outstandingCents: outstandingCents(ctx, paidVisit) };
}
