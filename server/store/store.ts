// The hub's store: the network's authoritative ledger (events from every station's outbox) and
// the reference data it sends down. Two implementations pass the same tests: embedded SQLite
// (sqlite-store.ts, the default) and PostgreSQL (postgres-store.ts, for a real network).
import type { ReferenceChange, ReferenceEntity } from '../../common/sync/protocol.js';
import { DEVICE_EVENT_TYPES, type StationEvent, type Stream } from '../../common/events.js';
import type { SignupEraser } from './signup-erasure.js';
import type { ErasureLog } from './erasure-log.js';

/** The device-health event types as an SQL condition (both stores' partial index and its query). */
export const DEVICE_TYPES_SQL = `type IN (${DEVICE_EVENT_TYPES.map((t) => `'${t}'`).join(', ')})`;

export interface StationRecord {
  id: string;
  siteId: string;
  name: string;
  secretHash: string;
  enrolledAt: string;
  revokedAt?: string;
}

/** One event of an upload, as the hub classified it before storing. */
export type IngestItem =
  | { kind: 'valid'; seq: number; event: StationEvent; flags?: string[] }
  | { kind: 'invalid'; seq: number; id?: string; reason: string; raw: string };

export interface IngestResult {
  ackedSeq: number;
  rejected: { seq: number; id?: string; reason: string }[];
  quarantined: { seq: number; id?: string; reason: string }[];
  /** Set when this upload opened a new epoch for a site that had another: a restored or recreated database. */
  newEpochOf?: string[];
}

export interface IngestContext {
  receivedAt: string;
  /** Station clock minus hub clock, measured on this upload (ms). */
  clockOffsetMs: number;
  /** Flags to put on every event of the upload (e.g. clock_skew). */
  flags: string[];
}

export interface StoredEvent extends Record<string, unknown> {
  id: string;
  siteId: string;
  epoch: string;
  seq: number;
  type: string;
  status: 'accepted' | 'rejected';
  reason?: string;
  payload: unknown;
  wallTime?: string;
  hlc?: string;
  receivedAt: string;
  clockOffsetMs: number;
  flags: string[];
}

export interface StreamRecord {
  siteId: string;
  epoch: string;
  ackedSeq: number;
  firstSeen: string;
  lastSeen: string;
  lastClockOffsetMs: number;
  /**
   * The station's clock when it last had nothing more to send on this stream (all its events up
   * to then are here): the stream's watermark, which a billing period's close waits for.
   */
  caughtUpAt?: string;
}

/** An accepted event as the accounts read it: what, where. */
export interface AccountingEvent {
  siteId: string;
  type: string;
  payload: unknown;
}

/** A billing period closed for good: what its statements and settlement said, frozen. */
export interface ClosedPeriodRecord {
  period: string;
  closedAt: string;
  data: unknown;
}

/** One issued invoice or credit note (issue 17): its number, the model it was written from, and its files once rendered. */
export interface IssuedDocumentRecord {
  number: string;
  period: string;
  kind: 'invoice' | 'credit_note';
  payerId: string;
  issuedAt: string;
  /** The InvoiceDocument as JSON text, exactly as stored. */
  model: string;
  /** The UBL bytes (Peppol channel only) and the PDF, written once after the numbering's commit. */
  ubl?: Buffer;
  pdf?: Buffer;
}

/**
 * A month's documents to issue, numbered inside the storing transaction: `build` receives the next
 * free number of `year` and returns the documents numbered from it on, in order, with nothing
 * skipped (the store checks it), so the numbers stay gap-free whichever hub process issues. It also
 * receives what each payer paid at the desks that the documents issued so far did not declare
 * (read in the same transaction, from the run issued last, whatever its month), and returns what
 * is left after these documents: a running balance, kept with this run.
 */
export interface DocumentIssue {
  period: string;
  year: number;
  issuedAt: string;
  build: (firstSeq: number, carriedPrepaid: Readonly<Record<string, number>>) => IssuedDocuments;
}

/** What `DocumentIssue.build` returns. */
export interface IssuedDocuments {
  documents: Omit<IssuedDocumentRecord, 'ubl' | 'pdf'>[];
  /** Payer id → cents paid at the desks that no document issued so far declares (non-zero only). */
  carriedPrepaid: Record<string, number>;
}

export interface Alert {
  id: number;
  kind: 'epoch_change' | 'clock_skew' | 'quarantine' | 'overlap';
  siteId: string;
  detail: string;
  at: string;
}

export interface OverlapCase {
  id: number;
  memberId: string;
  visitA: string;
  siteA: string;
  visitB: string;
  siteB: string;
  detectedAt: string;
}

export interface QuarantinedEvent {
  id: number;
  siteId: string;
  epoch: string;
  seq: number;
  eventId?: string;
  reason: string;
  raw: string;
  receivedAt: string;
}

/** An erasure of a member's personal data (who asked, when, why): the audit keeps no personal data. */
export interface ErasureRecord {
  id: number;
  memberId: string;
  /** The operator who erased (as given to the admin API or CLI). */
  by: string;
  reason: string;
  at: string;
  /** The reference cursor of the change that pseudonymised the member. */
  cursor: number;
}

/** Which guests' registrations to purge: these guests, and/or every guest whose retention date is before a day. */
export interface GuestPurgeSelection {
  guestIds?: string[];
  /** A date YYYY-MM-DD: guests retained until an earlier day are purged. */
  retentionBefore?: string;
}

/**
 * The hub's decision on a sign-up made at a reception (a member.signed_up event): confirmed into the
 * network's data, an operator case (a possible duplicate of `duplicateOf`), merged by the operator
 * into an existing member, or refused. One per provisional member id; recorded in the transaction
 * that writes its reference changes, so a sign-up is decided once, whatever restarts.
 */
export interface SignupRecord {
  memberId: string;
  /** The agent site: the site whose stream carried the sign-up. */
  siteId: string;
  eventId: string;
  state: 'confirmed' | 'duplicate_case' | 'merged' | 'refused';
  reason?: string;
  detail?: string;
  duplicateOf?: string;
  mergedInto?: string;
  /** The member.signed_up payload as stored. */
  payload: unknown;
  decidedAt: string;
  /** When and by whom an operator resolved the case. */
  resolvedAt?: string;
  resolvedBy?: string;
}

export interface ReferencePage {
  changes: ReferenceChange[];
  cursor: number;
  snapshot: boolean;
  more: boolean;
}

export interface HubStore {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * The erasure log that travels with the hub, outside the database (erasure-log.ts): every member
   * erasure and guest purge is appended to it, and applied again when an older database is restored.
   */
  readonly erasureLog: ErasureLog | undefined;
  close(): Promise<void>;

  enrollStation(station: Omit<StationRecord, 'revokedAt'>): Promise<void>;
  findStation(id: string): Promise<StationRecord | undefined>;
  listStations(): Promise<StationRecord[]>;
  revokeStation(id: string, at: string): Promise<boolean>;

  ingest(siteId: string, stream: Stream, items: IngestItem[], ctx: IngestContext): Promise<IngestResult>;
  streamAckedSeq(stream: Stream): Promise<number>;
  listStreams(siteId?: string): Promise<StreamRecord[]>;
  listEvents(query: { siteId?: string; epoch?: string; afterSeq?: number; status?: 'accepted' | 'rejected'; limit: number }): Promise<StoredEvent[]>;
  countEvents(siteId?: string): Promise<number>;
  listQuarantine(limit: number): Promise<QuarantinedEvent[]>;
  listAlerts(limit: number): Promise<Alert[]>;
  listOverlaps(limit: number): Promise<OverlapCase[]>;

  /**
   * Records that a stream had sent everything it held as of `stationTime` (never moves back). A
   * stream the hub has no row for is recorded (with nothing acked) only when its site has no
   * stream at all: a new site's station that has written nothing yet still gets a watermark, so
   * it does not hold a month's close; a new epoch of a known site is left to its first upload,
   * which raises the epoch-change alert.
   */
  markCaughtUp(stream: Stream, stationTime: string): Promise<void>;
  /**
   * Hands each accepted event of these types whose wall time is in [from, to) to `visit`, in no
   * particular order (the accounts order what they need); returns how many. Streamed: a network's
   * month is hundreds of thousands of events, too many to hold twice.
   */
  accountingEvents(q: { types: readonly string[]; wallFrom: string; wallTo: string }, visit: (e: AccountingEvent) => void): Promise<number>;
  /**
   * The wall time of the site's first accepted device-health event (DEVICE_EVENT_TYPES), if any:
   * since then its station reports its devices. A partial index answers it without a scan.
   */
  firstDeviceEventAt(siteId: string): Promise<string | undefined>;
  /**
   * Stores a closed period, and its documents when `issue` is given, in one transaction; false (and
   * nothing written) when it was already closed.
   */
  saveClosedPeriod(record: ClosedPeriodRecord, issue?: DocumentIssue): Promise<boolean>;
  /** Issues a month's documents (numbers from the year's counter, in the same transaction); false (nothing written) when that month's were issued already. */
  issueDocuments(issue: DocumentIssue): Promise<boolean>;
  /** What each payer paid at the desks that no document issued so far declares: the last issued run's balance (empty before any). */
  carriedPrepaid(): Promise<Record<string, number>>;
  /** Whether a month's documents were issued (an issue with no document counts). */
  documentsIssued(period: string): Promise<boolean>;
  /** A month's documents by number (files included), or every document of a payer before a month (files left out). */
  listDocuments(query: { period: string } | { payerId: string; before: string }): Promise<IssuedDocumentRecord[]>;
  getDocument(number: string): Promise<IssuedDocumentRecord | undefined>;
  /** Writes a document's files where they are still empty; a file written once never changes. */
  attachDocumentFiles(number: string, files: { ubl?: Buffer; pdf?: Buffer }): Promise<void>;
  /** The network's legal profile (reference data's `network`), as imported; undefined before. */
  getNetworkProfile(): Promise<unknown | undefined>;
  putNetworkProfile(profile: unknown): Promise<void>;
  getClosedPeriod(period: string): Promise<ClosedPeriodRecord | undefined>;
  listClosedPeriods(): Promise<{ period: string; closedAt: string }[]>;

  /** Writes reference entities (null data: a tombstone); returns the new cursor. Pokes nobody: the caller does. */
  putReference(changes: { entity: ReferenceEntity; key: string; data: unknown | null }[], at: string): Promise<number>;
  getReference(entity: ReferenceEntity, key: string): Promise<unknown | null | undefined>;
  listReference(entity: ReferenceEntity): Promise<unknown[]>;
  referencePage(cursor: number | null, snapshot: boolean, limit: number): Promise<ReferencePage>;
  /** Forgets tombstones written before `before`: stations with an older cursor then get a snapshot. */
  compactReference(before: string): Promise<{ removed: number; minCursor: number }>;

  // Privacy (see README "Privacy")
  /**
   * Erases the personal fields of stored `guest.registered` payloads, accepted or rejected
   * (redactGuestRegistered, `purgedAt` = at), of the selected guests not purged yet; the anonymous
   * facts stay. Quarantined copies and raw rejected copies of their registrations are erased too
   * (server/store/raw-copies.ts). The ingest does the same, in its own transaction, for a
   * `guest.purged` event. Returns the guests purged now.
   */
  purgeGuests(select: GuestPurgeSelection, at: string): Promise<{ guestIds: string[] }>;
  /**
   * The guests among these whose personal data the store still holds: an accepted registration not
   * purged, or a rejected or quarantined copy of one. What the erasure log's purges need again after
   * an older database was restored; the rest is not touched.
   */
  heldGuests(guestIds: string[]): Promise<string[]>;
  /**
   * The accepted events about one member, by wall time: check-ins and badge assignments naming
   * them, their priced consumption, and the check-outs and voids of those visits and lines.
   */
  memberEvents(memberId: string): Promise<StoredEvent[]>;
  /**
   * Writes reference changes (as putReference) and the erasure's audit entry, in one transaction,
   * and erases with `eraseSignup` every member.signed_up payload of the member (or of a provisional
   * member merged into them) the hub holds: stored events, sign-up decisions, and quarantined or
   * rejected copies (a copy that does not parse and names them is replaced by a notice).
   */
  recordErasure(
    changes: { entity: ReferenceEntity; key: string; data: unknown | null }[],
    audit: { memberId: string; by: string; reason: string },
    at: string,
    eraseSignup: SignupEraser,
  ): Promise<ErasureRecord>;
  listErasures(query: { memberId?: string; limit: number }): Promise<ErasureRecord[]>;

  // Agent sale (see README "Agent sale")
  /** Accepted member.signed_up events not decided yet, oldest (wall time) first. */
  pendingSignups(limit: number): Promise<StoredEvent[]>;
  /**
   * Records a decision and writes its reference changes, in one transaction; false (and nothing
   * written) when this member's sign-up was decided already.
   */
  recordSignup(record: SignupRecord, changes: { entity: ReferenceEntity; key: string; data: unknown | null }[], at: string): Promise<boolean>;
  /**
   * An operator's resolution of a case: the record becomes `update` and the changes are written, in
   * one transaction, only while it is still a case; undefined (nothing written) otherwise.
   */
  resolveSignup(
    memberId: string,
    update: Pick<SignupRecord, 'state' | 'reason' | 'detail' | 'mergedInto'> & { resolvedBy: string },
    changes: { entity: ReferenceEntity; key: string; data: unknown | null }[],
    at: string,
  ): Promise<SignupRecord | undefined>;
  getSignup(memberId: string): Promise<SignupRecord | undefined>;
  listSignups(query: { state?: SignupRecord['state']; siteId?: string; limit: number }): Promise<SignupRecord[]>;
}
