// What a visit was paid at the desk: its payments and refunds, in order, and what is left to pay.
import type { PaymentMethod } from '../../../common/payments.js';
import type { VisitDetail, VisitPaymentEntry } from '../../../common/station-api.js';
import { sql, type StationContext } from '../context.js';
import { StationFailure } from '../errors.js';
import { visitDetail, type VisitRow } from '../visits/read.js';

/** A payment or refund of a visit, as its detail lists it. */
export type PaymentEntry = VisitPaymentEntry;

interface EntryRow {
  id: string;
  kind: 'payment' | 'refund';
  payment_id: string;
  method: PaymentMethod;
  amount_cents: number;
  tendered_cents: number | null;
  change_cents: number | null;
  card_reference: string | null;
  company_name: string | null;
  company_vat: string | null;
  reason: string | null;
  at: string;
}

export function paymentEntries(ctx: StationContext, visitId: string): PaymentEntry[] {
  const rows = sql(
    ctx.db,
    `SELECT id, 'payment' AS kind, id AS payment_id, method, amount_cents, tendered_cents, change_cents, card_reference, company_name, company_vat, NULL AS reason, paid_at AS at FROM payment WHERE visit_id = @visit
     UNION ALL
     SELECT r.id, 'refund', r.payment_id, p.method, r.amount_cents, NULL, NULL, NULL, p.company_name, p.company_vat, r.reason, r.refunded_at FROM payment_refund r JOIN payment p ON p.id = r.payment_id WHERE p.visit_id = @visit
     ORDER BY at, id`,
  ).all({ visit: visitId }) as EntryRow[];
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    paymentId: r.payment_id,
    method: r.method,
    amountCents: r.amount_cents,
    ...(r.tendered_cents !== null ? { tenderedCents: r.tendered_cents } : {}),
    ...(r.change_cents !== null ? { changeCents: r.change_cents } : {}),
    ...(r.card_reference !== null ? { cardReference: r.card_reference } : {}),
    ...(r.company_name !== null && r.company_vat !== null ? { company: { name: r.company_name, vatNumber: r.company_vat } } : {}),
    ...(r.reason !== null ? { reason: r.reason } : {}),
    at: r.at,
  }));
}

/** What settles the visit: payments (invoices to a company included) less refunds and withdrawn invoices. */
export const paidCents = (entries: readonly PaymentEntry[]): number => entries.reduce((sum, e) => sum + (e.kind === 'payment' ? e.amountCents : -e.amountCents), 0);

/** Of that, what was invoiced to a company: not paid at the desk, billed by the network. */
export const invoicedCents = (entries: readonly PaymentEntry[]): number => paidCents(entries.filter((e) => e.method === 'invoice'));

/** What is left to pay on a visit: its total less what was kept (never below 0). */
export function outstandingCents(ctx: StationContext, visit: VisitRow, entries = paymentEntries(ctx, visit.id)): number {
  return Math.max(0, visitDetail(ctx, visit).totals.grossCents - paidCents(entries));
}

/** A visit's detail with what was paid on it, when anything was (the detail is answered as it is otherwise). */
export function withPayments(ctx: StationContext, detail: VisitDetail): VisitDetail {
  const entries = paymentEntries(ctx, detail.visitId);
  if (entries.length === 0) return detail;
  const settled = paidCents(entries);
  const invoiced = invoicedCents(entries);
  return { ...detail, payments: { entries, paidCents: settled - invoiced, invoicedCents: invoiced, dueCents: Math.max(0, detail.totals.grossCents - settled) } };
}

/**
 * The company a visit is invoiced to, while the invoice stands (not withdrawn). The hub bills the
 * company the visit's lines as they are, so an invoiced visit is changed only once the invoice is
 * withdrawn (requireNotInvoiced).
 */
export function liveInvoice(ctx: StationContext, visitId: string): { company: string; cents: number } | undefined {
  const row = sql(
    ctx.db,
    `SELECT p.company_name AS company, SUM(p.amount_cents - COALESCE((SELECT SUM(r.amount_cents) FROM payment_refund r WHERE r.payment_id = p.id), 0)) AS cents
     FROM payment p WHERE p.visit_id = ? AND p.method = 'invoice' GROUP BY p.company_name HAVING cents > 0 LIMIT 1`,
  ).get(visitId) as { company: string; cents: number } | undefined;
  return row;
}

/** Refuses to change a visit invoiced to a company: its lines are what the network bills the company. */
export function requireNotInvoiced(ctx: StationContext, visitId: string): void {
  const invoice = liveInvoice(ctx, visitId);
  if (invoice)
    throw new StationFailure('REFUSED', `This visit is invoiced to ${invoice.company}: withdraw the invoice first (a refund of the invoice, with a reason), then change the visit.`).saying('visitInvoiced', {
      company: invoice.company,
    });
}
