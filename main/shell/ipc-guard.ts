// The IPC handler's checks, kept apart from electron so they are tested in plain Node: only our
// own windows may call, only methods of the station API, and every input is parsed by the
// method's schema (callStation does that).
import type { Result } from '../../common/result.js';
import { STATION_METHODS, type StationMethod } from '../../common/station-api.js';
import type { Station } from '../station/station.js';
import { callStation } from '../station/api.js';

export function guardedCall(station: Station, senderId: number, allowedSenders: ReadonlySet<number>, method: unknown, input: unknown): Result<unknown> {
  if (!allowedSenders.has(senderId)) return { ok: false, error: { code: 'REFUSED', message: 'Only the station’s own windows may call the station.' } };
  if (typeof method !== 'string' || !STATION_METHODS.includes(method as StationMethod))
    return { ok: false, error: { code: 'INVALID_INPUT', message: `There is no station method "${String(method).slice(0, 64)}".` } };
  return callStation(station, method as StationMethod, input);
}
