// Whether a stored event and an uploaded one are the same fact (a resend) or two different facts
// claiming the same place in a stream (to quarantine).
import { sameGuestFacts, sameSignupFacts, type StationEvent } from '../../common/events.js';

export interface StoredEventFields {
  id: string;
  type: string;
  payload: string;
  wall_time: string | null;
  hlc: string | null;
}

export function sameEvent(stored: StoredEventFields, e: StationEvent): boolean {
  if (stored.id !== e.id || stored.type !== e.type || stored.wall_time !== e.wallTime || stored.hlc !== e.hlc) return false;
  const text = JSON.stringify(e.payload);
  if (stored.payload === text) return true;
  // A guest's registration is the one event whose payload changes after it is stored: its
  // personal fields are erased after the retention date, at the station (which may then resend
  // the purged form, its ack lost) or at the hub (which may then receive the original again from
  // a station that had not purged yet). Either way the anonymous facts decide — only then: two
  // unpurged registrations with different names are different events.
  // A member's sign-up is the other: erased at the hub on the member's request, and at each
  // station as the erasure reaches it; a resend may meet the other form.
  if (e.type === 'member.signed_up') return sameSignupFacts(JSON.parse(stored.payload), e.payload);
  if (e.type !== 'guest.registered') return false;
  const storedPayload = JSON.parse(stored.payload) as object;
  return ('purgedAt' in storedPayload || 'purgedAt' in e.payload) && sameGuestFacts(storedPayload, e.payload);
}
