// The station API: the one typed contract that the CLI, Electron IPC and the local host serve. Its
// methods are declared by capability in common/station-api/ — each with who may call it (the role),
// what it changes, its input's zod schema and its answer — and assembled here. Every input is
// validated with its schema before it reaches the station core; every answer is a Result:
// {ok:true,value} or {ok:false,error:{code,message}}.
//
// Adding a station method, in four steps:
//   1. its spec (role, changes, input) and its output in the capability's file of
//      common/station-api/ (a new capability: a new file, spread in below);
//   2. its handler in the capability's handlers.ts beside its domain code (main/station/);
//   3. nothing in IPC or preload: the windows whose roles include the method's get it by name;
//   4. a test of the handler (tests/station) and, if a window uses it, of the screen (tests/ui).
import type { z } from 'zod';
import type { Result } from './result.js';
import { badgeUidSchema, languageSchema } from './reference-data.js';
import type { StationChange } from './station-api/method.js';
import { visitsMethods, type VisitsOutputs } from './station-api/visits.js';
import { guestsMethods, type GuestsOutputs } from './station-api/guests.js';
import { membersMethods, type MembersOutputs } from './station-api/members.js';
import { consumptionMethods, type ConsumptionOutputs } from './station-api/consumption.js';
import { staffMethods, type StaffOutputs } from './station-api/staff.js';
import { figuresMethods, type FiguresOutputs } from './station-api/figures.js';
import { devicesMethods, type DevicesOutputs } from './station-api/devices.js';
import { syncMethods, type SyncOutputs } from './station-api/sync.js';
import { referenceMethods, type ReferenceOutputs } from './station-api/reference.js';
import { cardReadsMethods, type CardReadsOutputs } from './station-api/card-reads.js';
import { kioskMethods, type KioskOutputs } from './station-api/kiosk.js';
import { paymentsMethods, type PaymentsOutputs } from './station-api/payments.js';
import { tillMethods, type TillOutputs } from './station-api/till.js';

export * from './station-api/types.js';
export type { StationChange } from './station-api/method.js';
export type { CardOwner } from './station-api/card-reads.js';
export type { KioskSettings } from './station-api/kiosk.js';
export type { PaymentRecord, RefundRecord, VisitPayments, VisitPaymentEntry } from './station-api/payments.js';
export type { TillFigures, TillState, TillReport } from './station-api/till.js';
export { badgeUidSchema, languageSchema };

/** Every station method's spec, by capability. */
export const STATION_METHOD_SPECS = {
  ...visitsMethods,
  ...guestsMethods,
  ...membersMethods,
  ...consumptionMethods,
  ...staffMethods,
  ...figuresMethods,
  ...devicesMethods,
  ...syncMethods,
  ...referenceMethods,
  ...cardReadsMethods,
  ...kioskMethods,
  ...paymentsMethods,
  ...tillMethods,
} as const;

type Specs = typeof STATION_METHOD_SPECS;
export type StationMethod = keyof Specs;

/** Each method's input schema. */
export const stationInputs = Object.fromEntries(Object.entries(STATION_METHOD_SPECS).map(([m, spec]) => [m, spec.input])) as { [M in StationMethod]: Specs[M]['input'] };
export type StationInput<M extends StationMethod> = z.input<Specs[M]['input']>;
export type ParsedInput<M extends StationMethod> = z.output<Specs[M]['input']>;

/** What a successful call of each method changes, for the windows to reload what shows it. */
export const changesOf = (method: StationMethod): StationChange | undefined => (STATION_METHOD_SPECS[method] as { changes?: StationChange }).changes;

export interface StationOutputs extends VisitsOutputs, GuestsOutputs, MembersOutputs, ConsumptionOutputs, StaffOutputs, FiguresOutputs, DevicesOutputs, SyncOutputs, ReferenceOutputs, CardReadsOutputs, KioskOutputs, PaymentsOutputs, TillOutputs {}

// Every method has an output, and every output a method.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _everyMethodAnswers: Same<keyof StationOutputs, StationMethod> = true;
void _everyMethodAnswers;

/** The contract every host of the station serves. */
export type StationApi = {
  [M in StationMethod]: (input: StationInput<M>) => Promise<Result<StationOutputs[M]>>;
};

export const STATION_METHODS = Object.keys(STATION_METHOD_SPECS) as StationMethod[];
