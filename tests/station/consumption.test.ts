// Consumption: priced with the tariff version in force on the visit's local day at the site's
// star level (2 stars in the demo), billing increments, daily caps, VAT; corrected only by
// compensating lines. One station for the file; each test sets its own day and members.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBadges, openTestStation, type TestStation } from '../support/station-fixture.js';
import { brussels, count, failure, lastPosition, ledgerProblems, outboxEvents, typesAfter, unwrap } from '../support/ledger.js';
import { contextOf } from '../../main/station/context.js';

let t: TestStation;
const members = demoBadges().active.map((b) => b.memberId);
let next = 0;
const freshMember = () => members[next++]!;
const db = () => contextOf(t.station).db;

beforeAll(() => {
  t = openTestStation();
});
afterAll(() => {
  expect(ledgerProblems(db())).toEqual([]);
  t?.close();
});

async function openVisit(date = '2026-11-24', time = '09:00'): Promise<{ visitId: string; memberId: string }> {
  t.clock.set(brussels(date, time));
  const memberId = freshMember();
  const v = unwrap(await t.api.checkIn({ memberId }));
  return { visitId: v.visitId, memberId };
}

describe('adding consumption', () => {
  it('prices items at the 2-star tariff with VAT, in the visit total', async () => {
    const { visitId } = await openVisit();
    t.clock.advance(10 * 60_000);
    const pos = lastPosition(db());
    const coffee = unwrap(await t.api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 2 }));
    expect(coffee).toMatchObject({ serviceCode: 'coffee', unit: 'item', quantity: 2, billedQuantity: 2, unitPriceCents: 200, vatRateBp: 2100, netCents: 400, vatCents: 84, grossCents: 484, source: 'staff', capApplied: false });
    const sandwich = unwrap(await t.api.addConsumption({ visitId, serviceCode: 'sandwich', quantity: 1 }));
    // Take-away food: 6 % VAT.
    expect(sandwich).toMatchObject({ netCents: 500, vatCents: 30, grossCents: 530 });
    const pages = unwrap(await t.api.addConsumption({ visitId, serviceCode: 'print_color', quantity: 7 }));
    // 7 × 0.45 € = 3.15 €, VAT 21 % = 0.6615 → 0.66 €.
    expect(pages).toMatchObject({ unit: 'page', netCents: 315, vatCents: 66, grossCents: 381 });
    expect(typesAfter(db(), pos)).toEqual(['consumption.recorded', 'consumption.recorded', 'consumption.recorded']);
    const [ev] = outboxEvents(db(), pos);
    expect(ev!.payload).toMatchObject({ visitId, serviceCode: 'coffee', tariffVersionId: 'tariff-2026', stars: 2, localDate: '2026-11-24', source: 'staff', unitPriceCents: 200 });
    const detail = unwrap(await t.api.visitDetail({ visitId }));
    expect(detail.lines.map((l) => l.id)).toEqual([coffee.id, sandwich.id, pages.id]);
    expect(detail.totals).toEqual({ netCents: 1215, vatCents: 180, grossCents: 1395 });
  });

  it('bills the meeting room in 30-minute increments, rounded up', async () => {
    const { visitId } = await openVisit();
    const l45 = unwrap(await t.api.addConsumption({ visitId, serviceCode: 'meeting_room_hour', quantity: 45 }));
    expect(l45).toMatchObject({ quantity: 45, billedQuantity: 60, unitPriceCents: 2500, netCents: 2500, vatCents: 525, grossCents: 3025 });
    const l61 = unwrap(await t.api.addConsumption({ visitId, serviceCode: 'meeting_room_hour', quantity: 61 }));
    // 90 min at 25 €/h = 37.50 €; VAT 7.875 € → 7.88 € (half up).
    expect(l61).toMatchObject({ quantity: 61, billedQuantity: 90, netCents: 3750, vatCents: 788 });
    const l30 = unwrap(await t.api.addConsumption({ visitId, serviceCode: 'meeting_room_hour', quantity: 30 }));
    expect(l30).toMatchObject({ billedQuantity: 30, netCents: 1250 });
  });

  it('refuses bad consumption and records nothing', async () => {
    const { visitId } = await openVisit();
    const pos = lastPosition(db());
    failure(await t.api.addConsumption({ visitId, serviceCode: 'champagne', quantity: 1 }), 'NOT_FOUND');
    failure(await t.api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 0 }), 'INVALID_INPUT');
    failure(await t.api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 1.5 }), 'INVALID_INPUT');
    failure(await t.api.addConsumption({ visitId, serviceCode: 'coffee', quantity: -3 }), 'INVALID_INPUT');
    const early = failure(await t.api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 1, at: brussels('2026-11-24', '08:00') }), 'INVALID_INPUT');
    expect(early.message).toMatch(/before the visit began/);
    expect(typesAfter(db(), pos)).toEqual([]);
  });

  it('does not charge desk hours when the visit holds a day package', async () => {
    const { visitId } = await openVisit();
    unwrap(await t.api.addConsumption({ visitId, serviceCode: 'desk_day', quantity: 1 }));
    t.clock.set(brussels('2026-11-24', '17:00'));
    const out = unwrap(await t.api.checkOut({ visitId }));
    expect(out.lines.map((l) => l.serviceCode)).toEqual(['desk_day']);
    expect(out.totals).toEqual({ netCents: 3000, vatCents: 630, grossCents: 3630 });
  });

  it('charges desk hours again when the day package was voided', async () => {
    const { visitId } = await openVisit();
    const pack = unwrap(await t.api.addConsumption({ visitId, serviceCode: 'desk_half_day', quantity: 1 }));
    unwrap(await t.api.voidConsumption({ consumptionId: pack.id, reason: 'stays only an hour' }));
    t.clock.set(brussels('2026-11-24', '10:00'));
    const out = unwrap(await t.api.checkOut({ visitId }));
    expect(out.lines.map((l) => [l.serviceCode, l.netCents])).toEqual([
      ['desk_half_day', 1800],
      ['desk_half_day', -1800],
      ['desk_hour', 500],
    ]);
    expect(out.totals.netCents).toBe(500);
  });
});

describe('voids', () => {
  it('voids a line by a compensating negative line; a second void is a CONFLICT, voiding a void is REFUSED', async () => {
    const { visitId } = await openVisit();
    const coffee = unwrap(await t.api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 3 }));
    const tea = unwrap(await t.api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 1 }));
    expect(unwrap(await t.api.visitDetail({ visitId })).totals.grossCents).toBe(4 * 242);
    const rowsBefore = count(db(), 'consumption');
    const pos = lastPosition(db());
    t.clock.advance(60_000);
    const v = unwrap(await t.api.voidConsumption({ consumptionId: coffee.id, reason: 'charged to the wrong visit' }));
    expect(v).toMatchObject({ source: 'void', voidsId: coffee.id, reason: 'charged to the wrong visit', serviceCode: 'coffee', quantity: -3, billedQuantity: -3, netCents: -600, vatCents: -126, grossCents: -726 });
    expect(typesAfter(db(), pos)).toEqual(['consumption.voided']);
    expect(outboxEvents(db(), pos)[0]!.payload).toMatchObject({ consumptionId: v.id, voidsConsumptionId: coffee.id, visitId, netCents: -600, vatCents: -126, grossCents: -726 });
    // Nothing edited: the original line is still there, now pointing at its correction.
    expect(count(db(), 'consumption')).toBe(rowsBefore + 1);
    const detail = unwrap(await t.api.visitDetail({ visitId }));
    expect(detail.lines.find((l) => l.id === coffee.id)).toMatchObject({ netCents: 600, voidedBy: v.id });
    expect(detail.lines.find((l) => l.id === tea.id)!.voidedBy).toBeUndefined();
    expect(detail.totals).toEqual({ netCents: 200, vatCents: 42, grossCents: 242 });

    const again = failure(await t.api.voidConsumption({ consumptionId: coffee.id, reason: 'once more' }), 'CONFLICT');
    expect(again.message).toContain(v.id);
    failure(await t.api.voidConsumption({ consumptionId: v.id, reason: 'undo the undo' }), 'REFUSED');
    failure(await t.api.voidConsumption({ consumptionId: tea.id, reason: 'x' }), 'INVALID_INPUT');
    expect(typesAfter(db(), pos)).toEqual(['consumption.voided']);
  });

  it('voids a visit: every live line compensated, the visit off site and closed to changes', async () => {
    const { visitId, memberId } = await openVisit();
    const a = unwrap(await t.api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 1 }));
    const b = unwrap(await t.api.addConsumption({ visitId, serviceCode: 'meeting_room_hour', quantity: 60 }));
    unwrap(await t.api.voidConsumption({ consumptionId: a.id, reason: 'not taken' }));
    const pos = lastPosition(db());
    t.clock.advance(5 * 60_000);
    const voided = unwrap(await t.api.voidVisit({ visitId, reason: 'checked in the wrong member' }));
    // Only the line still standing is compensated, then the visit itself.
    expect(typesAfter(db(), pos)).toEqual(['consumption.voided', 'visit.voided']);
    expect(outboxEvents(db(), pos)[0]!.payload).toMatchObject({ voidsConsumptionId: b.id, reason: 'checked in the wrong member' });
    expect(voided.voided).toEqual({ reason: 'checked in the wrong member', at: new Date(t.clock.now()).toISOString() });
    expect(voided.totals).toEqual({ netCents: 0, vatCents: 0, grossCents: 0 });
    expect(voided.checkedOutAt).toBeUndefined();
    expect(unwrap(await t.api.onSite({})).map((e) => e.visitId)).not.toContain(visitId);

    const after = lastPosition(db());
    failure(await t.api.voidVisit({ visitId, reason: 'again' }), 'CONFLICT');
    failure(await t.api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 1 }), 'REFUSED');
    failure(await t.api.checkOut({ visitId }), 'REFUSED');
    expect(typesAfter(db(), after)).toEqual([]);
    // The member can be checked in again at once.
    expect(unwrap(await t.api.checkIn({ memberId })).visitId).not.toBe(visitId);
  });
});

describe('daily cap and tariff versions', () => {
  it('never charges desk hours above the desk day price across two visits of one day', async () => {
    const { visitId, memberId } = await openVisit('2026-11-25', '08:30');
    t.clock.set(brussels('2026-11-25', '13:30'));
    const first = unwrap(await t.api.checkOut({ visitId }));
    expect(first.lines[0]).toMatchObject({ quantity: 300, netCents: 2500, capApplied: false });

    t.clock.set(brussels('2026-11-25', '14:15'));
    const second = unwrap(await t.api.checkIn({ memberId }));
    t.clock.set(brussels('2026-11-25', '18:45'));
    const out = unwrap(await t.api.checkOut({ visitId: second.visitId }));
    // 4 h 30 would be 22.50 €; only 5.00 € is left under the 30.00 € cap of a 2-star desk day.
    expect(out.lines[0]).toMatchObject({ serviceCode: 'desk_hour', quantity: 270, billedQuantity: 270, netCents: 500, vatCents: 105, capApplied: true });

    // A third visit the same day costs nothing more; the next day starts afresh.
    t.clock.set(brussels('2026-11-25', '18:50'));
    const third = unwrap(await t.api.checkIn({ memberId }));
    t.clock.set(brussels('2026-11-25', '18:58'));
    expect(unwrap(await t.api.checkOut({ visitId: third.visitId })).lines[0]).toMatchObject({ netCents: 0, vatCents: 0, capApplied: true });
    const sum = db().prepare(`SELECT SUM(net_cents) AS n FROM consumption WHERE member_id = ? AND local_date = '2026-11-25' AND service_code = 'desk_hour'`).get(memberId) as { n: number };
    expect(sum.n).toBe(3000);

    t.clock.set(brussels('2026-11-26', '09:00'));
    const nextDay = unwrap(await t.api.checkIn({ memberId }));
    t.clock.set(brussels('2026-11-26', '10:00'));
    expect(unwrap(await t.api.checkOut({ visitId: nextDay.visitId })).lines[0]).toMatchObject({ netCents: 500, capApplied: false });
  });

  it('gives the cap its room back when an earlier charge of the day is voided', async () => {
    const { visitId, memberId } = await openVisit('2026-11-27', '08:00');
    t.clock.set(brussels('2026-11-27', '15:00'));
    const first = unwrap(await t.api.checkOut({ visitId }));
    expect(first.lines[0]).toMatchObject({ netCents: 3000, capApplied: true });
    unwrap(await t.api.voidConsumption({ consumptionId: first.lines[0]!.id, reason: 'badge of a colleague' }));
    const second = unwrap(await t.api.checkIn({ memberId }));
    t.clock.set(brussels('2026-11-27', '16:00'));
    expect(unwrap(await t.api.checkOut({ visitId: second.visitId })).lines[0]).toMatchObject({ netCents: 500, capApplied: false });
  });

  it('prices a 2027 visit with tariff-2027 (prices ×1.03, cap included)', async () => {
    const { visitId } = await openVisit('2027-01-12', '09:00');
    const pos = lastPosition(db());
    const coffee = unwrap(await t.api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 1 }));
    expect(coffee).toMatchObject({ unitPriceCents: 206, netCents: 206, vatCents: 43 });
    t.clock.set(brussels('2027-01-12', '11:00'));
    const out = unwrap(await t.api.checkOut({ visitId }));
    expect(out.lines.find((l) => l.serviceCode === 'desk_hour')).toMatchObject({ quantity: 120, unitPriceCents: 515, netCents: 1030 });
    expect(outboxEvents(db(), pos).filter((e) => e.type === 'consumption.recorded').map((e) => (e.payload as { tariffVersionId: string }).tariffVersionId)).toEqual([
      'tariff-2027',
      'tariff-2027',
    ]);

    const long = await openVisit('2027-01-13', '08:00');
    t.clock.set(brussels('2027-01-13', '18:00'));
    expect(unwrap(await t.api.checkOut({ visitId: long.visitId })).lines[0]).toMatchObject({ netCents: 3090, capApplied: true });
  });

  it('prices by the day the visit began: the last day of 2026 stays at tariff-2026', async () => {
    const { visitId } = await openVisit('2026-12-31', '10:00');
    t.clock.set(brussels('2026-12-31', '12:00'));
    const out = unwrap(await t.api.checkOut({ visitId }));
    expect(out.lines[0]).toMatchObject({ unitPriceCents: 500, netCents: 1000 });
  });
});
