// A check-out undone (issue 15): a clerk checked someone out by mistake, or the person came back
// within the day. Nothing is updated in place: the check-out's lines are voided with the reason
// (consumption.voided, as any correction), an undo row names the check-out, the visit is on site
// again, and visit.checkout_undone is appended — all in the caller's transaction. The visit's next
// check-out bills it again, for its whole time.
import { requireNotInvoiced } from '../payments/read.js';
import { localDate } from '../../../common/time.js';
import { StationFailure } from '../errors.js';
import { iso, requireSite, sql, type StationContext } from '../context.js';
import { appendEvent } from '../outbox/outbox.js';
import { voidConsumption } from '../consumption/record.js';
import { autoCloseTime, openVisitOf } from './lifecycle.js';
import { findVisit, type VisitRow } from './read.js';

export function undoCheckOut(ctx: StationContext, visitId: string, reason: string, shiftId: string | undefined): VisitRow {
  const site = requireSite(ctx);
  const visit = findVisit(ctx, visitId);
  const nowMs = ctx.clock.now();
  if (visit.void_reason !== null) throw new StationFailure('REFUSED', 'This visit was voided; its check-out cannot be undone.');
  if (visit.checked_out_at === null) throw new StationFailure('CONFLICT', 'This visit is not checked out: the person is still on site.');
  requireNotInvoiced(ctx, visit.id);
  const checkedOutAt = visit.checked_out_at;
  // Within the local day of the check-out, and before the visit's closing time: reopened later,
  // it would only be closed again at once by the closing rule.
  if (localDate(checkedOutAt, site.timeZone) !== localDate(iso(nowMs), site.timeZone))
    throw new StationFailure('REFUSED', 'A check-out can be undone only on its own day. Record the missing time as a consumption instead.');
  if (autoCloseTime(visit.checked_in_at, site) <= nowMs)
    throw new StationFailure('REFUSED', 'The centre has closed for this visit: its check-out can no longer be undone. Record the missing time as a consumption instead.');
  if (visit.member_id !== null) {
    const open = openVisitOf(ctx, visit.member_id);
    if (open) throw new StationFailure('CONFLICT', 'This member has checked in again since: check that visit out or void it first.', `open visit ${open.visit_id}`);
  }
  const lines = sql(
    ctx.db,
    `SELECT c.id FROM consumption c WHERE c.visit_id = ? AND c.source = 'checkout' AND NOT EXISTS (SELECT 1 FROM consumption v WHERE v.voids_id = c.id)`,
  ).all(visitId) as { id: string }[];
  for (const l of lines) voidConsumption(ctx, l.id, reason, shiftId);
  const at = iso(nowMs);
  sql(ctx.db, 'INSERT INTO visit_checkout_undo (visit_id, checked_out_at, reason, undone_at, shift_id) VALUES (?, ?, ?, ?, ?)').run(visitId, checkedOutAt, reason, at, shiftId ?? null);
  sql(ctx.db, 'INSERT INTO open_visit (visit_id, member_id, checked_in_at) VALUES (?, ?, ?)').run(visitId, visit.member_id, visit.checked_in_at);
  appendEvent(
    ctx,
    'visit.checkout_undone',
    { visitId, checkedOutAt, reason, at, ...(shiftId ? { shiftId } : {}), ...(visit.member_id ? { memberId: visit.member_id, checkedInAt: visit.checked_in_at } : {}) },
    nowMs,
  );
  return findVisit(ctx, visitId);
}
