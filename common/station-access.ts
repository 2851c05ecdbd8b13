// Who may call each station method: the trust model of a station standing in a public reception.
// The kiosk screen is unattended and touched by visitors; the reception window is the desk's; the
// command line is the operator at the machine. Every method of the station API is declared here —
// the type below does not compile while one is missing — and the station enforces it on the
// server side (main/station/access/), whatever a page or a preload offers.
import type { StationMethod } from './station-api.js';
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

export const STATION_METHOD_ROLES: { readonly [M in StationMethod]: StationRole } = {
  tap: 'kiosk',
  siteProfile: 'kiosk',
  syncStatus: 'kiosk',

  staff: 'reception',
  staffSignIn: 'reception',
  staffSession: 'reception',

  staffSignOut: 'desk',
  search: 'desk',
  checkIn: 'desk',
  checkOut: 'desk',
  registerGuest: 'desk',
  assignBadge: 'desk',
  signUpMember: 'desk',
  signUps: 'desk',
  companies: 'desk',
  printWelcome: 'desk',
  addConsumption: 'desk',
  voidConsumption: 'desk',
  voidVisit: 'desk',
  services: 'desk',
  onSite: 'desk',
  dayFigures: 'desk',
  dayVisits: 'desk',
  visitDetail: 'desk',
  memberVisits: 'desk',
  devices: 'desk',
  printReceipt: 'desk',
  printBadge: 'desk',
  testPrint: 'desk',
  reprint: 'desk',
  printJobs: 'desk',

  configureHub: 'supervisor',
  importReferenceData: 'supervisor',
  deviceConfigs: 'supervisor',
  configureDevice: 'supervisor',
  removeDevice: 'supervisor',
  events: 'supervisor',
  unlockStaff: 'supervisor',

  autoClose: 'cli',
  purgeGuests: 'cli',
  allowPrinterFile: 'cli',
};

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
