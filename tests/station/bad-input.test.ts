// Bad input: malformed badge UIDs, SQL metacharacters in search, unknown ids, an unwritable data
// folder and a full disk (simulated with max_page_count). Each gets a clear error code and
// message, and the database is never corrupted or half written.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callStation } from '../../main/station/api.js';
import { openStation } from '../../main/station/station.js';
import { StationFailure } from '../../main/station/errors.js';
import type { StationMethod } from '../../common/station-api.js';
import type { Result } from '../../common/result.js';
import { demoBadges, DEMO_SITE_ID, openTestStation, tempDir, type TestStation } from '../support/station-fixture.js';
import { count, failure, lastPosition, ledgerProblems, outboxEvents, typesAfter, unwrap } from '../support/ledger.js';
import { contextOf } from '../../main/station/context.js';

let t: TestStation;
const badges = demoBadges();
const db = () => contextOf(t.station).db;
const UNKNOWN = '0192f0c4-1234-7abc-8def-0123456789ab';

beforeAll(() => {
  t = openTestStation();
});
afterAll(() => {
  expect(ledgerProblems(db())).toEqual([]);
  t?.close();
});

describe('malformed badge UIDs', () => {
  const malformed: [string, string][] = [
    ['empty', ''],
    ['blank', '   '],
    ['a bell control character', 'AB\u0007CD'],
    ['a NUL', 'AB\u0000CD'],
    ['a tab inside', 'AB\tCD'],
    ['a space inside', '04A1 B2C3'],
    ['65 characters', 'A'.repeat(65)],
    ['an AZERTY keyboard wedge reading', 'àà&"è\'(§'],
    ['an escape sequence', '\u001b[31mRED'],
  ];
  for (const [name, uid] of malformed) {
    it(`refuses a UID with ${name} (INVALID_INPUT) and records nothing`, async () => {
      const pos = lastPosition(db());
      const e = failure(await t.api.tap({ uid }), 'INVALID_INPUT');
      expect(e.message).toMatch(/badge number read is not valid/);
      failure(await t.api.assignBadge({ memberId: badges.active[0]!.memberId, uid }), 'INVALID_INPUT');
      expect(typesAfter(db(), pos)).toEqual([]);
      expect(db().prepare('SELECT COUNT(*) AS n FROM badge WHERE uid = ? OR uid = ?').get(uid, uid.trim())).toEqual({ n: 0 });
    });
  }

  it('accepts a UID of exactly 64 printable characters', async () => {
    const uid = 'F'.repeat(64);
    expect(unwrap(await t.api.tap({ uid }))).toEqual({ outcome: 'unknown_badge', uid });
  });

  it('refuses a UID that is not a string, and a tap time that is not an ISO instant', async () => {
    failure(await t.api.tap({ uid: 12345 } as never), 'INVALID_INPUT');
    failure(await t.api.tap({} as never), 'INVALID_INPUT');
    failure(await t.api.tap({ uid: badges.active[0]!.uid, at: 'yesterday' }), 'INVALID_INPUT');
    failure(await t.api.tap({ uid: badges.active[0]!.uid, at: '2026-11-24T10:00:00+01:00' }), 'INVALID_INPUT');
  });
});

describe('SQL metacharacters in search', () => {
  let guestId: string;
  beforeAll(async () => {
    const v = unwrap(await t.api.registerGuest({ firstName: '100%', lastName: 'Pure_Sense', company: 'Back\\Slash & Co', consent: true }));
    guestId = v.person.id;
  });

  const ids = async (query: string) => unwrap(await t.api.search({ query, limit: 100 })).map((h) => h.person.id);

  it('matches %, _ and \\ literally', async () => {
    expect(await ids('%')).toEqual([guestId]);
    expect(await ids('100%')).toEqual([guestId]);
    expect(await ids('_')).toEqual([guestId]);
    // As a wildcard "e_s" would match "Peeters"; literally only "pure_sense" has it.
    expect(await ids('e_s')).toEqual([guestId]);
    expect(await ids('\\')).toEqual([guestId]);
    expect(await ids('k\\s')).toEqual([guestId]);
    expect(await ids('%%')).toEqual([]);
  });

  it("finds O'Neill by the quote, and nothing for injection attempts; the member table is intact", async () => {
    const quoted = unwrap(await t.api.search({ query: "'", limit: 100 }));
    expect(quoted.length).toBe(6);
    for (const h of quoted) expect(h.person.lastName).toBe("O'Neill");
    expect((await ids("o'neill")).length).toBe(6);
    for (const q of ["'; DROP TABLE member; --", "' OR '1'='1", '" OR ""="', 'x\' UNION SELECT id FROM staff --', ')); DELETE FROM badge; --']) {
      expect(await ids(q), q).toEqual([]);
    }
    expect(count(db(), 'member')).toBe(200);
    expect(count(db(), 'badge')).toBeGreaterThanOrEqual(220);
    expect(count(db(), 'sqlite_master', `type = 'table' AND name = 'member'`)).toBe(1);
  });

  it('refuses an over-long query', async () => {
    failure(await t.api.search({ query: 'x'.repeat(201) }), 'INVALID_INPUT');
    failure(await t.api.search({ query: 'x', limit: 0 }), 'INVALID_INPUT');
  });
});

describe('unknown and malformed ids', () => {
  it('answers NOT_FOUND for ids the station does not know, recording nothing', async () => {
    const pos = lastPosition(db());
    const results: [string, Result<unknown>][] = [
      ['checkOut', await t.api.checkOut({ visitId: UNKNOWN })],
      ['visitDetail', await t.api.visitDetail({ visitId: UNKNOWN })],
      ['voidVisit', await t.api.voidVisit({ visitId: UNKNOWN, reason: 'no such visit' })],
      ['voidConsumption', await t.api.voidConsumption({ consumptionId: UNKNOWN, reason: 'no such line' })],
      ['addConsumption', await t.api.addConsumption({ visitId: UNKNOWN, serviceCode: 'coffee', quantity: 1 })],
      ['checkIn', await t.api.checkIn({ memberId: 'm0000' })],
      ['memberVisits', await t.api.memberVisits({ memberId: 'nobody' })],
      ['assignBadge', await t.api.assignBadge({ memberId: 'nobody', uid: 'FREE-UID' })],
      ['staffSignIn', await t.api.staffSignIn({ staffId: 'nobody', pin: '1234' })],
      ['staffSignOut', await t.api.staffSignOut({ shiftId: UNKNOWN })],
    ];
    for (const [name, r] of results) expect(r.ok ? 'ok' : r.error.code, name).toBe('NOT_FOUND');
    expect(typesAfter(db(), pos)).toEqual([]);
  });

  it('answers INVALID_INPUT for malformed ids and inputs, and for a method that does not exist', async () => {
    failure(await t.api.checkOut({ visitId: 'not-a-uuid' }), 'INVALID_INPUT');
    failure(await t.api.visitDetail({ visitId: "1' OR '1'='1" }), 'INVALID_INPUT');
    failure(await t.api.checkIn({ memberId: '' }), 'INVALID_INPUT');
    failure(await t.api.checkIn({ memberId: 'x'.repeat(65) }), 'INVALID_INPUT');
    failure(await t.api.voidVisit({ visitId: UNKNOWN, reason: 'no' }), 'INVALID_INPUT');
    failure(await t.api.registerGuest({ firstName: 'x'.repeat(101), lastName: 'Long', consent: true }), 'INVALID_INPUT');
    const e = failure(callStation(t.station, 'dropTables' as StationMethod, {}), 'INVALID_INPUT');
    expect(e.message).toContain('dropTables');
    failure(callStation(t.station, 'checkIn', null), 'INVALID_INPUT');
    failure(callStation(t.station, 'checkIn', [1, 2, 3]), 'INVALID_INPUT');
    const named = failure(callStation(t.station, 'addConsumption', { visitId: UNKNOWN, serviceCode: 'coffee', quantity: 'two' }), 'INVALID_INPUT');
    expect(named.message).toMatch(/^quantity: /);
  });
});

describe('unwritable data folder', () => {
  const refused = (dataDir: string): StationFailure => {
    try {
      openStation({ dataDir, init: { siteId: DEMO_SITE_ID } }).close();
    } catch (e) {
      expect(e).toBeInstanceOf(StationFailure);
      return e as StationFailure;
    }
    throw new Error(`expected ${dataDir} to be refused`);
  };

  it('refuses a folder below a regular file', () => {
    const file = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const e = refused(path.join(file, 'data'));
    expect(e.code).toBe('DATA_DIR_UNWRITABLE');
    expect(e.message).toContain(path.join(file, 'data'));
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('refuses a regular file given as the folder', () => {
    const file = path.join(tempDir(), 'station.txt');
    fs.writeFileSync(file, 'x');
    expect(refused(file).code).toBe('DATA_DIR_UNWRITABLE');
  });

  it('refuses a folder below a dangling symbolic link (an unmounted disk)', () => {
    const dir = tempDir();
    fs.symlinkSync(path.join(dir, 'unmounted-disk'), path.join(dir, 'escale'));
    expect(refused(path.join(dir, 'escale', 'data')).code).toBe('DATA_DIR_UNWRITABLE');
  });

  it('refuses a folder under /proc, which even root cannot write', () => {
    const e = refused(`/proc/escale-test-${process.pid}/data`);
    expect(e.code).toBe('DATA_DIR_UNWRITABLE');
    expect(e.message).toMatch(/cannot be written/);
  });
});

describe('full disk (simulated with max_page_count)', () => {
  it('fails taps with STORAGE_FULL, never half writing, and works again once there is room', async () => {
    const setup = openTestStation();
    const dataDir = setup.dataDir;
    const pages = contextOf(setup.station).db.pragma('page_count', { simple: true }) as number;
    const startMs = setup.clock.now();
    setup.close();

    const full = openTestStation({ dataDir, data: null, maxPageCount: pages + 2, now: new Date(startMs).toISOString() });
    const reported: string[] = [];
    let storageFull: { code: string; message: string } | undefined;
    let failedUid = '';
    const uids = badges.active.map((b) => b.uid);
    try {
      for (let i = 0; i < 5000 && !storageFull; i++) {
        full.clock.advance(4000);
        const uid = uids[i % uids.length]!;
        const r = await full.api.tap({ uid });
        if (r.ok) {
          if (r.value.outcome === 'checked_in' || r.value.outcome === 'checked_out') reported.push(r.value.visit.visitId);
        } else {
          expect(r.error.code).toBe('STORAGE_FULL');
          storageFull = r.error;
          failedUid = uid;
        }
      }
      expect(storageFull, 'the database never filled up').toBeDefined();
      expect(storageFull!.message).toMatch(/full: nothing was recorded/);
      expect(reported.length).toBeGreaterThan(0);
      // Still full: the same tap fails the same way again; reads still answer.
      full.clock.advance(4000);
      failure(await full.api.tap({ uid: failedUid }), 'STORAGE_FULL');
      expect(unwrap(await full.api.search({ query: 'dubois' })).length).toBeGreaterThan(0);
      unwrap(await full.api.dayFigures({}));

      const fdb = contextOf(full.station).db;
      expect(fdb.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(fdb.pragma('page_count', { simple: true })).toBeLessThanOrEqual(pages + 2);
      expect(ledgerProblems(fdb)).toEqual([]);
      for (const visitId of reported) expect(count(fdb, 'visit', `id = '${visitId}'`), visitId).toBe(1);
      // Every checkout with time on it has its priced line, no line without its visit.
      expect(count(fdb, 'visit_checkout c JOIN visit v ON v.id = c.visit_id', `c.checked_out_at > v.checked_in_at AND NOT EXISTS (SELECT 1 FROM consumption x WHERE x.visit_id = c.visit_id)`)).toBe(0);
      expect(count(fdb, 'consumption c', 'NOT EXISTS (SELECT 1 FROM visit v WHERE v.id = c.visit_id)')).toBe(0);
    } finally {
      full.close();
    }

    // With room again (no cap), the same folder opens, checks out and keeps counting seq.
    const again = openTestStation({ dataDir, data: null, now: new Date(startMs + 5000 * 4000).toISOString() });
    try {
      expect(again.station.integrityCheck()).toEqual({ ok: true, problems: [] });
      const r = unwrap(await again.api.tap({ uid: uids[0]! }));
      expect(['checked_in', 'checked_out']).toContain(r.outcome);
      const events = outboxEvents(contextOf(again.station).db);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(ledgerProblems(contextOf(again.station).db)).toEqual([]);
    } finally {
      again.close();
    }
  });
});
