// The hub's migrations (server/store/migrations/) on both engines, real ones: SQLite files and a
// PostgreSQL server (tests/support/postgres.ts). Each migration leaves its objects and its version;
// the pending ones run in one transaction; a newer database and a misnumbered list are refused with
// nothing changed; hub databases made before migrations, built with the old code's DDL
// (hub-schemas-before-migrations.ts) and rows written the old way, are upgraded in place.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../common/events.js';
import { newId } from '../../common/ids.js';
import { MIGRATIONS, type HubMigration } from '../../server/store/migrations/index.js';
import { DEVICE_TYPES_AT_001 } from '../../server/store/migrations/001-initial.js';
import { CREATED_BY_AT_003, OWNERS_BACKFILLED } from '../../server/store/migrations/003-entity-owner.js';
import { CREATED_BY_AT_006 } from '../../server/store/migrations/006-payment-owners.js';
import { HubSchemaError, migratePostgres, migrateSqlite, postgresSchemaVersion, sqliteSchemaVersion, type Migrated } from '../../server/store/migrations/run.js';
import { PostgresHubStore } from '../../server/store/postgres-store.js';
import { CREATED_BY } from '../../server/store/site-references.js';
import { SqliteHubStore } from '../../server/store/sqlite-store.js';
import { DEVICE_TYPES_SQL, type HubStore } from '../../server/store/store.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { tempDir } from '../support/station-fixture.js';
import { FIRST_HUB, HUB_7B1D41F, HUB_FE3E93A, type HubBeforeMigrations } from './hub-schemas-before-migrations.js';
import { SITE_A, SITE_B, TestStream, ctxAt, ingest } from './store-contract.js';

const LATEST = MIGRATIONS.length;
/** Any advisory lock class will do for the runner called directly; the stores pass theirs. */
const TEST_LOCK = 0x4573_7e57;
const T0 = Date.parse('2026-11-24T08:00:00.000Z');
const isoAt = (ms: number) => new Date(ms).toISOString();

interface Schema {
  tables: string[];
  columns: Record<string, string[]>;
  indexes: string[];
}

/** What each migration leaves behind, per engine; a new migration adds its row here. */
const EXPECTED: Record<number, { sqlite: Partial<Schema>; postgres: Partial<Schema> }> = {
  1: {
    sqlite: {
      tables: ['alert', 'closed_period', 'event', 'hub_meta', 'member_erasure', 'open_visit', 'overlap_case', 'quarantine', 'ref_entity', 'signup', 'station', 'stream'],
      indexes: ['event_device', 'event_guest', 'event_guest_due', 'event_signup', 'member_erasure_member', 'open_visit_member', 'quarantine_stream', 'signup_state'],
    },
    postgres: {
      tables: ['alert', 'closed_period', 'event', 'hub_counter', 'member_erasure', 'open_visit', 'overlap_case', 'quarantine', 'ref_entity', 'signup', 'station', 'stream'],
      indexes: ['event_device', 'event_guest', 'event_guest_due', 'event_signup', 'member_erasure_member', 'open_visit_member', 'quarantine_stream', 'signup_state'],
    },
  },
  2: { sqlite: { indexes: ['event_rejected'] }, postgres: { indexes: ['event_rejected'] } },
  3: { sqlite: { tables: ['entity_owner'] }, postgres: { tables: ['entity_owner', 'hub_meta'] } },
  4: { sqlite: { tables: ['badge_uid_merged'] }, postgres: { tables: ['badge_uid_merged'] } },
  5: {
    sqlite: { tables: ['invoice_counter', 'invoice_document', 'invoice_run'], indexes: ['invoice_document_payer', 'invoice_document_period'] },
    postgres: { tables: ['invoice_counter', 'invoice_document', 'invoice_run'], indexes: ['invoice_document_payer', 'invoice_document_period'] },
  },
  6: { sqlite: {}, postgres: {} },
  7: { sqlite: { indexes: ['invoice_run_order'] }, postgres: { indexes: ['invoice_run_order'] } },
};

/** A database of one engine, driven from outside the stores. */
interface Engine {
  name: 'SQLite' | 'PostgreSQL';
  key: 'sqlite' | 'postgres';
  /** A new, empty database: a file path or a URL. */
  create(): Promise<string>;
  /** Runs statements from outside the stores, in one transaction. */
  run(db: string, statements: string[]): Promise<void>;
  rows(db: string, sql: string): Promise<Record<string, unknown>[]>;
  migrate(db: string, list?: readonly HubMigration[]): Promise<Migrated>;
  /** The recorded version; 0 without a record. */
  version(db: string): Promise<number>;
  setVersion(db: string, version: number): Promise<void>;
  /** Tables (the version record left out), their columns, and named indexes, sorted. */
  schema(db: string): Promise<Schema>;
  /** Everything the database holds, schema and rows, as text: "untouched" means this is unchanged. */
  dump(db: string): Promise<string>;
  open(db: string): Promise<HubStore>;
  /** The statement that sets the reference cursor the old way. */
  refCursor(value: number): string;
}

function withSqlite<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 10000');
    return fn(db);
  } finally {
    db.close();
  }
}

const sqlite: Engine = {
  name: 'SQLite',
  key: 'sqlite',
  create: async () => path.join(tempDir('escale-hub-migrations-'), 'hub.sqlite'),
  run: async (file, statements) =>
    withSqlite(file, (db) => {
      // As the stores did: the journal in WAL mode before anything else.
      db.pragma('journal_mode = WAL');
      db.transaction(() => statements.forEach((s) => db.exec(s)))();
    }),
  rows: async (file, sql) => withSqlite(file, (db) => db.prepare(sql).all() as Record<string, unknown>[]),
  migrate: async (file, list) => withSqlite(file, (db) => migrateSqlite(db, list)),
  version: async (file) => withSqlite(file, (db) => sqliteSchemaVersion(db)),
  setVersion: async (file, version) => withSqlite(file, (db) => void db.pragma(`user_version = ${version}`)),
  schema: async (file) =>
    withSqlite(file, (db) => {
      const names = (type: string) =>
        (db.prepare(`SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`).all(type) as { name: string }[]).map((r) => r.name);
      const tables = names('table');
      const columns = Object.fromEntries(
        tables.map((t) => [
          t,
          (db.prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)').all(t) as Record<string, unknown>[])
            .map((c) => `${String(c.name)} ${String(c.type)}${c.notnull ? ' not null' : ''}${c.dflt_value !== null ? ` default ${String(c.dflt_value)}` : ''}${c.pk ? ` pk${String(c.pk)}` : ''}`)
            .sort(),
        ]),
      );
      const indexes = (db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string; sql: string }[]).map(
        (r) => `${r.name}: ${r.sql.replace(/\s+/g, ' ').replace(/ IF NOT EXISTS/i, '')}`,
      );
      return { tables, columns, indexes };
    }),
  dump: async (file) =>
    withSqlite(file, (db) => {
      const master = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all() as { type: string; name: string }[];
      const data = master.filter((m) => m.type === 'table').map((m) => [m.name, (db.prepare(`SELECT * FROM "${m.name}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort()]);
      return JSON.stringify({ version: sqliteSchemaVersion(db), master, data });
    }),
  open: async (file) => new SqliteHubStore(file),
  refCursor: (value) => `INSERT OR REPLACE INTO hub_meta (key, value) VALUES ('ref_cursor', '${value}')`,
};

let server: TestPostgres | undefined;
const pgServer = () => {
  if (!server) throw new Error('PostgreSQL for the tests did not start: see the error of beforeAll');
  return server;
};

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function withPool<T>(url: string, fn: (p: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

const postgres: Engine = {
  name: 'PostgreSQL',
  key: 'postgres',
  create: () => pgServer().newDatabase(),
  run: (url, statements) =>
    withClient(url, async (c) => {
      await c.query('BEGIN');
      for (const s of statements) await c.query(s);
      await c.query('COMMIT');
    }),
  rows: (url, sql) => withClient(url, async (c) => (await c.query(sql)).rows as Record<string, unknown>[]),
  migrate: (url, list) => withPool(url, (p) => migratePostgres(p, { lock: TEST_LOCK, ...(list ? { list } : {}) })),
  version: (url) => withClient(url, async (c) => (await postgresSchemaVersion(c)) ?? 0),
  setVersion: (url, version) => withClient(url, async (c) => void (await c.query('UPDATE schema_version SET version = $1', [version]))),
  schema: (url) =>
    withClient(url, async (c) => {
      const tables = (
        await c.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'schema_version' ORDER BY 1`)
      ).rows.map((r) => r.name);
      const columns: Record<string, string[]> = {};
      for (const r of (
        await c.query<Record<string, string | null>>(
          `SELECT table_name, column_name, data_type, is_nullable, column_default, collation_name, is_identity FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name <> 'schema_version'`,
        )
      ).rows)
        (columns[r.table_name!] ??= []).push(
          `${r.column_name} ${r.data_type}${r.is_nullable === 'NO' ? ' not null' : ''}${r.column_default ? ` default ${r.column_default}` : ''}${r.collation_name ? ` collate ${r.collation_name}` : ''}${r.is_identity === 'YES' ? ' identity' : ''}`,
        );
      for (const list of Object.values(columns)) list.sort();
      // Named indexes, as the engine writes them back (primary keys and unique constraints are the tables').
      const indexes = (
        await c.query<{ name: string; def: string }>(
          `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key' ORDER BY 1`,
        )
      ).rows.map((r) => `${r.name}: ${r.def}`);
      return { tables, columns, indexes };
    }),
  dump: (url) =>
    withClient(url, async (c) => {
      const objects = (await c.query(`SELECT relname, relkind FROM pg_class WHERE relnamespace = current_schema()::regnamespace ORDER BY 1`)).rows;
      const constraints = (await c.query(`SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 1`)).rows;
      const indexes = (await c.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1`)).rows;
      const columns = (
        await c.query(`SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1, 2`)
      ).rows;
      const data: [string, string[]][] = [];
      for (const t of objects.filter((o) => o.relkind === 'r')) data.push([t.relname as string, (await c.query(`SELECT * FROM "${t.relname as string}"`)).rows.map((r) => JSON.stringify(r)).sort()]);
      return JSON.stringify({ objects, constraints, indexes, columns, data });
    }),
  open: (url) => PostgresHubStore.connect(url),
  refCursor: (value) => `UPDATE hub_counter SET value = ${value} WHERE name = 'ref_cursor'`,
};

beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

/** A migration that does part of its work, then fails. */
const failing: HubMigration = {
  version: LATEST + 1,
  name: 'failing half way',
  sqlite: 'CREATE TABLE half_done (a INTEGER); INSERT INTO half_done VALUES (1);',
  postgres: 'CREATE TABLE half_done (a integer); INSERT INTO half_done VALUES (1);',
  data: {
    sqlite: () => {
      throw new Error('migration failed half way');
    },
    postgres: async () => {
      throw new Error('migration failed half way');
    },
  },
};

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** An event row as the old stores wrote an accepted (or rejected) event: plain SQL, valid in both dialects. */
function eventRow(e: StationEvent, receivedAt: number, status: 'accepted' | 'rejected' = 'accepted', reason?: string): string {
  return `INSERT INTO event (id, site_id, epoch, seq, type, status, reason, payload, wall_time, hlc, received_at, clock_offset_ms, flags)
    VALUES (${q(e.id)}, ${q(e.stream.siteId)}, ${q(e.stream.epoch)}, ${e.seq}, ${q(e.type)}, ${q(status)}, ${reason ? q(reason) : 'NULL'}, ${q(JSON.stringify(e.payload))},
      ${q(e.wallTime)}, ${q(e.hlc)}, ${q(isoAt(receivedAt))}, 0, '[]')`;
}

/** What a hub held before migrations: two sites' uploads (one reusing the other's visit id, as nothing then refused), a rejected event, reference data. */
function heldBefore(engine: Engine, options: { contested: boolean }) {
  const a = new TestStream(SITE_A);
  const b = new TestStream(SITE_B);
  const visit = newId();
  const checkIn = a.checkIn(1, 'm-0001', visit);
  const line = a.coffee(2, visit);
  const guest = a.event(3, 'guest.registered', { guestId: newId(), firstName: 'Gaston', lastName: 'Lagaffe', consentAt: isoAt(T0), retentionUntil: '2026-12-31' });
  const signUp = a.event(4, 'member.signed_up', {
    memberId: `m-${newId()}`,
    siteId: SITE_A,
    person: { firstName: 'Lucie', lastName: 'Verbeke', email: 'lucie@example.be', language: 'nl' },
    payer: { kind: 'company', payerId: 'p-acme' },
    consent: { termsVersion: 'terms-1', privacyVersion: 'privacy-1', acceptedAt: isoAt(T0) },
    signedUpOn: '2026-11-24',
    at: isoAt(T0 + 4000),
  });
  const voided = a.event(5, 'consumption.voided', {
    consumptionId: newId(), voidsConsumptionId: (line.payload as { consumptionId: string }).consumptionId, visitId: visit, netCents: -250, vatCents: -15, grossCents: -265, reason: 'wrong key', at: isoAt(T0 + 5000),
  });
  const bVisit = newId();
  const bCheckIn = b.checkIn(1, 'm-0002', bVisit);
  // Received after A's: where two sites created one id before the rule, the first keeps it.
  const reused = b.checkIn(2, 'm-0003', visit);
  const aEvents = [checkIn, line, guest, signUp, voided];
  const bEvents = options.contested ? [bCheckIn, reused] : [bCheckIn];
  const id = (e: StationEvent, field: string) => (e.payload as unknown as Record<string, string>)[field]!;
  const statements = [
    `INSERT INTO station (id, site_id, name, secret_hash, enrolled_at) VALUES ('bxl-louise-reception', ${q(SITE_A)}, 'Reception', ${q('a'.repeat(64))}, ${q(isoAt(T0 - 86_400_000))})`,
    `INSERT INTO ref_entity (entity, key, data, cursor, updated_at) VALUES ('member', 'm-0001', '{"id":"m-0001","firstName":"Anne"}', 1, ${q(isoAt(T0 - 3_600_000))})`,
    engine.refCursor(1),
    `INSERT INTO stream (site_id, epoch, acked_seq, first_seen, last_seen, last_clock_offset_ms) VALUES (${q(SITE_A)}, ${q(a.stream.epoch)}, 6, ${q(isoAt(T0))}, ${q(isoAt(T0 + 60_000))}, 0)`,
    `INSERT INTO stream (site_id, epoch, acked_seq, first_seen, last_seen, last_clock_offset_ms) VALUES (${q(SITE_B)}, ${q(b.stream.epoch)}, ${bEvents.length}, ${q(isoAt(T0 + 120_000))}, ${q(isoAt(T0 + 180_000))}, 0)`,
    ...aEvents.map((e, i) => eventRow(e, T0 + i * 1000)),
    // An invalid upload, kept rejected with its raw text: never an owner.
    `INSERT INTO event (id, site_id, epoch, seq, type, status, reason, payload, wall_time, hlc, received_at, clock_offset_ms, flags)
      VALUES (${q(`rejected:${SITE_A}:${a.stream.epoch}:6`)}, ${q(SITE_A)}, ${q(a.stream.epoch)}, 6, 'rejected', 'rejected', 'not an event', ${q(JSON.stringify('{"visitId":"x"}'))}, NULL, NULL, ${q(isoAt(T0 + 6000))}, 0, '[]')`,
    ...bEvents.map((e, i) => eventRow(e, T0 + 120_000 + i * 1000)),
    `INSERT INTO open_visit (visit_id, member_id, site_id, checked_in_at) VALUES (${q(visit)}, 'm-0001', ${q(SITE_A)}, ${q(isoAt(T0 + 1000))})`,
    `INSERT INTO open_visit (visit_id, member_id, site_id, checked_in_at) VALUES (${q(bVisit)}, 'm-0002', ${q(SITE_B)}, ${q(isoAt(T0 + 121_000))})`,
  ];
  const owners = [
    { kind: 'guest', id: id(guest, 'guestId'), site_id: SITE_A },
    { kind: 'line', id: id(line, 'consumptionId'), site_id: SITE_A },
    { kind: 'line', id: id(voided, 'consumptionId'), site_id: SITE_A },
    { kind: 'member', id: id(signUp, 'memberId'), site_id: SITE_A },
    { kind: 'visit', id: visit, site_id: SITE_A },
    { kind: 'visit', id: bVisit, site_id: SITE_B },
  ].sort((x, y) => (x.kind + x.id < y.kind + y.id ? -1 : 1));
  return { a, b, aEvents, bEvents, visit, line, voided, guest, signUp, statements, owners, id };
}

const ownersOf = async (engine: Engine, db: string) =>
  (await engine.rows(db, 'SELECT kind, id, site_id FROM entity_owner')).sort((x, y) => (String(x.kind) + String(x.id) < String(y.kind) + String(y.id) ? -1 : 1));
const markOf = async (engine: Engine, db: string) => (await engine.rows(db, `SELECT value FROM hub_meta WHERE key = '${OWNERS_BACKFILLED}'`)).map((r) => r.value);

/** A database as the code of `hub` made it, holding what heldBefore says. */
async function madeBefore(engine: Engine, hub: HubBeforeMigrations, rows: string[]): Promise<string> {
  const db = await engine.create();
  await engine.run(db, hub[engine.key]);
  await engine.run(db, rows);
  return db;
}

/** A new database with every migration: what an upgraded one must look like. */
async function fresh(engine: Engine): Promise<Schema> {
  const db = await engine.create();
  await engine.migrate(db);
  return engine.schema(db);
}

function thrown(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
}

describe('hub migrations: the list', () => {
  it('numbers every migration from 1 without a gap, and each has its expectations here', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    for (const m of MIGRATIONS) expect(EXPECTED[m.version], `add the expectations of migration ${m.version} to this test`).toBeDefined();
  });

  it("keeps the frozen lists of 001, 003 and 006 equal to the code's: a change there needs a migration", () => {
    expect(DEVICE_TYPES_AT_001, 'DEVICE_EVENT_TYPES changed: add a migration that rebuilds the index event_device, then update 001 only in this test').toBe(DEVICE_TYPES_SQL);
    expect(
      CREATED_BY_AT_003.map((c) => [c.type, c.kind, c.field]),
      'CREATED_BY changed: add a migration that fills the owners of the new kind from the stored events',
    ).toEqual(Object.entries(CREATED_BY).map(([type, c]) => [type, c.kind, c.field]).filter(([type]) => !CREATED_BY_AT_006.some((c) => c.type === type)));
    expect(CREATED_BY_AT_006.map((c) => [c.type, c.kind, c.field])).toEqual(
      Object.entries(CREATED_BY).map(([type, c]) => [type, c.kind, c.field]).filter(([type]) => !CREATED_BY_AT_003.some((c) => c.type === type)),
    );
  });
});

describe.each([sqlite, postgres])('hub migrations on $name', (engine) => {
  const opened: HubStore[] = [];
  const open = async (db: string) => {
    const store = await engine.open(db);
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const s of opened.splice(0).reverse()) await s.close();
  });

  for (const m of MIGRATIONS) {
    it(`migration ${m.version} (${m.name}) leaves its objects and sets the version to ${m.version}`, async () => {
      const db = await engine.create();
      const upTo = MIGRATIONS.slice(0, m.version);
      if (m.version > 1) await engine.migrate(db, upTo.slice(0, -1));
      expect(await engine.version(db)).toBe(m.version - 1);
      const before = await engine.schema(db);
      expect(await engine.migrate(db, upTo)).toEqual({ from: m.version - 1, to: m.version });
      expect(await engine.version(db)).toBe(m.version);
      const after = await engine.schema(db);
      const expected = EXPECTED[m.version]![engine.key];
      expect(after.tables.filter((t) => !before.tables.includes(t))).toEqual(expected.tables ?? []);
      expect(after.indexes.map((i) => i.split(':')[0]!).filter((i) => !before.indexes.some((b) => b.startsWith(`${i}:`)))).toEqual(expected.indexes ?? []);
      // Running it again changes nothing.
      expect(await engine.migrate(db, upTo)).toEqual({ from: m.version, to: m.version });
      expect(await engine.schema(db)).toEqual(after);
    });
  }

  it('migration 007 gives each invoice run its balance of desk payments, {} for a run issued before, and the order runs were issued in', async () => {
    const db = await engine.create();
    await engine.migrate(db, MIGRATIONS.slice(0, 6));
    await engine.run(db, [
      "INSERT INTO invoice_run (period, issued_at, documents) VALUES ('2026-10', '2026-11-04T06:00:00.000Z', 0)",
      // September issued after October (closed before the first month ever closed).
      "INSERT INTO invoice_run (period, issued_at, documents) VALUES ('2026-09', '2026-11-20T09:00:00.000Z', 0)",
      "INSERT INTO invoice_run (period, issued_at, documents) VALUES ('2026-11', '2026-12-04T06:00:00.000Z', 0)",
    ]);
    await engine.migrate(db, MIGRATIONS.slice(0, 7));
    expect(await engine.rows(db, 'SELECT period, carried_prepaid, issued_order FROM invoice_run ORDER BY issued_order')).toEqual([
      { period: '2026-10', carried_prepaid: '{}', issued_order: 1 },
      { period: '2026-09', carried_prepaid: '{}', issued_order: 2 },
      { period: '2026-11', carried_prepaid: '{}', issued_order: 3 },
    ]);
    const store = await engine.open(db);
    try {
      expect(await store.carriedPrepaid()).toEqual({});
    } finally {
      await store.close();
    }
  });

  it('migration 001 gives the stream its watermark column', async () => {
    const db = await engine.create();
    await engine.migrate(db, MIGRATIONS.slice(0, 1));
    expect((await engine.schema(db)).columns.stream!.some((c) => c.startsWith('caught_up_at '))).toBe(true);
  });

  it('migration 003 fills the owners from the events stored at version 2, the first site keeping a contested id, and marks when', async () => {
    const db = await engine.create();
    await engine.migrate(db, MIGRATIONS.slice(0, 2));
    const held = heldBefore(engine, { contested: true });
    await engine.run(db, held.statements);
    expect(await engine.migrate(db, MIGRATIONS.slice(0, 3))).toEqual({ from: 2, to: 3 });
    expect(await ownersOf(engine, db)).toEqual(held.owners);
    expect(await markOf(engine, db)).toHaveLength(1);
  });

  it('migration 006 makes each payment stored before it the site\'s that recorded it, the first site keeping a contested id', async () => {
    const db = await engine.create();
    await engine.migrate(db, MIGRATIONS.slice(0, 5));
    const a = new TestStream(SITE_A);
    const b = new TestStream(SITE_B);
    const paymentId = newId();
    const visit = newId();
    const payment = (s: TestStream, seq: number, id: string) => s.event(seq, 'payment.recorded', { paymentId: id, visitId: visit, method: 'card', amountCents: 1_210, at: isoAt(T0 + seq * 1000) });
    const other = newId();
    await engine.run(db, [eventRow(payment(a, 1, paymentId), T0), eventRow(payment(b, 1, paymentId), T0 + 1000), eventRow(payment(b, 2, other), T0 + 2000), eventRow(payment(a, 2, newId()), T0 + 3000, 'rejected', 'test')]);
    expect(await engine.migrate(db, MIGRATIONS.slice(0, 6))).toEqual({ from: 5, to: 6 });
    expect(await ownersOf(engine, db)).toEqual(
      [
        { kind: 'payment', id: paymentId, site_id: SITE_A },
        { kind: 'payment', id: other, site_id: SITE_B },
      ].sort((x, y) => (x.kind + x.id < y.kind + y.id ? -1 : 1)),
    );
  });

  it('migration 004 stores badges under their upper-case number, tombstoning the old keys first; of numbers equal but for case the upper-case one wins, else the last written, the loser kept aside', async () => {
    const db = await engine.create();
    await engine.migrate(db, MIGRATIONS.slice(0, 3));
    const badge = (uid: string, memberId: string, cursor: number, data = true) =>
      `INSERT INTO ref_entity (entity, key, data, cursor, updated_at) VALUES ('badge', ${q(uid)}, ${data ? q(JSON.stringify({ uid, memberId, kind: 'rfid', status: 'active' })) : 'NULL'}, ${cursor}, ${q(isoAt(T0))})`;
    await engine.run(db, [
      badge('00137542ab', 'm-lower-only', 1),
      badge('7E001FA2B4', 'm-upper', 2),
      badge('7e001fa2b4', 'm-loses-to-upper', 3),
      badge('Aa11', 'm-last', 5),
      badge('aa11', 'm-first', 4),
      badge('0013748911', 'm-digits', 6),
      badge('deadbeef', 'm-gone', 7, false),
      `INSERT INTO ref_entity (entity, key, data, cursor, updated_at) VALUES ('member', 'm-lower-only', '{}', 8, ${q(isoAt(T0))})`,
      engine.refCursor(8),
    ]);
    expect(await engine.migrate(db, MIGRATIONS.slice(0, 4))).toEqual({ from: 3, to: 4 });
    const rows = (await engine.rows(db, "SELECT key, data, cursor FROM ref_entity WHERE entity = 'badge' ORDER BY cursor")).map((r) => ({
      key: r.key,
      member: r.data === null ? null : (JSON.parse(String(r.data)) as { uid: string; memberId: string }).memberId,
      uid: r.data === null ? null : (JSON.parse(String(r.data)) as { uid: string }).uid,
      cursor: Number(r.cursor),
    }));
    expect(rows).toEqual([
      { key: '0013748911', member: 'm-digits', uid: '0013748911', cursor: 6 },
      { key: 'deadbeef', member: null, uid: null, cursor: 7 },
      // Tombstones first (by canonical number, then as they were written), then the canonical numbers.
      { key: '00137542ab', member: null, uid: null, cursor: 9 },
      { key: '7e001fa2b4', member: null, uid: null, cursor: 10 },
      { key: 'aa11', member: null, uid: null, cursor: 11 },
      { key: 'Aa11', member: null, uid: null, cursor: 12 },
      { key: '00137542AB', member: 'm-lower-only', uid: '00137542AB', cursor: 13 },
      { key: '7E001FA2B4', member: 'm-upper', uid: '7E001FA2B4', cursor: 14 },
      { key: 'AA11', member: 'm-last', uid: 'AA11', cursor: 15 },
    ]);
    expect((await engine.rows(db, 'SELECT uid, canonical_uid, data FROM badge_uid_merged ORDER BY uid')).map((r) => [r.uid, r.canonical_uid, (JSON.parse(String(r.data)) as { memberId: string }).memberId])).toEqual([
      ['7e001fa2b4', '7E001FA2B4', 'm-loses-to-upper'],
      ['aa11', 'AA11', 'm-first'],
    ]);
    // The store goes on from the new cursor, and a station pulling from before sees the tombstones then the badges.
    const store = await open(db);
    const page = await store.referencePage(8, false, 100);
    expect(page.cursor).toBe(15);
    expect(await store.putReference([{ entity: 'site', key: 'x', data: null }], isoAt(T0))).toBe(16);
  });

  it('runs the pending migrations in one transaction: one failing half way leaves the version, the schema and the rows as they were', async () => {
    const empty = await engine.create();
    const before = await engine.dump(empty);
    await expect(engine.migrate(empty, [...MIGRATIONS, failing])).rejects.toThrow(/half way/);
    expect(await engine.dump(empty)).toBe(before);
    expect(await engine.version(empty)).toBe(0);

    // From version 2, with rows: 003 and the failing one roll back together.
    const db = await engine.create();
    await engine.migrate(db, MIGRATIONS.slice(0, 2));
    await engine.run(db, heldBefore(engine, { contested: false }).statements);
    const atTwo = await engine.dump(db);
    await expect(engine.migrate(db, [...MIGRATIONS, failing])).rejects.toThrow(/half way/);
    expect(await engine.dump(db)).toBe(atTwo);
    expect(await engine.version(db)).toBe(2);
    // The good list then migrates the same database.
    expect(await engine.migrate(db)).toEqual({ from: 2, to: LATEST });
  });

  it('refuses a list not numbered 1..n, touching nothing', async () => {
    const db = await engine.create();
    const before = await engine.dump(db);
    const e = await thrown(engine.migrate(db, [MIGRATIONS[0]!, { ...MIGRATIONS[2]!, version: 3 }]));
    expect(e).toBeInstanceOf(HubSchemaError);
    expect((e as HubSchemaError).code).toBe('MIGRATIONS_MISNUMBERED');
    expect((e as Error).message).toMatch(/version 3, expected 2/);
    expect(await engine.dump(db)).toBe(before);
  });

  it('refuses to open a database newer than this code, naming both versions, and leaves it untouched', async () => {
    const db = await engine.create();
    await engine.migrate(db);
    await engine.run(db, heldBefore(engine, { contested: false }).statements);
    await engine.setVersion(db, LATEST + 1);
    const before = await engine.dump(db);
    const bytes = engine === sqlite ? crypto.createHash('sha256').update(fs.readFileSync(db)).digest('hex') : '';
    const e = await thrown(engine.open(db));
    expect(e).toBeInstanceOf(HubSchemaError);
    expect((e as HubSchemaError).code).toBe('DATABASE_TOO_NEW');
    expect((e as Error).message).toContain(`schema version ${LATEST + 1}, newer than this hub knows (up to ${LATEST})`);
    expect(await engine.dump(db)).toBe(before);
    if (engine === sqlite) expect(crypto.createHash('sha256').update(fs.readFileSync(db)).digest('hex')).toBe(bytes);
  });

  it(`upgrades in place a database of the first hub (${FIRST_HUB.commit}): 001 completes it, 002 and 003 follow, its rows intact`, async () => {
    const held = heldBefore(engine, { contested: true });
    const db = await madeBefore(engine, FIRST_HUB, held.statements);
    const tablesBefore = (await engine.schema(db)).tables;
    expect(tablesBefore).not.toContain('signup');
    expect((await engine.schema(db)).columns.stream!.some((c) => c.startsWith('caught_up_at '))).toBe(false);
    const rowsBefore = await Promise.all(['event', 'stream', 'station', 'ref_entity', 'open_visit'].map((t) => engine.rows(db, `SELECT * FROM ${t} ORDER BY 1`)));

    expect(await engine.migrate(db)).toEqual({ from: 1, to: LATEST, adopted: true });
    expect(await engine.version(db)).toBe(LATEST);
    expect(await engine.schema(db)).toEqual(await fresh(engine));
    expect(await Promise.all(['event', 'stream', 'station', 'ref_entity', 'open_visit'].map((t) => engine.rows(db, `SELECT * FROM ${t} ORDER BY 1`)))).toEqual(
      rowsBefore.map((rows, i) => (i === 1 ? rows.map((r) => ({ ...r, caught_up_at: null })) : rows)),
    );
    expect(await ownersOf(engine, db)).toEqual(held.owners);
  });

  it(`upgrades in place a database of the hub of ${HUB_7B1D41F.commit} with its events: event_rejected and entity_owner appear, the owners are filled once, the store works on it`, async () => {
    const held = heldBefore(engine, { contested: true });
    const db = await madeBefore(engine, HUB_7B1D41F, held.statements);
    const before = JSON.parse(await engine.dump(db)) as { data: [string, string[]][] };

    const store = await open(db);
    expect(await engine.version(db)).toBe(LATEST);
    expect(await engine.schema(db)).toEqual(await fresh(engine));
    expect(await ownersOf(engine, db)).toEqual(held.owners);
    expect(await markOf(engine, db)).toHaveLength(1);
    // Every row it held is still there, unchanged (hub_meta gained the mark on SQLite; on PostgreSQL it is new).
    const after = new Map((JSON.parse(await engine.dump(db)) as { data: [string, string[]][] }).data);
    for (const [table, rows] of before.data) expect(after.get(table), table).toEqual(table === 'hub_meta' ? expect.arrayContaining(rows) : rows);

    // The store on it: what it held is listed; a resend is recognised; another site naming A's ids is refused.
    expect((await store.listEvents({ limit: 100 })).map((e) => e.id).sort()).toEqual(before.data.find(([t]) => t === 'event')![1].map((r) => (JSON.parse(r) as { id: string }).id).sort());
    expect(await ingest(store, held.a, held.aEvents, ctxAt(T0 + 300_000))).toEqual({ ackedSeq: 6, rejected: [], quarantined: [] });
    const { b, id } = held;
    const forged = [
      b.checkOut(3, held.visit),
      b.event(4, 'consumption.voided', { consumptionId: newId(), voidsConsumptionId: id(held.line, 'consumptionId'), visitId: newId(), netCents: -250, vatCents: -15, grossCents: -265, reason: 'x', at: isoAt(T0) }),
      b.event(5, 'consumption.voided', { consumptionId: newId(), voidsConsumptionId: id(held.voided, 'consumptionId'), visitId: newId(), netCents: 250, vatCents: 15, grossCents: 265, reason: 'x', at: isoAt(T0) }),
      b.event(6, 'guest.purged', { guestId: id(held.guest, 'guestId'), retentionUntil: '2026-12-31', at: isoAt(T0) }),
      b.checkIn(7, id(held.signUp, 'memberId')),
    ];
    const r = await ingest(store, b, forged, ctxAt(T0 + 300_000));
    expect(r.ackedSeq).toBe(7);
    expect(r.rejected.map((x) => x.reason)).toEqual([
      `names visit ${held.visit} of site ${SITE_A}, not of this site (${SITE_B})`,
      `names consumption line ${id(held.line, 'consumptionId')} of site ${SITE_A}, not of this site (${SITE_B})`,
      `names consumption line ${id(held.voided, 'consumptionId')} of site ${SITE_A}, not of this site (${SITE_B})`,
      `names guest ${id(held.guest, 'guestId')} of site ${SITE_A}, not of this site (${SITE_B})`,
      `names member ${id(held.signUp, 'memberId')} of site ${SITE_A} (signed up there, not yet a network member), not of this site (${SITE_B})`,
    ]);
    // Reference data goes on from the cursor it had.
    expect(await store.putReference([{ entity: 'member', key: 'm-0002', data: { id: 'm-0002' } }], isoAt(T0))).toBe(2);
    expect((await store.referencePage(1, false, 10)).changes.map((c) => c.key)).toEqual(['m-0002']);

    // Once: with its version recorded, a store opened again does not fill the owners again.
    await engine.run(db, ['DELETE FROM entity_owner']);
    const again = await open(db);
    expect((await ingest(again, b, [b.event(8, 'guest.purged', { guestId: id(held.guest, 'guestId'), retentionUntil: '2026-12-31', at: isoAt(T0) })])).rejected).toEqual([]);
  });

  it(`recognises a database of today's hub before migrations (${HUB_FE3E93A.commit}) as at version 3: nothing is applied twice, its owners and their mark kept`, async () => {
    const held = heldBefore(engine, { contested: false });
    // As that hub left it: the owners it recorded while accepting the uploads.
    const owned = held.owners.map((o) => `INSERT INTO entity_owner (kind, id, site_id) VALUES (${q(o.kind)}, ${q(o.id)}, ${q(o.site_id)})`);
    const db = await madeBefore(engine, HUB_FE3E93A, [...held.statements, ...owned]);
    const before = await engine.dump(db);

    expect(await engine.migrate(db)).toEqual({ from: 3, to: LATEST, adopted: true });
    expect(await engine.version(db)).toBe(LATEST);
    expect(await engine.schema(db)).toEqual(await fresh(engine));
    expect(await ownersOf(engine, db)).toEqual(held.owners);
    expect(await markOf(engine, db)).toEqual(['2026-12-01T09:00:00.000Z']);
    // Only the version record, and the empty tables of the migrations after 3, are new.
    const parse = (d: string) => JSON.parse(d) as { data: [string, string[]][] };
    const after = parse(await engine.dump(db)).data.filter(([t]) => t !== 'schema_version');
    const later = after.filter(([t]) => !parse(before).data.some(([b]) => b === t));
    const laterTables = ['badge_uid_merged', 'invoice_counter', 'invoice_document', 'invoice_run'];
    expect(later).toEqual(laterTables.map((t) => [t, []]));
    expect(after.filter(([t]) => !laterTables.includes(t))).toEqual(parse(before).data);

    const store = await open(db);
    const r = await ingest(store, held.b, [held.b.checkOut(2, held.visit)], ctxAt(T0 + 300_000));
    expect(r).toMatchObject({ ackedSeq: 2, rejected: [{ seq: 2, reason: `names visit ${held.visit} of site ${SITE_A}, not of this site (${SITE_B})` }] });
  });

  it("refuses a database without a version whose objects no hub made so (owners never marked as filled, yet holding rows), changing nothing", async () => {
    const held = heldBefore(engine, { contested: false });
    const db = await madeBefore(engine, HUB_FE3E93A, [...held.statements, `INSERT INTO entity_owner (kind, id, site_id) VALUES ('visit', ${q(held.visit)}, ${q(SITE_A)})`]);
    await engine.run(db, [`DELETE FROM hub_meta WHERE key = '${OWNERS_BACKFILLED}'`]);
    const before = await engine.dump(db);
    const e = await thrown(engine.open(db));
    expect(e).toBeInstanceOf(HubSchemaError);
    expect((e as HubSchemaError).code).toBe('DATABASE_UNRECOGNISED');
    expect(await engine.dump(db)).toBe(before);
  });
});

describe('hub migrations: SQLite only', () => {
  it('fills the owners of a SQLite hub of fe3e93a stopped between creating entity_owner and filling it', async () => {
    const held = heldBefore(sqlite, { contested: true });
    // Its first open ran the schema, then stopped before the transaction that fills and marks.
    const db = await madeBefore(sqlite, { ...HUB_FE3E93A, sqlite: HUB_FE3E93A.sqlite.slice(0, 2) }, held.statements);
    expect(await ownersOf(sqlite, db)).toEqual([]);
    expect(await sqlite.migrate(db)).toEqual({ from: 2, to: LATEST, adopted: true });
    expect(await ownersOf(sqlite, db)).toEqual(held.owners);
    expect(await sqlite.schema(db)).toEqual(await fresh(sqlite));
  });

  it('an up-to-date database costs one version read', async () => {
    const file = await sqlite.create();
    await sqlite.migrate(file);
    withSqlite(file, (db) => {
      const calls: string[] = [];
      for (const method of ['pragma', 'prepare', 'exec', 'transaction'] as const) {
        const original = (db[method] as (...args: unknown[]) => unknown).bind(db);
        (db as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
          calls.push(`${method} ${String(args[0])}`);
          return original(...args);
        };
      }
      expect(migrateSqlite(db)).toEqual({ from: LATEST, to: LATEST });
      expect(calls).toEqual(['pragma user_version']);
    });
  });
});

describe('hub migrations: PostgreSQL only', () => {
  it('two hub processes opening one old database at once migrate it once', async () => {
    const held = heldBefore(postgres, { contested: true });
    const db = await madeBefore(postgres, HUB_7B1D41F, held.statements);
    const stores = await Promise.all([PostgresHubStore.connect(db), PostgresHubStore.connect(db), PostgresHubStore.connect(db)]);
    try {
      expect(await postgres.version(db)).toBe(LATEST);
      expect(await ownersOf(postgres, db)).toEqual(held.owners);
      expect(await markOf(postgres, db)).toHaveLength(1);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('an up-to-date database costs one version read, and no connection of its own', async () => {
    const db = await postgres.create();
    await postgres.migrate(db);
    await withPool(db, async (pool) => {
      const calls: string[] = [];
      const counting = {
        query: (...args: Parameters<pg.Pool['query']>) => {
          calls.push(`query ${String(args[0])}`);
          return pool.query(...args);
        },
        connect: () => {
          calls.push('connect');
          return pool.connect();
        },
      } as unknown as pg.Pool;
      expect(await migratePostgres(counting, { lock: TEST_LOCK })).toEqual({ from: LATEST, to: LATEST });
      expect(calls).toEqual(['query SELECT version FROM schema_version']);
    });
  });
});

describe('the hub CLI on a database it cannot open', () => {
  it('says DATABASE_TOO_NEW by its code, exit 1, and leaves the file as it was', async () => {
    const file = path.join(tempDir('escale-hub-too-new-'), 'hub.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    const before = fs.readFileSync(file);
    const { main } = await import('../../server/cli/escale-hub.js');
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((c: string | Uint8Array) => written.push(String(c)) > 0) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(['station', 'list', '--db', file]);
    } finally {
      process.stderr.write = write;
    }
    expect(code).toBe(1);
    expect(written.join('')).toMatch(/^error DATABASE_TOO_NEW: .*version 99/m);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});
