// What a guest purge or a member erasure must rewrite, written once for both stores: the rows each
// reads (erasureQueries, one text per SQL dialect) and what becomes of them (pure functions over
// the rows read). A store runs the queries in its transaction, calls these, and writes the
// rewrites; how it writes them (a statement per row, or one batched update) is its own.
//
// - A guest purge: their registrations, accepted or refused (a registration refused for reusing
//   another site's guest id holds a person's data too), in their purged form (guest-purge.ts,
//   purgedRegistrations);
//   then the rejected and quarantined copies (raw-copies.ts) of the guests named and of those
//   purged now, and of registrations only ever rejected whose retention date has passed.
// - A member erasure: the member.signed_up events, accepted or refused, and the sign-up decisions
//   of the member and of the provisional members merged into them (signup-erasure.ts), and their
//   rejected and quarantined copies.
import { dueRawRegistrations, guestScrub, rejectedRaw, scrubbedCopies, type RawCopy } from './raw-copies.js';
import { erasedPayloadText, memberScrub, type SignupEraser } from './signup-erasure.js';
import type { SqlDialect } from './sql-dialect.js';
import type { GuestPurgeSelection } from './store.js';

/** The selection's queries in one dialect (parameters as each says). Reads followed by rewrites take row locks where the dialect has them. */
export function erasureQueries(d: SqlDialect) {
  const guestId = d.payloadField('guestId');
  // PostgreSQL locks the copies in one order (by key), so two purges at once wait for each other rather than deadlock.
  const lockedInOrder = (lock: boolean) => (lock && d.forUpdate ? ` ORDER BY id${d.forUpdate}` : '');
  return {
    /** The registrations of some guests (1: a list of guest ids). */
    registrationsOf: `SELECT id, payload FROM event WHERE type = 'guest.registered' AND ${d.inList(guestId, 1)}${d.forUpdate}`,
    /** The registrations not purged whose retention date is before a day (1: YYYY-MM-DD). */
    registrationsDue: `SELECT id, payload FROM event WHERE type = 'guest.registered' AND ${d.payloadField('purgedAt')} IS NULL AND ${d.payloadField('retentionUntil')} < ${d.param(1)}${d.forUpdate}`,
    /** Which of some guests (1: a list) an accepted registration not purged names, as `g`. */
    unpurgedGuests: `SELECT ${guestId} AS g FROM event WHERE type = 'guest.registered' AND status = 'accepted' AND ${d.inList(guestId, 1)} AND ${d.payloadField('purgedAt')} IS NULL`,
    /** Every quarantined upload's raw text (few rows: an operator's exceptions). */
    quarantineCopies: (lock: boolean) => `SELECT id, raw FROM quarantine${lockedInOrder(lock)}`,
    /** Every rejected event's payload (the raw text, JSON-encoded), through their partial index. */
    rejectedCopies: (lock: boolean) => `SELECT id, payload FROM event WHERE status = 'rejected'${lockedInOrder(lock)}`,
    /** The provisional members merged into a member (1: the member's id). */
    mergedInto: `SELECT member_id FROM signup WHERE merged_into = ${d.param(1)}`,
    /** The member.signed_up events of some members (1: a list of member ids). */
    signupEventsOf: `SELECT id, payload FROM event WHERE type = 'member.signed_up' AND ${d.inList(d.payloadField('memberId'), 1)}${d.forUpdate}`,
    /** The sign-up decisions of some members (1: a list of member ids). */
    signupDecisionsOf: `SELECT member_id, payload FROM signup WHERE ${d.inList('member_id', 1)}${d.forUpdate}`,
  };
}

/** The raw copies, from the rows of quarantineCopies and rejectedCopies. */
export function rawCopiesOf(quarantine: readonly { id: number; raw: string }[], rejected: readonly { id: string; payload: string }[]): RawCopy[] {
  const copies: RawCopy[] = quarantine.map((r) => ({ table: 'quarantine', key: r.id, raw: r.raw }));
  for (const r of rejected) {
    const raw = rejectedRaw(r.payload);
    if (raw !== undefined) copies.push({ table: 'event', key: r.id, raw });
  }
  return copies;
}

/**
 * The guests whose copies a purge erases: those named and those purged now; undefined when it
 * has nobody to purge and no retention date, and so need not read the copies at all.
 */
export function guestsWithCopies(select: GuestPurgeSelection, purgedNow: Iterable<string>): Set<string> | undefined {
  const guests = new Set([...(select.guestIds ?? []), ...purgedNow]);
  return guests.size === 0 && select.retentionBefore === undefined ? undefined : guests;
}

/** A purge's rewrites of copies: the guests', and registrations only ever rejected whose retention date has passed. */
export function purgedCopies(select: GuestPurgeSelection, guests: ReadonlySet<string>, copies: readonly RawCopy[], at: string | ((guestId: string) => string)): { copy: RawCopy; stored: string }[] {
  const all = new Set(guests);
  if (select.retentionBefore !== undefined) for (const g of dueRawRegistrations(copies, select.retentionBefore)) all.add(g);
  return scrubbedCopies(copies, [...all].map((g) => guestScrub(g, typeof at === 'string' ? at : at(g))));
}

/** A member erasure's rewrites, given the members (the member, then those merged into them) and the rows read for them. */
export function erasedSignups(
  members: readonly string[],
  erase: SignupEraser,
  at: string,
  read: { events: readonly { id: string; payload: string }[]; decisions: readonly { member_id: string; payload: string }[]; copies: readonly RawCopy[] },
): { events: { id: string; payload: string }[]; decisions: { memberId: string; payload: string }[]; copies: { copy: RawCopy; stored: string }[] } {
  const events: { id: string; payload: string }[] = [];
  for (const e of read.events) {
    const payload = erasedPayloadText(e.payload, erase);
    if (payload !== undefined) events.push({ id: e.id, payload });
  }
  const decisions: { memberId: string; payload: string }[] = [];
  for (const d of read.decisions) {
    const payload = erasedPayloadText(d.payload, erase);
    if (payload !== undefined) decisions.push({ memberId: d.member_id, payload });
  }
  // Quarantined and rejected copies of their sign-ups: erased as the stored one, or replaced by a notice.
  return { events, decisions, copies: scrubbedCopies(read.copies, members.map((m) => memberScrub(m, erase, at))) };
}
