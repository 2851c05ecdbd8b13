// The network's accounts end to end: three real stations record a month of traffic (roaming, a
// regional pass used inside and outside its sites, a whole-network pass starting mid-month, a
// company quota running out mid-visit, a tariff change on the 16th, voids), sync to a real hub on
// 127.0.0.1, and the hub's statements and settlement are checked cent for cent against an
// independent recomputation from the raw events. Then October closes, late events arrive, and
// they become adjustments on November's statement while October's stays as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccounts } from '../../server/accounts/index.js';
import { importReference } from '../../server/hub/reference-admin.js';
import { quotaSchema } from '../../common/reference-data.js';
import { settlementSchema, statementSchema, type Settlement, type Statement } from '../../common/accounts/reports.js';
import type { StoredEvent } from '../../server/store/store.js';
import { unwrap } from '../support/ledger.js';
import { startTestHub, stopTestHubStores, type TestHub } from '../support/hub-fixture.js';
import { waitFor } from '../support/wait.js';
import { M, SITE_A, SITE_B, SITE_C, accountsReference, openNetworkStations, runOctober, syncAll, waitForWatermarks, type NetworkStation, type Visit } from '../support/accounts-network.js';
import { naiveLines, naivePayerTotals, type NaiveLine } from './naive-accounts.js';
import { contextOf } from '../../main/station/context.js';

const ref = accountsReference();
let hub: TestHub;
let stations: Record<string, NetworkStation>;
let visits: Visit[];
let hubNow = Date.parse('2026-11-04T12:00:00.000Z');
const accounts = () => createAccounts(hub.store, { now: () => hubNow, graceDays: 3, networkFeeBp: 2000, commissionBp: 500 });

async function allEvents(): Promise<StoredEvent[]> {
  return hub.store.listEvents({ limit: 1_000_000 });
}

const sumNet = (s: Statement) => s.lines.reduce((n, l) => n + l.netCents, 0);

beforeAll(async () => {
  // The hub's clock is the story's: a station's watermark never runs ahead of the hub's clock.
  hub = await startTestHub({ reference: false, now: () => hubNow });
  await importReference(hub.store, ref, '2026-09-01T00:00:00.000Z');
  stations = await openNetworkStations(hub);
  visits = await runOctober(stations);
  await syncAll(stations, '2026-11-02T07:00:00.000Z');
  await waitForWatermarks(hub, '2026-11-02T07:00:00.000Z');
}, 240_000);

afterAll(async () => {
  for (const s of Object.values(stations ?? {})) {
    await s.sync.stop();
    s.t.close();
  }
  await hub?.close();
  await stopTestHubStores();
});

describe('a month of a network', () => {
  let october: Statement[];
  let naive: NaiveLine[];

  it('prices every line again at the hub: the statements add up to the raw events, payer by payer', async () => {
    const events = await allEvents();
    naive = naiveLines(events, ref);
    october = await accounts().statements('2026-10');
    for (const s of october) statementSchema.parse(s);
    const expected = naivePayerTotals(naive, ref, '2026-10');
    expect(new Set(october.map((s) => s.payerId))).toEqual(new Set(expected.keys()));
    for (const s of october) {
      expect(s.status).toBe('provisional');
      expect({ payer: s.payerId, net: s.totals.netCents, vat: s.totals.vatCents }).toEqual({ payer: s.payerId, net: expected.get(s.payerId)!.net, vat: expected.get(s.payerId)!.vat });
      expect(sumNet(s)).toBe(s.totals.netCents);
      expect(s.totals.grossCents).toBe(s.totals.netCents + s.totals.vatCents);
      expect(s.vatSummary.reduce((n, v) => n + v.vatCents, 0)).toBe(s.totals.vatCents);
    }
    // The cases the month was built with are all there.
    const acme = october.find((s) => s.payerId === 'acme')!;
    expect(acme.lines.filter((l) => l.kind === 'quota_package')).toHaveLength(1);
    const quotaLines = naive.filter((l) => l.memberId === M.quota && l.serviceCode === 'desk_hour');
    const crossing = quotaLines.find((l) => l.coverage === 'quota' && l.net > 0);
    expect(crossing, 'a visit during which the quota ran out: part covered, part paid').toBeDefined();
    expect(quotaLines.filter((l) => l.coverage === 'quota').reduce((n, l) => n + l.coveredMinutes, 0)).toBe(1_000);
    const pass = october.find((s) => s.payerId === 'self-pass')!;
    expect(pass.language).toBe('nl');
    expect(pass.lines.some((l) => l.kind === 'pass_fee' && l.netCents === 25_000)).toBe(true);
    expect(pass.lines.some((l) => l.siteId === SITE_C && l.serviceCode === 'desk_hour' && l.coverage === 'payg' && l.netCents > 0)).toBe(true);
    expect(pass.lines.filter((l) => l.siteId !== SITE_C && l.serviceCode === 'desk_hour').every((l) => l.coverage === 'pass' && l.netCents === 0)).toBe(true);
    // A member's own detail adds up to the usage billed for them.
    const member = pass.members.find((m) => m.memberId === M.pass)!;
    expect(member.totals.netCents).toBe(naive.filter((l) => l.memberId === M.pass && l.day.startsWith('2026-10')).reduce((n, l) => n + l.net, 0));
  });

  it('flags every line the station priced differently, and only those', async () => {
    const settlement = await accounts().settlement('2026-10');
    const expected = naive.filter((l) => l.day.startsWith('2026-10') && l.net !== l.stationNet).map((l) => l.consumptionId).sort();
    const flagged = settlement.cases.priceDifferences.filter((d) => d.station.netCents !== d.hub.netCents).map((d) => d.consumptionId).sort();
    expect(flagged).toEqual(expected);
    for (const d of settlement.cases.priceDifferences) expect(naive.find((l) => l.consumptionId === d.consumptionId)!.net).toBe(d.hub.netCents);
  });

  it("settles with the centers: dues, fees and commissions add up to what payers were billed", async () => {
    const s: Settlement = settlementSchema.parse(await accounts().settlement('2026-10'));
    const billed = october.reduce((n, st) => n + st.totals.netCents, 0);
    expect(s.network.billedNetCents).toBe(billed);
    const sum = (f: (x: Settlement['sites'][number]) => number) => s.sites.reduce((n, x) => n + f(x), 0);
    expect(sum((x) => x.dueCents) + sum((x) => x.networkFeeCents) + s.network.undistributedCents).toBe(billed);
    expect(sum((x) => x.payoutCents) + s.network.retainedCents).toBe(billed);
    expect(s.network.retainedCents).toBe(s.network.feesCents + s.network.undistributedCents - s.network.commissionsCents);
    // Pay-as-you-go earned at each site, from the raw events.
    for (const site of [SITE_A, SITE_B, SITE_C]) {
      const payg = naive.filter((l) => l.siteId === site && l.payerId && l.day.startsWith('2026-10')).reduce((n, l) => n + l.net, 0);
      expect(s.sites.find((x) => x.siteId === site)?.paygNetCents ?? 0).toBe(payg);
    }
    // Pass revenue goes to the sites that hosted pass holders, pro rata their minutes.
    const passSites = s.sites.filter((x) => x.passMinutes > 0);
    expect(passSites.map((x) => x.siteId).sort()).toEqual([SITE_A, SITE_B, SITE_C].filter((site) => naive.some((l) => l.siteId === site && l.coverage === 'pass')).sort());
    expect(sum((x) => x.passShareCents)).toBe(s.network.passRevenueCents);
    const [a, b] = passSites;
    if (a && b) expect(Math.abs(a.passShareCents * b.passMinutes - b.passShareCents * a.passMinutes)).toBeLessThanOrEqual(Math.max(a.passMinutes, b.passMinutes));
    // Quota revenue: to the sites where quota minutes were drawn.
    expect(sum((x) => x.quotaShareCents)).toBe(s.network.quotaRevenueCents);
    // Commissions: C signed up the recruit, A the network pass holder.
    const recruitBilled = october.find((st) => st.payerId === 'self-recruit')!.totals.netCents;
    expect(s.sites.find((x) => x.siteId === SITE_C)!.commissionCents).toBe(Math.floor((2 * recruitBilled * 500 + 10_000) / 20_000));
    // A signed the network pass holder up on the 12th: its commission counts from then (the pass
    // month, held when October ended, and the lines of the 12th on), not the days before.
    const fromSignUp = naive.filter((l) => l.memberId === M.network && l.day >= '2026-10-12' && l.day.startsWith('2026-10')).reduce((n, l) => n + l.net, 0);
    const beforeSignUp = naive.filter((l) => l.memberId === M.network && l.day < '2026-10-12').reduce((n, l) => n + l.net, 0);
    expect(beforeSignUp).toBeGreaterThan(0);
    expect(s.sites.find((x) => x.siteId === SITE_A)!.commissionCents).toBe(Math.floor((2 * (40_000 + fromSignUp) * 500 + 10_000) / 20_000));
  });

  it('evaluates the trial site from its events: visits, roaming, hours, staffed reception, auto-closed visits', async () => {
    const e = await accounts().evaluation(SITE_A, '2026-10', '2026-10');
    const atA = visits.filter((v) => v.siteId === SITE_A);
    expect(e.visits).toBe(atA.length);
    expect(e.distinctMembers).toBe(new Set(atA.map((v) => v.memberId)).size);
    const roaming = atA.filter((v) => ref.members.find((m) => m.id === v.memberId)!.homeSiteId !== SITE_A).length;
    expect(e.roamingShareBp).toBe(Math.round((roaming * 10_000) / atA.length));
    // Roam at A on Wednesdays (even days) is left open and closed automatically.
    expect(e.autoClosedVisits).toBe(atA.filter((v) => v.memberId === M.roam && new Date(`${v.date}T12:00:00Z`).getUTCDay() === 3).length);
    expect(e.autoClosedVisits).toBeGreaterThan(0);
    // Shifts 08:05–19:30 cover the 08:00–19:00 opening but its first five minutes, 22 weekdays.
    expect(e.openingMinutes).toBe(22 * 11 * 60);
    expect(e.staffedMinutes).toBe(22 * (11 * 60 - 5));
    expect(e.membership).toBe('trial');
    expect(e.sync.streams).toBe(1);
    expect(e.sync.watermark! >= '2026-11-02T07:00:00.000Z').toBe(true);
    expect(e.revenueNetCents).toBe(naive.filter((l) => l.siteId === SITE_A && l.day.startsWith('2026-10')).reduce((n, l) => n + l.net, 0));
    // Its trial year by default: the twelve months ending with March 2027.
    const year = await accounts().evaluation(SITE_A);
    expect([year.from, year.until]).toEqual(['2026-04', '2027-03']);
    expect(year.visits).toBe(atA.length);
  });

  it('publishes each member’s quota draw to the stations, which then know what is left offline', async () => {
    expect(await accounts().publishQuotaBalances()).toBe(1);
    const q = quotaSchema.parse(await hub.store.getReference('quota', 'acme-q4'));
    expect(q.used[M.quota]).toBe(1_000);
    expect(q.used[M.quota2]).toBe(naive.filter((l) => l.memberId === M.quota2 && l.coverage === 'quota').reduce((n, l) => n + l.coveredMinutes, 0));
    hub.hub.poke();
    const b = stations[SITE_B]!;
    await waitFor(() => {
      const row = contextOf(b.t.station).db.prepare("SELECT data FROM quota WHERE id = 'acme-q4'").get() as { data: string } | undefined;
      return row !== undefined && JSON.parse(row.data).used?.[M.quota] === 1_000;
    }, 'the quota balance to reach station B');
    expect(await accounts().publishQuotaBalances()).toBe(0);
  });

  it('closes October only when every site has sent everything up to its end plus the grace period', async () => {
    const early = await accounts().closePeriod('2026-10');
    expect(early.closed).toBe(false);
    expect(early.waitingFor.map((w) => w.siteId).sort()).toEqual([SITE_A, SITE_B, SITE_C]);
    expect(early.waitingFor[0]!.needed).toBe('2026-11-03T23:00:00.000Z');
    await syncAll(stations, '2026-11-04T08:00:00.000Z');
    await waitForWatermarks(hub, '2026-11-04T08:00:00.000Z');
    const closed = await accounts().closePeriod('2026-10');
    expect(closed).toMatchObject({ closed: true, waitingFor: [] });
    const frozen = await accounts().statements('2026-10');
    expect(frozen.map((s) => s.status)).toEqual(frozen.map(() => 'closed'));
    expect(frozen.map((s) => [s.payerId, s.totals])).toEqual(october.map((s) => [s.payerId, s.totals]));
    expect((await accounts().closePeriod('2026-10')).closedAt).toBe(closed.closedAt);
  });

  it('bills late events and corrections for a closed month as adjustments on the next statement; the closed one never changes', async () => {
    const before = JSON.stringify(await accounts().statements('2026-10'));
    // In November the network changes its reference data: site A becomes a 3-star site, the A+B
    // pass costs more, and the roaming member moves to Acme's payroll. That bills the months to
    // come, never the closed one again.
    const siteA = ref.sites.find((x) => x.id === SITE_A)!;
    const passAB = ref.plans!.find((x) => x.id === 'pass-ab')!;
    const roam = ref.members.find((x) => x.id === M.roam)!;
    await hub.store.putReference(
      [
        { entity: 'site', key: SITE_A, data: { ...siteA, stars: 3 } },
        { entity: 'plan', key: 'pass-ab', data: { ...passAB, monthlyFeeCents: 27_000 } },
        { entity: 'member', key: M.roam, data: { ...roam, payerId: 'acme' } },
      ],
      '2026-11-05T08:00:00.000Z',
    );
    // In November: A adds prints to an October visit; C voids an October meeting room line.
    const a = stations[SITE_A]!;
    a.t.clock.set('2026-11-05T09:00:00.000Z');
    const lastA = visits.filter((v) => v.siteId === SITE_A && v.memberId === M.quota).pop()!;
    const added = unwrap(await a.t.api.addConsumption({ visitId: lastA.visitId, serviceCode: 'print', quantity: 40 }));
    // Station A has learnt it is a 3-star site now; a meeting room it adds to that October visit is
    // priced at 3 stars there, at the 2 stars October was billed with at the hub: a price difference.
    hub.hub.poke();
    await waitFor(() => contextOf(a.t.station).site?.stars === 3, 'station A to learn its new star level');
    const room = unwrap(await a.t.api.addConsumption({ visitId: lastA.visitId, serviceCode: 'meeting_room', quantity: 30 }));
    expect(room.netCents).toBe(1650); // 30 min at (1,500 + 3 × 500) × 1.1 an hour
    const c = stations[SITE_C]!;
    c.t.clock.set('2026-11-05T10:00:00.000Z');
    const meeting = naive.find((l) => l.siteId === SITE_C && l.serviceCode === 'meeting_room' && l.memberId === M.payg)!;
    unwrap(await c.t.api.voidConsumption({ consumptionId: meeting.consumptionId, reason: 'room was not used' }));
    await syncAll(stations, '2026-11-05T11:00:00.000Z');
    hubNow = Date.parse('2026-11-05T12:00:00.000Z');

    expect(JSON.stringify(await accounts().statements('2026-10'))).toBe(before);
    const november = await accounts().statements('2026-11');
    const acme = november.find((s) => s.payerId === 'acme')!;
    const printAdj = acme.lines.filter((l) => l.kind === 'adjustment' && l.adjustsPeriod === '2026-10');
    expect(printAdj.map((l) => [l.serviceCode, l.quantity, l.netCents]).sort()).toEqual([['meeting_room', 30, 1375], ['print', 40, added.netCents]]);
    // No adjustment from the reference edits: none for the pass holder, none moving the roaming
    // member's October from their own statement to Acme's.
    for (const payer of ['self-pass', 'self-roam', 'self-network', 'self-recruit'])
      expect(november.find((st) => st.payerId === payer)?.lines.filter((l) => l.kind === 'adjustment') ?? []).toEqual([]);
    expect(november.find((st) => st.payerId === 'self-pass')!.lines.find((l) => l.kind === 'pass_fee')!.netCents).toBe(27_000);
    const payg = november.find((s) => s.payerId === 'self-payg')!;
    const voidAdj = payg.lines.filter((l) => l.kind === 'adjustment');
    expect(voidAdj.reduce((n, l) => n + l.netCents, 0)).toBe(-meeting.net);
    expect(voidAdj.every((l) => l.description.startsWith('Régularisation 2026-10'))).toBe(true);
    // The adjustments count in November's settlement, at the sites they belong to.
    const s = await accounts().settlement('2026-11');
    // The late line priced differently is listed with the adjustments it brings, once.
    expect(s.cases.priceDifferences.filter((d) => d.consumptionId === room.id).map((d) => [d.station.netCents, d.hub.netCents])).toEqual([[1650, 1375]]);
    expect(s.network.billedNetCents).toBe(november.reduce((n, st) => n + st.totals.netCents, 0));
    expect(s.sites.reduce((n, x) => n + x.payoutCents, 0) + s.network.retainedCents).toBe(s.network.billedNetCents);

    // Not before November is over plus its grace period, whatever the stations say.
    expect(await accounts().closePeriod('2026-11')).toMatchObject({ closed: false, reason: expect.stringMatching(/cannot close before/) });
    // Months close in order: December cannot close while November is open.
    hubNow = Date.parse('2027-01-05T12:00:00.000Z');
    expect(await accounts().closePeriod('2026-12')).toMatchObject({ closed: false, reason: '2026-11 is still open: close it first (months close in order)' });
    // Once November closes with them, they are not billed a second time in December.
    hubNow = Date.parse('2026-12-04T12:00:00.000Z');
    await syncAll(stations, '2026-12-04T08:00:00.000Z');
    await waitForWatermarks(hub, '2026-12-04T08:00:00.000Z');
    expect((await accounts().closePeriod('2026-11')).closed).toBe(true);
    const december = await accounts().statements('2026-12');
    expect((await accounts().settlement('2026-12')).cases.priceDifferences.some((d) => d.consumptionId === room.id)).toBe(false);
    expect(december.flatMap((st) => st.lines).filter((l) => l.kind === 'adjustment')).toEqual([]);
  });
});
