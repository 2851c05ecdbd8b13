// Whether a stored event and an uploaded one are the same fact (a resend) or two different facts
// claiming the same place in a stream (to quarantine).
import type { StationEvent } from '../../common/events.js';

export interface StoredEventFields {
  id: string;
  type: string;
  payload: string;
  wall_time: string | null;
  hlc: string | null;
}

export function sameEvent(stored: StoredEventFields, e: StationEvent): boolean {
  return stored.id === e.id && stored.type === e.type && stored.wall_time === e.wallTime && stored.hlc === e.hlc && stored.payload === JSON.stringify(e.payload);
}
