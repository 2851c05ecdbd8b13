// The station's till (issue 16): the cash drawer at the desk. A clerk opens it with a float; cash
// payments and cash refunds go in and out of it; the clerk who opened it closes it with a count.
// Nothing is updated in place: a till is a row, its close another (till_close), each with its
// event in the same transaction. The open till is the one no close names: at most one per station,
// kept by openTill, which looks for one inside its IMMEDIATE transaction before inserting.
import { newId } from '../../../common/ids.js';
import type { Shift } from '../../../common/station-api.js';
import type { TillFigures, TillReport, TillState } from '../../../common/station-api/till.js';
import { iso, siteClock, sql, type StationContext } from '../context.js';
import { StationFailure } from '../errors.js';
import { appendEvent } from '../outbox/outbox.js';

export interface TillRow {
  id: string;
  staff_id: string;
  staff_name: string;
  shift_id: string;
  float_cents: number;
  opened_at: string;
}

const TILL_SELECT = 'SELECT t.id, t.staff_id, COALESCE(s.name, t.staff_id) AS staff_name, t.shift_id, t.float_cents, t.opened_at FROM till t LEFT JOIN staff s ON s.id = t.staff_id';

/** The station's open till, if any. */
export function openTillRow(ctx: StationContext): TillRow | undefined {
  return sql(ctx.db, `${TILL_SELECT} WHERE NOT EXISTS (SELECT 1 FROM till_close c WHERE c.till_id = t.id) ORDER BY t.opened_at DESC LIMIT 1`).get() as TillRow | undefined;
}

/** The open till cash goes into or comes out of; refused, worded, when there is none. */
export function tillForCash(ctx: StationContext): TillRow {
  const till = openTillRow(ctx);
  if (!till) throw new StationFailure('REFUSED', 'No till is open: open the till with its float before taking or giving back cash.').saying('tillNotOpen');
  return till;
}

/** Whether this staff member has a till open (they are not let sign out with it). */
export function hasOpenTill(ctx: StationContext, staffId: string): boolean {
  return openTillRow(ctx)?.staff_id === staffId;
}

interface SumRow {
  method: 'cash' | 'card' | 'invoice';
  cents: number;
  change: number;
  n: number;
}

/**
 * What went through a till: cash kept from payments (the amounts paid, i.e. tendered less change),
 * change given, cash refunds, and — for the report only, as they never touch the drawer — card
 * payments and refunds and what was invoiced to companies (less invoices withdrawn), taken while it
 * was open. Expected cash is float + cash received − cash refunds.
 */
export function tillFigures(ctx: StationContext, till: Pick<TillRow, 'id' | 'float_cents'>): TillFigures {
  const paid = sql(ctx.db, 'SELECT method, SUM(amount_cents) AS cents, COALESCE(SUM(change_cents), 0) AS change, COUNT(*) AS n FROM payment WHERE till_id = ? GROUP BY method').all(till.id) as SumRow[];
  const back = sql(
    ctx.db,
    'SELECT p.method, SUM(r.amount_cents) AS cents, 0 AS change, COUNT(*) AS n FROM payment_refund r JOIN payment p ON p.id = r.payment_id WHERE r.till_id = ? GROUP BY p.method',
  ).all(till.id) as SumRow[];
  const of = (rows: SumRow[], method: SumRow['method']) => rows.find((r) => r.method === method);
  const cashReceivedCents = of(paid, 'cash')?.cents ?? 0;
  const cashRefundsCents = of(back, 'cash')?.cents ?? 0;
  return {
    floatCents: till.float_cents,
    cashReceivedCents,
    changeGivenCents: of(paid, 'cash')?.change ?? 0,
    cashRefundsCents,
    cardReceivedCents: of(paid, 'card')?.cents ?? 0,
    cardRefundsCents: of(back, 'card')?.cents ?? 0,
    invoicedCents: (of(paid, 'invoice')?.cents ?? 0) - (of(back, 'invoice')?.cents ?? 0),
    expectedCents: till.float_cents + cashReceivedCents - cashRefundsCents,
    payments: paid.reduce((n, r) => n + r.n, 0),
    refunds: back.reduce((n, r) => n + r.n, 0),
  };
}

export const tillState = (ctx: StationContext, till: TillRow): TillState => ({
  tillId: till.id,
  staffId: till.staff_id,
  staffName: till.staff_name,
  openedAt: till.opened_at,
  ...tillFigures(ctx, till),
});

/** Opens the station's till for `shift`'s clerk with a float. Call inside a write transaction. */
export function openTill(ctx: StationContext, shift: Shift, floatCents: number): TillState {
  const open = openTillRow(ctx);
  if (open)
    throw new StationFailure('CONFLICT', `The till is already open: ${open.staff_name} opened it at ${siteClock(ctx, open.opened_at)}. It must be closed first.`).saying('tillAlreadyOpen', {
      name: open.staff_name,
      time: siteClock(ctx, open.opened_at),
    });
  const id = newId();
  const nowMs = ctx.clock.now();
  const at = iso(nowMs);
  sql(ctx.db, 'INSERT INTO till (id, staff_id, shift_id, float_cents, opened_at) VALUES (?, ?, ?, ?, ?)').run(id, shift.staffId, shift.shiftId, floatCents, at);
  appendEvent(ctx, 'till.opened', { tillId: id, shiftId: shift.shiftId, staffId: shift.staffId, floatCents, at }, nowMs);
  return tillState(ctx, { id, staff_id: shift.staffId, staff_name: shift.staffName, shift_id: shift.shiftId, float_cents: floatCents, opened_at: at });
}

/**
 * Closes the open till with the cash counted in it. Call inside a write transaction.
 *
 * Only the clerk who opened it may close it: the count is theirs to answer for. A supervisor may
 * close a colleague's till too, because a till its clerk left open (gone home, session timed out)
 * would otherwise keep every other clerk from opening one and taking cash; the close then records
 * the supervisor as who counted it (till_close.closed_by, till.closed's closedBy).
 */
export function closeTill(ctx: StationContext, shift: Shift, countedCents: number, reason: string | undefined): Omit<TillReport, 'report'> {
  const till = openTillRow(ctx);
  if (!till) throw new StationFailure('REFUSED', 'No till is open at this station.').saying('tillNoneOpen');
  if (till.staff_id !== shift.staffId && shift.role !== 'supervisor')
    throw new StationFailure('FORBIDDEN', `Only ${till.staff_name}, who opened this till, or a supervisor may close it.`).saying('tillNotYours', { name: till.staff_name });
  const figures = tillFigures(ctx, till);
  const differenceCents = countedCents - figures.expectedCents;
  if (differenceCents !== 0 && !reason)
    throw new StationFailure('INVALID_INPUT', `reason: the count differs from what is expected (${differenceCents} cents): give a reason.`, undefined, 'reason').saying('tillReasonRequired', { differenceCents });
  const nowMs = ctx.clock.now();
  const at = iso(nowMs);
  sql(ctx.db, 'INSERT INTO till_close (till_id, counted_cents, expected_cents, difference_cents, reason, closed_by, shift_id, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    till.id,
    countedCents,
    figures.expectedCents,
    differenceCents,
    reason ?? null,
    shift.staffId,
    shift.shiftId,
    at,
  );
  appendEvent(
    ctx,
    'till.closed',
    {
      tillId: till.id,
      shiftId: till.shift_id,
      staffId: till.staff_id,
      floatCents: figures.floatCents,
      cashReceivedCents: figures.cashReceivedCents,
      cashRefundsCents: figures.cashRefundsCents,
      cardReceivedCents: figures.cardReceivedCents,
      cardRefundsCents: figures.cardRefundsCents,
      invoicedCents: figures.invoicedCents,
      expectedCents: figures.expectedCents,
      countedCents,
      differenceCents,
      ...(reason ? { reason } : {}),
      payments: figures.payments,
      refunds: figures.refunds,
      openedAt: till.opened_at,
      at,
      closedBy: shift.staffId,
    },
    nowMs,
  );
  return tillReport(ctx, till.id);
}

/** A closed till as its report gives it. */
export function tillReport(ctx: StationContext, tillId: string): Omit<TillReport, 'report'> {
  const till = sql(ctx.db, `${TILL_SELECT} WHERE t.id = ?`).get(tillId) as TillRow | undefined;
  if (!till) throw new StationFailure('NOT_FOUND', `No till ${tillId} at this station.`).saying('tillUnknown');
  const close = sql(ctx.db, 'SELECT c.counted_cents, c.difference_cents, c.reason, c.closed_by, COALESCE(s.name, c.closed_by) AS closed_by_name, c.closed_at FROM till_close c LEFT JOIN staff s ON s.id = c.closed_by WHERE c.till_id = ?').get(tillId) as
    | { counted_cents: number; difference_cents: number; reason: string | null; closed_by: string; closed_by_name: string; closed_at: string }
    | undefined;
  if (!close) throw new StationFailure('REFUSED', 'This till is still open: its report is printed when it is closed.').saying('tillStillOpen');
  return {
    ...tillState(ctx, till),
    countedCents: close.counted_cents,
    differenceCents: close.difference_cents,
    ...(close.reason !== null ? { reason: close.reason } : {}),
    closedAt: close.closed_at,
    closedBy: { staffId: close.closed_by, staffName: close.closed_by_name },
  };
}
