// A badge tap: the kiosk's and the readers' one gesture. Unknown → the raw UID for reception;
// lost or revoked badge, blocked member → refused with the reason; else check in, or check out
// when a visit is open. A second tap inside the tap window changes nothing and says so.
import type { PersonRef, TapResult } from '../../../common/station-api.js';
import type { Language } from '../../../common/reference-data.js';
import { openingAt } from '../../../common/site-hours.js';
import { checkedBadgeUid } from '../badges/badge-uid.js';
import { requireSite, sql, writeTransaction, type StationContext } from '../context.js';
import { autoCloseTime, beginMemberVisit, checkOutVisit, openVisitOf } from './lifecycle.js';
import { checkedOutDetail, CURRENT_CHECKOUT, findVisit, NO_LINES, toRef, visitSummary } from './read.js';

interface BadgeRow {
  member_id: string;
  status: 'active' | 'lost' | 'revoked';
  member_status: 'active' | 'blocked';
  blocked_reason: string | null;
  first_name: string;
  last_name: string;
  language: Language;
  company: string | null;
}

export function tap(ctx: StationContext, rawUid: string, atMs: number): TapResult {
  const uid = checkedBadgeUid(rawUid);
  return writeTransaction(ctx, (): TapResult => {
    // The badge, its member and the member's reference in one read: the tap path is the hot one.
    const badge = sql(
      ctx.db,
      `SELECT b.member_id, b.status, m.status AS member_status, m.blocked_reason, m.first_name, m.last_name, m.language,
         CASE p.kind WHEN 'company' THEN p.name END AS company
       FROM badge b JOIN member m ON m.id = b.member_id LEFT JOIN payer p ON p.id = m.payer_id WHERE b.uid = ?`,
    ).get(uid) as BadgeRow | undefined;
    if (!badge) return { outcome: 'unknown_badge', uid };
    const person: PersonRef = toRef('member', { ...badge, id: badge.member_id });
    if (badge.status !== 'active')
      return {
        outcome: 'refused',
        uid,
        reason: badge.status === 'lost' ? 'badge_lost' : 'badge_revoked',
        message: badge.status === 'lost' ? 'This badge was reported lost.' : 'This badge is no longer valid.',
        person,
      };
    if (badge.member_status === 'blocked')
      return { outcome: 'refused', uid, reason: 'member_blocked', message: badge.blocked_reason ?? 'This membership is suspended.', person };

    let open = openVisitOf(ctx, badge.member_id);
    // A visit left open past closing time is closed at closing time first: this tap starts a new one.
    if (open) {
      const closeAt = autoCloseTime(open.checked_in_at, requireSite(ctx));
      if (closeAt <= atMs) {
        checkOutVisit(ctx, findVisit(ctx, open.visit_id), closeAt, 'auto');
        open = undefined;
      }
    }
    const window = ctx.settings.tapWindowMs;
    if (open) {
      if (atMs - Date.parse(open.checked_in_at) < window)
        return { outcome: 'already_done', uid, last: 'checked_in', visitId: open.visit_id, person };
      const visit = checkOutVisit(ctx, findVisit(ctx, open.visit_id), atMs, 'badge');
      return { outcome: 'checked_out', visit: checkedOutDetail(ctx, visit, person) };
    }
    const last = sql(
      ctx.db,
      `SELECT v.id, c.checked_out_at, c.checked_out_by FROM visit v JOIN visit_checkout c ON ${CURRENT_CHECKOUT}
       WHERE v.member_id = ? ORDER BY v.checked_in_at DESC LIMIT 1`,
    ).get(badge.member_id) as { id: string; checked_out_at: string; checked_out_by: string } | undefined;
    if (last && last.checked_out_by !== 'auto' && Math.abs(atMs - Date.parse(last.checked_out_at)) < window)
      return { outcome: 'already_done', uid, last: 'checked_out', visitId: last.id, person };
    // No open visit was found above, in this same transaction.
    const visit = beginMemberVisit(ctx, { memberId: badge.member_id, badgeUid: uid, atMs, by: 'badge' });
    const checkedIn: TapResult = { outcome: 'checked_in', visit: visitSummary(ctx, visit, { person, totals: NO_LINES }) };
    // Still recorded (staff may be there, a meeting may run late); the visitor is told the centre is closed.
    const opening = openingAt(requireSite(ctx), atMs);
    if (!opening.open) checkedIn.closed = opening.opensAt ? { opensAt: opening.opensAt } : {};
    return checkedIn;
  });
}
