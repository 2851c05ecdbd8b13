// Walk-in guests: registered by the clerk with the guest's consent and a retention date, after
// which their personal data is purged (the anonymous facts of the visit stay for the accounts).
import { newId } from '../../../common/ids.js';
import type { ParsedInput } from '../../../common/station-api.js';
import { addDays, localDate } from '../../../common/time.js';
import { StationFailure } from '../errors.js';
import { iso, requireSite, sql, type StationContext } from '../context.js';
import { appendEvent } from '../outbox/outbox.js';
import { searchKey } from '../queries/search-key.js';
import { findVisit, type VisitRow } from '../visits/read.js';

export function registerGuest(ctx: StationContext, g: ParsedInput<'registerGuest'>): VisitRow {
  const site = requireSite(ctx);
  const nowMs = ctx.clock.now();
  const today = localDate(iso(nowMs), site.timeZone);
  const retentionUntil = g.retentionUntil ?? addDays(today, ctx.settings.guestRetentionDays);
  if (retentionUntil < today) throw new StationFailure('INVALID_INPUT', `retentionUntil: ${retentionUntil} is already past; give a date from today on.`).saying('retentionPast');
  if (g.hostMemberId && !sql(ctx.db, 'SELECT 1 FROM member WHERE id = ?').get(g.hostMemberId))
    throw new StationFailure('NOT_FOUND', `hostMemberId: no member "${g.hostMemberId}"; search the host by name.`).saying('hostUnknown');
  const guestId = newId();
  const visitId = newId();
  const at = iso(nowMs);
  sql(
    ctx.db,
    `INSERT INTO guest (id, first_name, last_name, company, email, nationality, language, search_text, host_member_id, consent_at, retention_until, registered_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(guestId, g.firstName, g.lastName, g.company ?? null, g.email ?? null, g.nationality ?? null, g.language,
    // The nationality stays out of the search text: nobody looks a guest up by it, and a search
    // key is one more copy of personal data.
    searchKey(`${g.firstName} ${g.lastName} ${g.company ?? ''} ${g.email ?? ''}`),
    g.hostMemberId ?? null, at, retentionUntil, at);
  sql(ctx.db, `INSERT INTO visit (id, site_id, member_id, guest_id, badge_uid, checked_in_at, checked_in_by, shift_id) VALUES (?, ?, NULL, ?, NULL, ?, 'staff', ?)`).run(
    visitId, ctx.siteId, guestId, at, g.shiftId ?? null,
  );
  sql(ctx.db, 'INSERT INTO open_visit (visit_id, member_id, checked_in_at) VALUES (?, NULL, ?)').run(visitId, at);
  appendEvent(
    ctx,
    'guest.registered',
    {
      guestId,
      firstName: g.firstName,
      lastName: g.lastName,
      ...(g.company ? { company: g.company } : {}),
      ...(g.email ? { email: g.email } : {}),
      ...(g.nationality ? { nationality: g.nationality } : {}),
      ...(g.hostMemberId ? { hostMemberId: g.hostMemberId } : {}),
      consentAt: at,
      retentionUntil,
    },
    nowMs,
  );
  appendEvent(ctx, 'visit.checked_in', { visitId, siteId: ctx.siteId, person: { kind: 'guest', guestId }, at, by: 'staff', ...(g.shiftId ? { shiftId: g.shiftId } : {}) }, nowMs);
  return findVisit(ctx, visitId);
}
