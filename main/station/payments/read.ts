// What a visit was paid at the desk: its payments and refunds, in order, and what is left to pay.
import { sql, type StationContext } from '../context.js';
import { visitDetail, type VisitRow } from '../visits/read.js';

export interface PaymentEntry {
  id: string;
  kind: 'payment' | 'refund';
  /** For a refund: the payment it gives money back on. */
  paymentId: string;
  method: 'cash' | 'card';
  amountCents: number;
  tenderedCents?: number;
  changeCents?: number;
  cardReference?: string;
  reason?: string;
  at: string;
}

interface EntryRow {
  id: string;
  kind: 'payment' | 'refund';
  payment_id: string;
  method: 'cash' | 'card';
  amount_cents: number;
  tendered_cents: number | null;
  change_cents: number | null;
  card_reference: string | null;
  reason: string | null;
  at: string;
}

export function paymentEntries(ctx: StationContext, visitId: string): PaymentEntry[] {
  const rows = sql(
    ctx.db,
    `SELECT id, 'payment' AS kind, id AS payment_id, method, amount_cents, tendered_cents, change_cents, card_reference, NULL AS reason, paid_at AS at FROM payment WHERE visit_id = @visit
     UNION ALL
     SELECT r.id, 'refund', r.payment_id, p.method, r.amount_cents, NULL, NULL, NULL, r.reason, r.refunded_at FROM payment_refund r JOIN payment p ON p.id = r.payment_id WHERE p.visit_id = @visit
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
    ...(r.reason !== null ? { reason: r.reason } : {}),
    at: r.at,
  }));
}

/** Money kept for the visit: payments less refunds. */
export const paidCents = (entries: readonly PaymentEntry[]): number => entries.reduce((sum, e) => sum + (e.kind === 'payment' ? e.amountCents : -e.amountCents), 0);

/** What is left to pay on a visit: its total less what was kept (never below 0). */
export function outstandingCents(ctx: StationContext, visit: VisitRow, entries = paymentEntries(ctx, visit.id)): number {
  return Math.max(0, visitDetail(ctx, visit).totals.grossCents - paidCents(entries));
}
