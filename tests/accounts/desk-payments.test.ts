// The desks' money at the hub (issue 16): two real stations take guests' payments in October 2026
// while the hub is out of reach — cash with change over two VAT rates, a card payment partly
// refunded, visits invoiced to a company the network bills (Acme) and to one it does not know yet,
// an invoice withdrawn, tills closed short and over — then sync to a real hub on 127.0.0.1. The
// settlement (what each desk collected, netted against the payout), the companies' statements and
// the evaluation's tills are checked cent for cent against the independent recount
// (naive-accounts.ts). Then October closes; a payment of October arrives late, Acme's invoice is
// withdrawn and a cash refund is given in November: November carries them, October stays as it was.
// Invoice payments and tills are appended as the station's outbox appends any event (their station
// methods are being built on another branch).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../common/ids.js';
import { invoicedCompanyPayerId } from '../../common/payments.js';
import { settlementSchema, statementSchema, type Settlement, type Statement } from '../../common/accounts/reports.js';
import { contextOf } from '../../main/station/context.js';
import { appendEvent } from '../../main/station/outbox/outbox.js';
import { createAccounts } from '../../server/accounts/index.js';
import { evaluationCsv, settlementCsv, SETTLEMENT_CSV_COLUMNS } from '../../server/accounts/render/csv.js';
import { importReference } from '../../server/hub/reference-admin.js';
import type { StoredEvent } from '../../server/store/store.js';
import { SITE_A, SITE_B, accountsReference, brussels, waitForWatermarks } from '../support/accounts-network.js';
import { openSiteStation, startSync, startTestHub, stopTestHubStores, type TestHub } from '../support/hub-fixture.js';
import { unwrap } from '../support/ledger.js';
import type { TestStation } from '../support/station-fixture.js';
import { naiveDesk, naiveLines, naivePayerTotals, type NaiveDesk } from './naive-accounts.js';

const ref = accountsReference();
const ACME_VAT = 'BE0123456749';
/** A company no payer of the reference data is: the accounts make one for it. */
const BRASSERIE = { name: 'Brasserie du Parc SRL', vatNumber: 'BE 0453.834.195' };
const BRASSERIE_VAT = 'BE0453834195';

let hub: TestHub;
let hubNow = Date.parse('2026-11-04T12:00:00.000Z');
const stations: Record<string, { t: TestStation; credential: string }> = {};
const accounts = () => createAccounts(hub.store, { now: () => hubNow, graceDays: 3, networkFeeBp: 2000, commissionBp: 500 });
const allEvents = (): Promise<StoredEvent[]> => hub.store.listEvents({ limit: 1_000_000 });
const halfUp = (a: number, b: number) => Math.floor((2 * a + b) / (2 * b));

/** Syncs a station with a client of its own, started and stopped: between two syncs the hub is out of its reach. */
async function sync(siteId: string, at: string): Promise<void> {
  const s = stations[siteId]!;
  s.t.clock.set(at);
  const client = startSync(s.t.station, { url: hub.url, credential: s.credential }, { heartbeatMs: 0 });
  try {
    if (!(await client.drained(30_000))) throw new Error(`station ${siteId} did not drain`);
  } finally {
    await client.stop();
  }
}

/** A walk-in guest's visit at a station, checked out: its visit id and what is due. */
async function guestVisit(t: TestStation, name: string, date: string, from: string, until: string, extras: [string, number][] = []): Promise<{ visitId: string; due: number }> {
  t.clock.set(brussels(date, from));
  const v = unwrap(await t.api.registerGuest({ firstName: name, lastName: 'Passant', consent: true, retentionUntil: '2026-12-31' }));
  for (const [serviceCode, quantity] of extras) unwrap(await t.api.addConsumption({ visitId: v.visitId, serviceCode, quantity }));
  t.clock.set(brussels(date, until));
  return { visitId: v.visitId, due: unwrap(await t.api.checkOut({ visitId: v.visitId })).totals.grossCents };
}

const append = <T extends Parameters<typeof appendEvent>[1]>(t: TestStation, type: T, payload: Parameters<typeof appendEvent<T>>[2]) => appendEvent(contextOf(t.station), type, payload, t.clock.now());

function closeTill(t: TestStation, staffId: string, date: string, floatCents: number, cashReceivedCents: number, differenceCents: number, reason?: string): void {
  const tillId = newId();
  const shiftId = newId();
  t.clock.set(brussels(date, '08:00'));
  append(t, 'till.opened', { tillId, shiftId, staffId, floatCents, at: new Date(t.clock.now()).toISOString() });
  t.clock.set(brussels(date, '18:30'));
  const expectedCents = floatCents + cashReceivedCents;
  append(t, 'till.closed', {
    tillId, shiftId, staffId, floatCents, cashReceivedCents, cashRefundsCents: 0, cardReceivedCents: 0, cardRefundsCents: 0, invoicedCents: 0, expectedCents,
    countedCents: expectedCents + differenceCents, differenceCents, ...(reason ? { reason } : {}), payments: 1, refunds: 0, openedAt: brussels(date, '08:00'), at: new Date(t.clock.now()).toISOString(),
  });
}

/** What the recount says each site's settlement line is, from what its desk collected and the companies invoiced there. */
function expectedSite(desk: NaiveDesk, siteId: string, period: string, adjustment?: { before: NaiveDesk; of: string }) {
  const collected = (d: NaiveDesk, p: string) => d.collected.get(`${siteId}|${p}`) ?? { net: 0, vat: 0, gross: 0 };
  const invoicedNet = (d: NaiveDesk, p: string) => [...d.invoiced].filter(([k]) => k.endsWith(`|${p}`)).flatMap(([, list]) => list).filter((x) => x.siteId === siteId).reduce((n, x) => n + x.net, 0);
  let deskNet = collected(desk, period).net;
  let deskVat = collected(desk, period).vat;
  let payg = invoicedNet(desk, period);
  if (adjustment) {
    deskNet += collected(desk, adjustment.of).net - collected(adjustment.before, adjustment.of).net;
    deskVat += collected(desk, adjustment.of).vat - collected(adjustment.before, adjustment.of).vat;
    payg += invoicedNet(desk, adjustment.of) - invoicedNet(adjustment.before, adjustment.of);
  }
  const gross = payg + deskNet;
  const sign = gross < 0 ? -1 : 1;
  const fee = sign * halfUp(Math.abs(gross) * 2000, 10_000);
  // A is the agent of the network pass holder (reference data): 5 % of a month of that pass.
  const commission = siteId === SITE_A ? halfUp(40_000 * 500, 10_000) : 0;
  return {
    paygNetCents: payg, deskNetCents: deskNet, deskVatCents: deskVat, grossDueCents: gross, networkFeeCents: fee, dueCents: gross - fee, commissionCents: commission,
    payoutCents: gross - fee - deskNet + commission,
  };
}

function expectNetworkAddsUp(s: Settlement, statements: readonly Statement[]): void {
  const billed = statements.reduce((n, st) => n + st.totals.netCents, 0);
  const sum = (f: (x: Settlement['sites'][number]) => number) => s.sites.reduce((n, x) => n + f(x), 0);
  expect(s.network.billedNetCents).toBe(billed);
  expect(s.network.deskNetCents).toBe(sum((x) => x.deskNetCents));
  expect(sum((x) => x.payoutCents) + s.network.retainedCents).toBe(billed);
  expect(sum((x) => x.dueCents) + sum((x) => x.networkFeeCents) + s.network.undistributedCents).toBe(billed + s.network.deskNetCents);
  expect(s.network.retainedCents).toBe(s.network.feesCents + s.network.undistributedCents - s.network.commissionsCents);
}

const story: Record<string, { visitId: string; due: number; paymentId?: string }> = {};

beforeAll(async () => {
  hub = await startTestHub({ reference: false, now: () => hubNow });
  await importReference(hub.store, ref, '2026-09-01T00:00:00.000Z');
  for (const siteId of [SITE_A, SITE_B]) {
    stations[siteId] = { t: openSiteStation(siteId, { now: '2026-09-30T06:00:00.000Z' }), credential: (await hub.enroll(siteId)).credential };
    await sync(siteId, '2026-09-30T06:00:00.000Z');
  }
  const a = stations[SITE_A]!.t;
  const b = stations[SITE_B]!.t;
  // Wednesday 14 October at A, the hub out of reach.
  story.cash = await guestVisit(a, 'Cash', '2026-10-14', '09:00', '11:10', [['coffee', 3]]);
  const cash = unwrap(await a.api.recordPayment({ visitId: story.cash.visitId, method: 'cash', tenderedCents: story.cash.due + 1_000 - (story.cash.due % 500) }));
  expect(cash.changeCents).toBeGreaterThan(0);
  story.cash.paymentId = cash.paymentId;
  story.card = await guestVisit(a, 'Card', '2026-10-14', '09:30', '12:00');
  const card = unwrap(await a.api.recordPayment({ visitId: story.card.visitId, method: 'card', approved: true, reference: 'AUTH 7731' }));
  unwrap(await a.api.refundPayment({ paymentId: card.paymentId, amountCents: 300, reason: 'Coupure de courant, poste inutilisable une demi-heure' }));
  story.acme = await guestVisit(a, 'Acme', '2026-10-14', '13:00', '15:00', [['print', 20]]);
  story.acme.paymentId = (append(a, 'payment.recorded', { paymentId: newId(), visitId: story.acme.visitId, method: 'invoice', amountCents: story.acme.due, company: { name: 'Acme', vatNumber: 'BE 0123.456.749' }, at: new Date(a.clock.now()).toISOString() }).payload as { paymentId: string }).paymentId;
  story.brasserie = await guestVisit(a, 'Brasserie', '2026-10-14', '13:30', '16:00', [['coffee', 1]]);
  append(a, 'payment.recorded', { paymentId: newId(), visitId: story.brasserie.visitId, method: 'invoice', amountCents: story.brasserie.due, company: BRASSERIE, at: new Date(a.clock.now()).toISOString() });
  story.withdrawn = await guestVisit(a, 'Retiré', '2026-10-14', '14:00', '16:30');
  const withdrawn = append(a, 'payment.recorded', { paymentId: newId(), visitId: story.withdrawn.visitId, method: 'invoice', amountCents: story.withdrawn.due, company: BRASSERIE, at: new Date(a.clock.now()).toISOString() });
  a.clock.advance(10 * 60_000);
  append(a, 'payment.refunded', {
    refundId: newId(), paymentId: (withdrawn.payload as { paymentId: string }).paymentId, visitId: story.withdrawn.visitId, method: 'invoice', amountCents: story.withdrawn.due, reason: 'Le client paie lui-même', at: new Date(a.clock.now()).toISOString(),
  });
  closeTill(a, `clerk-${SITE_A}`, '2026-10-14', 10_000, story.cash.due, -200, 'Monnaie mal rendue');
  // Friday 30 October at A: a visit left unpaid (paid late, below), and a till that balances.
  story.late = await guestVisit(a, 'Tardif', '2026-10-30', '10:00', '12:00');
  closeTill(a, `clerk-${SITE_A}`, '2026-10-30', 10_000, 0, 0);
  // Thursday 15 October at B.
  story.gent = await guestVisit(b, 'Gent', '2026-10-15', '09:00', '17:45', [['coffee', 2]]);
  unwrap(await b.api.recordPayment({ visitId: story.gent.visitId, method: 'cash', tenderedCents: story.gent.due + 50 }));
  closeTill(b, `clerk-${SITE_B}`, '2026-10-15', 5_000, story.gent.due, 50, 'Pourboire laissé dans la caisse');
  // The hub within reach again.
  for (const siteId of [SITE_A, SITE_B]) await sync(siteId, '2026-11-02T07:00:00.000Z');
}, 120_000);

afterAll(async () => {
  for (const s of Object.values(stations)) s.t.close();
  await hub?.close();
  await stopTestHubStores();
});

describe('the desks at the hub', () => {
  let october: NaiveDesk;
  let octoberStatements: Statement[];

  it("counts each desk's cash and card (less refunds) as the center's revenue, netted against its payout, to the cent of the recount", async () => {
    const events = await allEvents();
    october = naiveDesk(events, naiveLines(events, ref));
    const s = settlementSchema.parse(await accounts().settlement('2026-10'));
    for (const siteId of [SITE_A, SITE_B]) expect(s.sites.find((x) => x.siteId === siteId)).toMatchObject(expectedSite(october, siteId, '2026-10'));
    // Every cent paid is net or VAT of some rate: cash + card − the card refund at A.
    const a = s.sites.find((x) => x.siteId === SITE_A)!;
    expect(a.deskNetCents + a.deskVatCents).toBe(story.cash!.due + story.card!.due - 300);
    // The coffees are at 6 %: the cash payment is split over two rates, not all at 21 %.
    expect(a.deskVatCents).toBeLessThan(Math.round(((a.deskNetCents + a.deskVatCents) * 21) / 121));
    // The desk holds the money: its payout is what it is due less what it collected.
    expect(a.payoutCents).toBe(a.dueCents - a.deskNetCents + a.commissionCents);
    // B took only cash: the network pays it nothing, and it owes the network its fee.
    const b = s.sites.find((x) => x.siteId === SITE_B)!;
    expect(b.payoutCents).toBe(-b.networkFeeCents);
    octoberStatements = await accounts().statements('2026-10');
    expectNetworkAddsUp(s, octoberStatements);
    expect(s.network.deskNetCents).toBe(october.collected.get(`${SITE_A}|2026-10`)!.net + october.collected.get(`${SITE_B}|2026-10`)!.net);
    // The CSV says the same.
    const row = settlementCsv(s).trim().split('\r\n').map((r) => r.split(',')).find((r) => r[2] === SITE_A)!;
    expect(row[SETTLEMENT_CSV_COLUMNS.indexOf('desk_net_eur')]).toBe((a.deskNetCents / 100).toFixed(2));
  });

  it("bills visits invoiced to a company on that company's statement — the payer with its VAT number, or one made for it — and not a withdrawn invoice", async () => {
    for (const st of octoberStatements) statementSchema.parse(st);
    // Every payer's total: its pass months and packages, plus the visits invoiced to its VAT number.
    const events = await allEvents();
    const expected = naivePayerTotals(naiveLines(events, ref), ref, '2026-10');
    for (const [key, list] of october.invoiced) {
      const [vat, period] = key.split('|') as [string, string];
      if (period !== '2026-10') continue;
      const payerId = ref.payers.find((p) => p.vatNumber === vat)?.id ?? invoicedCompanyPayerId(vat);
      const t = expected.get(payerId) ?? { net: 0, vat: 0 };
      for (const x of list) {
        t.net += x.net;
        t.vat += x.vat;
      }
      expected.set(payerId, t);
    }
    expect(new Set(octoberStatements.map((st) => st.payerId))).toEqual(new Set(expected.keys()));
    for (const st of octoberStatements) expect([st.payerId, st.totals.netCents, st.totals.vatCents]).toEqual([st.payerId, expected.get(st.payerId)!.net, expected.get(st.payerId)!.vat]);
    const acme = octoberStatements.find((st) => st.payerId === 'acme')!;
    const usage = acme.lines.filter((l) => l.kind === 'usage');
    expect(usage.reduce((n, l) => n + l.grossCents, 0)).toBe(story.acme!.due);
    // Like a member's pay-as-you-go: site, service, quantity, unit price and VAT rate.
    expect(usage.map((l) => [l.kind, l.siteId, l.serviceCode, l.coverage]).sort()).toEqual([
      ['usage', SITE_A, 'desk_hour', 'payg'],
      ['usage', SITE_A, 'print', 'payg'],
    ]);
    expect(acme.lines.find((l) => l.serviceCode === 'print')).toMatchObject({ quantity: 20, unitPriceCents: 10, vatRateBp: 2100, netCents: 200 });
    const madeId = invoicedCompanyPayerId(BRASSERIE_VAT);
    const brasserie = octoberStatements.find((st) => st.payerId === madeId)!;
    expect(brasserie).toMatchObject({ payerName: BRASSERIE.name, payerVatNumber: BRASSERIE_VAT, language: 'fr' });
    // The withdrawn invoice is not on it: only the visit still invoiced.
    expect(october.invoiced.get(`${BRASSERIE_VAT}|2026-10`)).toHaveLength(1);
    expect(brasserie.totals.netCents).toBe(october.invoiced.get(`${BRASSERIE_VAT}|2026-10`)![0]!.net);
    expect(brasserie.totals.grossCents).toBe(story.brasserie!.due);
    expect(brasserie.lines.map((l) => l.serviceCode).sort()).toEqual(['coffee', 'desk_hour']);
    // Asked for by id, as any payer.
    expect((await accounts().statements('2026-10', madeId)).map((st) => st.totals)).toEqual([brasserie.totals]);
  });

  it("shows each site's tills in its evaluation: how many closed, how many with a difference, shortfalls and surpluses apart", async () => {
    const a = await accounts().evaluation(SITE_A, '2026-10', '2026-11');
    const tillsA = october.tills.get(`${SITE_A}|2026-10`)!;
    expect(a.tills).toEqual({ closed: tillsA.closed, withDifference: tillsA.withDifference, shortfallCents: tillsA.shortfall, surplusCents: tillsA.surplus });
    expect(a.tills).toEqual({ closed: 2, withDifference: 1, shortfallCents: 200, surplusCents: 0 });
    expect(a.months.map((m) => [m.period, m.tills])).toEqual([
      ['2026-10', a.tills],
      ['2026-11', { closed: 0, withDifference: 0, shortfallCents: 0, surplusCents: 0 }],
    ]);
    const b = await accounts().evaluation(SITE_B, '2026-10', '2026-10');
    expect(b.tills).toEqual({ closed: 1, withDifference: 1, shortfallCents: 0, surplusCents: 50 });
    expect(evaluationCsv(a).split('\r\n')[1]!.split(',').slice(-4)).toEqual(['2', '1', '2.00', '0.00']);
  });

  it('carries a late payment, a withdrawn invoice and a refund after the close into November; October stays as it was', async () => {
    for (const siteId of [SITE_A, SITE_B]) await sync(siteId, '2026-11-04T08:00:00.000Z');
    await waitForWatermarks(hub, '2026-11-04T08:00:00.000Z', [SITE_A, SITE_B]);
    expect(await accounts().closePeriod('2026-10')).toMatchObject({ closed: true });
    const closedStatements = JSON.stringify(await accounts().statements('2026-10'));
    const closedSettlement = JSON.stringify(await accounts().settlement('2026-10'));
    const atClose = await allEvents();
    const before = naiveDesk(atClose, naiveLines(atClose, ref));

    // Thursday 5 November at A: the payment of 30 October reaches the hub only now (written that
    // day on a desk the hub did not hear from), Acme's invoice is withdrawn, and part of the cash
    // payment of 14 October is given back.
    const a = stations[SITE_A]!.t;
    a.clock.set('2026-11-05T09:00:00.000Z');
    append(a, 'payment.recorded', { paymentId: newId(), visitId: story.late!.visitId, method: 'card', amountCents: story.late!.due, at: brussels('2026-10-30', '12:05') });
    append(a, 'payment.refunded', {
      refundId: newId(), paymentId: story.acme!.paymentId!, visitId: story.acme!.visitId, method: 'invoice', amountCents: story.acme!.due, reason: 'Facture adressée par erreur', at: new Date(a.clock.now()).toISOString(),
    });
    a.clock.set('2026-11-05T09:30:00.000Z');
    const refund = unwrap(await a.api.refundPayment({ paymentId: story.cash!.paymentId!, amountCents: 250, reason: 'Café renversé' }));
    expect(refund.refundedAt.slice(0, 7)).toBe('2026-11');
    await sync(SITE_A, '2026-11-05T11:00:00.000Z');
    hubNow = Date.parse('2026-11-05T12:00:00.000Z');

    expect(JSON.stringify(await accounts().statements('2026-10'))).toBe(closedStatements);
    expect(JSON.stringify(await accounts().settlement('2026-10'))).toBe(closedSettlement);
    const events = await allEvents();
    const now = naiveDesk(events, naiveLines(events, ref));
    const s = await accounts().settlement('2026-11');
    const november = await accounts().statements('2026-11');
    expect(s.sites.find((x) => x.siteId === SITE_A)).toMatchObject(expectedSite(now, SITE_A, '2026-11', { before, of: '2026-10' }));
    expect(s.sites.find((x) => x.siteId === SITE_A)!.deskNetCents).toBeGreaterThan(0);
    expect(s.sites.find((x) => x.siteId === SITE_B)).toBeUndefined();
    // Acme's November statement takes October's invoice off, naming October.
    const acme = november.find((st) => st.payerId === 'acme')!;
    expect(acme.lines.every((l) => l.kind === 'adjustment' && l.adjustsPeriod === '2026-10')).toBe(true);
    expect(acme.totals.grossCents).toBe(-story.acme!.due);
    expect(acme.totals.netCents).toBe(-before.invoiced.get(`${ACME_VAT}|2026-10`)![0]!.net);
    expect(november.some((st) => st.payerId === invoicedCompanyPayerId(BRASSERIE_VAT))).toBe(false);
    expectNetworkAddsUp(s, november);
    // The tills of October are still October's.
    expect((await accounts().evaluation(SITE_A, '2026-10', '2026-10')).tills).toEqual({ closed: 2, withDifference: 1, shortfallCents: 200, surplusCents: 0 });
  });
});
