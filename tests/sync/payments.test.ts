// Payments and the site's legal profile across the sync (issue 16): a real hub on 127.0.0.1 and a
// real station. The station gets its centre's legal name, address and VAT number from the hub;
// payments and refunds recorded while it cannot reach the hub, and the till they went through, reach
// it later, each exactly once.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { contextOf, requireSite } from '../../main/station/context.js';
import { brussels, unwrap } from '../support/ledger.js';
import { openDeskTill } from '../support/till.js';
import { expectSameEvents, openSiteStation, outboxRows, startSync, startTestHub, stopTestHubStores, storedEvents } from '../support/hub-fixture.js';

const SITE = 'bxl-louise';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => stopTestHubStores());

describe('payments at the hub', () => {
  it('brings the legal profile down, and takes payments and refunds made offline up, each once', async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    const t = openSiteStation(SITE, { now: brussels('2026-11-24', '09:00') });
    cleanups.push(() => t.close());
    const { credential } = await hub.enroll(SITE);
    const online = startSync(t.station, { url: hub.url, credential });
    expect(await online.drained(20_000)).toBe(true);
    online.stop();
    expect(requireSite(contextOf(t.station))).toMatchObject({ legalName: 'Escale Louise SRL', address: { street: 'Avenue Louise 231', city: 'Ixelles' }, vatNumber: 'BE0712340185' });

    // Offline: a guest pays in cash, then part of it is refunded.
    unwrap(await t.api.configureDevice({ config: { id: 'desk', kind: 'printer', name: 'Desk printer', connection: { type: 'tcp', host: '127.0.0.1', port: 9 } } }));
    const v = unwrap(await t.api.registerGuest({ firstName: 'Lou', lastName: 'Passant', consent: true }));
    t.clock.set(brussels('2026-11-24', '11:00'));
    const due = unwrap(await t.api.checkOut({ visitId: v.visitId })).totals.grossCents;
    const { till, shift } = await openDeskTill(t.api);
    const paid = unwrap(await t.api.recordPayment({ visitId: v.visitId, method: 'cash', tenderedCents: due + 500 }));
    unwrap(await t.api.refundPayment({ paymentId: paid.paymentId, amountCents: 100, reason: 'Geste commercial' }));
    // The shift ends two euros short: the till closes with the count and its reason.
    const closed = unwrap(await t.api.closeTill({ countedCents: 10_000 + due - 100 - 200, reason: 'Deux euros rendus en trop', shiftId: shift.shiftId }));

    // Another guest's visit invoiced to their company.
    const w = unwrap(await t.api.registerGuest({ firstName: 'Zoë', lastName: 'Vermeulen', company: 'Brugse Data BV', consent: true }));
    t.clock.set(brussels('2026-11-24', '12:00'));
    unwrap(await t.api.checkOut({ visitId: w.visitId }));
    const invoiced = unwrap(await t.api.recordPayment({ visitId: w.visitId, method: 'invoice', company: { name: 'Brugse Data BV', vatNumber: 'BE0403536727' } }));

    const client = startSync(t.station, { url: hub.url, credential });
    cleanups.push(() => client.stop());
    expect(await client.drained(20_000)).toBe(true);
    const stored = await storedEvents(hub.store, SITE);
    expectSameEvents(stored, outboxRows(contextOf(t.station).db));
    expect(stored.filter((e) => e.type === 'payment.recorded').map((e) => e.payload)).toEqual([
      { paymentId: paid.paymentId, visitId: v.visitId, method: 'cash', amountCents: due, tenderedCents: due + 500, changeCents: 500, tillId: till.tillId, at: paid.paidAt },
      { paymentId: invoiced.paymentId, visitId: w.visitId, method: 'invoice', amountCents: invoiced.amountCents, company: { name: 'Brugse Data BV', vatNumber: 'BE0403536727' }, at: invoiced.paidAt },
    ]);
    expect(stored.filter((e) => e.type === 'payment.refunded').map((e) => e.payload)).toEqual([expect.objectContaining({ paymentId: paid.paymentId, amountCents: 100, reason: 'Geste commercial', tillId: till.tillId })]);
    // The till's opening and its close with the count reach the hub once each.
    expect(stored.filter((e) => e.type === 'till.opened').map((e) => e.payload)).toEqual([{ tillId: till.tillId, shiftId: shift.shiftId, staffId: 'joris', floatCents: 10_000, at: till.openedAt }]);
    expect(stored.filter((e) => e.type === 'till.closed').map((e) => e.payload)).toEqual([
      expect.objectContaining({ tillId: till.tillId, expectedCents: 10_000 + due - 100, countedCents: 10_000 + due - 300, differenceCents: -200, reason: 'Deux euros rendus en trop', closedBy: 'joris', at: closed.closedAt }),
    ]);
  });
});
