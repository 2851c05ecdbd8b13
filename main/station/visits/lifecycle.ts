// A visit's life: check-in, check-out (by badge, by staff, or automatically at closing time),
// and voiding. Each step writes its rows and its event in the caller's transaction.
import { newId } from '../../../common/ids.js';
import type { Site } from '../../../common/reference-data.js';
import { addDays, localParts, zonedToUtcMs } from '../../../common/time.js';
import { StationFailure } from '../errors.js';
import { iso, requireSite, siteClock, sql, type StationContext } from '../context.js';
import { appendEvent } from '../outbox/outbox.js';
import { chargesWorkspaceTime, recordConsumption, voidConsumption } from '../consumption/record.js';
import { durationMinutes, findVisit, type VisitRow } from './read.js';

export interface CheckInMember {
  memberId: string;
  badgeUid?: string | undefined;
  atMs: number;
  by: 'badge' | 'staff';
  shiftId?: string | undefined;
}

export function checkInMember(ctx: StationContext, c: CheckInMember): VisitRow {
  requireSite(ctx);
  const open = openVisitOf(ctx, c.memberId);
  if (open) throw new StationFailure('CONFLICT', 'This member is already checked in here.', `open visit ${open.visit_id}`).saying('alreadyCheckedIn');
  return beginMemberVisit(ctx, c);
}

/** The member's open visit here, if any. open_visit holds only who is on site: scanned, not indexed. */
export function openVisitOf(ctx: StationContext, memberId: string): { visit_id: string; checked_in_at: string } | undefined {
  return sql(ctx.db, 'SELECT visit_id, checked_in_at FROM open_visit WHERE member_id = ?').get(memberId) as { visit_id: string; checked_in_at: string } | undefined;
}

/**
 * Writes a member's check-in: the visit, its place on the on-site list and its event. The caller
 * has found no open visit of the member in this same transaction (checkInMember, or a tap).
 */
export function beginMemberVisit(ctx: StationContext, c: CheckInMember): VisitRow {
  const id = newId();
  const at = iso(c.atMs);
  sql(ctx.db, `INSERT INTO visit (id, site_id, member_id, guest_id, badge_uid, checked_in_at, checked_in_by, shift_id) VALUES (?, ?, ?, NULL, ?, ?, ?, ?)`).run(
    id, ctx.siteId, c.memberId, c.badgeUid ?? null, at, c.by, c.shiftId ?? null,
  );
  sql(ctx.db, 'INSERT INTO open_visit (visit_id, member_id, checked_in_at) VALUES (?, ?, ?)').run(id, c.memberId, at);
  appendEvent(
    ctx,
    'visit.checked_in',
    {
      visitId: id,
      siteId: ctx.siteId,
      person: { kind: 'member', memberId: c.memberId, ...(c.badgeUid ? { badgeUid: c.badgeUid } : {}) },
      at,
      by: c.by,
      ...(c.shiftId ? { shiftId: c.shiftId } : {}),
    },
    ctx.clock.now(),
  );
  // The row as findVisit would read it back: nothing else wrote it.
  return {
    id,
    site_id: ctx.siteId,
    member_id: c.memberId,
    guest_id: null,
    badge_uid: c.badgeUid ?? null,
    checked_in_at: at,
    checked_in_by: c.by,
    checked_out_at: null,
    checked_out_by: null,
    void_reason: null,
    voided_at: null,
  };
}

/**
 * When an open visit is closed if nobody checks out: the closing time of the local day it began
 * on, or the end of that local day when it began after closing or on a closed day. So no visit
 * ever runs past midnight.
 */
export function autoCloseTime(checkedInAt: string, site: Pick<Site, 'openingHours' | 'timeZone'>): number {
  const inMs = Date.parse(checkedInAt);
  const local = localParts(inMs, site.timeZone);
  const hours = site.openingHours[local.weekday];
  if (hours && local.time < hours.close) return zonedToUtcMs(local.date, hours.close, site.timeZone);
  return zonedToUtcMs(addDays(local.date, 1), '00:00', site.timeZone);
}

export function checkOutVisit(ctx: StationContext, visit: VisitRow, atMs: number, by: 'badge' | 'staff' | 'auto', shiftId?: string): VisitRow {
  if (visit.void_reason !== null) throw new StationFailure('REFUSED', 'This visit was voided; it cannot be checked out.').saying('visitVoidedNoCheckout');
  if (visit.checked_out_at !== null) throw new StationFailure('CONFLICT', `This visit was already checked out at ${visit.checked_out_at}.`).saying('alreadyCheckedOut', { time: siteClock(ctx, visit.checked_out_at) });
  const outMs = Math.max(atMs, Date.parse(visit.checked_in_at));
  const at = iso(outMs);
  sql(ctx.db, 'INSERT INTO visit_checkout (visit_id, checked_out_at, checked_out_by, shift_id) VALUES (?, ?, ?, ?)').run(visit.id, at, by, shiftId ?? null);
  sql(ctx.db, 'DELETE FROM open_visit WHERE visit_id = ?').run(visit.id);
  const minutes = durationMinutes(visit.checked_in_at, outMs);
  appendEvent(ctx, 'visit.checked_out', { visitId: visit.id, at, by, durationMinutes: minutes, ...(shiftId ? { shiftId } : {}) }, ctx.clock.now());
  if (minutes > 0 && chargesWorkspaceTime(ctx, visit))
    recordConsumption(ctx, { visit, serviceCode: ctx.settings.workspaceService, quantity: minutes, atMs: outMs, source: 'checkout', shiftId });
  // The row as findVisit would read it back now: its check-out was just written, nothing else.
  return { ...visit, checked_out_at: at, checked_out_by: by };
}

/** Closes every open visit whose closing time has passed, at its closing time. */
export function autoCloseDue(ctx: StationContext, nowMs: number, onlyVisitId?: string): VisitRow[] {
  const site = requireSite(ctx);
  const open = (
    onlyVisitId
      ? sql(ctx.db, 'SELECT visit_id, checked_in_at FROM open_visit WHERE visit_id = ?').all(onlyVisitId)
      : sql(ctx.db, 'SELECT visit_id, checked_in_at FROM open_visit').all()
  ) as { visit_id: string; checked_in_at: string }[];
  const closed: VisitRow[] = [];
  for (const o of open) {
    const closeAt = autoCloseTime(o.checked_in_at, site);
    if (closeAt <= nowMs) closed.push(checkOutVisit(ctx, findVisit(ctx, o.visit_id), closeAt, 'auto'));
  }
  return closed;
}

export function voidVisit(ctx: StationContext, visitId: string, reason: string, shiftId: string | undefined): VisitRow {
  const visit = findVisit(ctx, visitId);
  if (visit.void_reason !== null) throw new StationFailure('CONFLICT', `This visit was already voided (${visit.void_reason}).`).saying('alreadyVoided');
  const lines = sql(
    ctx.db,
    `SELECT c.id FROM consumption c WHERE c.visit_id = ? AND c.source <> 'void' AND NOT EXISTS (SELECT 1 FROM consumption v WHERE v.voids_id = c.id)`,
  ).all(visitId) as { id: string }[];
  for (const l of lines) voidConsumption(ctx, l.id, reason, shiftId);
  const nowMs = ctx.clock.now();
  sql(ctx.db, 'INSERT INTO visit_void (visit_id, reason, voided_at, shift_id) VALUES (?, ?, ?, ?)').run(visitId, reason, iso(nowMs), shiftId ?? null);
  sql(ctx.db, 'DELETE FROM open_visit WHERE visit_id = ?').run(visitId);
  appendEvent(ctx, 'visit.voided', { visitId, reason, at: iso(nowMs), ...(shiftId ? { shiftId } : {}) }, nowMs);
  return findVisit(ctx, visitId);
}
