// The hub's store on embedded SQLite (better-sqlite3): one file, WAL, synchronous=FULL. An upload
// is ingested in one transaction: nothing of it is acked before it is on disk. Erased personal data
// leaves no readable trace in the files: secure_delete zeroes what is deleted or overwritten, the WAL
// is truncated after each purge or erasure, and the database and its -wal/-shm are 0600.
import { documentRecord, numberedDocuments, parseCarriedPrepaid, type DocumentRow } from './document-issue.js';
import fs from 'node:fs';
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { WalScrubber } from '../../common/sqlite-wal.js';
import { ErasureLog, defaultErasureLogFile } from './erasure-log.js';
import { guestsHeldInCopies, type RawCopy } from './raw-copies.js';
import type { Stream } from '../../common/events.js';
import type { ReferenceEntity } from '../../common/sync/protocol.js';
import type {
  AccountingEvent,
  ClosedPeriodRecord,
  DocumentIssue,
  IssuedDocumentRecord,
  Alert,
  ErasureRecord,
  GuestPurgeSelection,
  HubStore,
  IngestContext,
  IngestItem,
  IngestResult,
  OverlapCase,
  QuarantinedEvent,
  ReferencePage,
  SignupRecord,
  StationRecord,
  StoredEvent,
  StreamRecord,
} from './store.js';
import { referencePageOf, referencePageRead, referencePageSql, type ReferenceRow } from './reference-page.js';
import { SQLITE_DIALECT } from './sql-dialect.js';
import { erasedSignups, erasureQueries, guestsWithCopies, purgedCopies, rawCopiesOf } from './erasure-selection.js';
import { ingestReads, planIngest, type IngestPlan, type IngestSnapshot, type StoredEventRow, type StoredIdRow } from './ingest-plan.js';
import { toSignup, type SignupRow } from './signup-row.js';
import type { SignupEraser } from './signup-erasure.js';
import { DEVICE_TYPES_SQL } from './store.js';
import { MEMBER_EVENT_TYPES, purgedRegistrations, type RegistrationRow } from './guest-purge.js';
import { MIGRATIONS } from './migrations/index.js';
import { migrateSqlite, refuseNewerSqlite } from './migrations/run.js';
import { OWNED_KINDS, type OwnedKind } from './site-references.js';

/** The database file and its -wal and -shm: the hub's user only. */
const FILE_MODE = 0o600;

export interface SqliteStoreOptions {
  /**
   * The erasure log (server/store/erasure-log.ts): beside the database by default
   * (`FILE.erasures.jsonl`); null for none (an in-memory store, a benchmark).
   */
  erasureLog?: string | null;
  /** Where the store reports what it does on its own (a WAL held by a reader, a mode tightened). */
  log?: (line: string) => void;
}

/**
 * The owners of some ids, given as one JSON array of ids per kind (OWNED_KINDS), and for members
 * whether the network's reference data holds them. Each id is one probe of the primary key: CROSS
 * JOIN keeps SQLite from scanning the table per id, and a plain join from sorting the list first.
 */
const OWNERS_OF = OWNED_KINDS.map(
  (kind) =>
    `SELECT o.kind, o.id, o.site_id, ${kind === 'member' ? "EXISTS (SELECT 1 FROM ref_entity AS r WHERE r.entity = 'member' AND r.key = o.id AND r.data IS NOT NULL)" : '0'} AS network
       FROM json_each(?) AS j CROSS JOIN entity_owner AS o ON o.kind = '${kind}' AND o.id = j.value`,
).join(' UNION ALL ');


interface EventRow {
  id: string;
  site_id: string;
  epoch: string;
  seq: number;
  type: string;
  status: 'accepted' | 'rejected';
  reason: string | null;
  payload: string;
  wall_time: string | null;
  hlc: string | null;
  received_at: string;
  clock_offset_ms: number;
  flags: string;
}

const toStored = (r: EventRow): StoredEvent => ({
  id: r.id,
  siteId: r.site_id,
  epoch: r.epoch,
  seq: r.seq,
  type: r.type,
  status: r.status,
  ...(r.reason ? { reason: r.reason } : {}),
  payload: JSON.parse(r.payload),
  ...(r.wall_time ? { wallTime: r.wall_time } : {}),
  ...(r.hlc ? { hlc: r.hlc } : {}),
  receivedAt: r.received_at,
  clockOffsetMs: r.clock_offset_ms,
  flags: JSON.parse(r.flags) as string[],
});

/** What a guest purge or a member erasure reads (erasure-selection.ts). */
const ERASURE = erasureQueries(SQLITE_DIALECT);

export class SqliteHubStore implements HubStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Db;
  private readonly statements = new Map<string, Statement>();

  readonly erasureLog: ErasureLog | undefined;
  /** Existing files whose looser mode was tightened at open (or could not be), for the hub's log. */
  readonly permissionsTightened: string[] = [];
  private readonly scrubber: WalScrubber;
  /** Set by a purge or an erasure inside the current transaction: the WAL is truncated after its commit. */
  private erasedInTransaction = false;

  constructor(file: string, options: SqliteStoreOptions = {}) {
    const inMemory = file === ':memory:' || file === '';
    if (!inMemory) {
      // Created empty and 0600 before SQLite opens it: SQLite gives its -wal and -shm the mode of
      // the database file. An existing file (and its -wal/-shm) with a looser mode is tightened.
      try {
        fs.closeSync(fs.openSync(file, 'wx', FILE_MODE));
      } catch {
        // EEXIST: tightened below; anything else: SQLite reports it when it opens the file.
      }
      for (const f of [file, `${file}-wal`, `${file}-shm`]) this.restrictMode(f);
    }
    const logFile = options.erasureLog === undefined ? (inMemory ? null : defaultErasureLogFile(file)) : options.erasureLog;
    this.erasureLog = logFile === null ? undefined : new ErasureLog(logFile);
    if (this.erasureLog) this.restrictMode(this.erasureLog.file);
    const log = options.log ?? (() => undefined);
    for (const line of this.permissionsTightened) log(line);
    this.db = new Database(file);
    this.db.pragma('busy_timeout = 10000');
    // A database from a newer hub is refused before anything (even journal_mode) touches the file.
    let version: number;
    try {
      version = refuseNewerSqlite(this.db);
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    // Deleted and overwritten content is zeroed in the pages, not just unlinked: an erased name
    // must not stay readable in the file (see the WAL truncation after each erasure below).
    this.db.pragma('secure_delete = ON');
    this.scrubber = new WalScrubber(this.db, log);
    // Uploads of stations' backlogs land all over the event id index (UUIDv7s of the same days from
    // many sites): ~500 pages per upload. Checkpointing every 1,000 pages (the default) copied them
    // into the database file every other commit; every 10,000 (a WAL of up to ~40 MB) copies a page
    // once for many commits. Each commit is still synced to the WAL before it is acked.
    this.db.pragma('wal_autocheckpoint = 10000');
    // The schema (migrations/): the pending migrations in one transaction; an up-to-date database
    // costs the version read above.
    migrateSqlite(this.db, MIGRATIONS, version);
  }

  /** A statement prepared once: the ingest runs the same few per event, and preparing cost more than running them. */
  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement;
  }

  private restrictMode(target: string): void {
    let mode: number;
    try {
      mode = fs.statSync(target).mode & 0o777;
    } catch {
      return;
    }
    if ((mode & 0o077) === 0) return;
    try {
      fs.chmodSync(target, FILE_MODE);
      this.permissionsTightened.push(`${target}: mode ${mode.toString(8)} tightened to 600`);
    } catch (e) {
      this.permissionsTightened.push(`${target}: mode ${mode.toString(8)} could not be tightened to 600 (${(e as { code?: string }).code ?? (e as Error).message})`);
    }
  }

  /** Runs a write transaction; when it purged or erased personal data, the WAL is truncated after its commit. */
  private write<T>(fn: () => T, what: string): T {
    this.erasedInTransaction = false;
    let value: T;
    try {
      value = this.db.transaction(fn).immediate();
    } catch (e) {
      this.erasedInTransaction = false; // rolled back: nothing was erased
      throw e;
    }
    if (this.erasedInTransaction) {
      this.erasedInTransaction = false;
      this.scrubber.request(what);
    }
    return value;
  }

  /** Resolves once no WAL truncation waits for a reader (tests, and the CLI before it exits). */
  walSettled(): Promise<void> {
    return this.scrubber.settled();
  }

  /**
   * An online copy of the database (SQLite's backup API: the hub keeps serving), into a new file
   * made 0600 before anything is written to it; an existing file is never overwritten.
   */
  async backup(destination: string): Promise<{ file: string; bytes: number }> {
    fs.closeSync(fs.openSync(destination, 'wx', FILE_MODE));
    await this.db.backup(destination);
    return { file: destination, bytes: fs.statSync(destination).size };
  }

  async close(): Promise<void> {
    // A truncation still waiting for a reader gets its last try; closing the last connection then
    // checkpoints and removes the WAL anyway.
    this.scrubber.stop();
    this.db.close();
  }

  async enrollStation(s: Omit<StationRecord, 'revokedAt'>): Promise<void> {
    this.db.prepare('INSERT INTO station (id, site_id, name, secret_hash, enrolled_at) VALUES (?, ?, ?, ?, ?)').run(s.id, s.siteId, s.name, s.secretHash, s.enrolledAt);
  }

  private station(r: { id: string; site_id: string; name: string; secret_hash: string; enrolled_at: string; revoked_at: string | null }): StationRecord {
    return { id: r.id, siteId: r.site_id, name: r.name, secretHash: r.secret_hash, enrolledAt: r.enrolled_at, ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}) };
  }

  async findStation(id: string): Promise<StationRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM station WHERE id = ?').get(id) as Parameters<SqliteHubStore['station']>[0] | undefined;
    return r ? this.station(r) : undefined;
  }

  async listStations(): Promise<StationRecord[]> {
    return (this.db.prepare('SELECT * FROM station ORDER BY site_id, id').all() as Parameters<SqliteHubStore['station']>[0][]).map((r) => this.station(r));
  }

  async revokeStation(id: string, at: string): Promise<boolean> {
    return this.db.prepare('UPDATE station SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0;
  }

  async ingest(siteId: string, stream: Stream, items: IngestItem[], ctx: IngestContext): Promise<IngestResult> {
    // Read what the upload touches, decide (ingest-plan.ts), apply: one transaction, one rule for both stores.
    return this.write((): IngestResult => {
      const plan = planIngest({ siteId, stream, items, ctx, snapshot: this.ingestSnapshot(siteId, stream.epoch, items) });
      return this.applyIngest(siteId, stream.epoch, ctx, plan);
    }, 'guest purge');
  }

  /**
   * What the store holds that an upload touches (IngestSnapshot), inside the ingest's transaction:
   * one query per kind, each skipped when it has nothing to ask, never one per event.
   */
  private ingestSnapshot(siteId: string, epoch: string, items: readonly IngestItem[]): IngestSnapshot {
    const streams = this.sql('SELECT epoch, acked_seq FROM stream WHERE site_id = ? ORDER BY first_seen, epoch').all(siteId) as IngestSnapshot['streams'];
    const atSeqs = this.sql('SELECT id, seq, type, status, reason, payload, wall_time, hlc FROM event WHERE site_id = ? AND epoch = ? AND seq IN (SELECT value FROM json_each(?))').all(
      siteId, epoch, JSON.stringify(items.map((i) => i.seq)),
    ) as StoredEventRow[];
    const reads = ingestReads(items, atSeqs);
    // CROSS JOIN: one probe of the id index per id, in the list's order.
    const byId = reads.ids.length > 0
      ? (this.sql('SELECT e.id, e.site_id, e.epoch, e.seq FROM json_each(?) AS j CROSS JOIN event AS e ON e.id = j.value').all(JSON.stringify(reads.ids)) as StoredIdRow[])
      : [];
    const owners = OWNED_KINDS.some((k) => reads.references[k].length > 0)
      ? (this.sql(OWNERS_OF).all(...OWNED_KINDS.map((k) => JSON.stringify(reads.references[k]))) as { kind: OwnedKind; id: string; site_id: string; network: number }[]).map((r) => ({ ...r, network: r.network === 1 }))
      : [];
    const openElsewhere = reads.members.length > 0
      ? (this.sql(
          `SELECT o.visit_id, o.member_id, o.site_id FROM json_each(?) AS j CROSS JOIN open_visit AS o ON o.member_id = j.value
            WHERE o.site_id <> ? ORDER BY o.checked_in_at, o.visit_id`,
        ).all(JSON.stringify(reads.members), siteId) as IngestSnapshot['openElsewhere'])
      : [];
    const quarantined = reads.quarantineSeqs.length > 0
      ? (this.sql('SELECT seq, raw, reason FROM quarantine WHERE site_id = ? AND epoch = ? AND seq IN (SELECT value FROM json_each(?)) ORDER BY id').all(
          siteId, epoch, JSON.stringify(reads.quarantineSeqs),
        ) as IngestSnapshot['quarantined'])
      : [];
    return { streams, atSeqs, byId, owners, openElsewhere, quarantined };
  }

  /** Writes an ingest's plan, inside its transaction; returns the answer with the watermark it reached. */
  private applyIngest(siteId: string, epoch: string, ctx: IngestContext, plan: IngestPlan): IngestResult {
    const at = ctx.receivedAt;
    if (plan.newStream)
      this.sql('INSERT INTO stream (site_id, epoch, acked_seq, first_seen, last_seen, last_clock_offset_ms) VALUES (?, ?, 0, ?, ?, ?)').run(siteId, epoch, at, at, ctx.clockOffsetMs);
    const insertEvent = this.sql(
      `INSERT INTO event (id, site_id, epoch, seq, type, status, reason, payload, wall_time, hlc, received_at, clock_offset_ms, flags)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of plan.events) insertEvent.run(r.id, siteId, epoch, r.seq, r.type, r.status, r.reason, r.payload, r.wall_time, r.hlc, at, ctx.clockOffsetMs, r.flags);
    if (plan.owners.length > 0) {
      const recordOwners = this.sql('INSERT OR IGNORE INTO entity_owner (kind, id, site_id) SELECT ?, value, ? FROM json_each(?)');
      for (const kind of OWNED_KINDS) {
        const ids = plan.owners.filter((o) => o.kind === kind).map((o) => o.id);
        if (ids.length > 0) recordOwners.run(kind, siteId, JSON.stringify(ids));
      }
    }
    for (const x of plan.quarantines)
      this.sql('INSERT INTO quarantine (site_id, epoch, seq, event_id, reason, raw, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(siteId, epoch, x.seq, x.eventId ?? null, x.reason, x.raw, at);
    for (const a of plan.alerts) this.sql('INSERT INTO alert (kind, site_id, detail, at) VALUES (?, ?, ?, ?)').run(a.kind, siteId, a.detail, at);
    for (const o of plan.overlaps)
      this.sql('INSERT INTO overlap_case (member_id, visit_a, site_a, visit_b, site_b, detected_at) VALUES (?, ?, ?, ?, ?, ?)').run(o.memberId, o.visitA, o.siteA, o.visitB, siteId, at);
    for (const visitId of plan.openVisits.close) this.sql('DELETE FROM open_visit WHERE visit_id = ?').run(visitId);
    for (const v of plan.openVisits.open)
      this.sql('INSERT OR IGNORE INTO open_visit (visit_id, member_id, site_id, checked_in_at) VALUES (?, ?, ?, ?)').run(v.visitId, v.memberId, siteId, v.checkedInAt);
    if (plan.guestPurges.length > 0) {
      const purgedAt = new Map(plan.guestPurges.map((p) => [p.guestId, p.at]));
      this.redactGuests({ guestIds: [...purgedAt.keys()] }, (guestId) => purgedAt.get(guestId)!);
    }
    // The watermark goes on over seqs stored past a former gap, which the plan could not see.
    let acked = plan.ackedThrough;
    const has = this.sql('SELECT 1 FROM event WHERE site_id = ? AND epoch = ? AND seq = ?');
    while (has.get(siteId, epoch, acked + 1)) acked++;
    this.sql('UPDATE stream SET acked_seq = ?, last_seen = ?, last_clock_offset_ms = ? WHERE site_id = ? AND epoch = ?').run(acked, at, ctx.clockOffsetMs, siteId, epoch);
    plan.result.ackedSeq = acked;
    return plan.result;
  }

  /** Rewrites the selected registrations in their purged form, and their copies; runs inside the caller's transaction. The selection: erasure-selection.ts. */
  private redactGuests(select: GuestPurgeSelection, at: string | ((guestId: string) => string)): string[] {
    const rows: RegistrationRow[] = [];
    if (select.guestIds?.length) rows.push(...(this.sql(ERASURE.registrationsOf).all(SQLITE_DIALECT.list(select.guestIds)) as RegistrationRow[]));
    if (select.retentionBefore !== undefined) rows.push(...(this.sql(ERASURE.registrationsDue).all(select.retentionBefore) as RegistrationRow[]));
    const update = this.sql('UPDATE event SET payload = ? WHERE id = ?');
    const purged = new Set<string>();
    for (const r of purgedRegistrations(rows, at)) {
      if (update.run(r.payload, r.id).changes > 0) purged.add(r.guestId);
    }
    const guests = guestsWithCopies(select, purged);
    if (!guests) return [];
    const scrubbed = this.rewriteCopies(purgedCopies(select, guests, this.rawCopies(), at));
    if (purged.size > 0 || scrubbed > 0) this.erasedInTransaction = true;
    return [...purged];
  }

  /**
   * Every rejected and quarantined upload's raw text: few rows (an operator's exceptions), read whole
   * by a purge or an erasure to find the person's copies (rejected events through their partial index).
   */
  private rawCopies(): RawCopy[] {
    return rawCopiesOf(this.sql(ERASURE.quarantineCopies(false)).all() as { id: number; raw: string }[], this.sql(ERASURE.rejectedCopies(false)).all() as { id: string; payload: string }[]);
  }

  /** Writes the new text of rejected and quarantined copies; inside the caller's transaction. Returns the rows changed. */
  private rewriteCopies(rewrites: { copy: RawCopy; stored: string }[]): number {
    let changed = 0;
    for (const { copy, stored } of rewrites)
      changed += this.sql(copy.table === 'quarantine' ? 'UPDATE quarantine SET raw = ? WHERE id = ?' : 'UPDATE event SET payload = ? WHERE id = ?').run(stored, copy.key).changes;
    return changed;
  }

  async heldGuests(guestIds: string[]): Promise<string[]> {
    const held = new Set<string>();
    const unpurged = this.sql(ERASURE.unpurgedGuests);
    for (let i = 0; i < guestIds.length; i += 1000) for (const r of unpurged.all(SQLITE_DIALECT.list(guestIds.slice(i, i + 1000))) as { g: string }[]) held.add(r.g);
    for (const g of guestsHeldInCopies(this.rawCopies(), new Set(guestIds))) held.add(g);
    return [...held];
  }

  async purgeGuests(select: GuestPurgeSelection, at: string): Promise<{ guestIds: string[] }> {
    return this.write(() => ({ guestIds: this.redactGuests(select, at) }), 'guest purge');
  }

  async memberEvents(memberId: string): Promise<StoredEvent[]> {
    // A scan of the ledger: an export is rare, and no index on every check-in's member is worth its
    // cost on every upload.
    const rows = this.db
      .prepare(
        `WITH visits AS (SELECT json_extract(payload, '$.visitId') AS id FROM event
                          WHERE type = 'visit.checked_in' AND status = 'accepted' AND json_extract(payload, '$.person.memberId') = :m),
              lines AS (SELECT json_extract(payload, '$.consumptionId') AS id FROM event
                          WHERE type = 'consumption.recorded' AND status = 'accepted' AND json_extract(payload, '$.memberId') = :m)
         SELECT * FROM event WHERE status = 'accepted' AND type IN (SELECT value FROM json_each(:types)) AND (
              (type = 'visit.checked_in' AND json_extract(payload, '$.person.memberId') = :m)
           OR (type IN ('visit.checked_out', 'visit.voided', 'visit.checkout_undone') AND json_extract(payload, '$.visitId') IN (SELECT id FROM visits))
           OR (type IN ('consumption.recorded', 'badge.assigned') AND json_extract(payload, '$.memberId') = :m)
           OR (type = 'consumption.voided' AND json_extract(payload, '$.voidsConsumptionId') IN (SELECT id FROM lines)))
         ORDER BY wall_time, site_id, epoch, seq`,
      )
      .all({ m: memberId, types: JSON.stringify(MEMBER_EVENT_TYPES) }) as EventRow[];
    return rows.map(toStored);
  }

  async recordErasure(
    changes: { entity: ReferenceEntity; key: string; data: unknown | null }[],
    audit: { memberId: string; by: string; reason: string },
    at: string,
    eraseSignup: SignupEraser,
  ): Promise<ErasureRecord> {
    return this.write((): ErasureRecord => {
      const cursor = this.writeReference(changes, at);
      const members = [audit.memberId, ...(this.sql(ERASURE.mergedInto).all(audit.memberId) as { member_id: string }[]).map((r) => r.member_id)];
      const erased = erasedSignups(members, eraseSignup, at, {
        events: this.sql(ERASURE.signupEventsOf).all(SQLITE_DIALECT.list(members)) as { id: string; payload: string }[],
        decisions: this.sql(ERASURE.signupDecisionsOf).all(SQLITE_DIALECT.list(members)) as { member_id: string; payload: string }[],
        copies: this.rawCopies(),
      });
      for (const e of erased.events) this.sql('UPDATE event SET payload = ? WHERE id = ?').run(e.payload, e.id);
      for (const d of erased.decisions) this.sql('UPDATE signup SET payload = ? WHERE member_id = ?').run(d.payload, d.memberId);
      this.rewriteCopies(erased.copies);
      const id = Number(
        this.db.prepare('INSERT INTO member_erasure (member_id, erased_by, reason, at, cursor) VALUES (?, ?, ?, ?, ?)').run(audit.memberId, audit.by, audit.reason, at, cursor).lastInsertRowid,
      );
      // The member's record was rewritten: its old page images leave the WAL after the commit.
      this.erasedInTransaction = true;
      return { id, ...audit, at, cursor };
    }, 'member erasure');
  }

  async listErasures(query: { memberId?: string; limit: number }): Promise<ErasureRecord[]> {
    const rows = (query.memberId
      ? this.db.prepare('SELECT * FROM member_erasure WHERE member_id = ? ORDER BY id LIMIT ?').all(query.memberId, query.limit)
      : this.db.prepare('SELECT * FROM member_erasure ORDER BY id LIMIT ?').all(query.limit)) as { id: number; member_id: string; erased_by: string; reason: string; at: string; cursor: number }[];
    return rows.map((r) => ({ id: r.id, memberId: r.member_id, by: r.erased_by, reason: r.reason, at: r.at, cursor: r.cursor }));
  }

  async pendingSignups(limit: number): Promise<StoredEvent[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM event e WHERE e.type = 'member.signed_up' AND e.status = 'accepted'
           AND NOT EXISTS (SELECT 1 FROM signup s WHERE s.member_id = json_extract(e.payload, '$.memberId'))
         ORDER BY e.wall_time, e.site_id, e.epoch, e.seq LIMIT ?`,
      )
      .all(limit) as EventRow[];
    return rows.map(toStored);
  }

  async recordSignup(r: SignupRecord, changes: { entity: ReferenceEntity; key: string; data: unknown | null }[], at: string): Promise<boolean> {
    return this.db
      .transaction((): boolean => {
        const inserted = this.db
          .prepare(
            `INSERT INTO signup (member_id, site_id, event_id, state, reason, detail, duplicate_of, merged_into, payload, decided_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(member_id) DO NOTHING`,
          )
          .run(r.memberId, r.siteId, r.eventId, r.state, r.reason ?? null, r.detail ?? null, r.duplicateOf ?? null, r.mergedInto ?? null, JSON.stringify(r.payload), r.decidedAt).changes;
        if (inserted === 0) return false;
        if (changes.length > 0) this.writeReference(changes, at);
        return true;
      })
      .immediate();
  }

  async resolveSignup(
    memberId: string,
    update: Pick<SignupRecord, 'state' | 'reason' | 'detail' | 'mergedInto'> & { resolvedBy: string },
    changes: { entity: ReferenceEntity; key: string; data: unknown | null }[],
    at: string,
  ): Promise<SignupRecord | undefined> {
    return this.db
      .transaction((): SignupRecord | undefined => {
        const updated = this.db
          .prepare(
            `UPDATE signup SET state = ?, reason = ?, detail = ?, merged_into = ?, resolved_at = ?, resolved_by = ? WHERE member_id = ? AND state = 'duplicate_case'`,
          )
          .run(update.state, update.reason ?? null, update.detail ?? null, update.mergedInto ?? null, at, update.resolvedBy, memberId).changes;
        if (updated === 0) return undefined;
        if (changes.length > 0) this.writeReference(changes, at);
        return toSignup(this.db.prepare('SELECT * FROM signup WHERE member_id = ?').get(memberId) as SignupRow);
      })
      .immediate();
  }

  async getSignup(memberId: string): Promise<SignupRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM signup WHERE member_id = ?').get(memberId) as SignupRow | undefined;
    return r ? toSignup(r) : undefined;
  }

  async listSignups(q: { state?: SignupRecord['state']; siteId?: string; limit: number }): Promise<SignupRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM signup WHERE (:state IS NULL OR state = :state) AND (:site IS NULL OR site_id = :site) ORDER BY decided_at, member_id LIMIT :limit')
      .all({ state: q.state ?? null, site: q.siteId ?? null, limit: q.limit }) as SignupRow[];
    return rows.map(toSignup);
  }

  async streamAckedSeq(stream: Stream): Promise<number> {
    const r = this.db.prepare('SELECT acked_seq FROM stream WHERE site_id = ? AND epoch = ?').get(stream.siteId, stream.epoch) as { acked_seq: number } | undefined;
    return r?.acked_seq ?? 0;
  }

  async listStreams(siteId?: string): Promise<StreamRecord[]> {
    const rows = (siteId ? this.db.prepare('SELECT * FROM stream WHERE site_id = ? ORDER BY first_seen').all(siteId) : this.db.prepare('SELECT * FROM stream ORDER BY site_id, first_seen').all()) as {
      site_id: string; epoch: string; acked_seq: number; first_seen: string; last_seen: string; last_clock_offset_ms: number; caught_up_at: string | null;
    }[];
    return rows.map((r) => ({
      siteId: r.site_id, epoch: r.epoch, ackedSeq: r.acked_seq, firstSeen: r.first_seen, lastSeen: r.last_seen, lastClockOffsetMs: r.last_clock_offset_ms,
      ...(r.caught_up_at ? { caughtUpAt: r.caught_up_at } : {}),
    }));
  }

  async markCaughtUp(stream: Stream, stationTime: string): Promise<void> {
    this.db
      .transaction(() => {
        this.sql(
          `INSERT INTO stream (site_id, epoch, acked_seq, first_seen, last_seen, last_clock_offset_ms)
           SELECT ?, ?, 0, ?, ?, 0 WHERE NOT EXISTS (SELECT 1 FROM stream WHERE site_id = ?)`,
        ).run(stream.siteId, stream.epoch, stationTime, stationTime, stream.siteId);
        this.sql('UPDATE stream SET caught_up_at = ? WHERE site_id = ? AND epoch = ? AND (caught_up_at IS NULL OR caught_up_at < ?)').run(stationTime, stream.siteId, stream.epoch, stationTime);
      })
      .immediate();
  }

  async accountingEvents(q: { types: readonly string[]; wallFrom: string; wallTo: string }, visit: (e: AccountingEvent) => void): Promise<number> {
    if (q.types.length === 0) return 0;
    const statement = this.db
      .prepare(`SELECT site_id, type, payload FROM event WHERE status = 'accepted' AND type IN (${q.types.map(() => '?').join(',')}) AND wall_time >= ? AND wall_time < ?`)
      .raw();
    let n = 0;
    // Row by row: building the whole array first cost more than reading it.
    for (const row of statement.iterate(...q.types, q.wallFrom, q.wallTo) as Iterable<[string, string, string]>) {
      visit({ siteId: row[0], type: row[1], payload: JSON.parse(row[2]) as unknown });
      n++;
    }
    return n;
  }

  async firstDeviceEventAt(siteId: string): Promise<string | undefined> {
    // The same condition as the partial index, word for word, so that SQLite uses it.
    const row = this.sql(`SELECT MIN(wall_time) AS at FROM event WHERE site_id = ? AND ${DEVICE_TYPES_SQL} AND status = 'accepted'`).get(siteId) as { at: string | null };
    return row.at ?? undefined;
  }

  async saveClosedPeriod(r: ClosedPeriodRecord, issue?: DocumentIssue): Promise<boolean> {
    return this.db
      .transaction((): boolean => {
        if (this.db.prepare('INSERT INTO closed_period (period, closed_at, data) VALUES (?, ?, ?) ON CONFLICT(period) DO NOTHING').run(r.period, r.closedAt, JSON.stringify(r.data)).changes === 0) return false;
        if (issue) this.issueIn(issue);
        return true;
      })
      .immediate();
  }

  /** Numbers and stores a month's documents, inside the caller's transaction; false when that month's were issued already. */
  private issueIn(issue: DocumentIssue): boolean {
    // The run issued last holds the running balance of desk payments (an IMMEDIATE transaction:
    // no other process issues between this read and the write below).
    const previous = this.db.prepare('SELECT carried_prepaid, issued_order FROM invoice_run ORDER BY issued_order DESC LIMIT 1').get() as { carried_prepaid: string; issued_order: number | null } | undefined;
    const order = (previous?.issued_order ?? 0) + 1;
    if (this.db.prepare('INSERT INTO invoice_run (period, issued_at, documents, issued_order) VALUES (?, ?, 0, ?) ON CONFLICT(period) DO NOTHING').run(issue.period, issue.issuedAt, order).changes === 0) return false;
    const last = (this.db.prepare('SELECT last FROM invoice_counter WHERE year = ?').get(issue.year) as { last: number } | undefined)?.last ?? 0;
    const { documents: docs, carriedPrepaid } = numberedDocuments(issue, last + 1, parseCarriedPrepaid(previous?.carried_prepaid));
    const insert = this.db.prepare('INSERT INTO invoice_document (number, period, kind, payer_id, issued_at, model) VALUES (?, ?, ?, ?, ?, ?)');
    for (const d of docs) insert.run(d.number, d.period, d.kind, d.payerId, d.issuedAt, d.model);
    this.db.prepare('INSERT INTO invoice_counter (year, last) VALUES (?, ?) ON CONFLICT(year) DO UPDATE SET last = excluded.last').run(issue.year, last + docs.length);
    this.db.prepare('UPDATE invoice_run SET documents = ?, carried_prepaid = ? WHERE period = ?').run(docs.length, JSON.stringify(carriedPrepaid), issue.period);
    return true;
  }

  async issueDocuments(issue: DocumentIssue): Promise<boolean> {
    return this.db.transaction(() => this.issueIn(issue)).immediate();
  }

  async carriedPrepaid(): Promise<Record<string, number>> {
    const row = this.db.prepare('SELECT carried_prepaid FROM invoice_run ORDER BY issued_order DESC LIMIT 1').get() as { carried_prepaid: string } | undefined;
    return parseCarriedPrepaid(row?.carried_prepaid);
  }

  async documentsIssued(period: string): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM invoice_run WHERE period = ?').get(period) !== undefined;
  }

  async listDocuments(query: { period: string } | { payerId: string; before: string }): Promise<IssuedDocumentRecord[]> {
    const rows =
      'period' in query
        ? this.db.prepare('SELECT * FROM invoice_document WHERE period = ? ORDER BY number').all(query.period)
        : this.db.prepare('SELECT number, period, kind, payer_id, issued_at, model FROM invoice_document WHERE payer_id = ? AND period < ? ORDER BY number').all(query.payerId, query.before);
    return (rows as DocumentRow[]).map(documentRecord);
  }

  async getDocument(number: string): Promise<IssuedDocumentRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM invoice_document WHERE number = ?').get(number) as DocumentRow | undefined;
    return r ? documentRecord(r) : undefined;
  }

  async attachDocumentFiles(number: string, files: { ubl?: Buffer; pdf?: Buffer }): Promise<void> {
    this.db
      .transaction(() => {
        if (files.ubl) this.db.prepare('UPDATE invoice_document SET ubl = ? WHERE number = ? AND ubl IS NULL').run(files.ubl, number);
        if (files.pdf) this.db.prepare('UPDATE invoice_document SET pdf = ? WHERE number = ? AND pdf IS NULL').run(files.pdf, number);
      })
      .immediate();
  }

  async getNetworkProfile(): Promise<unknown | undefined> {
    const r = this.db.prepare("SELECT value FROM hub_meta WHERE key = 'network_profile'").get() as { value: string } | undefined;
    return r ? JSON.parse(r.value) : undefined;
  }

  async putNetworkProfile(profile: unknown): Promise<void> {
    this.db.prepare("INSERT OR REPLACE INTO hub_meta (key, value) VALUES ('network_profile', ?)").run(JSON.stringify(profile));
  }

  async getClosedPeriod(period: string): Promise<ClosedPeriodRecord | undefined> {
    const r = this.db.prepare('SELECT period, closed_at, data FROM closed_period WHERE period = ?').get(period) as { period: string; closed_at: string; data: string } | undefined;
    return r ? { period: r.period, closedAt: r.closed_at, data: JSON.parse(r.data) as unknown } : undefined;
  }

  async listClosedPeriods(): Promise<{ period: string; closedAt: string }[]> {
    return (this.db.prepare('SELECT period, closed_at FROM closed_period ORDER BY period').all() as { period: string; closed_at: string }[]).map((r) => ({ period: r.period, closedAt: r.closed_at }));
  }

  async listEvents(q: { siteId?: string; epoch?: string; afterSeq?: number; status?: 'accepted' | 'rejected'; limit: number }): Promise<StoredEvent[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const and = (condition: string, value: unknown) => {
      where.push(condition);
      args.push(value);
    };
    if (q.siteId) and('site_id = ?', q.siteId);
    if (q.epoch) and('epoch = ?', q.epoch);
    if (q.afterSeq !== undefined) and('seq > ?', q.afterSeq);
    if (q.status) and('status = ?', q.status);
    const rows = this.db
      .prepare(`SELECT * FROM event ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY site_id, epoch, seq LIMIT ?`)
      .all(...args, q.limit) as EventRow[];
    return rows.map(toStored);
  }

  async countEvents(siteId?: string): Promise<number> {
    const r = (siteId ? this.db.prepare('SELECT COUNT(*) AS n FROM event WHERE site_id = ?').get(siteId) : this.db.prepare('SELECT COUNT(*) AS n FROM event').get()) as { n: number };
    return r.n;
  }

  async listQuarantine(limit: number): Promise<QuarantinedEvent[]> {
    return (this.db.prepare('SELECT * FROM quarantine ORDER BY id LIMIT ?').all(limit) as {
      id: number; site_id: string; epoch: string; seq: number; event_id: string | null; reason: string; raw: string; received_at: string;
    }[]).map((r) => ({ id: r.id, siteId: r.site_id, epoch: r.epoch, seq: r.seq, ...(r.event_id ? { eventId: r.event_id } : {}), reason: r.reason, raw: r.raw, receivedAt: r.received_at }));
  }

  async listAlerts(limit: number): Promise<Alert[]> {
    return (this.db.prepare('SELECT * FROM alert ORDER BY id LIMIT ?').all(limit) as { id: number; kind: Alert['kind']; site_id: string; detail: string; at: string }[]).map((r) => ({
      id: r.id, kind: r.kind, siteId: r.site_id, detail: r.detail, at: r.at,
    }));
  }

  async listOverlaps(limit: number): Promise<OverlapCase[]> {
    return (this.db.prepare('SELECT * FROM overlap_case ORDER BY id LIMIT ?').all(limit) as {
      id: number; member_id: string; visit_a: string; site_a: string; visit_b: string; site_b: string; detected_at: string;
    }[]).map((r) => ({ id: r.id, memberId: r.member_id, visitA: r.visit_a, siteA: r.site_a, visitB: r.visit_b, siteB: r.site_b, detectedAt: r.detected_at }));
  }

  private meta(key: string): number {
    return Number((this.db.prepare('SELECT value FROM hub_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? 0);
  }

  async putReference(changes: { entity: ReferenceEntity; key: string; data: unknown | null }[], at: string): Promise<number> {
    return this.db.transaction(() => this.writeReference(changes, at)).immediate();
  }

  /** Writes reference changes with the next cursors; runs inside the caller's transaction. */
  private writeReference(changes: { entity: ReferenceEntity; key: string; data: unknown | null }[], at: string): number {
    let cursor = this.meta('ref_cursor');
    const upsert = this.sql(
      'INSERT INTO ref_entity (entity, key, data, cursor, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(entity, key) DO UPDATE SET data = excluded.data, cursor = excluded.cursor, updated_at = excluded.updated_at',
    );
    for (const c of changes) upsert.run(c.entity, c.key, c.data === null ? null : JSON.stringify(c.data), ++cursor, at);
    this.sql("INSERT OR REPLACE INTO hub_meta (key, value) VALUES ('ref_cursor', ?)").run(String(cursor));
    return cursor;
  }

  async getReference(entity: ReferenceEntity, key: string): Promise<unknown | null | undefined> {
    const r = this.db.prepare('SELECT data FROM ref_entity WHERE entity = ? AND key = ?').get(entity, key) as { data: string | null } | undefined;
    return r === undefined ? undefined : r.data === null ? null : JSON.parse(r.data);
  }

  async listReference(entity: ReferenceEntity): Promise<unknown[]> {
    return (this.db.prepare('SELECT data FROM ref_entity WHERE entity = ? AND data IS NOT NULL ORDER BY key').all(entity) as { data: string }[]).map((r) => JSON.parse(r.data));
  }

  async referencePage(cursor: number | null, snapshot: boolean, limit: number): Promise<ReferencePage> {
    // One read transaction: the rows and the newest cursor from the same state of the file, even
    // when another process (the CLI) writes reference data meanwhile. The paging rule: reference-page.ts.
    return this.db.transaction((): ReferencePage => {
      const read = referencePageRead(cursor, snapshot, limit, this.meta('ref_min_cursor'));
      const rows = this.sql(referencePageSql(read, SQLITE_DIALECT)).all(read.after, read.take) as ReferenceRow[];
      return referencePageOf(read, rows, this.meta('ref_cursor'));
    })();
  }

  async compactReference(before: string): Promise<{ removed: number; minCursor: number }> {
    return this.db
      .transaction(() => {
        const gone = this.db.prepare('SELECT MAX(cursor) AS c, COUNT(*) AS n FROM ref_entity WHERE data IS NULL AND updated_at < ?').get(before) as { c: number | null; n: number };
        if (!gone.n) return { removed: 0, minCursor: this.meta('ref_min_cursor') };
        this.db.prepare('DELETE FROM ref_entity WHERE data IS NULL AND updated_at < ?').run(before);
        const minCursor = Math.max(this.meta('ref_min_cursor'), gone.c! + 1);
        this.db.prepare("INSERT OR REPLACE INTO hub_meta (key, value) VALUES ('ref_min_cursor', ?)").run(String(minCursor));
        return { removed: gone.n, minCursor };
      })
      .immediate();
  }
}
