// The station's ports: the narrow doors through which what runs beside the station core — the sync
// client, the device manager, the local host — reaches it. Each says what it needs in the domain's
// words; none hands out the database. (Only the core's own modules, under main/station/, use its
// context; a lint rule says so.)
import type { DeviceConfig, PrintJob } from '../../common/devices.js';
import type { PrintDocument } from '../../common/documents/print-documents.js';
import type { Site } from '../../common/reference-data.js';
import type { StationWindow } from '../../common/station-access.js';
import type { ReferenceChange } from '../../common/sync/protocol.js';
import type { SyncProblem } from '../../common/sync/status.js';

/** An outbox event as it crosses to the hub. */
export interface WireEvent {
  id: string;
  stream: { siteId: string; epoch: string };
  seq: number;
  type: string;
  payload: unknown;
  wallTime: string;
  hlc: string;
}

/** What waits to be sent: events, the streams (epochs) that hold them, oldest first, and the oldest one's time. */
export interface Backlog {
  events: number;
  epochs: string[];
  oldestWallTime?: string;
}

/** The outbox, as the sync client uploads it. */
export interface OutboxPort {
  readonly siteId: string;
  /** The stream this station writes now (earlier epochs may still hold unsent events). */
  readonly epoch: string;
  /** The station's clock (events and acks are stamped with it). */
  now(): number;
  backlog(): Backlog;
  /** The last seq written on a stream (0: none yet). */
  headSeq(epoch: string): number;
  /** The next events after `afterSeq`, at most `limit` and about `maxBytes` of JSON (as the hub counts them). */
  unsent(epoch: string, afterSeq: number, limit: number, maxBytes: number): WireEvent[];
  /** The hub's word on what it holds of a stream (it is the truth: behind after a restore, ahead after a lost ack). */
  setAcked(epoch: string, seq: number): void;
  /** An upload's ack; the local mark only goes up. Returns the mark. */
  recordAck(epoch: string, seq: number): number;
  recordProblems(epoch: string, rejected: { seq: number; id?: string | undefined; reason: string }[], quarantined: { seq: number; id?: string | undefined; reason: string }[]): void;
  problems(limit: number): SyncProblem[];
  /**
   * Called soon after a commit that appended events (never inside the transaction): the uploader
   * wakes at once instead of polling. Returns the unsubscribe.
   */
  onAppended(listener: () => void): () => void;
}

/** A page of reference changes from the hub, as the sink applies it. */
export interface ReferencePage {
  changes: ReferenceChange[];
  cursor: number;
  snapshot: boolean;
  more: boolean;
}

export interface AppliedPage {
  applied: number;
  invalid: { entity: string; key: string; reason: string }[];
  /** A snapshot of several pages just ended: pull again at once, for what changed while it was paged. */
  catchUp?: boolean;
}

/** Where reference data from the hub goes: the cursor to pull from, and each page applied in one transaction. */
export interface ReferenceSink {
  cursor(): { cursor: number | null; snapshot: boolean };
  apply(page: ReferencePage): AppliedPage;
}

/** The print queue, as the device manager prints it. */
export interface PrintQueuePort {
  /** Jobs waiting to print, oldest first, with their documents. */
  pending(): { job: PrintJob; document: PrintDocument }[];
  printing(jobId: string): void;
  printed(jobId: string, printerId: string): void;
  /** Not printed this time (the printer is down, out of paper): tried again later. */
  retry(jobId: string, message: string): void;
  /** Given up (the printer cannot print it, or was removed): `message` for the clerk, `reason` for the hub's event. */
  failed(jobId: string, message: string, reason: string): void;
}

/** The devices the station is configured with, as the device manager opens them. */
export interface DeviceConfigPort {
  list(): DeviceConfig[];
  /** The files the command line allowed as file printers, besides device nodes. */
  allowedPrinterFiles(): ReadonlySet<string>;
}

/** One-time pairing tickets (access/pairing.ts), as the local host uses them. */
export interface PairingPort {
  issue(window: StationWindow, ttlMs?: number): { ticket: string; expiresAt: string };
  redeem(ticket: string): StationWindow | undefined;
}

/** Who the station is, for those that say it (a log line, a CLI answer, a first sync). */
export interface StationIdentity {
  readonly siteId: string;
  readonly epoch: string;
  /** The site as the reference data describes it; undefined before the first import or sync. */
  site(): Site | undefined;
  /** The site's time zone, Europe/Brussels until the site is known. */
  timeZone(): string;
}

/** What a running sync client says of itself, for any process to read (syncStatus without a client). */
export interface SyncState {
  /** This client's run: each has its own record, so a one-shot sync beside `run` overwrites nothing. */
  clientId: string;
  hubUrl: string;
  online: boolean;
  lastSuccessAt?: string | undefined;
  lastError?: string | undefined;
  /** When this client started. */
  startedAt: string;
  /** Its last word: it stopped cleanly. */
  stopped?: boolean;
}

/** The sync client's record of its state; each write is also its heartbeat. */
export interface SyncStatePort {
  write(state: SyncState): void;
}

/** Where the station's pages are served (a running `serve`), for `escale-station pair` in another process. */
export interface LocalHostRecord {
  record(url: string): void;
  address(): string | undefined;
}
