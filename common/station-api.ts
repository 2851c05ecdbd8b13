// The station API: the one typed contract that the CLI, Electron IPC and the local host serve.
// Every input is validated with the zod schema named here before it reaches the station core;
// every answer is a Result: {ok:true,value} or {ok:false,error:{code,message}}.
import { z } from 'zod';
import type { Result } from './result.js';
import { badgeUidSchema, languageSchema, type Language, type Service, type Site } from './reference-data.js';
import type { ServiceUnit } from './tariff/pricing.js';
import type { Coverage, StationEvent } from './events.js';
import type { Entitlement } from './accounts/entitlement.js';
import { isoInstant } from './events.js';
import { handshakeSchema } from './sync/protocol.js';
import type { SyncStatus } from './sync/status.js';
import { deviceConfigSchema, type DeviceConfig, type DeviceStatus, type PrintJob } from './devices.js';
import { billingAddressSchema, vatNumberSchema, type SignupState } from './signup.js';

const refId = z.string().trim().min(1, 'must not be empty').max(64, 'at most 64 characters');
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'an id as shown by the station');
const name = z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters');
const reason = z.string().trim().min(3, 'give a reason of at least 3 characters').max(500, 'at most 500 characters');
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const shiftId = uuid.optional();
/**
 * A walk-in guest's nationality as the eID states it ("Belge", "Belg", "Deutsch"…) or as the clerk
 * types it: free text, not a code list, since the card's wording is the commune's. Printable only
 * (no control, format or line-separator characters): it is shown on screens and kept until the
 * retention date. Empty once trimmed means not given.
 */
const nationality = z
  .string()
  .trim()
  .max(60, 'at most 60 characters')
  .regex(/^[^\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]*$/u, 'printable characters only (no control characters or line breaks)')
  .optional()
  .transform((v) => (v ? v : undefined));

export const stationInputs = {
  tap: z.object({
    uid: z.string(),
    /** When the reader read the badge; defaults to now. A queued read keeps its real time. */
    at: isoInstant.optional(),
    source: z.string().max(64).optional(),
  }),
  search: z.object({ query: z.string().max(200, 'at most 200 characters'), limit: z.number().int().min(1).max(100).default(20) }),
  checkIn: z.object({ memberId: refId, shiftId }),
  checkOut: z.object({ visitId: uuid, shiftId }),
  registerGuest: z.object({
    firstName: name,
    lastName: name,
    company: z.string().trim().max(100).optional(),
    email: z.email('an e-mail address').max(254).optional(),
    /** Filled from the eID when one was read; personal data, erased with the names at the retention date. */
    nationality,
    hostMemberId: refId.optional(),
    language: languageSchema.default('fr'),
    consent: z.literal(true, 'the guest must consent to the processing of their data'),
    /** Local date after which the guest's personal data is purged; defaults to the site's rule. */
    retentionUntil: localDate.optional(),
    shiftId,
  }),
  assignBadge: z.object({ memberId: refId, uid: z.string(), kind: z.enum(['rfid', 'qr', 'barcode']).default('rfid'), shiftId }),
  /**
   * A new network member signed up at this reception (agent sale), offline if need be: the member
   * exists here at once (and may check in), awaiting the hub's confirmation.
   */
  signUpMember: z.object({
    firstName: name,
    lastName: name,
    email: z.email('an e-mail address such as name@example.be').max(254, 'at most 254 characters'),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ./()-]{6,30}$/, 'a phone number such as +32 2 555 12 34')
      .optional(),
    language: languageSchema,
    payer: z.discriminatedUnion('kind', [
      /** An existing company of the network pays. */
      z.object({ kind: z.literal('company'), payerId: refId }),
      /** The member pays for themself: where the statements go, and their VAT number if they have one. */
      z.object({ kind: z.literal('self'), billingAddress: billingAddressSchema, vatNumber: vatNumberSchema.optional() }),
    ]),
    termsAccepted: z.literal(true, 'the new member must accept the network’s terms of membership'),
    privacyAccepted: z.literal(true, 'the new member must acknowledge the network’s privacy notice'),
    /** A card tapped on a reader (its UID), or a QR badge the station makes and prints on the welcome slip. */
    badge: z.discriminatedUnion('kind', [z.object({ kind: z.literal('rfid'), uid: z.string() }), z.object({ kind: z.literal('qr') })]),
    /** Check the new member in at once (default). */
    checkIn: z.boolean().default(true),
    /** Print the welcome slip on the receipt printer (default; the sign-up stands without a printer). */
    printWelcome: z.boolean().default(true),
    shiftId,
  }),
  /** The sign-ups made at this reception, the latest first, with what the hub answered. */
  signUps: z.object({ limit: z.number().int().min(1).max(500).default(50) }),
  /** The network's companies, for the payer of a new member. */
  companies: z.object({ query: z.string().max(100, 'at most 100 characters').default(''), limit: z.number().int().min(1).max(500).default(200) }),
  /** Prints a member's welcome slip again (the same words, in their language). */
  printWelcome: z.object({ memberId: refId, printerId: z.string().max(32).optional() }),
  addConsumption: z.object({
    visitId: uuid,
    serviceCode: refId,
    /** Minutes for an hourly service, a count for every other. */
    quantity: z.number().int('a whole number').min(1, 'at least 1').max(100_000, 'at most 100000'),
    at: isoInstant.optional(),
    shiftId,
  }),
  voidConsumption: z.object({ consumptionId: uuid, reason, shiftId }),
  voidVisit: z.object({ visitId: uuid, reason, shiftId }),
  autoClose: z.object({}),
  /** Erases the personal data of guests past their retention date (also run by the station itself, hourly). */
  purgeGuests: z.object({}),
  staffSignIn: z.object({ staffId: refId, pin: z.string().regex(/^\d{4,12}$/, 'a PIN of 4 to 12 digits') }),
  staffSignOut: z.object({ shiftId: uuid }),
  /** The clerk signed in at this window or connection, if any (a reloaded reception page resumes it). */
  staffSession: z.object({}),
  /** A supervisor lifts a clerk's PIN lockout. */
  unlockStaff: z.object({ staffId: refId, shiftId }),
  /** The site's reception staff, for the sign-in screen (never their PIN hashes). */
  staff: z.object({}),
  /** The services priced at this site today, named in `language`: what staff can add to a visit. */
  services: z.object({ language: languageSchema.default('en') }),
  onSite: z.object({}),
  dayFigures: z.object({ date: localDate.optional() }),
  /** The visits that began on a local day (default today), the latest first. */
  dayVisits: z.object({ date: localDate.optional() }),
  visitDetail: z.object({ visitId: uuid }),
  memberVisits: z.object({ memberId: refId, limit: z.number().int().min(1).max(500).default(50) }),
  siteProfile: z.object({}),
  events: z.object({ afterPosition: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(10_000).default(1000) }),
  importReferenceData: z.object({ data: z.unknown(), source: z.string().max(500).optional() }),
  // Devices and printing
  devices: z.object({}),
  deviceConfigs: z.object({}),
  configureDevice: z.object({ config: deviceConfigSchema }),
  removeDevice: z.object({ id: z.string().min(1).max(32) }),
  printReceipt: z.object({ visitId: uuid, printerId: z.string().max(32).optional() }),
  printBadge: z.object({ visitId: uuid, printerId: z.string().max(32).optional() }),
  testPrint: z.object({ printerId: z.string().min(1).max(32) }),
  reprint: z.object({ jobId: uuid, printerId: z.string().max(32).optional() }),
  printJobs: z.object({ visitId: uuid.optional(), limit: z.number().int().min(1).max(500).default(50) }),
  // Sync with the hub
  syncStatus: z.object({}),
  /**
   * The command line's allow-list of files a "file printer" may write besides device nodes
   * (/dev/usb/lp*, serial ttys): add a path, or remove it. Nothing printed goes anywhere else.
   */
  allowPrinterFile: z.object({ path: z.string().min(1).max(4096).optional(), remove: z.boolean().default(false) }),
  configureHub: z.object({
    url: z.url({ protocol: /^https?$/, error: 'the hub address, such as https://hub.escale.example' }),
    credential: handshakeSchema.shape.credential,
  }),
} as const;

export type StationMethod = keyof typeof stationInputs;
export type StationInput<M extends StationMethod> = z.input<(typeof stationInputs)[M]>;
export type ParsedInput<M extends StationMethod> = z.output<(typeof stationInputs)[M]>;

export { badgeUidSchema, languageSchema };
export type { Coverage, Entitlement };

// ---- outputs -------------------------------------------------------------------------------

export interface PersonRef {
  kind: 'member' | 'guest';
  id: string;
  firstName: string;
  lastName: string;
  company?: string;
  language: Language;
  /** A guest whose personal data was purged after the retention date: no names to show (they are empty). */
  purged?: true;
  /** A guest's nationality, when one was given at registration (never a member's: the network does not hold it). */
  nationality?: string;
}

export interface ConsumptionLine {
  id: string;
  serviceCode: string;
  serviceName: string;
  quantity: number;
  billedQuantity: number;
  unit: string;
  unitPriceCents: number;
  vatRateBp: number;
  netCents: number;
  vatCents: number;
  grossCents: number;
  capApplied: boolean;
  /** What paid for it (a void: what the line it compensates had); netCents is the pay-as-you-go part. */
  coverage: Coverage;
  at: string;
  source: 'checkout' | 'staff' | 'void';
  voidsId?: string;
  voidedBy?: string;
  reason?: string;
}

export interface VisitSummary {
  visitId: string;
  person: PersonRef;
  badgeUid?: string;
  checkedInAt: string;
  checkedInBy: 'badge' | 'staff';
  checkedOutAt?: string;
  checkedOutBy?: 'badge' | 'staff' | 'auto';
  autoClosed: boolean;
  voided?: { reason: string; at: string };
  durationMinutes: number;
  totals: { netCents: number; vatCents: number; grossCents: number };
  /**
   * A member's open visit, and the visit a check-out tap just closed: what pays for their
   * workspace here that day (a pass, hours left on a company quota as last known, or
   * pay-as-you-go), as this station knows it. The hub's figures are authoritative.
   */
  entitlement?: Entitlement;
  /**
   * An open visit: its amount if the person checked out now (the lines so far and the workspace
   * time so far, priced under the entitlement), and what would pay for that time.
   */
  provisional?: { netCents: number; vatCents: number; grossCents: number; workspaceCoverage?: Coverage };
}

export interface VisitDetail extends VisitSummary {
  lines: ConsumptionLine[];
}

export type TapResult =
  | { outcome: 'checked_in'; visit: VisitSummary }
  | { outcome: 'checked_out'; visit: VisitDetail }
  | { outcome: 'unknown_badge'; uid: string }
  | { outcome: 'refused'; uid: string; reason: 'badge_lost' | 'badge_revoked' | 'member_blocked'; message: string; person?: PersonRef }
  | { outcome: 'already_done'; uid: string; last: 'checked_in' | 'checked_out'; visitId: string; person: PersonRef };

export interface SearchHit {
  person: PersonRef;
  email?: string;
  status: 'active' | 'blocked' | 'guest';
  /** A member signed up at this reception: where their sign-up stands at the hub. */
  signUp?: SignupState;
  badges: { uid: string; status: string }[];
  openVisitId?: string;
}

export interface OnSiteEntry {
  visitId: string;
  person: PersonRef;
  checkedInAt: string;
  hostName?: string;
}

export interface DayFigures {
  date: string;
  timeZone: string;
  visits: number;
  voidedVisits: number;
  distinctMembers: number;
  guests: number;
  onSiteNow: number;
  autoClosed: number;
  minutesHosted: number;
  byService: { serviceCode: string; serviceName: string; billedQuantity: number; netCents: number; vatCents: number; grossCents: number }[];
  totals: { netCents: number; vatCents: number; grossCents: number };
}

export interface Shift {
  shiftId: string;
  staffId: string;
  staffName: string;
  /** A supervisor may also configure the station and unlock a clerk. */
  role: 'clerk' | 'supervisor';
  startedAt: string;
  endedAt?: string;
}

export interface StaffMember {
  id: string;
  name: string;
  /** Sign-in is locked by wrong PINs now (a supervisor may unlock it). */
  locked?: true;
}

export interface ServiceOffer {
  code: string;
  name: string;
  unit: ServiceUnit;
  category: Service['category'];
  /** The unit price at this site's star level in the tariff in force today, excluding VAT. */
  unitPriceCents: number;
  vatRateBp: number;
}

export interface ImportSummary {
  sha256: string;
  counts: Record<string, number>;
}

export type { SignupState };

/** A sign-up made at this reception and where it stands. */
export interface SignUpSummary {
  memberId: string;
  person: PersonRef;
  email: string;
  payer: { id: string; kind: 'company' | 'self'; name: string };
  badge?: { uid: string; kind: 'rfid' | 'qr' | 'barcode' };
  signedUpAt: string;
  /** The local day of the sign-up: the agent's commission counts from it. */
  signedUpOn: string;
  state: SignupState;
  /** A refusal's stable reason (payer_blocked, payer_unknown, site_mismatch, operator). */
  reason?: string;
  /** The hub's or the operator's words about the outcome. */
  detail?: string;
  duplicateOf?: string;
  mergedInto?: string;
  decidedAt?: string;
}

export interface SignUpResult {
  signUp: SignUpSummary;
  /** The visit opened at once (checkIn). */
  visit?: VisitSummary;
  /** The welcome slip queued for printing. */
  welcomePrint?: PrintJob;
  /** Why no welcome slip was queued (no receipt printer set up…); the sign-up stands. */
  welcomePrintError?: { code: string; message: string };
}

export interface StationOutputs {
  tap: TapResult;
  search: SearchHit[];
  checkIn: VisitSummary;
  checkOut: VisitDetail;
  registerGuest: VisitSummary;
  assignBadge: { uid: string; memberId: string; kind: string };
  signUpMember: SignUpResult;
  signUps: SignUpSummary[];
  companies: { id: string; name: string; vatNumber?: string }[];
  printWelcome: PrintJob;
  addConsumption: ConsumptionLine;
  voidConsumption: ConsumptionLine;
  voidVisit: VisitDetail;
  autoClose: { closed: VisitSummary[] };
  /** Guests purged now; guests past their date still on site are purged once their visit closes. */
  purgeGuests: { purged: string[]; deferred: string[] };
  staffSignIn: Shift;
  staffSignOut: Shift;
  staffSession: { shift?: Shift };
  unlockStaff: { staffId: string; wasLocked: boolean };
  allowPrinterFile: { paths: string[] };
  staff: StaffMember[];
  services: ServiceOffer[];
  onSite: OnSiteEntry[];
  dayFigures: DayFigures;
  dayVisits: VisitDetail[];
  visitDetail: VisitDetail;
  memberVisits: VisitSummary[];
  siteProfile: Site;
  /** Outbox events in local order; position is their place in this station's outbox. */
  events: (StationEvent & { position: number })[];
  importReferenceData: ImportSummary;
  devices: DeviceStatus[];
  deviceConfigs: DeviceConfig[];
  configureDevice: DeviceConfig;
  removeDevice: { id: string };
  printReceipt: PrintJob;
  printBadge: PrintJob;
  testPrint: PrintJob;
  reprint: PrintJob;
  printJobs: PrintJob[];
  syncStatus: SyncStatus;
  configureHub: { url: string; stationId: string };
}

/** The contract every host of the station serves. */
export type StationApi = {
  [M in StationMethod]: (input: StationInput<M>) => Promise<Result<StationOutputs[M]>>;
};

export const STATION_METHODS = Object.keys(stationInputs) as StationMethod[];
