// Auto-close: a visit still open at closing time is closed at closing time (Brussels wall clock),
// marked auto; a visit begun on a closed day or after closing ends at local midnight. A tap the
// next morning starts a new visit instead of checking the old one out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoCloseTime } from '../../main/station/visits/lifecycle.js';
import { demoBadges, demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { brussels, lastPosition, ledgerProblems, outboxEvents, typesAfter, unwrap } from '../support/ledger.js';
import type { Site } from '../../common/reference-data.js';
import { contextOf } from '../../main/station/context.js';

let t: TestStation;
const active = demoBadges().active;
let next = 0;
const freshBadge = () => active[next++]!;
const db = () => contextOf(t.station).db;

beforeAll(() => {
  t = openTestStation();
});
afterAll(() => {
  expect(ledgerProblems(db())).toEqual([]);
  t?.close();
});

describe('auto-close', () => {
  it('closes a weekday visit at 19:00 Brussels time when the member taps the next morning, and starts a new visit', async () => {
    const badge = freshBadge();
    t.clock.set(brussels('2026-11-24', '10:00'));
    const first = unwrap(await t.api.tap({ uid: badge.uid }));
    if (first.outcome !== 'checked_in') throw new Error(first.outcome);
    const pos = lastPosition(db());

    t.clock.set(brussels('2026-11-25', '08:30'));
    const morning = unwrap(await t.api.tap({ uid: badge.uid }));
    if (morning.outcome !== 'checked_in') throw new Error(`expected a new visit, got ${morning.outcome}`);
    expect(morning.visit.visitId).not.toBe(first.visit.visitId);
    expect(morning.visit.checkedInAt).toBe('2026-11-25T07:30:00.000Z');

    const old = unwrap(await t.api.visitDetail({ visitId: first.visit.visitId }));
    // 19:00 in Brussels in November (UTC+1).
    expect(old).toMatchObject({ checkedOutAt: '2026-11-24T18:00:00.000Z', checkedOutBy: 'auto', autoClosed: true, durationMinutes: 540 });
    // Nine hours of desk, capped at the desk day price.
    expect(old.lines).toEqual([expect.objectContaining({ serviceCode: 'desk_hour', quantity: 540, netCents: 3000, capApplied: true, source: 'checkout' })]);
    expect(typesAfter(db(), pos)).toEqual(['visit.checked_out', 'consumption.recorded', 'visit.checked_in']);
    expect(outboxEvents(db(), pos)[0]!.payload).toMatchObject({ visitId: first.visit.visitId, by: 'auto', at: '2026-11-24T18:00:00.000Z', durationMinutes: 540 });
    // Leave nothing open for the next tests.
    t.clock.set(brussels('2026-11-25', '09:00'));
    unwrap(await t.api.checkOut({ visitId: morning.visit.visitId }));
  });

  it('closes at 19:00 summer time (17:00 UTC) in June', async () => {
    const badge = freshBadge();
    t.clock.set(brussels('2026-06-16', '10:00'));
    const v = unwrap(await t.api.tap({ uid: badge.uid }));
    if (v.outcome !== 'checked_in') throw new Error(v.outcome);
    t.clock.set(brussels('2026-06-16', '18:59'));
    expect(unwrap(await t.api.autoClose({})).closed).toEqual([]);
    t.clock.set(brussels('2026-06-16', '19:00'));
    const { closed } = unwrap(await t.api.autoClose({}));
    expect(closed.map((c) => c.visitId)).toEqual([v.visit.visitId]);
    expect(closed[0]).toMatchObject({ checkedOutAt: '2026-06-16T17:00:00.000Z', autoClosed: true });
  });

  it('closes a Sunday check-in (the site is closed on Sundays) at local midnight', async () => {
    const { memberId } = freshBadge();
    t.clock.set(brussels('2026-11-29', '10:00'));
    const v = unwrap(await t.api.checkIn({ memberId }));
    t.clock.set(brussels('2026-11-29', '23:59'));
    expect(unwrap(await t.api.autoClose({})).closed).toEqual([]);
    expect(unwrap(await t.api.onSite({})).map((e) => e.visitId)).toContain(v.visitId);
    t.clock.set(brussels('2026-11-30', '00:00'));
    const { closed } = unwrap(await t.api.autoClose({}));
    expect(closed.map((c) => c.visitId)).toEqual([v.visitId]);
    expect(closed[0]).toMatchObject({ checkedOutAt: '2026-11-29T23:00:00.000Z', checkedOutBy: 'auto', durationMinutes: 14 * 60 });
  });

  it('closes a Saturday visit at 13:00, and one begun after closing at midnight', async () => {
    const sat = freshBadge();
    t.clock.set(brussels('2026-11-28', '10:00'));
    const v1 = unwrap(await t.api.checkIn({ memberId: sat.memberId }));
    const late = freshBadge();
    t.clock.set(brussels('2026-11-28', '14:00'));
    const v2 = unwrap(await t.api.checkIn({ memberId: late.memberId }));
    t.clock.set(brussels('2026-11-29', '09:00'));
    // Any staff check-in first closes what is due: the Saturday morning visit was closed by it.
    expect(unwrap(await t.api.visitDetail({ visitId: v1.visitId }))).toMatchObject({ checkedOutAt: '2026-11-28T12:00:00.000Z', autoClosed: true });
    const closed = unwrap(await t.api.autoClose({})).closed;
    expect(closed.map((c) => c.visitId)).toEqual([v2.visitId]);
    expect(closed[0]).toMatchObject({ checkedOutAt: '2026-11-28T23:00:00.000Z', autoClosed: true, durationMinutes: 600 });
  });

  it('never lets the evacuation list show a visit past its closing time', async () => {
    const b = freshBadge();
    t.clock.set(brussels('2026-12-01', '17:00'));
    const v = unwrap(await t.api.checkIn({ memberId: b.memberId }));
    expect(unwrap(await t.api.onSite({})).map((e) => e.visitId)).toEqual([v.visitId]);
    t.clock.set(brussels('2026-12-01', '19:05'));
    expect(unwrap(await t.api.onSite({}))).toEqual([]);
    expect(unwrap(await t.api.visitDetail({ visitId: v.visitId }))).toMatchObject({ checkedOutAt: '2026-12-01T18:00:00.000Z', autoClosed: true });
  });

  it('closes at closing time, not now, when staff check out a forgotten visit late', async () => {
    const b = freshBadge();
    t.clock.set(brussels('2026-12-02', '11:00'));
    const v = unwrap(await t.api.checkIn({ memberId: b.memberId }));
    t.clock.set(brussels('2026-12-02', '21:30'));
    const out = unwrap(await t.api.checkOut({ visitId: v.visitId }));
    expect(out).toMatchObject({ checkedOutAt: '2026-12-02T18:00:00.000Z', checkedOutBy: 'auto', durationMinutes: 480 });
  });

  it('a tap just after an auto-close checks the member in again (the auto close is not a tap)', async () => {
    const b = freshBadge();
    t.clock.set(brussels('2026-12-03', '18:00'));
    unwrap(await t.api.tap({ uid: b.uid }));
    t.clock.set(new Date(Date.parse(brussels('2026-12-03', '19:00')) + 1000).toISOString());
    const r = unwrap(await t.api.tap({ uid: b.uid }));
    expect(r.outcome).toBe('checked_in');
    if (r.outcome === 'checked_in') expect(r.visit.checkedInAt).toBe('2026-12-03T18:00:01.000Z');
  });
});

describe('autoCloseTime', () => {
  const site = demoReferenceData().sites[0] as Site;
  const close = (date: string, time: string) => new Date(autoCloseTime(brussels(date, time), site)).toISOString();

  it('is closing time on an open day, midnight after closing or on a closed day, across DST changes', () => {
    expect(close('2026-11-24', '08:00')).toBe('2026-11-24T18:00:00.000Z');
    expect(close('2026-11-24', '18:59')).toBe('2026-11-24T18:00:00.000Z');
    expect(close('2026-11-24', '19:00')).toBe('2026-11-24T23:00:00.000Z');
    expect(close('2026-11-24', '06:00')).toBe('2026-11-24T18:00:00.000Z');
    // Sundays of the DST changes: closed, so local midnight — after a 23 h and a 25 h day.
    expect(close('2026-03-29', '10:00')).toBe('2026-03-29T22:00:00.000Z');
    expect(close('2026-10-25', '10:00')).toBe('2026-10-25T23:00:00.000Z');
    // The Mondays after: 19:00 in summer, then in winter time.
    expect(close('2026-03-30', '09:00')).toBe('2026-03-30T17:00:00.000Z');
    expect(close('2026-10-26', '09:00')).toBe('2026-10-26T18:00:00.000Z');
  });
});
