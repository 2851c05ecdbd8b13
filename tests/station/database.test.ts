// The station database on a real file: durable pragmas, append-only ledger tables, the install
// epoch, online backup (a restored copy starts a new epoch) and the integrity check.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/station/database/open.js';
import { openStation } from '../../main/station/station.js';
import { StationFailure } from '../../main/station/errors.js';
import { ManualClock } from '../../main/station/clock.js';
import { createStationApi } from '../../main/station/api.js';
import { demoBadges, DEMO_SITE_ID, openTestStation, tempDir, type TestStation } from '../support/station-fixture.js';
import { count, ledgerProblems, outboxEvents, unwrap } from '../support/ledger.js';
import { contextOf } from '../../main/station/context.js';

let t: TestStation;
let visitId: string;

beforeAll(async () => {
  t = openTestStation();
  const [a, b] = demoBadges().active;
  unwrap(await t.api.tap({ uid: a!.uid }));
  t.clock.advance(3600_000);
  const out = unwrap(await t.api.tap({ uid: a!.uid }));
  if (out.outcome !== 'checked_out') throw new Error(out.outcome);
  visitId = out.visit.visitId;
  const v = unwrap(await t.api.tap({ uid: b!.uid }));
  if (v.outcome !== 'checked_in') throw new Error(v.outcome);
  unwrap(await t.api.voidVisit({ visitId: v.visit.visitId, reason: 'tapped by mistake' }));
});
afterAll(() => t?.close());

describe('station database', () => {
  it('is opened in WAL mode with synchronous=FULL and foreign keys on', () => {
    const db = contextOf(t.station).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(fs.existsSync(path.join(t.dataDir, DATABASE_FILE))).toBe(true);
  });

  it('refuses UPDATE and DELETE on the append-only ledger tables, leaving the rows as they were', () => {
    const db = contextOf(t.station).db;
    const cases: [string, string, string][] = [
      ['visit', `UPDATE visit SET checked_in_at = 'x'`, 'DELETE FROM visit'],
      ['visit_checkout', `UPDATE visit_checkout SET checked_out_by = 'staff'`, 'DELETE FROM visit_checkout'],
      ['visit_void', `UPDATE visit_void SET reason = 'x'`, 'DELETE FROM visit_void'],
      ['consumption', 'UPDATE consumption SET net_cents = 0', 'DELETE FROM consumption'],
      ['outbox', 'UPDATE outbox SET seq = seq + 1000', 'DELETE FROM outbox'],
    ];
    for (const [table, update, del] of cases) {
      const before = JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all());
      expect(JSON.parse(before), table).not.toHaveLength(0);
      expect(() => db.exec(update), table).toThrow(/append-only/);
      expect(() => db.exec(del), table).toThrow(/append-only/);
      expect(JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all()), table).toBe(before);
    }
  });

  it('enforces foreign keys: a visit of no member is refused', () => {
    const db = contextOf(t.station).db;
    expect(() =>
      db.prepare(`INSERT INTO visit (id, site_id, member_id, checked_in_at, checked_in_by) VALUES ('x', 's', 'no-such-member', 't', 'badge')`).run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('passes the full integrity check on a fresh database and on a used one', () => {
    expect(t.station.integrityCheck()).toEqual({ ok: true, problems: [] });
    const fresh = openTestStation({ data: null });
    try {
      expect(fresh.station.integrityCheck()).toEqual({ ok: true, problems: [] });
    } finally {
      fresh.close();
    }
  });

  it('keeps its epoch and continues seq when reopened', () => {
    const dir = tempDir();
    const clock = new ManualClock(Date.parse('2026-11-24T08:00:00.000Z'));
    const first = openStation({ dataDir: dir, clock, init: { siteId: DEMO_SITE_ID } });
    const epoch = contextOf(first).epoch;
    expect(first.previousEpoch).toBeUndefined();
    first.close();
    const again = openStation({ dataDir: dir, clock });
    try {
      expect(contextOf(again).epoch).toBe(epoch);
      expect(contextOf(again).siteId).toBe(DEMO_SITE_ID);
      expect(again.previousEpoch).toBeUndefined();
    } finally {
      again.close();
    }
  });

  it('refuses to open an empty folder without init, and a folder of another site', () => {
    const dir = tempDir();
    expect(() => openStation({ dataDir: dir })).toThrow(StationFailure);
    try {
      openStation({ dataDir: dir });
    } catch (e) {
      expect((e as StationFailure).code).toBe('NOT_CONFIGURED');
      expect((e as StationFailure).message).toContain('escale-station init');
    }
    openStation({ dataDir: dir, init: { siteId: DEMO_SITE_ID } }).close();
    try {
      openStation({ dataDir: dir, init: { siteId: 'gent-zuid' } });
      throw new Error('expected a CONFLICT');
    } catch (e) {
      expect((e as StationFailure).code).toBe('CONFLICT');
    }
  });
});

describe('backup', () => {
  it('copies the database online; the copy opens as a station with a new epoch whose seq restarts at 1', async () => {
    const db = contextOf(t.station).db;
    const oldEpoch = contextOf(t.station).epoch;
    const eventsBefore = count(db, 'outbox');
    const backupDir = tempDir('escale-backup-');
    const file = path.join(backupDir, DATABASE_FILE);
    const result = await t.station.backup(file);
    expect(result.file).toBe(file);
    expect(result.bytes).toBe(fs.statSync(file).size);

    // The original carries on in its own epoch.
    const originalLastSeq = (db.prepare('SELECT MAX(seq) AS s FROM outbox').get() as { s: number }).s;
    t.clock.advance(60_000);
    unwrap(await t.api.checkIn({ memberId: demoBadges().active[5]!.memberId }));
    const after = outboxEvents(db).at(-1)!;
    expect(after.stream.epoch).toBe(oldEpoch);
    expect(after.seq).toBe(originalLastSeq + 1);

    const restored = openStation({ dataDir: backupDir, clock: new ManualClock(t.clock.now()) });
    try {
      expect(contextOf(restored).epoch).not.toBe(oldEpoch);
      expect(restored.previousEpoch).toBe(oldEpoch);
      expect(contextOf(restored).siteId).toBe(DEMO_SITE_ID);
      // Everything up to the backup is there, nothing after it.
      expect(count(contextOf(restored).db, 'outbox')).toBe(eventsBefore);
      expect(count(contextOf(restored).db, 'visit', `id = '${visitId}'`)).toBe(1);
      expect(count(contextOf(restored).db, 'member')).toBe(200);
      const api = createStationApi(restored);
      unwrap(await api.checkIn({ memberId: demoBadges().active[6]!.memberId }));
      const events = outboxEvents(contextOf(restored).db);
      const newOnes = events.filter((e) => e.stream.epoch === contextOf(restored).epoch);
      expect(newOnes.map((e) => e.seq)).toEqual([1]);
      expect(newOnes[0]!.type).toBe('visit.checked_in');
      expect(ledgerProblems(contextOf(restored).db)).toEqual([]);
      expect(restored.integrityCheck().ok).toBe(true);
    } finally {
      restored.close();
    }
    // Opened again, the restored station keeps its new epoch: the marker was consumed.
    const reopened = openStation({ dataDir: backupDir });
    try {
      expect(reopened.previousEpoch).toBeUndefined();
      expect(outboxEvents(contextOf(reopened).db).at(-1)!.stream.epoch).toBe(contextOf(reopened).epoch);
    } finally {
      reopened.close();
    }
  });

  it('refuses to overwrite an existing file, which stays as it was', async () => {
    const file = path.join(tempDir('escale-backup-'), 'existing.sqlite');
    fs.writeFileSync(file, 'an earlier backup');
    await expect(t.station.backup(file)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(fs.readFileSync(file, 'utf8')).toBe('an earlier backup');
  });
});
