// Events: every change appends exactly its events in its own transaction; seq is gap-free from 1;
// every outbox row parses with the wire schema; the HLC strictly increases even when the wall
// clock steps back; refused and unknown taps append nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../common/result.js';
import { demoBadges, demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { count, lastPosition, ledgerProblems, outboxEvents, typesAfter, unwrap } from '../support/ledger.js';
import { contextOf } from '../../main/station/context.js';

let t: TestStation;
const badges = demoBadges();
const db = () => contextOf(t.station).db;

beforeAll(() => {
  t = openTestStation();
});
afterAll(() => t?.close());

/** Runs a change and returns the types of the events it appended. */
async function appended<T>(change: () => Promise<Result<T>>, expectOk = true): Promise<{ types: string[]; result: Result<T> }> {
  const pos = lastPosition(db());
  const result = await change();
  if (expectOk && !result.ok) throw new Error(JSON.stringify(result.error));
  return { types: typesAfter(db(), pos), result };
}

describe('events', () => {
  it('appends exactly the events of each change, and none for what changes nothing', async () => {
    const api = t.api;
    const [a, b] = badges.active;
    const step = async <T>(change: () => Promise<Result<T>>, types: string[], ok = true): Promise<T | undefined> => {
      const r = await appended(change, ok);
      expect(r.types).toEqual(types);
      expect(r.result.ok).toBe(ok);
      return r.result.ok ? r.result.value : undefined;
    };
    const shift = (await step(() => api.staffSignIn({ staffId: 'amelie', pin: '2468' }), ['shift.started']))!;
    await step(() => api.staffSignIn({ staffId: 'joris', pin: '0000' }), [], false);
    await step(() => api.tap({ uid: 'NOT-A-KNOWN-BADGE' }), []);
    await step(() => api.tap({ uid: badges.lost.uid }), []);
    await step(() => api.tap({ uid: badges.revoked.uid }), []);
    await step(() => api.tap({ uid: badges.ofBlockedMember.uid }), []);
    await step(() => api.tap({ uid: '' }), [], false);
    const tapIn = await step(() => api.tap({ uid: a!.uid }), ['visit.checked_in']);
    t.clock.advance(1000);
    await step(() => api.tap({ uid: a!.uid }), []);
    t.clock.advance(20 * 60_000);
    const visitB = (await step(() => api.checkIn({ memberId: b!.memberId, shiftId: shift.shiftId }), ['visit.checked_in']))!;
    await step(() => api.checkIn({ memberId: b!.memberId }), [], false);
    const line = (await step(() => api.addConsumption({ visitId: visitB.visitId, serviceCode: 'print_bw', quantity: 12 }), ['consumption.recorded']))!;
    await step(() => api.voidConsumption({ consumptionId: line.id, reason: 'printer jammed' }), ['consumption.voided']);
    await step(() => api.voidConsumption({ consumptionId: line.id, reason: 'printer jammed' }), [], false);
    await step(() => api.assignBadge({ memberId: b!.memberId, uid: 'NEW-CARD-42' }), ['badge.assigned']);
    const guest = (await step(() => api.registerGuest({ firstName: 'Eva', lastName: 'Gast', consent: true, hostMemberId: b!.memberId }), ['guest.registered', 'visit.checked_in']))!;
    t.clock.advance(40 * 60_000);
    await step(() => api.tap({ uid: a!.uid }), ['visit.checked_out', 'consumption.recorded']);
    await step(() => api.checkOut({ visitId: guest.visitId }), ['visit.checked_out']);
    await step(() => api.addConsumption({ visitId: visitB.visitId, serviceCode: 'coffee', quantity: 2 }), ['consumption.recorded']);
    await step(() => api.voidVisit({ visitId: visitB.visitId, reason: 'test visit' }), ['consumption.voided', 'visit.voided']);
    await step(() => api.staffSignOut({ shiftId: shift.shiftId }), ['shift.ended']);
    await step(() => api.importReferenceData({ data: demoReferenceData() }), ['reference.imported']);
    // Reads append nothing.
    await step(() => api.search({ query: 'dubois' }), []);
    await step(() => api.onSite({}), []);
    await step(() => api.dayFigures({}), []);
    await step(() => api.autoClose({}), []);
    expect(tapIn).toBeDefined();
    expect(ledgerProblems(db())).toEqual([]);
  });

  it('numbers events 1..n without a gap in one stream, every row parsing with the wire schema', async () => {
    const events = outboxEvents(db());
    expect(events.length).toBeGreaterThan(10);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.position)).toEqual([...events.map((e) => e.position)].sort((x, y) => x - y));
    for (const e of events) expect(e.stream).toEqual({ siteId: 'bxl-louise', epoch: contextOf(t.station).epoch });
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    // The API serves the same events, paged by position.
    const page1 = unwrap(await t.api.events({ afterPosition: 0, limit: 5 }));
    const page2 = unwrap(await t.api.events({ afterPosition: page1.at(-1)!.position, limit: 1000 }));
    expect([...page1, ...page2]).toEqual(events);
  });

  it('stamps the wall time of the clock and an HLC that strictly increases even when the clock goes back', async () => {
    const pos = lastPosition(db());
    const [, , c, d, e] = badges.active;
    const late = Date.parse('2026-11-24T15:00:00.000Z');
    t.clock.set(late);
    unwrap(await t.api.tap({ uid: c!.uid }));
    // The wall clock steps back an hour (NTP, a BIOS clock), then a little further, then forward.
    t.clock.set(late - 3600_000);
    unwrap(await t.api.tap({ uid: d!.uid }));
    unwrap(await t.api.tap({ uid: e!.uid }));
    t.clock.set(late - 7200_000);
    unwrap(await t.api.checkIn({ memberId: badges.active[6]!.memberId }));
    t.clock.set(late + 60_000);
    unwrap(await t.api.checkIn({ memberId: badges.active[7]!.memberId }));
    const events = outboxEvents(db(), pos);
    expect(events.map((ev) => ev.wallTime)).toEqual([
      '2026-11-24T15:00:00.000Z',
      '2026-11-24T14:00:00.000Z',
      '2026-11-24T14:00:00.000Z',
      '2026-11-24T13:00:00.000Z',
      '2026-11-24T15:01:00.000Z',
    ]);
    const all = outboxEvents(db()).map((ev) => ev.hlc);
    for (let i = 1; i < all.length; i++) expect(all[i]! > all[i - 1]!, `${all[i]} after ${all[i - 1]}`).toBe(true);
    const hlcs = events.map((ev) => ev.hlc);
    expect(hlcs[0]).toBe(`${String(late).padStart(15, '0')}:000000`);
    expect(hlcs.slice(1, 4)).toEqual([1, 2, 3].map((n) => `${String(late).padStart(15, '0')}:${String(n).padStart(6, '0')}`));
    expect(hlcs[4]).toBe(`${String(late + 60_000).padStart(15, '0')}:000000`);
  });

  it('writes a change and its events in one transaction: if the event cannot be written, neither is the change', async () => {
    const badge = badges.active[10]!;
    const before = { visits: count(db(), 'visit'), open: count(db(), 'open_visit'), outbox: count(db(), 'outbox') };
    db().exec(`CREATE TEMP TRIGGER refuse_checkin BEFORE INSERT ON outbox WHEN NEW.type = 'visit.checked_in' BEGIN SELECT RAISE(ABORT, 'outbox refused'); END`);
    try {
      const r = await t.api.tap({ uid: badge.uid });
      expect(r.ok).toBe(false);
      expect({ visits: count(db(), 'visit'), open: count(db(), 'open_visit'), outbox: count(db(), 'outbox') }).toEqual(before);
    } finally {
      db().exec('DROP TRIGGER temp.refuse_checkin');
    }
    const ok = unwrap(await t.api.tap({ uid: badge.uid }));
    expect(ok.outcome).toBe('checked_in');
    if (ok.outcome !== 'checked_in') return;

    // A check-out writes the checkout, its event and the priced line: the last failing undoes all.
    t.clock.advance(3600_000);
    const mid = { checkouts: count(db(), 'visit_checkout'), lines: count(db(), 'consumption'), outbox: count(db(), 'outbox') };
    db().exec(`CREATE TEMP TRIGGER refuse_line BEFORE INSERT ON outbox WHEN NEW.type = 'consumption.recorded' BEGIN SELECT RAISE(ABORT, 'outbox refused'); END`);
    try {
      expect((await t.api.tap({ uid: badge.uid })).ok).toBe(false);
      expect({ checkouts: count(db(), 'visit_checkout'), lines: count(db(), 'consumption'), outbox: count(db(), 'outbox') }).toEqual(mid);
      expect(unwrap(await t.api.onSite({})).map((e) => e.visitId)).toContain(ok.visit.visitId);
    } finally {
      db().exec('DROP TRIGGER temp.refuse_line');
    }
    expect(unwrap(await t.api.tap({ uid: badge.uid })).outcome).toBe('checked_out');
    expect(ledgerProblems(db())).toEqual([]);
    const events = outboxEvents(db());
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it('carries payloads that match the rows they describe', () => {
    const events = outboxEvents(db());
    for (const e of events) {
      if (e.type === 'consumption.recorded') {
        const row = db().prepare('SELECT * FROM consumption WHERE id = ?').get(e.payload.consumptionId) as Record<string, unknown>;
        expect(row).toMatchObject({ visit_id: e.payload.visitId, service_code: e.payload.serviceCode, net_cents: e.payload.netCents, vat_cents: e.payload.vatCents, gross_cents: e.payload.grossCents, billed_quantity: e.payload.billedQuantity, at: e.payload.at });
        expect(e.payload.grossCents).toBe(e.payload.netCents + e.payload.vatCents);
      }
      if (e.type === 'visit.checked_in') {
        const row = db().prepare('SELECT * FROM visit WHERE id = ?').get(e.payload.visitId) as Record<string, unknown>;
        expect(row).toMatchObject({ checked_in_at: e.payload.at, checked_in_by: e.payload.by, site_id: e.payload.siteId });
      }
      if (e.type === 'visit.checked_out') {
        const row = db().prepare('SELECT * FROM visit_checkout WHERE visit_id = ?').get(e.payload.visitId) as Record<string, unknown>;
        expect(row).toMatchObject({ checked_out_at: e.payload.at, checked_out_by: e.payload.by });
      }
    }
  });
});
