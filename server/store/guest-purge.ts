// The one change the hub makes to a stored event: a guest's registration loses its personal
// fields after the retention date (see common/events.ts redactGuestRegistered). Both stores find
// the rows their own way and rewrite them with this, so they hold the same text as the station.
import { eventPayloadSchemas, redactGuestRegistered } from '../../common/events.js';

export interface RegistrationRow {
  id: string;
  payload: string;
}

/** The new payload text of each registration not purged yet, purged at `at` (or at its guest's purge time), with its guest. */
export function purgedRegistrations(rows: RegistrationRow[], at: string | ((guestId: string) => string)): { id: string; guestId: string; payload: string }[] {
  const out: { id: string; guestId: string; payload: string }[] = [];
  for (const r of rows) {
    const parsed = eventPayloadSchemas['guest.registered'].safeParse(JSON.parse(r.payload));
    // An accepted row was valid when stored; one that no longer parses is left for an operator
    // rather than guessed at (it cannot be a purged one: that form parses).
    if (!parsed.success || 'purgedAt' in parsed.data) continue;
    out.push({ id: r.id, guestId: parsed.data.guestId, payload: JSON.stringify(redactGuestRegistered(parsed.data, typeof at === 'string' ? at : at(parsed.data.guestId))) });
  }
  return out;
}

/** Event types that tell about a member, and how each names them (see HubStore.memberEvents). */
export const MEMBER_EVENT_TYPES = ['visit.checked_in', 'visit.checked_out', 'visit.voided', 'visit.checkout_undone', 'consumption.recorded', 'consumption.voided', 'badge.assigned'] as const;
