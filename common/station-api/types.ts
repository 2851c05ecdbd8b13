// What station methods answer, shared by several capabilities: people, visits and their lines,
// shifts, services, sign-ups.
import type { Language, Service } from '../reference-data.js';
import type { ServiceUnit } from '../tariff/pricing.js';
import type { Coverage } from '../events.js';
import type { Entitlement } from '../accounts/entitlement.js';
import type { PrintJob } from '../devices.js';
import type { SignupState } from '../signup.js';
import type { VisitPayments } from './payments.js';

export type { Coverage, Entitlement, SignupState };

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
  /** An hourly service: billed per started block of this many minutes (from the line's tariff). */
  billingIncrementMinutes?: number;
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
  /** What was paid at the desk, refunded and left to pay (visitDetail answers it once anything was paid). */
  payments?: VisitPayments;
}

export type TapResult =
  /** closed: the check-in happened outside the site's opening hours (it is still recorded). */
  | { outcome: 'checked_in'; visit: VisitSummary; closed?: { opensAt?: string } }
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
  /** When the open visit began: what tells an on-site homonym apart. */
  onSiteSince?: string;
  /** A member's number as people read it (common/member-number.ts). */
  memberNumber?: string;
  /** The query is this person's badge, member number or e-mail exactly (ranked before names). */
  exact?: true;
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
  /** The unit price VAT included: what a person reads. */
  unitGrossCents: number;
  /** An hourly service is billed per started block of this many minutes. */
  billingIncrementMinutes?: number;
}

export interface ImportSummary {
  sha256: string;
  counts: Record<string, number>;
}

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
