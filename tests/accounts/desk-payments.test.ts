// The desks' money at the hub (issue 16): two real stations take guests' payments in October 2026
// while the hub is out of reach (tests/support/desk-network.ts: cash with change over two VAT rates,
// a card payment partly refunded, visits invoiced to a company the network bills and to one it does
// not know yet, an invoice withdrawn, tills closed short and over), then sync to a real hub on
// 127.0.0.1. The settlement (what each desk collected, netted against the payout), the companies'
// statements and the evaluation's tills are checked cent for cent against the independent recount
// (naive-accounts.ts). Then October closes; a payment of October arrives late, Acme's invoice is
// withdrawn and a cash refund is given in November: November carries them, October stays as it was.
// The late payment is appended as the station's outbox appends any event: the station's own API
// stamps a payment with its clock, and this one must say October while reaching the hub in November.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../common/ids.js';
import { invoicedCompanyPayerId } from '../../common/payments.js';
import { settlementSchema, statementSchema, type Settlement, type Statement } from '../../common/accounts/reports.js';
import { createAccounts } from '../../server/accounts/index.js';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { formatMoney } from '../../common/money.js';
import { evaluationCsv, settlementCsv, SETTLEMENT_CSV_COLUMNS } from '../../server/accounts/render/csv.js';
import { evaluationPdf, settlementPdf } from '../../server/accounts/render/pdf.js';
import type { StoredEvent } from '../../server/store/store.js';
import { SITE_A, SITE_B, brussels, waitForWatermarks } from '../support/accounts-network.js';
import { ACME_VAT, BRASSERIE, BRASSERIE_VAT, openDay, openDeskNetwork, type DeskNetwork } from '../support/desk-network.js';
import { stopTestHubStores } from '../support/hub-fixture.js';
import { unwrap } from '../support/ledger.js';
import { naiveDesk, naiveLines, naivePayerTotals, type NaiveDesk } from './naive-accounts.js';

let net: DeskNetwork;
let hubNow = Date.parse('2026-11-04T12:00:00.000Z');
const accounts = () => createAccounts(net.hub.store, { now: () => hubNow, graceDays: 3, networkFeeBp: 2000, commissionBp: 500 });
const allEvents = (): Promise<StoredEvent[]> => net.hub.store.listEvents({ limit: 1_000_000 });
const halfUp = (a: number, b: number) => Math.floor((2 * a + b) / (2 * b));
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/** A PDF written under test-output/pdf/ and its text as pdftotext reads it. */
async function pdfText(name: string, pdf: Promise<Buffer>): Promise<string> {
  const dir = path.resolve('test-output/pdf');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, await pdf);
  return plain(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));
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

beforeAll(async () => {
  net = await openDeskNetwork({ now: () => hubNow });
}, 120_000);

afterAll(async () => {
  await net?.close();
  await stopTestHubStores();
});

describe('the desks at the hub', () => {
  let october: NaiveDesk;
  let octoberStatements: Statement[];

  it("counts each desk's cash and card (less refunds) as the center's revenue, netted against its payout, to the cent of the recount", async () => {
    const events = await allEvents();
    october = naiveDesk(events, naiveLines(events, net.ref));
    const s = settlementSchema.parse(await accounts().settlement('2026-10'));
    for (const siteId of [SITE_A, SITE_B]) expect(s.sites.find((x) => x.siteId === siteId)).toMatchObject(expectedSite(october, siteId, '2026-10'));
    // Every cent paid is net or VAT of some rate: cash + card − the card refund at A.
    const a = s.sites.find((x) => x.siteId === SITE_A)!;
    expect(a.deskNetCents + a.deskVatCents).toBe(net.story.cash!.due + net.story.card!.due - 300);
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
    // And the PDF, in French.
    const text = await pdfText('settlement-desks-fr', settlementPdf(s, 'fr'));
    expect(text).toMatch(/Encaissé au\s/);
    expect(text).toMatch(new RegExp(`Bruxelles A.*${plain(formatMoney(a.deskNetCents, 'fr'))}.*${plain(formatMoney(a.payoutCents, 'fr'))}`));
    expect(text).toMatch(new RegExp(`Encaissé aux comptoirs des centres \\(HTVA\\)\\s+${plain(formatMoney(s.network.deskNetCents, 'fr'))}`));
  });

  it("bills visits invoiced to a company on that company's statement — the payer with its VAT number, or one made for it — and not a withdrawn invoice", async () => {
    for (const st of octoberStatements) statementSchema.parse(st);
    // Every payer's total: its pass months and packages, plus the visits invoiced to its VAT number.
    const events = await allEvents();
    const expected = naivePayerTotals(naiveLines(events, net.ref), net.ref, '2026-10');
    for (const [key, list] of october.invoiced) {
      const [vat, period] = key.split('|') as [string, string];
      if (period !== '2026-10') continue;
      const payerId = net.ref.payers.find((p) => p.vatNumber === vat)?.id ?? invoicedCompanyPayerId(vat);
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
    expect(usage.reduce((n, l) => n + l.grossCents, 0)).toBe(net.story.acme!.due);
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
    expect(brasserie.totals.grossCents).toBe(net.story.brasserie!.due);
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
    const text = await pdfText('evaluation-desks-nl', evaluationPdf(a, 'nl'));
    expect(text).toMatch(/Kassa's met een verschil\s+1/);
    expect(text).toMatch(/Kastekorten\s+€ 2,00/);
  });

  it('carries a late payment, a withdrawn invoice and a refund after the close into November; October stays as it was', async () => {
    for (const siteId of [SITE_A, SITE_B]) await net.sync(siteId, '2026-11-04T08:00:00.000Z');
    await waitForWatermarks(net.hub, '2026-11-04T08:00:00.000Z', [SITE_A, SITE_B]);
    expect(await accounts().closePeriod('2026-10')).toMatchObject({ closed: true });
    const closedStatements = JSON.stringify(await accounts().statements('2026-10'));
    const closedSettlement = JSON.stringify(await accounts().settlement('2026-10'));
    const atClose = await allEvents();
    const before = naiveDesk(atClose, naiveLines(atClose, net.ref));

    // Thursday 5 November at A: the payment of 30 October reaches the hub only now (written that
    // day on a desk the hub did not hear from), Acme's invoice is withdrawn, and part of the cash
    // payment of 14 October is given back.
    const a = net.stations[SITE_A]!;
    const shiftId = await openDay(a, SITE_A, '2026-11-05', 10_000);
    a.clock.set('2026-11-05T09:00:00.000Z');
    net.append(a, 'payment.recorded', { paymentId: newId(), visitId: net.story.late!.visitId, method: 'card', amountCents: net.story.late!.due, at: brussels('2026-10-30', '12:05') });
    expect(unwrap(await a.api.refundPayment({ paymentId: net.story.acme!.paymentId!, reason: 'Facture adressée par erreur', shiftId })).method).toBe('invoice');
    a.clock.set('2026-11-05T09:30:00.000Z');
    const refund = unwrap(await a.api.refundPayment({ paymentId: net.story.cash!.paymentId!, amountCents: 250, reason: 'Café renversé', shiftId }));
    expect(refund.refundedAt.slice(0, 7)).toBe('2026-11');
    await net.sync(SITE_A, '2026-11-05T11:00:00.000Z');
    hubNow = Date.parse('2026-11-05T12:00:00.000Z');

    expect(JSON.stringify(await accounts().statements('2026-10'))).toBe(closedStatements);
    expect(JSON.stringify(await accounts().settlement('2026-10'))).toBe(closedSettlement);
    const events = await allEvents();
    const now = naiveDesk(events, naiveLines(events, net.ref));
    const s = await accounts().settlement('2026-11');
    const november = await accounts().statements('2026-11');
    expect(s.sites.find((x) => x.siteId === SITE_A)).toMatchObject(expectedSite(now, SITE_A, '2026-11', { before, of: '2026-10' }));
    expect(s.sites.find((x) => x.siteId === SITE_A)!.deskNetCents).toBeGreaterThan(0);
    expect(s.sites.find((x) => x.siteId === SITE_B)).toBeUndefined();
    // Acme's November statement takes October's invoice off, naming October.
    const acme = november.find((st) => st.payerId === 'acme')!;
    expect(acme.lines.every((l) => l.kind === 'adjustment' && l.adjustsPeriod === '2026-10')).toBe(true);
    expect(acme.totals.grossCents).toBe(-net.story.acme!.due);
    expect(acme.totals.netCents).toBe(-before.invoiced.get(`${ACME_VAT}|2026-10`)![0]!.net);
    expect(november.some((st) => st.payerId === invoicedCompanyPayerId(BRASSERIE_VAT))).toBe(false);
    expectNetworkAddsUp(s, november);
    // The tills of October are still October's.
    expect((await accounts().evaluation(SITE_A, '2026-10', '2026-10')).tills).toEqual({ closed: 2, withDifference: 1, shortfallCents: 200, surplusCents: 0 });
  });
});
