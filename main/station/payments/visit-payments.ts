// A visit's payments as the reception lists them: each payment with what may still be refunded on
// it, each refund with its reason, and what the visit still owes.
import type { VisitPaymentEntry, VisitPayments } from '../../../common/station-api/payments.js';
import type { StationContext } from '../context.js';
import { findVisit, visitDetail } from '../visits/read.js';
import { paidCents, paymentEntries } from './read.js';

export function visitPayments(ctx: StationContext, visitId: string): VisitPayments {
  const visit = findVisit(ctx, visitId);
  const entries = paymentEntries(ctx, visit.id);
  const refunded = new Map<string, number>();
  for (const e of entries) if (e.kind === 'refund') refunded.set(e.paymentId, (refunded.get(e.paymentId) ?? 0) + e.amountCents);
  const listed: VisitPaymentEntry[] = entries.map((e) => ({ ...e, ...(e.kind === 'payment' ? { refundableCents: e.amountCents - (refunded.get(e.id) ?? 0) } : {}) }));
  const totalCents = visitDetail(ctx, visit).totals.grossCents;
  const paid = paidCents(entries);
  return { visitId: visit.id, totalCents, paidCents: paid, outstandingCents: Math.max(0, totalCents - paid), entries: listed };
}
