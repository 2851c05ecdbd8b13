// Visits: taps, check-in and check-out by a clerk, voids, and the reception's lists of visits. The
// handlers of the station API's visits methods (common/station-api/visits.ts), over parsed input;
// api.ts wraps them with validation and Results.
import { sql, writeTransaction } from '../context.js';
import { StationFailure } from '../errors.js';
import { dayVisits, memberVisits, onSite } from '../queries/figures.js';
import { autoCloseDue, checkInMember, checkOutVisit, voidVisit } from './lifecycle.js';
import { checkedOutDetail, findVisit, memberRef, visitDetail, visitSummary } from './read.js';
import { withPayments } from '../payments/read.js';
import { tap } from './tap.js';
import { undoCheckOut } from './undo-checkout.js';
import type { VisitsOutputs } from '../../../common/station-api/visits.js';
import type { HandlerDeps, HandlersOf } from '../handlers.js';

export function visitsHandlers({ ctx, now, today, checkShift }: HandlerDeps): HandlersOf<VisitsOutputs> {
  return {
    tap: ({ uid, at }) => tap(ctx, uid, at ? Date.parse(at) : now()),
    checkIn: ({ memberId, shiftId }) =>
      writeTransaction(ctx, () => {
        checkShift(shiftId);
        const member = memberRef(ctx, memberId);
        // Staff cannot override a network block: the member is refused as at the reader.
        const status = sql(ctx.db, 'SELECT status, blocked_reason FROM member WHERE id = ?').get(memberId) as { status: string; blocked_reason: string | null };
        if (status.status === 'blocked')
          throw new StationFailure('REFUSED', `${member.firstName} ${member.lastName} cannot be checked in: ${status.blocked_reason ?? 'this membership is suspended.'}`).saying(status.blocked_reason ? 'memberBlocked' : 'memberSuspended', { name: `${member.firstName} ${member.lastName}`, reason: status.blocked_reason ?? '' });
        autoCloseDue(ctx, now());
        return visitSummary(ctx, checkInMember(ctx, { memberId: member.id, atMs: now(), by: 'staff', shiftId }));
      }),
    checkOut: ({ visitId, shiftId }) =>
      writeTransaction(ctx, () => {
        checkShift(shiftId);
        const visit = findVisit(ctx, visitId);
        if (visit.checked_out_at === null && visit.void_reason === null && autoCloseDue(ctx, now(), visitId).length > 0)
          return visitDetail(ctx, findVisit(ctx, visitId));
        return checkedOutDetail(ctx, checkOutVisit(ctx, visit, now(), 'staff', shiftId));
      }),
    voidVisit: ({ visitId, reason, shiftId }) =>
      writeTransaction(ctx, () => {
        checkShift(shiftId);
        return visitDetail(ctx, voidVisit(ctx, visitId, reason, shiftId));
      }),
    undoCheckOut: ({ visitId, reason, shiftId }) =>
      writeTransaction(ctx, () => {
        checkShift(shiftId);
        return visitDetail(ctx, undoCheckOut(ctx, visitId, reason, shiftId));
      }),
    visitDetail: ({ visitId }) => withPayments(ctx, visitDetail(ctx, findVisit(ctx, visitId))),
    memberVisits: ({ memberId, limit }) => {
      memberRef(ctx, memberId);
      return memberVisits(ctx, memberId, limit);
    },
    // Like the evacuation list: visits past their closing time count as auto-closed, not on site.
    dayVisits: ({ date }) => {
      writeTransaction(ctx, () => autoCloseDue(ctx, now()));
      return dayVisits(ctx, date ?? today());
    },
    // The evacuation list never shows a visit past its closing time.
    onSite: () => {
      writeTransaction(ctx, () => autoCloseDue(ctx, now()));
      return onSite(ctx);
    },
    autoClose: () => writeTransaction(ctx, () => ({ closed: autoCloseDue(ctx, now()).map((v) => visitSummary(ctx, v)) })),
  };
}
