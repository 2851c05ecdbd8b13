// Purging walk-in guests' personal data once their retention date has passed (GDPR storage
// limitation). The anonymous facts stay for the accounts: the guest's id, visits, consumption,
// host member, consent and retention dates. What goes: names, company, e-mail, nationality, the
// search text, the same fields in the guest's `guest.registered` event and the name on their
// print jobs.
import type { EventPayload } from '../../../common/events.js';
import { eventPayloadSchemas, redactGuestRegistered } from '../../../common/events.js';
import { localDate } from '../../../common/time.js';
import { iso, sql, type StationContext } from '../context.js';
import { appendEvent } from '../outbox/outbox.js';
import { rewriteOutboxPayloads } from '../outbox/rewrite.js';

/** What a purged guest's print jobs show instead of the name (a reprint keeps the amounts). */
export const PURGED_NAME = '—';

/**
 * How a purged guest row looks: empty names. registerGuest refuses empty names (and the database
 * cannot get another marker without a schema change, see README "Privacy"), so an empty first and
 * last name is never anything but a purge.
 */
export const PURGED_GUEST_SQL = "(first_name = '' AND last_name = '')";
export const isPurgedGuest = (r: { first_name: string; last_name: string }): boolean => r.first_name === '' && r.last_name === '';

export interface PurgeResult {
  /** The guests purged now. */
  purged: string[];
  /** Guests past their retention date kept for now because their visit is still open (purged once it closes). */
  deferred: string[];
}

/**
 * Purges every guest whose retention date (a local day at the site) is before today. Must run
 * inside a write transaction (writeTransaction): the guest rows, the outbox redaction and the
 * `guest.purged` events are committed together or not at all.
 */
export function purgeDueGuests(ctx: StationContext, nowMs: number): PurgeResult {
  const at = iso(nowMs);
  // Before any reference data there is no site, and no guest either: the network's default zone.
  const today = localDate(at, ctx.site?.timeZone ?? 'Europe/Brussels');
  const due = sql(
    ctx.db,
    `SELECT g.id, g.retention_until, EXISTS (SELECT 1 FROM visit v JOIN open_visit o ON o.visit_id = v.id WHERE v.guest_id = g.id) AS on_site
       FROM guest g WHERE g.retention_until < ? AND NOT ${PURGED_GUEST_SQL.replace(/(first_name|last_name)/g, 'g.$1')} ORDER BY g.registered_at`,
  ).all(today) as { id: string; retention_until: string; on_site: number }[];
  // Someone still on site stays on the evacuation list by name until their visit closes.
  const deferred = due.filter((g) => g.on_site).map((g) => g.id);
  const purge = due.filter((g) => !g.on_site);
  if (purge.length === 0) return { purged: [], deferred };
  const ids = JSON.stringify(purge.map((g) => g.id));

  sql(ctx.db, `UPDATE guest SET first_name = '', last_name = '', company = NULL, email = NULL, nationality = NULL, search_text = '' WHERE id IN (SELECT value FROM json_each(?))`).run(ids);
  sql(
    ctx.db,
    `UPDATE print_job SET document = json_set(document, '$.person', json_object('name', ?))
      WHERE visit_id IN (SELECT v.id FROM visit v WHERE v.guest_id IN (SELECT value FROM json_each(?)))`,
  ).run(PURGED_NAME, ids);

  // The registration's personal fields are redacted in the outbox too (see outbox/rewrite.ts).
  // One scan of the outbox (no index on a payload field: it would cost every tap a page write),
  // only when guests are due — usually one run a day finds any.
  const registrations = sql(
    ctx.db,
    `SELECT position, payload FROM outbox WHERE type = 'guest.registered' AND json_extract(payload, '$.guestId') IN (SELECT value FROM json_each(?))`,
  ).all(ids) as { position: number; payload: string }[];
  rewriteOutboxPayloads(
    ctx,
    registrations
      .map((r) => ({ position: r.position, payload: JSON.stringify(redactGuestRegistered(eventPayloadSchemas['guest.registered'].parse(JSON.parse(r.payload)), at)) }))
      .filter((r, i) => r.payload !== registrations[i]!.payload),
  );

  for (const g of purge) appendEvent(ctx, 'guest.purged', { guestId: g.id, retentionUntil: g.retention_until, at } satisfies EventPayload<'guest.purged'>, nowMs);
  return { purged: purge.map((g) => g.id), deferred };
}
