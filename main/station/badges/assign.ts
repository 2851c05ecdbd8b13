// Assigning a badge at reception (typically the unknown UID just tapped). The station records it
// at once so the member can tap; the event tells the hub, which owns the badge list.
import { StationFailure } from '../errors.js';
import { iso, sql, type StationContext } from '../context.js';
import { appendEvent } from '../outbox/outbox.js';
import { checkedBadgeUid } from './badge-uid.js';
import { memberRef } from '../visits/read.js';

export function assignBadge(ctx: StationContext, memberId: string, rawUid: string, kind: 'rfid' | 'qr' | 'barcode', shiftId: string | undefined) {
  const uid = checkedBadgeUid(rawUid);
  const member = memberRef(ctx, memberId);
  const existing = sql(ctx.db, 'SELECT member_id, status FROM badge WHERE uid = ?').get(uid) as { member_id: string; status: string } | undefined;
  if (existing) {
    if (existing.member_id === memberId && existing.status === 'active') return { uid, memberId, kind };
    if (existing.member_id !== memberId) {
      const owner = memberRef(ctx, existing.member_id);
      throw new StationFailure('CONFLICT', `Badge ${uid} already belongs to ${owner.firstName} ${owner.lastName}. Use another badge.`).saying('badgeTaken', { uid, name: `${owner.firstName} ${owner.lastName}` });
    }
    throw new StationFailure('REFUSED', `Badge ${uid} was marked ${existing.status}; a ${existing.status} badge is never reused. Use another badge.`).saying(existing.status === 'lost' ? 'badgeLost' : 'badgeRevoked', { uid });
  }
  const nowMs = ctx.clock.now();
  sql(ctx.db, `INSERT INTO badge (uid, member_id, kind, status, assigned_here_at) VALUES (?, ?, ?, 'active', ?)`).run(uid, member.id, kind, iso(nowMs));
  appendEvent(ctx, 'badge.assigned', { uid, memberId, kind, at: iso(nowMs), ...(shiftId ? { shiftId } : {}) }, nowMs);
  return { uid, memberId, kind };
}
