// Read views: who is on site now (the evacuation list), a day's figures, a visit's detail and a
// member's visits, over one scripted day at the demo site.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBadges, openTestStation, type TestStation } from '../support/station-fixture.js';
import { brussels, failure, ledgerProblems, unwrap } from '../support/ledger.js';
import { contextOf } from '../../main/station/context.js';

let t: TestStation;
const badges = demoBadges();
const [A, B, C, D, E] = badges.active;
const ids = {} as Record<'d1' | 'd2' | 'a' | 'b' | 'g1' | 'coffee' | 'w' | 'c', string>;

async function at(date: string, time: string) {
  t.clock.set(brussels(date, time));
}

beforeAll(async () => {
  t = openTestStation();
  const api = t.api;
  // The day before: D's first visit, 10:00–12:00.
  await at('2026-11-23', '10:00');
  ids.d1 = unwrap(await api.checkIn({ memberId: D!.memberId })).visitId;
  await at('2026-11-23', '12:00');
  unwrap(await api.checkOut({ visitId: ids.d1 }));
  // The day: 2026-11-24.
  await at('2026-11-24', '08:30');
  ids.d2 = unwrap(await api.checkIn({ memberId: D!.memberId })).visitId;
  await at('2026-11-24', '09:00');
  const a = unwrap(await api.tap({ uid: A!.uid }));
  if (a.outcome !== 'checked_in') throw new Error(a.outcome);
  ids.a = a.visit.visitId;
  unwrap(await api.checkOut({ visitId: ids.d2 }));
  await at('2026-11-24', '09:10');
  ids.b = unwrap(await api.checkIn({ memberId: B!.memberId })).visitId;
  await at('2026-11-24', '09:30');
  ids.g1 = unwrap(await api.registerGuest({ firstName: 'Gaston', lastName: 'Hôte', company: 'Visiteurs SA', hostMemberId: A!.memberId, consent: true })).visitId;
  await at('2026-11-24', '10:00');
  ids.coffee = unwrap(await api.addConsumption({ visitId: ids.b, serviceCode: 'coffee', quantity: 1 })).id;
  await at('2026-11-24', '10:40');
  unwrap(await api.checkOut({ visitId: ids.b }));
  await at('2026-11-24', '11:00');
  ids.w = unwrap(await api.registerGuest({ firstName: 'Wanda', lastName: 'Walkin', consent: true })).visitId;
  await at('2026-11-24', '12:00');
  unwrap(await api.checkOut({ visitId: ids.w }));
  await at('2026-11-24', '13:00');
  ids.c = unwrap(await api.checkIn({ memberId: C!.memberId })).visitId;
  await at('2026-11-24', '13:30');
  unwrap(await api.voidVisit({ visitId: ids.c, reason: 'wrong member' }));
  await at('2026-11-24', '14:00');
});
afterAll(() => {
  expect(ledgerProblems(contextOf(t.station).db)).toEqual([]);
  t?.close();
});

describe('queries', () => {
  it('lists who is on site now, members and guests with their host, in arrival order', async () => {
    const list = unwrap(await t.api.onSite({}));
    const a = badges.member(A!.memberId);
    expect(list.map((e) => e.visitId)).toEqual([ids.a, ids.g1]);
    expect(list[0]).toMatchObject({ checkedInAt: '2026-11-24T08:00:00.000Z', person: { kind: 'member', id: A!.memberId, firstName: a.firstName, lastName: a.lastName } });
    expect(list[0]!.hostName).toBeUndefined();
    expect(list[1]).toMatchObject({
      checkedInAt: '2026-11-24T08:30:00.000Z',
      person: { kind: 'guest', firstName: 'Gaston', lastName: 'Hôte', company: 'Visiteurs SA' },
      hostName: `${a.firstName} ${a.lastName}`,
    });
  });

  it("gives the day's figures: visits, people, minutes, amounts by service and their totals", async () => {
    const day = unwrap(await t.api.dayFigures({ date: '2026-11-24' }));
    expect(day).toMatchObject({
      date: '2026-11-24',
      timeZone: 'Europe/Brussels',
      visits: 5,
      voidedVisits: 1,
      distinctMembers: 3,
      guests: 2,
      onSiteNow: 2,
      autoClosed: 0,
      // A 300 + B 90 + guest 270 + walk-in 60 + D 30.
      minutesHosted: 750,
    });
    expect(day.byService).toEqual([
      { serviceCode: 'coffee', serviceName: 'Coffee', billedQuantity: 1, netCents: 200, vatCents: 42, grossCents: 242 },
      // B 90 min (7.50 €), walk-in 60 min (5.00 €), D 30 min (2.50 €; VAT 0.525 → 0.53 €).
      { serviceCode: 'desk_hour', serviceName: 'Desk (hour)', billedQuantity: 180, netCents: 1500, vatCents: 158 + 105 + 53, grossCents: 1500 + 316 },
    ]);
    expect(day.totals).toEqual({ netCents: 1700, vatCents: 358, grossCents: 2058 });
    // Today is the default date.
    expect(unwrap(await t.api.dayFigures({}))).toEqual(day);
  });

  it('gives the figures of another day, and of an empty one', async () => {
    const before = unwrap(await t.api.dayFigures({ date: '2026-11-23' }));
    expect(before).toMatchObject({ visits: 1, distinctMembers: 1, guests: 0, onSiteNow: 0, minutesHosted: 120, totals: { netCents: 1000, vatCents: 210, grossCents: 1210 } });
    const empty = unwrap(await t.api.dayFigures({ date: '2026-01-01' }));
    expect(empty).toMatchObject({ visits: 0, voidedVisits: 0, distinctMembers: 0, guests: 0, minutesHosted: 0, byService: [], totals: { netCents: 0, vatCents: 0, grossCents: 0 } });
    failure(await t.api.dayFigures({ date: '24/11/2026' }), 'INVALID_INPUT');
  });

  it("gives a visit's detail with its lines in the person's language", async () => {
    const b = badges.member(B!.memberId);
    const detail = unwrap(await t.api.visitDetail({ visitId: ids.b }));
    expect(detail).toMatchObject({
      visitId: ids.b,
      person: { kind: 'member', id: B!.memberId, language: b.language },
      checkedInAt: '2026-11-24T08:10:00.000Z',
      checkedInBy: 'staff',
      checkedOutAt: '2026-11-24T09:40:00.000Z',
      checkedOutBy: 'staff',
      autoClosed: false,
      durationMinutes: 90,
      totals: { netCents: 950, vatCents: 200, grossCents: 1150 },
    });
    expect(detail.lines.map((l) => [l.serviceCode, l.billedQuantity, l.netCents, l.source])).toEqual([
      ['coffee', 1, 200, 'staff'],
      ['desk_hour', 90, 750, 'checkout'],
    ]);
    const names = { fr: 'Café', nl: 'Koffie', en: 'Coffee', de: 'Kaffee' } as const;
    expect(detail.lines[0]!.serviceName).toBe(names[b.language]);
    const voided = unwrap(await t.api.visitDetail({ visitId: ids.c }));
    expect(voided.voided).toEqual({ reason: 'wrong member', at: '2026-11-24T12:30:00.000Z' });
    expect(voided.durationMinutes).toBe(30);
    failure(await t.api.visitDetail({ visitId: '0192f0c4-0000-7000-8000-00000000abcd' }), 'NOT_FOUND');
  });

  it("lists a member's visits, newest first, within the limit", async () => {
    const visits = unwrap(await t.api.memberVisits({ memberId: D!.memberId }));
    expect(visits.map((v) => v.visitId)).toEqual([ids.d2, ids.d1]);
    expect(visits.map((v) => v.durationMinutes)).toEqual([30, 120]);
    expect(unwrap(await t.api.memberVisits({ memberId: D!.memberId, limit: 1 })).map((v) => v.visitId)).toEqual([ids.d2]);
    expect(unwrap(await t.api.memberVisits({ memberId: E!.memberId }))).toEqual([]);
    failure(await t.api.memberVisits({ memberId: 'm9999' }), 'NOT_FOUND');
  });

  it('counts auto-closed visits once closing time has passed, agreeing with the evacuation list', async () => {
    // Asked after closing time, before anyone asked who is on site: the figures already count the
    // visits left open as closed at 19:00, as the evacuation list does.
    await at('2026-11-24', '20:00');
    const evening = unwrap(await t.api.dayFigures({}));
    expect(evening).toMatchObject({ onSiteNow: 0, autoClosed: 2, minutesHosted: 750 + 300 + 300 });
    expect(unwrap(await t.api.onSite({}))).toEqual([]);
    await at('2026-11-25', '08:00');
    expect(unwrap(await t.api.onSite({}))).toEqual([]);
    const day = unwrap(await t.api.dayFigures({ date: '2026-11-24' }));
    expect(day).toEqual(evening);
    // A and the guest were closed at 19:00: 600 and 570 minutes instead of 300 and 270.
    expect(day).toMatchObject({ visits: 5, onSiteNow: 0, autoClosed: 2, minutesHosted: 750 + 300 + 300 });
    // A's ten hours are capped at the desk day price; the hosted guest costs nothing.
    expect(day.byService.find((s) => s.serviceCode === 'desk_hour')).toMatchObject({ billedQuantity: 180 + 600, netCents: 1500 + 3000 });
  });
});

describe('dayVisits', () => {
  it('lists the visits that began on a local day, the latest first, with their lines', async () => {
    const t = openTestStation();
    try {
      const [a, b] = demoBadges().active;
      const first = await t.api.tap({ uid: a!.uid });
      t.clock.advance(60 * 60_000);
      const second = await t.api.tap({ uid: b!.uid });
      t.clock.advance(30 * 60_000);
      await t.api.tap({ uid: a!.uid });
      const r = await t.api.dayVisits({ date: '2026-11-24' });
      if (!r.ok || !first.ok || !second.ok) throw new Error(JSON.stringify(r));
      expect(r.value.map((v) => v.visitId)).toEqual([(second.value as { visit: { visitId: string } }).visit.visitId, (first.value as { visit: { visitId: string } }).visit.visitId]);
      expect(r.value[1]!.lines.map((l) => l.serviceCode)).toEqual(['desk_hour']);
      const other = await t.api.dayVisits({ date: '2026-11-23' });
      expect(other.ok && other.value).toEqual([]);
    } finally {
      t.close();
    }
  });
});
