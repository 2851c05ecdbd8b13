// The hub's store on embedded SQLite (better-sqlite3): one file, WAL, synchronous=FULL. An upload
// is ingested in one transaction: nothing of it is acked before it is on disk. Erased personal data
// leaves no readable trace in the files: secure_delete zeroes what is deleted or overwritten, the WAL
// is truncated after each purge or erasure, and the database and its -wal/-shm are 0600.
import fs from 'node:fs';
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { WalScrubber } from '../../common/sqlite-wal.js';
import { ErasureLog, defaultErasureLogFile } from './erasure-log.js';
import { dueRawRegistrations, guestScrub, guestsHeldInCopies, rejectedRaw, scrubbedCopies, type RawCopy, type RawScrub } from './raw-copies.js';
import type { StationEvent, Stream } from '../../common/events.js';
import type { ReferenceEntity } from '../../common/sync/protocol.js';
import type {
  AccountingEvent,
  ClosedPeriodRecord,
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
import { sameEvent } from './same-event.js';
import { toSignup, type SignupRow } from './signup-row.js';
import { erasedPayloadText, memberScrub, type SignupEraser } from './signup-erasure.js';
import { DEVICE_TYPES_SQL } from './store.js';
import { MEMBER_EVENT_TYPES, purgedRegistrations, type RegistrationRow } from './guest-purge.js';
import { MIGRATIONS } from './migrations/index.js';
import { migrateSqlite, refuseNewerSqlite } from './migrations/run.js';
import { OWNED_KINDS, SiteOwners, referencedIds, type OwnedKind } from './site-references.js';

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
    const flags = JSON.stringify(ctx.flags);
    return this.write((): IngestResult => {
      const result: IngestResult = { ackedSeq: 0, rejected: [], quarantined: [] };
      let row = this.sql('SELECT acked_seq FROM stream WHERE site_id = ? AND epoch = ?').get(siteId, stream.epoch) as { acked_seq: number } | undefined;
      if (!row) {
        const others = (this.sql('SELECT epoch FROM stream WHERE site_id = ?').all(siteId) as { epoch: string }[]).map((r) => r.epoch);
        if (others.length > 0) {
          result.newEpochOf = others;
          this.alert('epoch_change', siteId, `new install epoch ${stream.epoch} after ${others.join(', ')}: a station database was recreated or restored`, ctx.receivedAt);
        }
        this.sql('INSERT INTO stream (site_id, epoch, acked_seq, first_seen, last_seen, last_clock_offset_ms) VALUES (?, ?, 0, ?, ?, ?)').run(
          siteId, stream.epoch, ctx.receivedAt, ctx.receivedAt, ctx.clockOffsetMs,
        );
        row = { acked_seq: 0 };
      }
      // What the batch's seqs already hold, in one read instead of one per event. Every row the
      // batch inserts is added, so a seq met again later in the batch is found as stored.
      const atSeq = new Map<number, EventRow>();
      const stored = this.sql('SELECT * FROM event WHERE site_id = ? AND epoch = ? AND seq IN (SELECT value FROM json_each(?))').all(
        siteId, stream.epoch, JSON.stringify(items.map((i) => i.seq)),
      ) as EventRow[];
      for (const r of stored) atSeq.set(r.seq, r);
        const owners = this.siteOwners(items.flatMap((i) => (i.kind === 'valid' && !atSeq.has(i.seq) ? [i.event] : [])));
        /** What the batch's accepted events created that had no owner: recorded after the loop, a statement per kind. */
        const created: Record<OwnedKind, string[]> = { visit: [], line: [], guest: [], member: [] };
      const byId = this.sql('SELECT site_id, epoch, seq FROM event WHERE id = ?');
      const insertRow = this.sql(
        `INSERT INTO event (id, site_id, epoch, seq, type, status, reason, payload, wall_time, hlc, received_at, clock_offset_ms, flags)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      type Row = [string, string, string, number, string, EventRow['status'], string | null, string, string | null, string | null, string, number, string];
      const insert = {
        run: (...row: Row) => {
          insertRow.run(...row);
          const [id, site_id, epoch, seq, type, status, reason, payload, wall_time, hlc, received_at, clock_offset_ms, rowFlags] = row;
          atSeq.set(seq, { id, site_id, epoch, seq, type, status, reason, payload, wall_time, hlc, received_at, clock_offset_ms, flags: rowFlags });
        },
      };
      const quarantine = (seq: number, eventId: string | undefined, reason: string, raw: string) => {
        // The same content quarantined at the same seq before: a resend, reported again, not recorded (nor alerted) twice.
        const known = this.sql('SELECT reason FROM quarantine WHERE site_id = ? AND epoch = ? AND seq = ? AND raw = ? ORDER BY id LIMIT 1').get(siteId, stream.epoch, seq, raw) as
          | { reason: string }
          | undefined;
        if (known) {
          result.quarantined.push({ seq, ...(eventId ? { id: eventId } : {}), reason: known.reason });
          return;
        }
        this.sql('INSERT INTO quarantine (site_id, epoch, seq, event_id, reason, raw, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
          siteId, stream.epoch, seq, eventId ?? null, reason, raw, ctx.receivedAt,
        );
        this.alert('quarantine', siteId, `seq ${seq} of ${stream.epoch}: ${reason}`, ctx.receivedAt);
        result.quarantined.push({ seq, ...(eventId ? { id: eventId } : {}), reason });
      };
      for (const item of items) {
        const existing = atSeq.get(item.seq);
        if (item.kind === 'valid') {
          const e = item.event;
          if (existing) {
            if (existing.status === 'accepted' && sameEvent(existing, e)) continue; // a resend: already stored
              // A resend of an event refused for naming another site's: refused again, as it was judged then.
              if (existing.status === 'rejected' && sameEvent(existing, e)) {
                result.rejected.push({ seq: item.seq, id: e.id, reason: existing.reason! });
                continue;
              }
            quarantine(item.seq, e.id, 'the same seq arrived again with different content', JSON.stringify(e));
            continue;
          }
          const clash = byId.get(e.id) as { site_id: string; epoch: string; seq: number } | undefined;
          if (clash) {
            const reason = `event id already stored as seq ${clash.seq} of ${clash.site_id}/${clash.epoch}`;
            quarantine(item.seq, e.id, reason, JSON.stringify(e));
            // The seq is taken (the watermark passes it; a later different event there is quarantined too).
            insert.run(`rejected:${siteId}:${stream.epoch}:${item.seq}`, siteId, stream.epoch, item.seq, 'rejected', 'rejected', `quarantined: ${reason}`, JSON.stringify(JSON.stringify(e)), null, null, ctx.receivedAt, ctx.clockOffsetMs, flags);
            continue;
          }
          const eventFlags = item.flags?.length ? JSON.stringify([...ctx.flags, ...item.flags]) : flags;
            const refused = owners.reasonToReject(siteId, e);
            if (refused) {
              // Kept as it came (its type, payload and times), so a resend is recognised; never projected.
              insert.run(e.id, siteId, stream.epoch, e.seq, e.type, 'rejected', refused, JSON.stringify(e.payload), e.wallTime, e.hlc, ctx.receivedAt, ctx.clockOffsetMs, eventFlags);
              result.rejected.push({ seq: item.seq, id: e.id, reason: refused });
              continue;
            }
          insert.run(e.id, siteId, stream.epoch, e.seq, e.type, 'accepted', null, JSON.stringify(e.payload), e.wallTime, e.hlc, ctx.receivedAt, ctx.clockOffsetMs, eventFlags);
            const made = owners.accepted(siteId, e);
            if (made) created[made.kind].push(made.id);
          this.project(siteId, e, ctx.receivedAt);
        } else {
          if (existing) {
            if (existing.status === 'rejected') result.rejected.push({ seq: item.seq, reason: existing.reason ?? item.reason });
            else quarantine(item.seq, item.id, `an invalid event arrived for a stored seq: ${item.reason}`, item.raw);
            continue;
          }
          const id = item.id && !byId.get(item.id) ? item.id : `rejected:${siteId}:${stream.epoch}:${item.seq}`;
          insert.run(id, siteId, stream.epoch, item.seq, 'rejected', 'rejected', item.reason, JSON.stringify(item.raw), null, null, ctx.receivedAt, ctx.clockOffsetMs, flags);
          result.rejected.push({ seq: item.seq, ...(item.id ? { id: item.id } : {}), reason: item.reason });
        }
      }
        const recordOwners = this.sql('INSERT OR IGNORE INTO entity_owner (kind, id, site_id) SELECT ?, value, ? FROM json_each(?)');
        for (const kind of OWNED_KINDS) if (created[kind].length > 0) recordOwners.run(kind, siteId, JSON.stringify(created[kind]));
      // The watermark: every seq up to it is stored. Events past a gap are kept but do not move it.
      // The batch's own seqs are known; the table is asked only beyond them.
      let acked = row.acked_seq;
      const has = this.sql('SELECT 1 FROM event WHERE site_id = ? AND epoch = ? AND seq = ?');
      while (atSeq.has(acked + 1) || has.get(siteId, stream.epoch, acked + 1)) acked++;
      this.sql('UPDATE stream SET acked_seq = ?, last_seen = ?, last_clock_offset_ms = ? WHERE site_id = ? AND epoch = ?').run(
        acked, ctx.receivedAt, ctx.clockOffsetMs, siteId, stream.epoch,
      );
      result.ackedSeq = acked;
      return result;
    }, 'guest purge');
  }

  /**
   * The owners of the ids these events create or name, in one query: who created each, and whether
   * a member is one of the network's. Runs inside the ingest's transaction.
   */
  private siteOwners(events: StationEvent[]): SiteOwners {
    const owners = new SiteOwners();
    const ids = referencedIds(events);
    if (OWNED_KINDS.every((k) => ids[k].length === 0)) return owners;
    const rows = this.sql(OWNERS_OF).all(...OWNED_KINDS.map((k) => JSON.stringify(ids[k]))) as { kind: OwnedKind; id: string; site_id: string; network: number }[];
    for (const r of rows) owners.known(r.kind, r.id, r.site_id, r.network === 1);
    return owners;
  }

  /** Keeps the hub's view of who is on site where, and opens a case when a member is at two sites. */
  private project(siteId: string, e: StationEvent, at: string) {
    if (e.type === 'visit.checked_in' && e.payload.person.kind === 'member') {
      const memberId = e.payload.person.memberId;
      const elsewhere = this.sql('SELECT visit_id, site_id FROM open_visit WHERE member_id = ? AND site_id <> ?').all(memberId, siteId) as { visit_id: string; site_id: string }[];
      for (const o of elsewhere) {
        this.sql('INSERT INTO overlap_case (member_id, visit_a, site_a, visit_b, site_b, detected_at) VALUES (?, ?, ?, ?, ?, ?)').run(memberId, o.visit_id, o.site_id, e.payload.visitId, siteId, at);
        this.alert('overlap', siteId, `member ${memberId} checked in at ${siteId} while on site at ${o.site_id}`, at);
      }
      this.sql('INSERT OR IGNORE INTO open_visit (visit_id, member_id, site_id, checked_in_at) VALUES (?, ?, ?, ?)').run(e.payload.visitId, memberId, siteId, e.payload.at);
    } else if (e.type === 'visit.checked_out' || e.type === 'visit.voided') {
      this.sql('DELETE FROM open_visit WHERE visit_id = ?').run(e.payload.visitId);
    } else if (e.type === 'guest.purged') {
      // The station erased the guest's data: so does the hub, in the same transaction as the event.
      this.redactGuests({ guestIds: [e.payload.guestId] }, e.payload.at);
    }
  }

  /** Rewrites the selected registrations in their purged form; runs inside the caller's transaction. */
  private redactGuests(select: GuestPurgeSelection, at: string): string[] {
    // Accepted or refused: a registration refused for reusing another site's guest id holds a person's data too.
    const rows: RegistrationRow[] = [];
    if (select.guestIds?.length)
      rows.push(
        ...(this.sql(
          `SELECT id, payload FROM event WHERE type = 'guest.registered' AND json_extract(payload, '$.guestId') IN (SELECT value FROM json_each(?))`,
        ).all(JSON.stringify(select.guestIds)) as RegistrationRow[]),
      );
    if (select.retentionBefore !== undefined)
      rows.push(
        ...(this.sql(
          `SELECT id, payload FROM event WHERE type = 'guest.registered' AND json_extract(payload, '$.purgedAt') IS NULL AND json_extract(payload, '$.retentionUntil') < ?`,
        ).all(select.retentionBefore) as RegistrationRow[]),
      );
    const update = this.sql('UPDATE event SET payload = ? WHERE id = ?');
    const purged = new Set<string>();
    for (const r of purgedRegistrations(rows, at)) {
      if (update.run(r.payload, r.id).changes > 0) purged.add(r.guestId);
    }
    // Rejected or quarantined copies of their registrations go too: those of the guests named, those
    // purged now, and registrations that were only ever rejected whose retention date has passed.
    const guests = new Set([...(select.guestIds ?? []), ...purged]);
    if (guests.size === 0 && select.retentionBefore === undefined) return [];
    const copies = this.rawCopies();
    if (select.retentionBefore !== undefined) for (const g of dueRawRegistrations(copies, select.retentionBefore)) guests.add(g);
    const scrubbed = this.scrubRawCopies([...guests].map((g) => guestScrub(g, at)), copies);
    if (purged.size > 0 || scrubbed > 0) this.erasedInTransaction = true;
    return [...purged];
  }

  /**
   * Every rejected and quarantined upload's raw text: few rows (an operator's exceptions), read whole
   * by a purge or an erasure to find the person's copies (rejected events through their partial index).
   */
  private rawCopies(): RawCopy[] {
    const copies: RawCopy[] = (this.sql('SELECT id, raw FROM quarantine').all() as { id: number; raw: string }[]).map((r) => ({ table: 'quarantine', key: r.id, raw: r.raw }));
    for (const r of this.sql("SELECT id, payload FROM event WHERE status = 'rejected'").all() as { id: string; payload: string }[]) {
      const raw = rejectedRaw(r.payload);
      if (raw !== undefined) copies.push({ table: 'event', key: r.id, raw });
    }
    return copies;
  }

  /** Erases each person's rejected and quarantined copies (raw-copies.ts); inside the caller's transaction. Returns the rows changed. */
  private scrubRawCopies(scrubs: RawScrub[], copies: RawCopy[] = scrubs.length > 0 ? this.rawCopies() : []): number {
    let changed = 0;
    for (const { copy, stored } of scrubbedCopies(copies, scrubs))
      changed += this.sql(copy.table === 'quarantine' ? 'UPDATE quarantine SET raw = ? WHERE id = ?' : 'UPDATE event SET payload = ? WHERE id = ?').run(stored, copy.key).changes;
    return changed;
  }

  async heldGuests(guestIds: string[]): Promise<string[]> {
    const held = new Set<string>();
    const unpurged = this.sql(
      `SELECT json_extract(payload, '$.guestId') AS g FROM event WHERE type = 'guest.registered' AND status = 'accepted'
         AND json_extract(payload, '$.guestId') IN (SELECT value FROM json_each(?)) AND json_extract(payload, '$.purgedAt') IS NULL`,
    );
    for (let i = 0; i < guestIds.length; i += 1000) for (const r of unpurged.all(JSON.stringify(guestIds.slice(i, i + 1000))) as { g: string }[]) held.add(r.g);
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
           OR (type IN ('visit.checked_out', 'visit.voided') AND json_extract(payload, '$.visitId') IN (SELECT id FROM visits))
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
      const ids = [
        audit.memberId,
        ...(this.db.prepare('SELECT member_id FROM signup WHERE merged_into = ?').all(audit.memberId) as { member_id: string }[]).map((r) => r.member_id),
      ];
      const members = JSON.stringify(ids);
      const events = this.db
        .prepare(`SELECT id, payload FROM event WHERE type = 'member.signed_up' AND json_extract(payload, '$.memberId') IN (SELECT value FROM json_each(?))`)
        .all(members) as { id: string; payload: string }[];
      for (const e of events) {
        const next = erasedPayloadText(e.payload, eraseSignup);
        if (next !== undefined) this.db.prepare('UPDATE event SET payload = ? WHERE id = ?').run(next, e.id);
      }
      const decisions = this.db.prepare('SELECT member_id, payload FROM signup WHERE member_id IN (SELECT value FROM json_each(?))').all(members) as { member_id: string; payload: string }[];
      for (const d of decisions) {
        const next = erasedPayloadText(d.payload, eraseSignup);
        if (next !== undefined) this.db.prepare('UPDATE signup SET payload = ? WHERE member_id = ?').run(next, d.member_id);
      }
      // Quarantined and rejected copies of their sign-ups: erased as the stored one, or replaced by a notice.
      this.scrubRawCopies(ids.map((m) => memberScrub(m, eraseSignup, at)));
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

  private alert(kind: Alert['kind'], siteId: string, detail: string, at: string) {
    this.sql('INSERT INTO alert (kind, site_id, detail, at) VALUES (?, ?, ?, ?)').run(kind, siteId, detail, at);
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

  async saveClosedPeriod(r: ClosedPeriodRecord): Promise<boolean> {
    return this.db.prepare('INSERT INTO closed_period (period, closed_at, data) VALUES (?, ?, ?) ON CONFLICT(period) DO NOTHING').run(r.period, r.closedAt, JSON.stringify(r.data)).changes > 0;
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
    // when another process (the CLI) writes reference data meanwhile.
    return this.db.transaction((): ReferencePage => {
      const minCursor = this.meta('ref_min_cursor');
      const from = cursor ?? 0;
      // Changes the log no longer holds (compacted tombstones) mean a full snapshot.
      const asSnapshot = snapshot || cursor === null || from < minCursor;
      // A snapshot starts from the beginning, unless the station is continuing one (snapshot = true).
      const start = asSnapshot && !snapshot ? 0 : from;
      const rows = this.db
        .prepare(`SELECT entity, key, data, cursor FROM ref_entity WHERE cursor > ? ${asSnapshot ? 'AND data IS NOT NULL' : ''} ORDER BY cursor LIMIT ?`)
        .all(start, limit + 1) as { entity: ReferenceEntity; key: string; data: string | null; cursor: number }[];
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      return {
        changes: page.map((r) => ({ entity: r.entity, key: r.key, data: r.data === null ? null : JSON.parse(r.data), cursor: r.cursor })),
        // The last page brings the station up to the newest change.
        cursor: more ? page[page.length - 1]!.cursor : Math.max(from, this.meta('ref_cursor')),
        snapshot: asSnapshot,
        more,
      };
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
