// Plans at the station, offline: a pass covering this site makes the desk free (a meeting room
// stays charged); a pass for other sites, or one not started or ended, changes nothing; a company's
// prepaid hours cover desk time up to what is left as last known (the hub's count plus this
// station's draws since), the rest pay-as-you-go under the daily cap; a void gives minutes back.
// Real SQLite files, the demo network (2 stars: desk 5 €/h in 15-minute steps, capped at 30 €/day).
import { afterEach, describe, expect, it } from 'vitest';
import type { ReferenceDataInput } from '../../common/reference-data.js';
import type { TapResult, VisitDetail, VisitSummary } from '../../common/station-api.js';
import { demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { brussels, count, ledgerProblems, outboxEvents, unwrap } from '../support/ledger.js';
import { contextOf } from '../../main/station/context.js';

const PASS_BXL = { id: 'pass-bxl', kind: 'pass' as const, name: 'Pass Bruxelles', monthlyFeeCents: 25_000, vatRateBp: 2100, sites: ['bxl-louise', 'bxl-schuman'] };
const PASS_FLANDERS = { id: 'pass-vl', kind: 'pass' as const, name: 'Pass Vlaanderen', monthlyFeeCents: 25_000, vatRateBp: 2100, sites: ['gent-zuid', 'antwerpen-centraal'] };
const PASS_NETWORK = { id: 'pass-all', kind: 'pass' as const, name: 'Pass Escale', monthlyFeeCents: 45_000, vatRateBp: 2100, sites: 'all' as const };

// Members of the demo data: Meridian Pharma's staff for the quota (payer checked at import).
const ON_PASS = 'm0161';
const ON_NETWORK_PASS = 'm0177';
const ON_FLANDERS_PASS = 'm0185';
const PASS_NOT_STARTED = 'm0165';
const PASS_ENDED = 'm0189';
const [QUOTA_A, QUOTA_B, QUOTA_C, QUOTA_D] = ['m0163', 'm0171', 'm0179', 'm0187'] as const;

function quota(over: Partial<NonNullable<ReferenceDataInput['quotas']>[number]> = {}): NonNullable<ReferenceDataInput['quotas']>[number] {
  return {
    id: 'quota-meridian',
    payerId: 'meridian-pharma',
    name: 'Meridian — 100 h',
    minutes: 6000,
    priceCents: 45_000,
    vatRateBp: 2100,
    validFrom: '2026-09-01',
    validUntil: '2027-08-31',
    allocations: [
      { memberId: QUOTA_A, minutes: 600 },
      { memberId: QUOTA_B, minutes: 600 },
      { memberId: QUOTA_C, minutes: 600 },
      { memberId: QUOTA_D, minutes: 600 },
    ],
    // A: 2 h used of 10; B: 9 h used (1 h left); C: nothing yet; D: all 10 h used.
    used: { [QUOTA_A]: 120, [QUOTA_B]: 540, [QUOTA_D]: 600 },
    usedAsOf: '2026-11-20T18:00:00Z',
    ...over,
  };
}

function planData(quotas = [quota()]): ReferenceDataInput {
  const data = demoReferenceData();
  data.plans = [PASS_BXL, PASS_FLANDERS, PASS_NETWORK];
  data.subscriptions = [
    { id: 's1', memberId: ON_PASS, planId: PASS_BXL.id, from: '2026-01-01' },
    { id: 's2', memberId: ON_NETWORK_PASS, planId: PASS_NETWORK.id, from: '2026-11-24', until: '2026-11-24' },
    { id: 's3', memberId: ON_FLANDERS_PASS, planId: PASS_FLANDERS.id, from: '2026-01-01' },
    { id: 's4', memberId: PASS_NOT_STARTED, planId: PASS_BXL.id, from: '2026-11-25' },
    { id: 's5', memberId: PASS_ENDED, planId: PASS_BXL.id, from: '2026-01-01', until: '2026-11-23' },
  ];
  data.quotas = quotas;
  return data;
}

const uidOf = (memberId: string) => demoReferenceData().badges.find((b) => b.memberId === memberId && b.kind === 'rfid' && b.status === 'active')!.uid;

let t: TestStation | undefined;
afterEach(() => {
  if (t) expect(ledgerProblems(contextOf(t.station).db)).toEqual([]);
  t?.close();
  t = undefined;
});

function station(data = planData()): TestStation {
  t = openTestStation({ data });
  expect(count(contextOf(t.station).db, 'plan')).toBe(data.plans!.length);
  return t;
}

async function tapAt(s: TestStation, memberId: string, date: string, time: string): Promise<TapResult> {
  s.clock.set(brussels(date, time));
  return unwrap(await s.api.tap({ uid: uidOf(memberId) }));
}
function checkedIn(r: TapResult): VisitSummary {
  if (r.outcome !== 'checked_in') throw new Error(`expected a check-in, got ${r.outcome}`);
  return r.visit;
}
function checkedOut(r: TapResult): VisitDetail {
  if (r.outcome !== 'checked_out') throw new Error(`expected a check-out, got ${r.outcome}`);
  return r.visit;
}
/** A whole visit by badge, from one time to another on a day; the goodbye's visit. */
async function visit(s: TestStation, memberId: string, date: string, from: string, to: string): Promise<VisitDetail> {
  checkedIn(await tapAt(s, memberId, date, from));
  return checkedOut(await tapAt(s, memberId, date, to));
}
const desk = (v: VisitDetail) => v.lines.filter((l) => l.serviceCode === 'desk_hour' && l.source === 'checkout');

describe('a pass', () => {
  it('covering this site: the desk is free, a meeting room is still charged; the tap and the event say so', async () => {
    const s = station();
    const inTap = checkedIn(await tapAt(s, ON_PASS, '2026-11-24', '09:00'));
    expect(inTap.entitlement).toEqual({ kind: 'pass', planId: PASS_BXL.id, planName: 'Pass Bruxelles', subscriptionId: 's1' });
    expect(inTap.provisional).toEqual({ netCents: 0, vatCents: 0, grossCents: 0 });

    s.clock.set(brussels('2026-11-24', '10:00'));
    const room = unwrap(await s.api.addConsumption({ visitId: inTap.visitId, serviceCode: 'meeting_room_hour', quantity: 60 }));
    expect(room).toMatchObject({ netCents: 2500, vatCents: 525, grossCents: 3025, coverage: { kind: 'payg' } });
    // Open, two hours in: the desk time so far is covered; only the room is due.
    s.clock.set(brussels('2026-11-24', '11:00'));
    const open = unwrap(await s.api.visitDetail({ visitId: inTap.visitId }));
    expect(open.provisional).toEqual({ netCents: 2500, vatCents: 525, grossCents: 3025, workspaceCoverage: { kind: 'pass', planId: PASS_BXL.id, subscriptionId: 's1' } });

    const out = checkedOut(await tapAt(s, ON_PASS, '2026-11-24', '13:00'));
    expect(desk(out)).toEqual([expect.objectContaining({ quantity: 240, billedQuantity: 240, netCents: 0, grossCents: 0, coverage: { kind: 'pass', planId: PASS_BXL.id, subscriptionId: 's1' } })]);
    expect(out.totals).toEqual({ netCents: 2500, vatCents: 525, grossCents: 3025 });
    expect(out.entitlement).toMatchObject({ kind: 'pass', planName: 'Pass Bruxelles' });

    const recorded = outboxEvents(contextOf(s.station).db).filter((e) => e.type === 'consumption.recorded').map((e) => e.payload as Record<string, unknown>);
    expect(recorded).toEqual([
      expect.objectContaining({ serviceCode: 'meeting_room_hour', netCents: 2500, coverage: { kind: 'payg' } }),
      expect.objectContaining({ serviceCode: 'desk_hour', quantity: 240, netCents: 0, coverage: { kind: 'pass', planId: PASS_BXL.id, subscriptionId: 's1' } }),
    ]);
  });

  it('covers a day desk added by staff too (workspace), and the whole network pass covers this site', async () => {
    const s = station();
    const v = checkedIn(await tapAt(s, ON_NETWORK_PASS, '2026-11-24', '09:00'));
    expect(v.entitlement).toMatchObject({ kind: 'pass', planName: 'Pass Escale' });
    const day = unwrap(await s.api.addConsumption({ visitId: v.visitId, serviceCode: 'desk_day', quantity: 1 }));
    expect(day).toMatchObject({ netCents: 0, grossCents: 0, coverage: { kind: 'pass', planId: PASS_NETWORK.id } });
    const coffee = unwrap(await s.api.addConsumption({ visitId: v.visitId, serviceCode: 'coffee', quantity: 1 }));
    expect(coffee).toMatchObject({ netCents: 200, coverage: { kind: 'payg' } });
  });

  it('for other sites only, not started yet or ended: pay-as-you-go', async () => {
    const s = station();
    for (const member of [ON_FLANDERS_PASS, PASS_NOT_STARTED, PASS_ENDED]) {
      const v = checkedIn(await tapAt(s, member, '2026-11-24', '09:00'));
      expect(v.entitlement, member).toEqual({ kind: 'payg' });
    }
    for (const member of [ON_FLANDERS_PASS, PASS_NOT_STARTED, PASS_ENDED]) {
      const out = checkedOut(await tapAt(s, member, '2026-11-24', '12:00'));
      // 3 h at 5 €: 15 € + 21 % VAT.
      expect(desk(out), member).toEqual([expect.objectContaining({ netCents: 1500, vatCents: 315, coverage: { kind: 'payg' } })]);
    }
    // The day the network pass held (one day only) it covered; the day after, it does not.
    const covered = await visit(s, ON_NETWORK_PASS, '2026-11-24', '13:00', '14:00');
    expect(desk(covered)[0]).toMatchObject({ netCents: 0, coverage: { kind: 'pass' } });
    const after = await visit(s, ON_NETWORK_PASS, '2026-11-25', '13:00', '14:00');
    expect(desk(after)[0]).toMatchObject({ netCents: 500, coverage: { kind: 'payg' } });
    expect(after.entitlement).toEqual({ kind: 'payg' });
  });
});

describe('a company quota', () => {
  it('covers desk time while minutes are left; each visit draws it down; a guest still pays', async () => {
    const s = station();
    const v = checkedIn(await tapAt(s, QUOTA_A, '2026-11-24', '09:00'));
    expect(v.entitlement).toEqual({ kind: 'quota', quotaId: 'quota-meridian', quotaName: 'Meridian — 100 h', minutesLeft: 480 });
    s.clock.set(brussels('2026-11-24', '10:30'));
    expect(unwrap(await s.api.visitDetail({ visitId: v.visitId })).provisional).toEqual({
      netCents: 0,
      vatCents: 0,
      grossCents: 0,
      workspaceCoverage: { kind: 'quota', quotaId: 'quota-meridian', coveredMinutes: 90 },
    });
    const out = checkedOut(await tapAt(s, QUOTA_A, '2026-11-24', '11:00'));
    expect(desk(out)).toEqual([expect.objectContaining({ billedQuantity: 120, netCents: 0, coverage: { kind: 'quota', quotaId: 'quota-meridian', coveredMinutes: 120 } })]);
    expect(out.entitlement).toMatchObject({ kind: 'quota', minutesLeft: 360 });
    expect(checkedIn(await tapAt(s, QUOTA_A, '2026-11-24', '14:00')).entitlement).toMatchObject({ kind: 'quota', minutesLeft: 360 });
    // A quota member's visitor is not charged; a walk-in guest pays as they go.
    const guest = unwrap(await s.api.registerGuest({ firstName: 'Walk', lastName: 'In', consent: true }));
    expect(guest.entitlement).toBeUndefined();
    s.clock.set(brussels('2026-11-24', '15:00'));
    const guestOut = unwrap(await s.api.checkOut({ visitId: guest.visitId }));
    expect(guestOut.lines).toEqual([expect.objectContaining({ netCents: 500, coverage: { kind: 'payg' } })]);
  });

  it('running out mid-visit: the covered minutes are free, the rest pay-as-you-go under the daily cap', async () => {
    const s = station();
    expect(checkedIn(await tapAt(s, QUOTA_B, '2026-11-24', '09:00')).entitlement).toMatchObject({ kind: 'quota', minutesLeft: 60 });
    // 8 h: 1 h from the quota, 7 h × 5 € = 35 € capped at the day's 30 €.
    const out = checkedOut(await tapAt(s, QUOTA_B, '2026-11-24', '17:00'));
    expect(desk(out)).toEqual([
      expect.objectContaining({ billedQuantity: 480, netCents: 3000, vatCents: 630, capApplied: true, coverage: { kind: 'quota', quotaId: 'quota-meridian', coveredMinutes: 60 } }),
    ]);
    expect(out.entitlement).toEqual({ kind: 'payg' });
    // The quota is spent; the day is capped already: a second visit that day costs nothing more.
    const again = await visit(s, QUOTA_B, '2026-11-24', '17:30', '18:30');
    expect(desk(again)).toEqual([expect.objectContaining({ netCents: 0, capApplied: true, coverage: { kind: 'payg' } })]);
  });

  it('a shorter overflow: covered minutes, then the rest at the hourly price', async () => {
    const s = station();
    // 2 h 10 billed 2 h 15: 60 covered, 75 minutes at 5 €/h = 6.25 €.
    const out = await visit(s, QUOTA_B, '2026-11-24', '09:00', '11:10');
    expect(desk(out)).toEqual([expect.objectContaining({ billedQuantity: 135, netCents: 625, vatCents: 131, capApplied: false, coverage: expect.objectContaining({ coveredMinutes: 60 }) })]);
  });

  it('all used as the hub counted it: pay-as-you-go from the first minute', async () => {
    const s = station();
    expect(checkedIn(await tapAt(s, QUOTA_D, '2026-11-24', '09:00')).entitlement).toEqual({ kind: 'payg' });
  });

  it('hours left as last known: the hub’s count plus what this station drew after it, corrections from the hub replacing the guess', async () => {
    // No count from the hub yet: every local draw counts.
    const s = station(planData([quota({ used: {}, usedAsOf: undefined })]));
    const monday = await visit(s, QUOTA_C, '2026-11-23', '09:00', '10:00');
    expect(monday.entitlement).toMatchObject({ kind: 'quota', minutesLeft: 540 });
    // The hub's count arrives: as of Monday 19:00 Brussels it holds Monday's hour and 40 minutes
    // drawn at another site. Monday's local line is inside that count, not added again.
    unwrap(await s.api.importReferenceData({ data: planData([quota({ used: { [QUOTA_C]: 100 }, usedAsOf: '2026-11-23T18:00:00Z' })]), source: 'hub' }));
    // Tuesday's visit ends half a second after 10:00 Brussels.
    s.clock.set(new Date(Date.parse(brussels('2026-11-24', '09:00')) + 500).toISOString());
    expect(checkedIn(unwrap(await s.api.tap({ uid: uidOf(QUOTA_C) }))).entitlement).toMatchObject({ minutesLeft: 500 });
    s.clock.set(new Date(Date.parse(brussels('2026-11-24', '10:00')) + 500).toISOString());
    const tuesday = checkedOut(unwrap(await s.api.tap({ uid: uidOf(QUOTA_C) })));
    // Tuesday's hour was drawn after the count: 600 − (100 + 60).
    expect(tuesday.entitlement).toMatchObject({ minutesLeft: 440 });
    // A count as of 10:00:00 sharp (written without milliseconds) does not hold that hour yet:
    // still drawn here after it.
    unwrap(await s.api.importReferenceData({ data: planData([quota({ used: { [QUOTA_C]: 100 }, usedAsOf: '2026-11-24T09:00:00Z' })]), source: 'hub' }));
    expect(checkedIn(await tapAt(s, QUOTA_C, '2026-11-24', '11:00')).entitlement).toMatchObject({ minutesLeft: 440 });
    // The next count holds it: the hub's figure replaces the station's.
    unwrap(await s.api.importReferenceData({ data: planData([quota({ used: { [QUOTA_C]: 200 }, usedAsOf: '2026-11-24T09:30:00Z' })]), source: 'hub' }));
    s.clock.set(brussels('2026-11-24', '11:30'));
    expect(unwrap(await s.api.onSite({})).length).toBeGreaterThan(0);
    const open = unwrap(await s.api.search({ query: QUOTA_C }))[0]!.openVisitId!;
    expect(unwrap(await s.api.visitDetail({ visitId: open })).entitlement).toMatchObject({ minutesLeft: 400 });
  });

  it('a void gives the minutes back, and the daily cap and totals stay consistent', async () => {
    const s = station();
    const out = await visit(s, QUOTA_A, '2026-11-24', '09:00', '12:00');
    expect(out.entitlement).toMatchObject({ minutesLeft: 300 });
    const line = desk(out)[0]!;
    const voided = unwrap(await s.api.voidConsumption({ consumptionId: line.id, reason: 'checked out too late' }));
    expect(voided).toMatchObject({ source: 'void', netCents: 0, coverage: { kind: 'quota', quotaId: 'quota-meridian', coveredMinutes: 180 } });
    expect(contextOf(s.station).db.prepare('SELECT quota_minutes FROM consumption WHERE id = ?').get(voided.id)).toEqual({ quota_minutes: -180 });
    expect(checkedIn(await tapAt(s, QUOTA_A, '2026-11-24', '13:00')).entitlement).toMatchObject({ minutesLeft: 480 });
    // Voiding the whole visit of a later draw gives its minutes back as well.
    const later = checkedOut(await tapAt(s, QUOTA_A, '2026-11-24', '15:00'));
    expect(later.entitlement).toMatchObject({ minutesLeft: 360 });
    unwrap(await s.api.voidVisit({ visitId: later.visitId, reason: 'entered by mistake' }));
    expect(checkedIn(await tapAt(s, QUOTA_A, '2026-11-24', '16:00')).entitlement).toMatchObject({ minutesLeft: 480 });
  });

  it('a quota outside its validity, or allocating nothing to the member, covers nothing', async () => {
    const s = station(planData([quota({ validFrom: '2026-12-01', validUntil: '2027-11-30' })]));
    expect(checkedIn(await tapAt(s, QUOTA_A, '2026-11-24', '09:00')).entitlement).toEqual({ kind: 'payg' });
    const other = 'm0155'; // Meridian Pharma staff, no allocation
    expect(checkedIn(await tapAt(s, other, '2026-11-24', '09:00')).entitlement).toEqual({ kind: 'payg' });
  });
});

describe('stored plans', () => {
  it('a plan row that no longer parses is named, and nothing is written', async () => {
    const s = station();
    // Simulates a damaged row: the station must not guess what the pass covered.
    contextOf(s.station).db.prepare('UPDATE plan SET data = ? WHERE id = ?').run('{"id":"pass-bxl","kind":"pass"}', PASS_BXL.id);
    s.clock.set(brussels('2026-11-24', '09:00'));
    const r = await s.api.tap({ uid: uidOf(ON_PASS) });
    expect(r).toMatchObject({ ok: false, error: { code: 'REFERENCE_DATA_INVALID', message: expect.stringContaining('plan "pass-bxl"') } });
    expect(count(contextOf(s.station).db, 'visit')).toBe(0);
  });
});
