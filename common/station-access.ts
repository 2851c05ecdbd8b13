// Who may call each station method: the trust model of a station standing in a public reception.
// The kiosk screen is unattended and touched by visitors; the reception window is the desk's; the
// command line is the operator at the machine. Every method declares its role in its capability's
// spec (common/station-api/; MethodSpec requires it), and the station enforces it on the server
// side (main/station/access/), whatever a page or a preload offers.
import { STATION_METHOD_SPECS, type StationMethod } from './station-api.js';
import type { EventPayload } from './events.js';

/**
 * - `kiosk`: the public screen — a tap, the site it greets visitors for, whether the hub is
 *   reached. Every window may call these.
 * - `reception`: the reception window before a clerk signs in — the sign-in screen's needs.
 * - `desk`: a clerk signed in with their PIN, in that window or connection (the station holds the
 *   session; the clerk is taken from it, never from the request).
 * - `supervisor`: a signed-in staff member whose reference data makes them a supervisor — the hub
 *   connection, reference data, device configuration, raw events, unlocking a clerk.
 * - `cli`: nobody but the command line (housekeeping the station runs by itself, file allow-lists).
 */
export type StationRole = 'kiosk' | 'reception' | 'desk' | 'supervisor' | 'cli';

/** Each method's role, as its capability declares it (common/station-api/). */
export const STATION_METHOD_ROLES = Object.fromEntries(Object.entries(STATION_METHOD_SPECS).map(([m, spec]) => [m, spec.role])) as { readonly [M in StationMethod]: StationRole };

/** The windows of a station, and what each may ever reach. */
export type StationWindow = 'kiosk' | 'reception';

export const WINDOW_ROLES: { readonly [W in StationWindow]: readonly StationRole[] } = {
  kiosk: ['kiosk'],
  reception: ['kiosk', 'reception', 'desk', 'supervisor'],
};

/** The methods a window's page may call at all (a desk or supervisor method still needs the session). */
export function methodsOfWindow(window: StationWindow): StationMethod[] {
  const roles = WINDOW_ROLES[window];
  return (Object.keys(STATION_METHOD_ROLES) as StationMethod[]).filter((m) => roles.includes(STATION_METHOD_ROLES[m]));
}

/** Why a call was refused, as the audit event and the error code say it. */
export type AccessRefusal = EventPayload<'access.refused'>['reason'];

/**
 * Which windows a message from the station is for: an eID read carries a guest's names, and a card
 * read for a form whose card it is, for the desk alone; taps and changes are for every window.
 */
export const audienceOf = (message: { kind: string }): readonly StationWindow[] =>
  message.kind === 'identity' || message.kind === 'cardRead' ? ['reception'] : ['kiosk', 'reception'];
