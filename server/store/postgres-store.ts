// The hub's store on PostgreSQL (`pg`), for a real network: several hub processes may share one
// database. Same semantics as the SQLite store (sqlite-store.ts); the shared contract tests
// (tests/hub/store-contract.ts) run against both.
//
// Concurrency, since two hub processes may ingest for the same site at once:
// - an upload is ingested in one READ COMMITTED transaction that first takes a transaction-level
//   advisory lock on its site (so ingests of one site's streams run one after the other, and the
//   new-epoch check sees every epoch of the site), then locks on the members it checks in (so two
//   sites' check-ins of one member cannot both miss the other's open visit). Locks are taken in one
//   global order (site class, then member class by hash), so they cannot deadlock among themselves.
//   READ COMMITTED, not REPEATABLE READ: each statement after the lock sees what the previous holder
//   committed; a snapshot taken before the wait would not.
// - which site owns an id (entity_owner) is looked up after the locks; two sites' uploads creating
//   the same id at once both find it free, and the second to insert meets the first's row: it
//   starts over and is judged against it (an IngestRace, as for an event id stored meanwhile).
// - reference cursors come from one counter row, updated (so row-locked until commit) at the start
//   of putReference: writers of reference data commit in cursor order, and a reader following the
//   cursor never sees cursor N+1 committed while N is still to come. (A sequence would not do:
//   nextval is not transactional, a later cursor could commit first and a reader move past the
//   earlier one for ever.) A reference page is read in one REPEATABLE READ snapshot, so its rows and
//   the newest cursor it reports agree.
import { documentRecord, numberedDocuments, parseCarriedPrepaid, type DocumentRow } from './document-issue.js';
import { createHash } from 'node:crypto';
import pg from 'pg';
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
import { POSTGRES_DIALECT } from './sql-dialect.js';
import { erasedSignups, erasureQueries, guestsWithCopies, purgedCopies, rawCopiesOf } from './erasure-selection.js';
import { checkedInMembers, ingestReads, planIngest, type IngestSnapshot, type NewEventRow, type StoredEventRow, type StoredIdRow } from './ingest-plan.js';
import { toSignup, type SignupRow } from './signup-row.js';
import type { SignupEraser } from './signup-erasure.js';
import { ErasureLog } from './erasure-log.js';
import { guestsHeldInCopies, type RawCopy } from './raw-copies.js';
import { DEVICE_TYPES_SQL } from './store.js';
import { MEMBER_EVENT_TYPES, purgedRegistrations, type RegistrationRow } from './guest-purge.js';
import { migratePostgres } from './migrations/run.js';
import { OWNED_KINDS } from './site-references.js';

/** Advisory lock classes (two-int keys): one for the schema, one per site, one per member. */
const LOCK_SCHEMA = 0x4573_0000;
/** Rows per FETCH of the accounts' cursor. */
const ACCOUNTING_PAGE = 10_000;
const LOCK_SITE = 0x4573_0001;
const LOCK_MEMBER = 0x4573_0002;

/**
 * The owners of some ids (parallel arrays of kinds and ids), and for members whether the network's
 * reference data holds them. One probe of the primary key per id, whatever the plan cached for the
 * statement: a join with the unnested ids, or `= ANY`, were planned on a small table as scans that
 * then ran on every upload, ever longer.
 */
const OWNERS_OF = `SELECT o.kind, o.id, o.site_id,
    o.kind = 'member' AND EXISTS (SELECT 1 FROM ref_entity AS r WHERE r.entity = 'member' AND r.key = o.id AND r.data IS NOT NULL) AS network
  FROM unnest($1::text[], $2::text[]) AS k(kind, id)
  CROSS JOIN LATERAL (SELECT e.kind, e.id, e.site_id FROM entity_owner AS e WHERE e.kind = k.kind AND e.id = k.id) AS o`;


// bigint columns (seqs, cursors, counts) as JS numbers: they stay far below 2^53.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

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
  received_at: Date;
  clock_offset_ms: number;
  flags: string[];
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
  receivedAt: r.received_at.toISOString(),
  clockOffsetMs: r.clock_offset_ms,
  flags: r.flags,
});

interface StationRow {
  id: string;
  site_id: string;
  name: string;
  secret_hash: string;
  enrolled_at: Date;
  revoked_at: Date | null;
}

const toStation = (r: StationRow): StationRecord => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  secretHash: r.secret_hash,
  enrolledAt: r.enrolled_at.toISOString(),
  ...(r.revoked_at ? { revokedAt: r.revoked_at.toISOString() } : {}),
});

const statementNames = new Map<string, string>();
/** Statements with parameters are prepared once per connection (a name per text): parsed and planned once. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `escale_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`));
  return name;
}

type Query = <R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;

/** Thrown inside an ingest whose insert met a stored event id: run it again, looking ids up first. */
class IngestRace extends Error {}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected
const UNIQUE_VIOLATION = '23505';

/** What a guest purge or a member erasure reads (erasure-selection.ts). */
const ERASURE = erasureQueries(POSTGRES_DIALECT);

export class PostgresHubStore implements HubStore {
  readonly kind = 'postgres' as const;

  /** The erasure log (server/store/erasure-log.ts): a file of the hub's, given with --erasure-log. */
  readonly erasureLog: ErasureLog | undefined;

  private constructor(
    private readonly pool: pg.Pool,
    erasureLog: string | undefined,
  ) {
    this.erasureLog = erasureLog === undefined ? undefined : new ErasureLog(erasureLog);
  }

  /**
   * Connects and brings the schema up to date (migrations/): the pending migrations in one
   * transaction under the schema lock, so hub processes starting together on one database migrate
   * it once; an up-to-date database costs one read of its version.
   */
  static async connect(url: string, options: { erasureLog?: string } = {}): Promise<PostgresHubStore> {
    const pool = new pg.Pool({ connectionString: url, types, max: Number(process.env.ESCALE_HUB_PG_POOL ?? 10) });
    // An idle connection the server closed (restart, network): the pool replaces it; the next query
    // reports the problem to its caller. Without a listener it would crash the process.
    pool.on('error', () => undefined);
    const store = new PostgresHubStore(pool, options.erasureLog);
    try {
      await migratePostgres(pool, { lock: LOCK_SCHEMA });
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw e;
    }
    return store;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]> {
    return (await this.pool.query<R>(text, values)).rows;
  }

  /** Runs fn in one transaction on one connection; deadlocks and detected races are retried. */
  private async transaction<T>(fn: (q: Query, attempt: number) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      const q: Query = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
        (await client.query<R>(values ? { name: statementName(text), text, values } : text)).rows;
      let broken: Error | undefined;
      try {
        await client.query(begin);
        const value = await fn(q, attempt);
        await client.query('COMMIT');
        return value;
      } catch (e) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        const code = (e as { code?: string }).code;
        if (attempt < 5 && (e instanceof IngestRace || (code && RETRYABLE.has(code)))) continue;
        throw e;
      } finally {
        client.release(broken);
      }
    }
  }

  async enrollStation(s: Omit<StationRecord, 'revokedAt'>): Promise<void> {
    await this.query('INSERT INTO station (id, site_id, name, secret_hash, enrolled_at) VALUES ($1, $2, $3, $4, $5)', [s.id, s.siteId, s.name, s.secretHash, s.enrolledAt]);
  }

  async findStation(id: string): Promise<StationRecord | undefined> {
    const [r] = await this.query<StationRow>('SELECT * FROM station WHERE id = $1', [id]);
    return r ? toStation(r) : undefined;
  }

  async listStations(): Promise<StationRecord[]> {
    return (await this.query<StationRow>('SELECT * FROM station ORDER BY site_id, id')).map(toStation);
  }

  async revokeStation(id: string, at: string): Promise<boolean> {
    return ((await this.pool.query('UPDATE station SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id])).rowCount ?? 0) > 0;
  }

  async ingest(siteId: string, stream: Stream, items: IngestItem[], ctx: IngestContext): Promise<IngestResult> {
    // The first attempt assumes the batch's new events reuse no stored id (the insert checks it);
    // if one does, the next attempt looks every id up first. One that finds a visit, line, guest or
    // member it created owned meanwhile by another site starts over too, and is judged against it.
    return this.transaction((q, attempt) => this.ingestIn(q, siteId, stream, items, ctx, attempt > 1));
  }

  /**
   * The ingest: what the upload touches read (IngestSnapshot, one query per kind), decided by the
   * rule both stores share (ingest-plan.ts), then written in a few batched statements.
   */
  private async ingestIn(q: Query, siteId: string, stream: Stream, items: IngestItem[], ctx: IngestContext, lookUpIds: boolean): Promise<IngestResult> {
    const { epoch } = stream;

    // 1. Locks, in one global order: this site, then the members checked in (see the file's head).
    await q(
      `SELECT count(pg_advisory_xact_lock(c, h)) FROM (
         SELECT $1::int AS c, hashtext($2) AS h UNION SELECT $3::int, hashtext(m) FROM unnest($4::text[]) AS m ORDER BY 1, 2
       ) AS l`,
      [LOCK_SITE, siteId, LOCK_MEMBER, checkedInMembers(items)],
    );

    // 2. The snapshot. The site's streams (a stream new to a site that had another is a recreated
    //    or restored database); what is already stored at the batch's seqs (one range scan when the
    //    seqs are dense, as they are), or under its ids: those of invalid events, and, after an
    //    insert met a stored id, every id (see ingest). Rows of this stream found by id are rows of
    //    the stream all the same.
    const streams = await q<{ epoch: string; acked_seq: number }>('SELECT epoch, acked_seq FROM stream WHERE site_id = $1 ORDER BY first_seen, epoch', [siteId]);
    const ids = items.map((i) => (i.kind === 'valid' ? (lookUpIds ? i.event.id : undefined) : i.id)).filter((id): id is string => id !== undefined);
    const seqs = items.map((i) => i.seq);
    const low = seqs.length ? seqs.reduce((a, b) => Math.min(a, b)) : 0;
    const high = seqs.length ? seqs.reduce((a, b) => Math.max(a, b)) : 0;
    const dense = high - low < 4 * seqs.length;
    const columns = 'id, site_id, epoch, seq, type, status, reason, payload, wall_time, hlc';
    const stored = await q<StoredEventRow & StoredIdRow>(
      `SELECT ${columns} FROM event WHERE site_id = $1 AND epoch = $2 AND ${dense ? 'seq BETWEEN $4 AND $5' : 'seq = ANY($4::bigint[])'}
       UNION ALL SELECT ${columns} FROM event WHERE id = ANY($3::text[])`,
      [siteId, epoch, ids, ...(dense ? [low, high] : [seqs])],
    );
    const atSeqs: StoredEventRow[] = [];
    const byId: StoredIdRow[] = [];
    for (const r of stored) (r.site_id === siteId && r.epoch === epoch ? atSeqs : byId).push(r);
    const reads = ingestReads(items, atSeqs);
    const kinds = OWNED_KINDS.flatMap((k) => reads.references[k].map(() => k));
    const owners = kinds.length > 0 ? await q<IngestSnapshot['owners'][number]>(OWNERS_OF, [kinds, OWNED_KINDS.flatMap((k) => reads.references[k])]) : [];
    const openElsewhere =
      reads.members.length > 0
        ? await q<IngestSnapshot['openElsewhere'][number]>(
            'SELECT visit_id, member_id, site_id FROM open_visit WHERE member_id = ANY($1::text[]) AND site_id <> $2 ORDER BY checked_in_at, visit_id',
            [reads.members, siteId],
          )
        : [];
    const quarantined =
      reads.quarantineSeqs.length > 0
        ? await q<IngestSnapshot['quarantined'][number]>('SELECT seq, raw, reason FROM quarantine WHERE site_id = $1 AND epoch = $2 AND seq = ANY($3::bigint[]) ORDER BY id', [
            siteId,
            epoch,
            reads.quarantineSeqs,
          ])
        : [];

    // 3. The decision.
    const plan = planIngest({ siteId, stream, items, ctx, snapshot: { streams, atSeqs, byId, owners, openElsewhere, quarantined } });

    // 4. Writes.
    if (plan.newStream)
      await q('INSERT INTO stream (site_id, epoch, acked_seq, first_seen, last_seen, last_clock_offset_ms) VALUES ($1, $2, 0, $3, $3, $4)', [siteId, epoch, ctx.receivedAt, ctx.clockOffsetMs]);
    // Events first, by a plain INSERT (cheaper than ON CONFLICT): the site lock keeps other uploads
    // off these seqs, so a unique violation means an id stored already (another site's upload
    // reusing it, maybe committed meanwhile): the transaction starts over, looking every id up
    // first (see ingest).
    const inserts = plan.events;
    if (inserts.length > 0) {
      const col = <K extends keyof NewEventRow>(k: K) => inserts.map((e) => e[k]);
      try {
        await q(
          `INSERT INTO event (id, site_id, epoch, seq, type, status, reason, payload, wall_time, hlc, received_at, clock_offset_ms, flags)
           SELECT t.id, $1, $2, t.seq, t.type, t.status, t.reason, t.payload, t.wall_time, t.hlc, $3, $4, t.flags::jsonb
             FROM unnest($5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
               AS t(id, seq, type, status, reason, payload, wall_time, hlc, flags)`,
          [siteId, epoch, ctx.receivedAt, ctx.clockOffsetMs, col('id'), col('seq'), col('type'), col('status'), col('reason'), col('payload'), col('wall_time'), col('hlc'), col('flags')],
        );
      } catch (e) {
        if ((e as { code?: string }).code === UNIQUE_VIOLATION) throw new IngestRace(`an event id of this upload is stored already: ${(e as Error).message}`);
        throw e;
      }
    }

    // The owners of what the batch created, in one order (no two ingests wait on each other's rows
    // crosswise). A row already there is another site's upload that created the same id and
    // committed after this one looked: this one starts over and is judged against it (see ingest).
    if (plan.owners.length > 0) {
      const created = [...plan.owners].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const recorded = await q(
        `INSERT INTO entity_owner (kind, id, site_id) SELECT t.kind, t.id, $1 FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(kind, id, n) ORDER BY t.n
         ON CONFLICT DO NOTHING RETURNING 1`,
        [siteId, created.map((c) => c.kind), created.map((c) => c.id)],
      );
      if (recorded.length < created.length) throw new IngestRace('another upload created an id of this upload meanwhile');
    }

    const fresh = plan.quarantines;
    if (fresh.length > 0)
      await q(
        `INSERT INTO quarantine (site_id, epoch, seq, event_id, reason, raw, received_at)
         SELECT $1, $2, t.seq, t.event_id, t.reason, t.raw, $3 FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS t(seq, event_id, reason, raw, n) ORDER BY t.n`,
        [siteId, epoch, ctx.receivedAt, fresh.map((x) => x.seq), fresh.map((x) => x.eventId ?? null), fresh.map((x) => x.reason), fresh.map((x) => x.raw)],
      );
    const { overlaps, alerts } = plan;
    if (overlaps.length > 0)
      await q(
        `INSERT INTO overlap_case (member_id, visit_a, site_a, visit_b, site_b, detected_at)
         SELECT t.member_id, t.visit_a, t.site_a, t.visit_b, $1, $2 FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(member_id, visit_a, site_a, visit_b, n) ORDER BY t.n`,
        [siteId, ctx.receivedAt, overlaps.map((o) => o.memberId), overlaps.map((o) => o.visitA), overlaps.map((o) => o.siteA), overlaps.map((o) => o.visitB)],
      );
    if (alerts.length > 0)
      await q(
        `INSERT INTO alert (kind, site_id, detail, at)
         SELECT t.kind, $1, t.detail, $2 FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS t(kind, detail, n) ORDER BY t.n`,
        [siteId, ctx.receivedAt, alerts.map((a) => a.kind), alerts.map((a) => a.detail)],
      );
    const { close, open } = plan.openVisits;
    if (close.length > 0) await q('DELETE FROM open_visit WHERE visit_id = ANY($1::text[])', [close]);
    if (open.length > 0)
      await q(
        `INSERT INTO open_visit (visit_id, member_id, site_id, checked_in_at)
         SELECT t.visit_id, t.member_id, $1, t.checked_in_at FROM unnest($2::text[], $3::text[], $4::text[]) AS t(visit_id, member_id, checked_in_at)
         ON CONFLICT DO NOTHING`,
        [siteId, open.map((v) => v.visitId), open.map((v) => v.memberId), open.map((v) => v.checkedInAt)],
      );

    // The station erased these guests' data: so does the hub, in this transaction, after the
    // batch's other writes (the registration, or a copy of it, may be in this very batch).
    if (plan.guestPurges.length > 0) {
      const purgedAt = new Map(plan.guestPurges.map((p) => [p.guestId, p.at]));
      await this.redactGuestsIn(q, { guestIds: [...purgedAt.keys()] }, (guestId) => purgedAt.get(guestId)!);
    }

    // 5. The watermark goes on from what the plan saw over the seqs stored after it (events kept
    //    past a former gap): the stored run of seqs that follows it.
    const [acked] = await q<{ acked_seq: number }>(
      `UPDATE stream AS s SET
         acked_seq = $5::bigint + (
           SELECT count(*) FROM (
             SELECT e.seq - row_number() OVER (ORDER BY e.seq) AS run FROM event AS e WHERE e.site_id = s.site_id AND e.epoch = s.epoch AND e.seq > $5::bigint
           ) AS r WHERE r.run = $5::bigint),
         last_seen = $3, last_clock_offset_ms = $4
       WHERE s.site_id = $1 AND s.epoch = $2 RETURNING s.acked_seq`,
      [siteId, epoch, ctx.receivedAt, ctx.clockOffsetMs, plan.ackedThrough],
    );
    plan.result.ackedSeq = acked!.acked_seq;
    return plan.result;
  }

  /** Rewrites the selected registrations in their purged form, and their copies, inside the caller's transaction. The selection: erasure-selection.ts. */
  private async redactGuestsIn(q: Query, select: GuestPurgeSelection, at: string | ((guestId: string) => string)): Promise<string[]> {
    const rows: RegistrationRow[] = [];
    if (select.guestIds?.length) rows.push(...(await q<RegistrationRow>(ERASURE.registrationsOf, [POSTGRES_DIALECT.list(select.guestIds)])));
    if (select.retentionBefore !== undefined) rows.push(...(await q<RegistrationRow>(ERASURE.registrationsDue, [select.retentionBefore])));
    const purged = purgedRegistrations(rows, at);
    let purgedNow: string[] = [];
    if (purged.length > 0) {
      // Rows locked above (FOR UPDATE): a purge running at once elsewhere waits, then rewrites nothing new.
      const updated = await q<{ id: string }>(
        `UPDATE event AS e SET payload = t.payload FROM unnest($1::text[], $2::text[]) AS t(id, payload)
          WHERE e.id = t.id AND ((e.payload::jsonb) ->> 'purgedAt') IS NULL RETURNING e.id`,
        [purged.map((r) => r.id), purged.map((r) => r.payload)],
      );
      const done = new Set(updated.map((r) => r.id));
      purgedNow = [...new Set(purged.filter((r) => done.has(r.id)).map((r) => r.guestId))];
    }
    const guests = guestsWithCopies(select, purgedNow);
    if (!guests) return purgedNow;
    await this.rewriteCopiesIn(q, purgedCopies(select, guests, await this.rawCopiesIn(q, true), at));
    return purgedNow;
  }

  /**
   * Every rejected and quarantined upload's raw text: few rows (an operator's exceptions), read whole
   * by a purge or an erasure to find the person's copies (rejected events through their partial index).
   */
  private async rawCopiesIn(q: Query, lock = false): Promise<RawCopy[]> {
    return rawCopiesOf(await q<{ id: number; raw: string }>(ERASURE.quarantineCopies(lock)), await q<{ id: string; payload: string }>(ERASURE.rejectedCopies(lock)));
  }

  /** Writes the new text of rejected and quarantined copies, inside the caller's transaction. */
  private async rewriteCopiesIn(q: Query, rewrites: { copy: RawCopy; stored: string }[]): Promise<void> {
    for (const { copy, stored } of rewrites)
      await q(copy.table === 'quarantine' ? 'UPDATE quarantine SET raw = $1 WHERE id = $2' : 'UPDATE event SET payload = $1 WHERE id = $2', [stored, copy.key]);
  }

  async heldGuests(guestIds: string[]): Promise<string[]> {
    const held = new Set<string>();
    for (let i = 0; i < guestIds.length; i += 1000)
      for (const r of await this.query<{ g: string }>(ERASURE.unpurgedGuests, [POSTGRES_DIALECT.list(guestIds.slice(i, i + 1000))])) held.add(r.g);
    for (const g of guestsHeldInCopies(await this.rawCopiesIn((text, values) => this.query(text, values)), new Set(guestIds))) held.add(g);
    return [...held];
  }

  async purgeGuests(select: GuestPurgeSelection, at: string): Promise<{ guestIds: string[] }> {
    return this.transaction(async (q) => ({ guestIds: await this.redactGuestsIn(q, select, at) }));
  }

  async memberEvents(memberId: string): Promise<StoredEvent[]> {
    // A scan of the ledger: an export is rare, and no index on every check-in's member is worth its
    // cost on every upload.
    return (
      await this.query<EventRow>(
        `WITH visits AS (SELECT (payload::jsonb) ->> 'visitId' AS id FROM event
                          WHERE type = 'visit.checked_in' AND status = 'accepted' AND (payload::jsonb) -> 'person' ->> 'memberId' = $1),
              lines AS (SELECT (payload::jsonb) ->> 'consumptionId' AS id FROM event
                          WHERE type = 'consumption.recorded' AND status = 'accepted' AND (payload::jsonb) ->> 'memberId' = $1)
         SELECT * FROM event WHERE status = 'accepted' AND type = ANY($2::text[]) AND (
              (type = 'visit.checked_in' AND (payload::jsonb) -> 'person' ->> 'memberId' = $1)
           OR (type IN ('visit.checked_out', 'visit.voided', 'visit.checkout_undone') AND (payload::jsonb) ->> 'visitId' IN (SELECT id FROM visits))
           OR (type IN ('consumption.recorded', 'badge.assigned') AND (payload::jsonb) ->> 'memberId' = $1)
           OR (type = 'consumption.voided' AND (payload::jsonb) ->> 'voidsConsumptionId' IN (SELECT id FROM lines)))
         ORDER BY wall_time, site_id, epoch, seq`,
        [memberId, [...MEMBER_EVENT_TYPES]],
      )
    ).map(toStored);
  }

  async recordErasure(
    changes: { entity: ReferenceEntity; key: string; data: unknown | null }[],
    audit: { memberId: string; by: string; reason: string },
    at: string,
    eraseSignup: SignupEraser,
  ): Promise<ErasureRecord> {
    return this.transaction(async (q) => {
      const cursor = await this.putReferenceIn(q, changes, at);
      const members = [audit.memberId, ...(await q<{ member_id: string }>(ERASURE.mergedInto, [audit.memberId])).map((r) => r.member_id)];
      const erased = erasedSignups(members, eraseSignup, at, {
        events: await q<{ id: string; payload: string }>(ERASURE.signupEventsOf, [POSTGRES_DIALECT.list(members)]),
        decisions: await q<{ member_id: string; payload: string }>(ERASURE.signupDecisionsOf, [POSTGRES_DIALECT.list(members)]),
        copies: await this.rawCopiesIn(q, true),
      });
      for (const e of erased.events) await q('UPDATE event SET payload = $1 WHERE id = $2', [e.payload, e.id]);
      for (const d of erased.decisions) await q('UPDATE signup SET payload = $1 WHERE member_id = $2', [d.payload, d.memberId]);
      await this.rewriteCopiesIn(q, erased.copies);
      const [row] = await q<{ id: number }>('INSERT INTO member_erasure (member_id, erased_by, reason, at, cursor) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
        audit.memberId,
        audit.by,
        audit.reason,
        at,
        cursor,
      ]);
      return { id: row!.id, ...audit, at, cursor };
    });
  }

  async listErasures(query: { memberId?: string; limit: number }): Promise<ErasureRecord[]> {
    const rows = await this.query<{ id: number; member_id: string; erased_by: string; reason: string; at: Date; cursor: number }>(
      query.memberId ? 'SELECT * FROM member_erasure WHERE member_id = $1 ORDER BY id LIMIT $2' : 'SELECT * FROM member_erasure ORDER BY id LIMIT $1',
      query.memberId ? [query.memberId, query.limit] : [query.limit],
    );
    return rows.map((r) => ({ id: r.id, memberId: r.member_id, by: r.erased_by, reason: r.reason, at: r.at.toISOString(), cursor: r.cursor }));
  }

  async pendingSignups(limit: number): Promise<StoredEvent[]> {
    return (
      await this.query<EventRow>(
        `SELECT * FROM event e WHERE e.type = 'member.signed_up' AND e.status = 'accepted'
           AND NOT EXISTS (SELECT 1 FROM signup s WHERE s.member_id = (e.payload::jsonb) ->> 'memberId')
         ORDER BY e.wall_time, e.site_id, e.epoch, e.seq LIMIT $1`,
        [limit],
      )
    ).map(toStored);
  }

  async recordSignup(r: SignupRecord, changes: { entity: ReferenceEntity; key: string; data: unknown | null }[], at: string): Promise<boolean> {
    return this.transaction(async (q) => {
      // Two hub processes may decide the same sign-up at once: the first insert wins, the other writes nothing.
      const inserted = await q(
        `INSERT INTO signup (member_id, site_id, event_id, state, reason, detail, duplicate_of, merged_into, payload, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (member_id) DO NOTHING RETURNING member_id`,
        [r.memberId, r.siteId, r.eventId, r.state, r.reason ?? null, r.detail ?? null, r.duplicateOf ?? null, r.mergedInto ?? null, JSON.stringify(r.payload), r.decidedAt],
      );
      if (inserted.length === 0) return false;
      if (changes.length > 0) await this.putReferenceIn(q, changes, at);
      return true;
    });
  }

  async resolveSignup(
    memberId: string,
    update: Pick<SignupRecord, 'state' | 'reason' | 'detail' | 'mergedInto'> & { resolvedBy: string },
    changes: { entity: ReferenceEntity; key: string; data: unknown | null }[],
    at: string,
  ): Promise<SignupRecord | undefined> {
    return this.transaction(async (q) => {
      const [row] = await q<SignupRow>(
        `UPDATE signup SET state = $1, reason = $2, detail = $3, merged_into = $4, resolved_at = $5, resolved_by = $6
         WHERE member_id = $7 AND state = 'duplicate_case' RETURNING *`,
        [update.state, update.reason ?? null, update.detail ?? null, update.mergedInto ?? null, at, update.resolvedBy, memberId],
      );
      if (!row) return undefined;
      if (changes.length > 0) await this.putReferenceIn(q, changes, at);
      return toSignup(row);
    });
  }

  async getSignup(memberId: string): Promise<SignupRecord | undefined> {
    const [r] = await this.query<SignupRow>('SELECT * FROM signup WHERE member_id = $1', [memberId]);
    return r ? toSignup(r) : undefined;
  }

  async listSignups(q: { state?: SignupRecord['state']; siteId?: string; limit: number }): Promise<SignupRecord[]> {
    return (
      await this.query<SignupRow>(
        'SELECT * FROM signup WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR site_id = $2) ORDER BY decided_at, member_id LIMIT $3',
        [q.state ?? null, q.siteId ?? null, q.limit],
      )
    ).map(toSignup);
  }

  async streamAckedSeq(stream: Stream): Promise<number> {
    const [r] = await this.query<{ acked_seq: number }>('SELECT acked_seq FROM stream WHERE site_id = $1 AND epoch = $2', [stream.siteId, stream.epoch]);
    return r?.acked_seq ?? 0;
  }

  async listStreams(siteId?: string): Promise<StreamRecord[]> {
    const rows = await this.query<{ site_id: string; epoch: string; acked_seq: number; first_seen: Date; last_seen: Date; last_clock_offset_ms: number; caught_up_at: string | null }>(
      siteId ? 'SELECT * FROM stream WHERE site_id = $1 ORDER BY first_seen, epoch' : 'SELECT * FROM stream ORDER BY site_id, first_seen, epoch',
      siteId ? [siteId] : [],
    );
    return rows.map((r) => ({
      siteId: r.site_id,
      epoch: r.epoch,
      ackedSeq: r.acked_seq,
      firstSeen: r.first_seen.toISOString(),
      lastSeen: r.last_seen.toISOString(),
      lastClockOffsetMs: r.last_clock_offset_ms,
      ...(r.caught_up_at ? { caughtUpAt: r.caught_up_at } : {}),
    }));
  }

  async markCaughtUp(stream: Stream, stationTime: string): Promise<void> {
    await this.transaction(async (q) => {
      const known = await q('SELECT 1 FROM stream WHERE site_id = $1 LIMIT 1', [stream.siteId]);
      if (known.length === 0) {
        // A site's first stream, from its heartbeat: under the site's lock, as an upload takes it,
        // so it cannot slip in between an upload's look for the stream and its insert. Two hub
        // processes: the second insert does nothing. (The usual case, a known site, takes no lock.)
        await q('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_SITE, stream.siteId]);
        await q(
          `INSERT INTO stream (site_id, epoch, acked_seq, first_seen, last_seen, last_clock_offset_ms)
           SELECT $1::text, $2::text, 0, $3::timestamptz, $3::timestamptz, 0 WHERE NOT EXISTS (SELECT 1 FROM stream WHERE site_id = $1::text) ON CONFLICT DO NOTHING`,
          [stream.siteId, stream.epoch, stationTime],
        );
      }
      await q('UPDATE stream SET caught_up_at = $3 WHERE site_id = $1 AND epoch = $2 AND (caught_up_at IS NULL OR caught_up_at < $3)', [stream.siteId, stream.epoch, stationTime]);
    });
  }

  async accountingEvents(q: { types: readonly string[]; wallFrom: string; wallTo: string }, visit: (e: AccountingEvent) => void): Promise<number> {
    if (q.types.length === 0) return 0;
    // A cursor in a read-only snapshot, fetched in pages: the whole month is never in memory twice.
    const client = await this.pool.connect();
    let n = 0;
    let next: Promise<pg.QueryResult<[string, string, string]>> | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(
        `DECLARE accounting NO SCROLL CURSOR FOR SELECT site_id, type, payload FROM event WHERE status = 'accepted' AND type = ANY($1) AND wall_time >= $2 AND wall_time < $3`,
        [q.types, q.wallFrom, q.wallTo],
      );
      const fetch = () => client.query<[string, string, string]>({ text: `FETCH ${ACCOUNTING_PAGE} FROM accounting`, rowMode: 'array' });
      // The next page is asked for before this one is parsed: the server reads while Node parses.
      next = fetch();
      while (next) {
        const page: Awaited<ReturnType<typeof fetch>> = await next;
        next = page.rows.length === ACCOUNTING_PAGE ? fetch() : undefined;
        for (const row of page.rows) visit({ siteId: row[0], type: row[1], payload: JSON.parse(row[2]) as unknown });
        n += page.rows.length;
      }
      await client.query('COMMIT');
    } catch (e) {
      // A fetch asked for ahead may fail too once this one did: it is awaited by nobody else.
      next?.catch(() => undefined);
      let broken: Error | undefined;
      await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
      // A connection that could not even roll back goes, not back to the pool.
      client.release(broken);
      throw e;
    }
    client.release();
    return n;
  }

  async firstDeviceEventAt(siteId: string): Promise<string | undefined> {
    const rows = await this.query<{ at: string | null }>(`SELECT MIN(wall_time COLLATE "C") AS at FROM event WHERE site_id = $1 AND ${DEVICE_TYPES_SQL} AND status = 'accepted'`, [siteId]);
    return rows[0]?.at ?? undefined;
  }

  async saveClosedPeriod(r: ClosedPeriodRecord, issue?: DocumentIssue): Promise<boolean> {
    return this.transaction(async (q) => {
      const inserted = await q('INSERT INTO closed_period (period, closed_at, data) VALUES ($1, $2, $3) ON CONFLICT (period) DO NOTHING RETURNING period', [r.period, r.closedAt, JSON.stringify(r.data)]);
      if (inserted.length === 0) return false;
      if (issue) await this.issueIn(q, issue);
      return true;
    });
  }

  /** Numbers and stores a month's documents, inside the caller's transaction; false when that month's were issued already. */
  private async issueIn(q: Query, issue: DocumentIssue): Promise<boolean> {
    // One hub process issues at a time, whatever the month: the run issued last holds the running
    // balance of desk payments, read here and written below (this lock conflicts with itself and
    // is held until the commit).
    await q('LOCK TABLE invoice_run IN SHARE ROW EXCLUSIVE MODE');
    const [previous] = await q('SELECT carried_prepaid, issued_order FROM invoice_run ORDER BY issued_order DESC NULLS LAST LIMIT 1');
    const order = Number(previous?.issued_order ?? 0) + 1;
    const run = await q('INSERT INTO invoice_run (period, issued_at, documents, issued_order) VALUES ($1, $2, 0, $3) ON CONFLICT (period) DO NOTHING RETURNING period', [issue.period, issue.issuedAt, order]);
    if (run.length === 0) return false;
    // The year's row stays locked until this transaction commits: another hub process issuing
    // waits here and then numbers after these.
    await q('INSERT INTO invoice_counter (year, last) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING', [issue.year]);
    const [counter] = await q('SELECT last FROM invoice_counter WHERE year = $1 FOR UPDATE', [issue.year]);
    const last = Number(counter!.last);
    const { documents: docs, carriedPrepaid } = numberedDocuments(issue, last + 1, parseCarriedPrepaid(previous?.carried_prepaid as string | undefined));
    for (const d of docs)
      await q('INSERT INTO invoice_document (number, period, kind, payer_id, issued_at, model) VALUES ($1, $2, $3, $4, $5, $6)', [d.number, d.period, d.kind, d.payerId, d.issuedAt, d.model]);
    await q('UPDATE invoice_counter SET last = $1 WHERE year = $2', [last + docs.length, issue.year]);
    await q('UPDATE invoice_run SET documents = $1, carried_prepaid = $2 WHERE period = $3', [docs.length, JSON.stringify(carriedPrepaid), issue.period]);
    return true;
  }

  async issueDocuments(issue: DocumentIssue): Promise<boolean> {
    return this.transaction((q) => this.issueIn(q, issue));
  }

  async carriedPrepaid(): Promise<Record<string, number>> {
    const [row] = await this.query<{ carried_prepaid: string }>('SELECT carried_prepaid FROM invoice_run ORDER BY issued_order DESC NULLS LAST LIMIT 1');
    return parseCarriedPrepaid(row?.carried_prepaid);
  }

  async documentsIssued(period: string): Promise<boolean> {
    return (await this.query('SELECT 1 FROM invoice_run WHERE period = $1', [period])).length > 0;
  }

  async listDocuments(query: { period: string } | { payerId: string; before: string }): Promise<IssuedDocumentRecord[]> {
    const rows =
      'period' in query
        ? await this.query<DocumentRow>('SELECT * FROM invoice_document WHERE period = $1 ORDER BY number', [query.period])
        : await this.query<DocumentRow>('SELECT number, period, kind, payer_id, issued_at, model FROM invoice_document WHERE payer_id = $1 AND period < $2 ORDER BY number', [query.payerId, query.before]);
    return rows.map(documentRecord);
  }

  async getDocument(number: string): Promise<IssuedDocumentRecord | undefined> {
    const [r] = await this.query<DocumentRow>('SELECT * FROM invoice_document WHERE number = $1', [number]);
    return r ? documentRecord(r) : undefined;
  }

  async attachDocumentFiles(number: string, files: { ubl?: Buffer; pdf?: Buffer }): Promise<void> {
    await this.transaction(async (q) => {
      if (files.ubl) await q('UPDATE invoice_document SET ubl = $1 WHERE number = $2 AND ubl IS NULL', [files.ubl, number]);
      if (files.pdf) await q('UPDATE invoice_document SET pdf = $1 WHERE number = $2 AND pdf IS NULL', [files.pdf, number]);
    });
  }

  async getNetworkProfile(): Promise<unknown | undefined> {
    const [r] = await this.query<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'network_profile'");
    return r ? JSON.parse(r.value) : undefined;
  }

  async putNetworkProfile(profile: unknown): Promise<void> {
    await this.query("INSERT INTO hub_meta (key, value) VALUES ('network_profile', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [JSON.stringify(profile)]);
  }

  async getClosedPeriod(period: string): Promise<ClosedPeriodRecord | undefined> {
    const [r] = await this.query<{ period: string; closed_at: Date; data: unknown }>('SELECT period, closed_at, data FROM closed_period WHERE period = $1', [period]);
    return r ? { period: r.period, closedAt: r.closed_at.toISOString(), data: r.data } : undefined;
  }

  async listClosedPeriods(): Promise<{ period: string; closedAt: string }[]> {
    return (await this.query<{ period: string; closed_at: Date }>('SELECT period, closed_at FROM closed_period ORDER BY period')).map((r) => ({ period: r.period, closedAt: r.closed_at.toISOString() }));
  }

  async listEvents(query: { siteId?: string; epoch?: string; afterSeq?: number; status?: 'accepted' | 'rejected'; limit: number }): Promise<StoredEvent[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const and = (condition: string, value: unknown) => {
      args.push(value);
      where.push(condition.replace('?', `$${args.length}`));
    };
    if (query.siteId) and('site_id = ?', query.siteId);
    if (query.epoch) and('epoch = ?', query.epoch);
    if (query.afterSeq !== undefined) and('seq > ?', query.afterSeq);
    if (query.status) and('status = ?', query.status);
    args.push(query.limit);
    const rows = await this.query<EventRow>(`SELECT * FROM event ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY site_id, epoch, seq LIMIT $${args.length}`, args);
    return rows.map(toStored);
  }

  async countEvents(siteId?: string): Promise<number> {
    const [r] = await this.query<{ n: number }>(siteId ? 'SELECT count(*) AS n FROM event WHERE site_id = $1' : 'SELECT count(*) AS n FROM event', siteId ? [siteId] : []);
    return r!.n;
  }

  async listQuarantine(limit: number): Promise<QuarantinedEvent[]> {
    const rows = await this.query<{ id: number; site_id: string; epoch: string; seq: number; event_id: string | null; reason: string; raw: string; received_at: Date }>(
      'SELECT * FROM quarantine ORDER BY id LIMIT $1',
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      siteId: r.site_id,
      epoch: r.epoch,
      seq: r.seq,
      ...(r.event_id ? { eventId: r.event_id } : {}),
      reason: r.reason,
      raw: r.raw,
      receivedAt: r.received_at.toISOString(),
    }));
  }

  async listAlerts(limit: number): Promise<Alert[]> {
    const rows = await this.query<{ id: number; kind: Alert['kind']; site_id: string; detail: string; at: Date }>('SELECT * FROM alert ORDER BY id LIMIT $1', [limit]);
    return rows.map((r) => ({ id: r.id, kind: r.kind, siteId: r.site_id, detail: r.detail, at: r.at.toISOString() }));
  }

  async listOverlaps(limit: number): Promise<OverlapCase[]> {
    const rows = await this.query<{ id: number; member_id: string; visit_a: string; site_a: string; visit_b: string; site_b: string; detected_at: Date }>(
      'SELECT * FROM overlap_case ORDER BY id LIMIT $1',
      [limit],
    );
    return rows.map((r) => ({ id: r.id, memberId: r.member_id, visitA: r.visit_a, siteA: r.site_a, visitB: r.visit_b, siteB: r.site_b, detectedAt: r.detected_at.toISOString() }));
  }

  async putReference(changes: { entity: ReferenceEntity; key: string; data: unknown | null }[], at: string): Promise<number> {
    return this.transaction((q) => this.putReferenceIn(q, changes, at));
  }

  /** Writes reference changes with the next cursors, inside the caller's transaction. */
  private async putReferenceIn(q: Query, changes: { entity: ReferenceEntity; key: string; data: unknown | null }[], at: string): Promise<number> {
    // The counter row stays locked until this transaction commits: the next writer waits, takes
    // the following cursors and commits after us (see the file's head).
    const [counter] = await q<{ value: number }>("UPDATE hub_counter SET value = value + $1 WHERE name = 'ref_cursor' RETURNING value", [changes.length]);
    const last = counter!.value;
    if (changes.length === 0) return last;
    // One cursor per change, in order; a key changed twice in one call keeps its last change (and cursor).
    const byKey = new Map<string, { entity: string; key: string; data: string | null; cursor: number }>();
    changes.forEach((c, i) => {
      const k = `${c.entity}\u0000${c.key}`;
      byKey.delete(k);
      byKey.set(k, { entity: c.entity, key: c.key, data: c.data === null || c.data === undefined ? null : JSON.stringify(c.data), cursor: last - changes.length + 1 + i });
    });
    const rows = [...byKey.values()];
    await q(
      `INSERT INTO ref_entity (entity, key, data, cursor, updated_at)
       SELECT t.entity, t.key, t.data, t.cursor, $1 FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[]) AS t(entity, key, data, cursor)
       ON CONFLICT (entity, key) DO UPDATE SET data = excluded.data, cursor = excluded.cursor, updated_at = excluded.updated_at`,
      [at, rows.map((r) => r.entity), rows.map((r) => r.key), rows.map((r) => r.data), rows.map((r) => r.cursor)],
    );
    return last;
  }

  async getReference(entity: ReferenceEntity, key: string): Promise<unknown | null | undefined> {
    const [r] = await this.query<{ data: string | null }>('SELECT data FROM ref_entity WHERE entity = $1 AND key = $2', [entity, key]);
    return r === undefined ? undefined : r.data === null ? null : JSON.parse(r.data);
  }

  async listReference(entity: ReferenceEntity): Promise<unknown[]> {
    return (await this.query<{ data: string }>('SELECT data FROM ref_entity WHERE entity = $1 AND data IS NOT NULL ORDER BY key', [entity])).map((r) => JSON.parse(r.data));
  }

  async referencePage(cursor: number | null, snapshot: boolean, limit: number): Promise<ReferencePage> {
    // One snapshot: the rows and the newest cursor agree (see the file's head). The paging rule: reference-page.ts.
    return this.transaction(async (q) => {
      const meta = new Map((await q<{ name: string; value: number }>('SELECT name, value FROM hub_counter')).map((r) => [r.name, r.value]));
      const read = referencePageRead(cursor, snapshot, limit, meta.get('ref_min_cursor') ?? 0);
      const rows = await q<ReferenceRow>(referencePageSql(read, POSTGRES_DIALECT), [read.after, read.take]);
      return referencePageOf(read, rows, meta.get('ref_cursor') ?? 0);
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async compactReference(before: string): Promise<{ removed: number; minCursor: number }> {
    return this.transaction(async (q) => {
      const [current] = await q<{ value: number }>("SELECT value FROM hub_counter WHERE name = 'ref_min_cursor' FOR UPDATE");
      const [gone] = await q<{ c: number | null; n: number }>(
        'WITH d AS (DELETE FROM ref_entity WHERE data IS NULL AND updated_at < $1 RETURNING cursor) SELECT max(cursor) AS c, count(*) AS n FROM d',
        [before],
      );
      if (!gone!.n) return { removed: 0, minCursor: current!.value };
      const minCursor = Math.max(current!.value, gone!.c! + 1);
      await q("UPDATE hub_counter SET value = $1 WHERE name = 'ref_min_cursor'", [minCursor]);
      return { removed: gone!.n, minCursor };
    });
  }
}
