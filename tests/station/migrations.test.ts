// Numbered migrations recorded in PRAGMA user_version, run in one transaction; a database from a
// newer app is refused and left byte for byte as it was.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, type Migration } from '../../main/station/database/migrations/index.js';
import { migration001 } from '../../main/station/database/migrations/001-initial.js';
import { migrate, schemaVersion } from '../../main/station/database/migrate.js';
import { DATABASE_FILE } from '../../main/station/database/open.js';
import { openStation } from '../../main/station/station.js';
import { StationFailure } from '../../main/station/errors.js';
import { tempDir } from '../support/station-fixture.js';

const tables = (db: Database.Database): string[] =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
const triggers = (db: Database.Database): string[] =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);

/** What each migration must leave behind; a new migration adds its row here. */
const EXPECTED: Record<number, { tables: string[]; triggers?: string[]; columns?: Record<string, string[]> }> = {
  1: {
    tables: [
      'badge', 'consumption', 'guest', 'member', 'open_visit', 'outbox', 'payer', 'service', 'site', 'staff', 'staff_lockout', 'staff_shift',
      'station_meta', 'tariff_price', 'tariff_version', 'visit', 'visit_checkout', 'visit_void',
    ],
    triggers: ['visit', 'visit_checkout', 'visit_void', 'consumption', 'outbox'].flatMap((t) => [`${t}_no_delete`, `${t}_no_update`]).sort(),
  },
  2: { tables: ['device', 'print_job'] },
  3: { tables: ['reference_snapshot_seen', 'sync_problem', 'sync_stream'] },
  4: { tables: ['plan', 'quota', 'quota_member', 'subscription'], columns: { consumption: ['coverage', 'quota_id', 'quota_minutes'] } },
  5: { tables: ['member_signup'] },
  6: { tables: [], columns: { guest: ['nationality'] } },
  7: { tables: ['device_health'] },
  8: { tables: [] },
  9: { tables: ['host_pairing', 'printer_file_allow'], columns: { staff: ['role'], staff_lockout: ['locks'] } },
  10: { tables: [], columns: { site: ['badge_formats'] } },
  11: { tables: ['sync_state'] },
  12: { tables: ['visit_checkout_undo'], triggers: ['visit_checkout_undo_no_delete', 'visit_checkout_undo_no_update'] },
  13: { tables: ['receipt_number'], columns: { site: ['legal_name', 'address', 'vat_number'] }, triggers: ['receipt_number_no_delete', 'receipt_number_no_update'] },
  14: { tables: ['payment', 'payment_refund'], triggers: ['payment', 'payment_refund'].flatMap((t) => [`${t}_no_delete`, `${t}_no_update`]).sort() },
  15: {
    tables: ['till', 'till_close'],
    columns: { payment: ['company_name', 'company_vat', 'till_id'], payment_refund: ['till_id'] },
    triggers: ['till', 'till_close', 'payment', 'payment_refund'].flatMap((t) => [`${t}_no_delete`, `${t}_no_update`]).sort(),
  },
};

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('migrations', () => {
  it('numbers every migration from 1 without a gap, and each has its expectations here', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    for (const m of MIGRATIONS) expect(EXPECTED[m.version], `add the expectations of migration ${m.version} to this test`).toBeDefined();
  });

  for (const m of MIGRATIONS) {
    it(`migration ${m.version} (${m.name}) creates its tables and sets user_version to ${m.version}`, () => {
      const db = new Database(':memory:');
      try {
        const upTo = MIGRATIONS.slice(0, m.version);
        if (upTo.length > 1) migrate(db, upTo.slice(0, -1));
        const before = tables(db);
        expect(schemaVersion(db)).toBe(m.version - 1);
        expect(migrate(db, upTo)).toEqual({ from: m.version - 1, to: m.version });
        expect(schemaVersion(db)).toBe(m.version);
        const added = tables(db).filter((t) => !before.includes(t));
        expect(added.sort()).toEqual([...EXPECTED[m.version]!.tables].sort());
        if (EXPECTED[m.version]!.triggers) expect(triggers(db)).toEqual(expect.arrayContaining(EXPECTED[m.version]!.triggers!));
        for (const [table, columns] of Object.entries(EXPECTED[m.version]!.columns ?? {}))
          expect((db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name)).toEqual(expect.arrayContaining(columns));
        // Running again changes nothing.
        expect(migrate(db, upTo)).toEqual({ from: m.version, to: m.version });
      } finally {
        db.close();
      }
    });
  }

  it('migration 001 makes the ledger tables strict and append-only', () => {
    const db = new Database(':memory:');
    migrate(db, [migration001]);
    db.exec(`INSERT INTO station_meta VALUES ('k', 'v')`);
    // STRICT: a value of the wrong type is refused rather than stored.
    expect(() => db.exec(`INSERT INTO site VALUES ('s', 'n', 'brussels', 'two', 'Europe/Brussels', '{}', '{}')`)).toThrow();
    db.exec(`INSERT INTO outbox (id, site_id, epoch, seq, type, payload, wall_time, hlc) VALUES ('e1', 's', 'ep', 1, 't', '{}', 'w', 'h')`);
    expect(() => db.exec(`UPDATE outbox SET seq = 2`)).toThrow(/append-only/);
    expect(() => db.exec(`DELETE FROM outbox`)).toThrow(/append-only/);
    // (epoch, seq) is unique: a seq is never used twice in a stream.
    expect(() => db.exec(`INSERT INTO outbox (id, site_id, epoch, seq, type, payload, wall_time, hlc) VALUES ('e2', 's', 'ep', 1, 't', '{}', 'w', 'h')`)).toThrow(
      /UNIQUE/,
    );
    db.close();
  });

  it('migration 004 adds coverage to consumption, which stays insertable and append-only', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 4));
    // Only the consumption table is under test here, not the member and payer it points at.
    db.pragma('foreign_keys = OFF');
    db.exec(`INSERT INTO site VALUES ('s', 'n', 'brussels', 2, 'Europe/Brussels', '{}', '{"status":"confirmed"}')`);
    db.exec(`INSERT INTO visit (id, site_id, member_id, checked_in_at, checked_in_by) VALUES ('v', 's', 'm', '2026-11-24T08:00:00.000Z', 'staff')`);
    const line = (id: string, extra: string, values: string) =>
      db.exec(`INSERT INTO consumption (id, visit_id, member_id, service_code, quantity, billed_quantity, tariff_version_id, stars, unit_price_cents, vat_rate_bp,
        net_cents, vat_cents, gross_cents, cap_applied, local_date, at, source${extra}) VALUES ('${id}', 'v', 'm', 'desk_hour', 60, 60, 't', 2, 500, 2100, 0, 0, 0, 0,
        '2026-11-24', '2026-11-24T09:00:00.000Z', 'checkout'${values})`);
    line('old', '', '');
    line('q', ', coverage, quota_id, quota_minutes', `, '{"kind":"quota","quotaId":"q1","coveredMinutes":60}', 'q1', 60`);
    expect(db.prepare('SELECT id, coverage, quota_id, quota_minutes FROM consumption ORDER BY id').all()).toEqual([
      { id: 'old', coverage: null, quota_id: null, quota_minutes: 0 },
      { id: 'q', coverage: '{"kind":"quota","quotaId":"q1","coveredMinutes":60}', quota_id: 'q1', quota_minutes: 60 },
    ]);
    expect(() => db.exec(`UPDATE consumption SET quota_minutes = 0`)).toThrow(/append-only/);
    expect(() => db.exec(`DELETE FROM consumption`)).toThrow(/append-only/);
    // STRICT still: minutes are a number.
    expect(() => line('bad', ', quota_minutes', `, 'sixty'`)).toThrow();
    db.close();
  });

  it('migration 006 gives guests a nullable nationality: a guest registered before it has none, and the purge can still erase a guest row', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 5));
    const insert = (id: string, extra: string, values: string) =>
      db.exec(`INSERT INTO guest (id, first_name, last_name, language, search_text, consent_at, retention_until, registered_at${extra})
        VALUES ('${id}', 'Gaston', 'Lagaffe', 'fr', 'gaston lagaffe', '2026-11-24T08:00:00.000Z', '2026-11-24', '2026-11-24T08:00:00.000Z'${values})`);
    insert('before', '', '');
    expect(() => insert('early', ', nationality', ", 'Belge'")).toThrow(/nationality/);
    migrate(db, MIGRATIONS.slice(0, 6));
    insert('after', ', nationality', ", 'Belge'");
    expect(db.prepare('SELECT id, nationality FROM guest ORDER BY id').all()).toEqual([
      { id: 'after', nationality: 'Belge' },
      { id: 'before', nationality: null },
    ]);
    // STRICT still: a nationality is text, not bytes.
    expect(() => insert('bad', ', nationality', ", X'4265'")).toThrow(/cannot store BLOB/);
    // No trigger guards the guest table (unlike the ledger and the outbox): the privacy purge's
    // UPDATE, nationality included, goes through.
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'guest'`).all()).toEqual([]);
    db.exec(`UPDATE guest SET first_name = '', last_name = '', company = NULL, email = NULL, nationality = NULL, search_text = '' WHERE id = 'after'`);
    expect(db.prepare(`SELECT first_name, nationality FROM guest WHERE id = 'after'`).get()).toEqual({ first_name: '', nationality: null });
    db.close();
  });

  it('migration 008 drops the indexes a tap wrote for nothing and keeps who is on site', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 7));
    const indexes = () => (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    expect(indexes()).toEqual(expect.arrayContaining(['consumption_day', 'consumption_member_day', 'sqlite_autoindex_open_visit_2']));
    db.exec(`INSERT INTO payer (id, kind, name, language) VALUES ('p1', 'self', 'Anne', 'fr')`);
    db.exec(`INSERT INTO member (id, payer_id, first_name, last_name, email, language, status, home_site_id, search_text)
      VALUES ('m1', 'p1', 'Anne', 'Dupont', 'anne@example.be', 'fr', 'active', 's1', 'anne dupont')`);
    db.exec(`INSERT INTO visit (id, site_id, member_id, checked_in_at, checked_in_by) VALUES ('v1', 's1', 'm1', '2026-11-24T08:00:00.000Z', 'badge')`);
    db.exec(`INSERT INTO open_visit (visit_id, member_id, checked_in_at) VALUES ('v1', 'm1', '2026-11-24T08:00:00.000Z')`);
    migrate(db, MIGRATIONS.slice(0, 8));
    expect(indexes().filter((n) => ['consumption_day', 'consumption_member_day'].includes(n) || n.startsWith('sqlite_autoindex_open_visit'))).toEqual([]);
    expect(db.prepare('SELECT visit_id, member_id, checked_in_at FROM open_visit').all()).toEqual([
      { visit_id: 'v1', member_id: 'm1', checked_in_at: '2026-11-24T08:00:00.000Z' },
    ]);
    // Still strict, still tied to its visit.
    expect(() => db.exec(`INSERT INTO open_visit (visit_id, member_id, checked_in_at) VALUES ('nope', 'm1', 'x')`)).toThrow();
    db.close();
  });

  it('migration 010 puts badge numbers in upper case; of numbers equal but for case, the upper-case row wins, else the one written last', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 9));
    // Only the badge rows are under test here, not the members they point at.
    db.pragma('foreign_keys = OFF');
    const badge = db.prepare(`INSERT INTO badge (uid, member_id, kind, status) VALUES (?, ?, 'rfid', 'active')`);
    badge.run('00137542ab', 'm-lower-only');
    badge.run('7e001fa2b4', 'm-loses-to-upper');
    badge.run('7E001FA2B4', 'm-upper');
    badge.run('aa11', 'm-first');
    badge.run('Aa11', 'm-last');
    badge.run('ESC-QR-m0010', 'm-qr');
    badge.run('0013748911', 'm-digits');
    db.exec(`INSERT INTO member_signup (member_id, payer_id, payer_kind, terms_version, privacy_version, accepted_at, badge_uid, badge_kind, signed_up_at, signed_up_on)
      VALUES ('m-new', 'p', 'self', 't', 'p', '2026-11-24T08:00:00.000Z', 'c0ffee', 'rfid', '2026-11-24T08:00:00.000Z', '2026-11-24')`);
    expect(migrate(db, MIGRATIONS.slice(0, 10))).toEqual({ from: 9, to: 10 });
    expect(db.prepare('SELECT uid, member_id FROM badge ORDER BY uid').all()).toEqual([
      { uid: '0013748911', member_id: 'm-digits' },
      { uid: '00137542AB', member_id: 'm-lower-only' },
      { uid: '7E001FA2B4', member_id: 'm-upper' },
      { uid: 'AA11', member_id: 'm-last' },
      { uid: 'ESC-QR-M0010', member_id: 'm-qr' },
    ]);
    expect(db.prepare('SELECT badge_uid FROM member_signup').pluck().all()).toEqual(['C0FFEE']);
    db.close();
  });

  it('migration 012 keeps every check-out, lets a visit have a second one once the first is undone, and stays append-only', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 11));
    db.exec(`INSERT INTO payer (id, kind, name, language) VALUES ('p1', 'self', 'Anne', 'fr')`);
    db.exec(`INSERT INTO member (id, payer_id, first_name, last_name, email, language, status, home_site_id, search_text)
      VALUES ('m1', 'p1', 'Anne', 'Dupont', 'anne@example.be', 'fr', 'active', 's1', 'anne dupont')`);
    db.exec(`INSERT INTO visit (id, site_id, member_id, checked_in_at, checked_in_by) VALUES ('v1', 's1', 'm1', '2026-11-24T08:00:00.000Z', 'badge')`);
    db.exec(`INSERT INTO visit_checkout (visit_id, checked_out_at, checked_out_by) VALUES ('v1', '2026-11-24T10:00:00.000Z', 'badge')`);
    expect(() => db.exec(`INSERT INTO visit_checkout (visit_id, checked_out_at, checked_out_by) VALUES ('v1', '2026-11-24T12:00:00.000Z', 'staff')`)).toThrow();
    migrate(db, MIGRATIONS.slice(0, 12));
    expect(db.prepare('SELECT visit_id, checked_out_at, checked_out_by, shift_id FROM visit_checkout').all()).toEqual([
      { visit_id: 'v1', checked_out_at: '2026-11-24T10:00:00.000Z', checked_out_by: 'badge', shift_id: null },
    ]);
    db.exec(`INSERT INTO visit_checkout_undo (visit_id, checked_out_at, reason, undone_at) VALUES ('v1', '2026-11-24T10:00:00.000Z', 'left for lunch only', '2026-11-24T10:05:00.000Z')`);
    db.exec(`INSERT INTO visit_checkout (visit_id, checked_out_at, checked_out_by) VALUES ('v1', '2026-11-24T12:00:00.000Z', 'staff')`);
    // An undo names a check-out that exists; neither table is updated or deleted.
    expect(() => db.exec(`INSERT INTO visit_checkout_undo (visit_id, checked_out_at, reason, undone_at) VALUES ('v1', '2026-11-24T11:00:00.000Z', 'x', 'y')`)).toThrow();
    expect(() => db.exec(`DELETE FROM visit_checkout`)).toThrow(/append-only/);
    expect(() => db.exec(`UPDATE visit_checkout_undo SET reason = 'other'`)).toThrow(/append-only/);
    db.close();
  });

  it('migration 015 keeps every payment and refund (foreign keys on), takes invoices to a company, and stays append-only', () => {
    const db = new Database(':memory:');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    migrate(db, MIGRATIONS.slice(0, 14));
    db.exec(`INSERT INTO guest (id, first_name, last_name, language, consent_at, retention_until, registered_at, search_text) VALUES ('g1', 'Lou', 'Passant', 'fr', '2026-11-24T08:00:00.000Z', '2026-12-24', '2026-11-24T08:00:00.000Z', 'lou passant')`);
    db.exec(`INSERT INTO visit (id, site_id, guest_id, checked_in_at, checked_in_by) VALUES ('v1', 's1', 'g1', '2026-11-24T08:00:00.000Z', 'staff')`);
    db.exec(`INSERT INTO payment (id, visit_id, method, amount_cents, tendered_cents, change_cents, paid_at) VALUES ('p1', 'v1', 'cash', 151, 200, 49, '2026-11-24T10:00:00.000Z')`);
    db.exec(`INSERT INTO payment_refund (id, payment_id, amount_cents, reason, refunded_at) VALUES ('r1', 'p1', 51, 'café offert', '2026-11-24T10:05:00.000Z')`);
    migrate(db, MIGRATIONS.slice(0, 15));
    expect(db.prepare('SELECT id, method, amount_cents, tendered_cents, change_cents, till_id, company_name FROM payment').all()).toEqual([
      { id: 'p1', method: 'cash', amount_cents: 151, tendered_cents: 200, change_cents: 49, till_id: null, company_name: null },
    ]);
    expect(db.prepare('SELECT id, payment_id, amount_cents, till_id FROM payment_refund').all()).toEqual([{ id: 'r1', payment_id: 'p1', amount_cents: 51, till_id: null }]);
    // The rebuilt refunds still reference the (rebuilt) payments.
    expect(() => db.exec(`INSERT INTO payment_refund (id, payment_id, amount_cents, reason, refunded_at) VALUES ('r2', 'nope', 1, 'x', 'y')`)).toThrow(/FOREIGN KEY/);
    db.exec(`INSERT INTO payment (id, visit_id, method, amount_cents, company_name, company_vat, paid_at) VALUES ('p2', 'v1', 'invoice', 100, 'Acme SA', 'BE0712340185', '2026-11-24T10:10:00.000Z')`);
    // An invoice names its company and takes no cash; cash names none.
    expect(() => db.exec(`INSERT INTO payment (id, visit_id, method, amount_cents, paid_at) VALUES ('p3', 'v1', 'invoice', 100, 'z')`)).toThrow(/CHECK/);
    expect(() => db.exec(`INSERT INTO payment (id, visit_id, method, amount_cents, tendered_cents, change_cents, company_name, company_vat, paid_at) VALUES ('p4', 'v1', 'cash', 1, 1, 0, 'Acme', 'BE1', 'z')`)).toThrow(/CHECK/);
    expect(() => db.exec(`DELETE FROM payment`)).toThrow(/append-only/);
    expect(() => db.exec(`UPDATE payment_refund SET amount_cents = 1`)).toThrow(/append-only/);
    // A difference without a reason is not a close.
    db.exec(`INSERT INTO till (id, staff_id, shift_id, float_cents, opened_at) VALUES ('t1', 'joris', 's', 1000, 'a')`);
    expect(() => db.exec(`INSERT INTO till_close (till_id, counted_cents, expected_cents, difference_cents, closed_by, closed_at) VALUES ('t1', 800, 1000, -200, 'joris', 'b')`)).toThrow(/CHECK/);
    db.close();
  });

  it('runs all pending migrations in one transaction: a failing one leaves user_version 0 and no tables', () => {
    const db = new Database(':memory:');
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up: (d) => {
        d.exec('CREATE TABLE half_done (a INTEGER)');
        throw new Error('migration failed half way');
      },
    };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow(/half way/);
    expect(schemaVersion(db)).toBe(0);
    expect(tables(db)).toEqual([]);
    expect(triggers(db)).toEqual([]);
    // The same database then migrates cleanly with the good migrations.
    migrate(db, MIGRATIONS);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('refuses a migration list that is not numbered 1..n', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ ...migration001, version: 2 }])).toThrow(/expected 1/);
    expect(schemaVersion(db)).toBe(0);
    db.close();
  });

  it('refuses a database whose user_version is newer than the app (in memory)', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    const e = thrown(() => migrate(db));
    expect(e).toBeInstanceOf(StationFailure);
    expect((e as StationFailure).code).toBe('DATABASE_TOO_NEW');
    expect(schemaVersion(db)).toBe(MIGRATIONS.length + 1);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it('refuses to open a station database from a newer app, leaving the file byte for byte untouched', () => {
    const dir = tempDir();
    const file = path.join(dir, DATABASE_FILE);
    // A newer app's database, in the default (rollback journal) mode: any pragma that rewrote
    // its header, such as switching it to WAL, would show in the bytes.
    const newer = new Database(file);
    newer.exec(`CREATE TABLE from_the_future (a TEXT); INSERT INTO from_the_future VALUES ('keep me')`);
    newer.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    newer.close();
    const hash = () => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const before = hash();

    const e = thrown(() => openStation({ dataDir: dir, init: { siteId: 'bxl-louise' } }));
    expect((e as StationFailure).code).toBe('DATABASE_TOO_NEW');
    expect((e as StationFailure).message).toMatch(/newer Escale/);
    expect(hash()).toBe(before);
    expect(fs.readdirSync(dir).sort()).toEqual([DATABASE_FILE]);

    const check = new Database(file, { readonly: true });
    expect(schemaVersion(check)).toBe(MIGRATIONS.length + 5);
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(tables(check)).toEqual(['from_the_future']);
    check.close();
  });
});
