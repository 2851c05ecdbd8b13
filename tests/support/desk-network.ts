// The desks' October 2026 for the hub's tests of issue 16 (tests/accounts/desk-payments.test.ts,
// tests/ui/admin-desk.test.ts): the accounts' network (accounts-network.ts) with two real stations,
// A and B, taking walk-in guests' payments while the hub is out of their reach — cash with change
// over two VAT rates, a card payment partly refunded, visits invoiced to a payer of the network
// (Acme) and to a company it does not know, an invoice withdrawn, a visit left unpaid, tills closed
// short (A, 2,00 €), balanced (A) and over (B) — then synced to a real hub on 127.0.0.1. Invoice
// payments and tills are appended as the station's outbox appends any event (their station methods
// are built on another branch).
import { expect } from 'vitest';
import { newId } from '../../common/ids.js';
import type { ReferenceDataInput } from '../../common/reference-data.js';
import { contextOf } from '../../main/station/context.js';
import { appendEvent } from '../../main/station/outbox/outbox.js';
import type { Accounts } from '../../server/accounts/accounts.js';
import { importReference } from '../../server/hub/reference-admin.js';
import type { HubStore } from '../../server/store/store.js';
import { SITE_A, SITE_B, accountsReference, brussels } from './accounts-network.js';
import { openSiteStation, startSync, startTestHub, type TestHub } from './hub-fixture.js';
import { unwrap } from './ledger.js';
import type { TestStation } from './station-fixture.js';

/** A company no payer of the reference data is: the accounts make one for it. */
export const BRASSERIE = { name: 'Brasserie du Parc SRL', vatNumber: 'BE 0453.834.195' };
export const BRASSERIE_VAT = 'BE0453834195';
export const ACME_VAT = 'BE0123456749';

export interface DeskVisit {
  visitId: string;
  due: number;
  paymentId?: string;
}

export interface DeskNetwork {
  hub: TestHub;
  ref: ReferenceDataInput;
  stations: Record<string, TestStation>;
  /** The story's visits by name: cash, card, acme, brasserie, withdrawn, late (A, unpaid), gent (B). */
  story: Record<string, DeskVisit>;
  /** Syncs a site's station at `at` with a client of its own, started and stopped: between two syncs the hub is out of its reach. */
  sync(siteId: string, at: string): Promise<void>;
  /** Appends an event to a station's outbox as the station does, at its clock. */
  append<T extends Parameters<typeof appendEvent>[1]>(t: TestStation, type: T, payload: Parameters<typeof appendEvent<T>>[2]): ReturnType<typeof appendEvent>;
  close(): Promise<void>;
}

/** A walk-in guest's visit at a station, checked out: its visit id and what is due. */
async function guestVisit(t: TestStation, name: string, date: string, from: string, until: string, extras: [string, number][] = []): Promise<DeskVisit> {
  t.clock.set(brussels(date, from));
  const v = unwrap(await t.api.registerGuest({ firstName: name, lastName: 'Passant', consent: true, retentionUntil: '2026-12-31' }));
  for (const [serviceCode, quantity] of extras) unwrap(await t.api.addConsumption({ visitId: v.visitId, serviceCode, quantity }));
  t.clock.set(brussels(date, until));
  return { visitId: v.visitId, due: unwrap(await t.api.checkOut({ visitId: v.visitId })).totals.grossCents };
}

export async function openDeskNetwork(options: { now: () => number; accounts?: (store: HubStore) => Accounts }): Promise<DeskNetwork> {
  const ref = accountsReference();
  const hub = await startTestHub({ reference: false, now: options.now, ...(options.accounts ? { accounts: options.accounts } : {}) });
  const stations: Record<string, TestStation> = {};
  const credentials: Record<string, string> = {};
  const close = async () => {
    for (const t of Object.values(stations)) t.close();
    await hub.close();
  };
  const sync = async (siteId: string, at: string) => {
    const t = stations[siteId]!;
    t.clock.set(at);
    const client = startSync(t.station, { url: hub.url, credential: credentials[siteId]! }, { heartbeatMs: 0 });
    try {
      if (!(await client.drained(30_000))) throw new Error(`station ${siteId} did not drain`);
    } finally {
      await client.stop();
    }
  };
  const append: DeskNetwork['append'] = (t, type, payload) => appendEvent(contextOf(t.station), type, payload, t.clock.now());
  const closeTill = (t: TestStation, staffId: string, date: string, floatCents: number, cashReceivedCents: number, differenceCents: number, reason?: string) => {
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
  };
  const story: Record<string, DeskVisit> = {};
  try {
    await importReference(hub.store, ref, '2026-09-01T00:00:00.000Z');
    for (const siteId of [SITE_A, SITE_B]) {
      stations[siteId] = openSiteStation(siteId, { now: '2026-09-30T06:00:00.000Z' });
      credentials[siteId] = (await hub.enroll(siteId)).credential;
      await sync(siteId, '2026-09-30T06:00:00.000Z');
    }
    const a = stations[SITE_A]!;
    const b = stations[SITE_B]!;
    const at = (t: TestStation) => new Date(t.clock.now()).toISOString();
    // Wednesday 14 October at A, the hub out of reach.
    story.cash = await guestVisit(a, 'Cash', '2026-10-14', '09:00', '11:10', [['coffee', 3]]);
    const cash = unwrap(await a.api.recordPayment({ visitId: story.cash.visitId, method: 'cash', tenderedCents: story.cash.due + 1_000 - (story.cash.due % 500) }));
    expect(cash.changeCents).toBeGreaterThan(0);
    story.cash.paymentId = cash.paymentId;
    story.card = await guestVisit(a, 'Card', '2026-10-14', '09:30', '12:00');
    const card = unwrap(await a.api.recordPayment({ visitId: story.card.visitId, method: 'card', approved: true, reference: 'AUTH 7731' }));
    story.card.paymentId = card.paymentId;
    unwrap(await a.api.refundPayment({ paymentId: card.paymentId, amountCents: 300, reason: 'Coupure de courant, poste inutilisable une demi-heure' }));
    story.acme = await guestVisit(a, 'Acme', '2026-10-14', '13:00', '15:00', [['print', 20]]);
    story.acme.paymentId = newId();
    append(a, 'payment.recorded', { paymentId: story.acme.paymentId, visitId: story.acme.visitId, method: 'invoice', amountCents: story.acme.due, company: { name: 'Acme', vatNumber: 'BE 0123.456.749' }, at: at(a) });
    story.brasserie = await guestVisit(a, 'Brasserie', '2026-10-14', '13:30', '16:00', [['coffee', 1]]);
    story.brasserie.paymentId = newId();
    append(a, 'payment.recorded', { paymentId: story.brasserie.paymentId, visitId: story.brasserie.visitId, method: 'invoice', amountCents: story.brasserie.due, company: BRASSERIE, at: at(a) });
    story.withdrawn = await guestVisit(a, 'Retiré', '2026-10-14', '14:00', '16:30');
    story.withdrawn.paymentId = newId();
    append(a, 'payment.recorded', { paymentId: story.withdrawn.paymentId, visitId: story.withdrawn.visitId, method: 'invoice', amountCents: story.withdrawn.due, company: BRASSERIE, at: at(a) });
    a.clock.advance(10 * 60_000);
    append(a, 'payment.refunded', {
      refundId: newId(), paymentId: story.withdrawn.paymentId, visitId: story.withdrawn.visitId, method: 'invoice', amountCents: story.withdrawn.due, reason: 'Le client paie lui-même', at: at(a),
    });
    closeTill(a, `clerk-${SITE_A}`, '2026-10-14', 10_000, story.cash.due, -200, 'Monnaie mal rendue');
    // Friday 30 October at A: a visit left unpaid, and a till that balances.
    story.late = await guestVisit(a, 'Tardif', '2026-10-30', '10:00', '12:00');
    closeTill(a, `clerk-${SITE_A}`, '2026-10-30', 10_000, 0, 0);
    // Thursday 15 October at B.
    story.gent = await guestVisit(b, 'Gent', '2026-10-15', '09:00', '17:45', [['coffee', 2]]);
    unwrap(await b.api.recordPayment({ visitId: story.gent.visitId, method: 'cash', tenderedCents: story.gent.due + 50 }));
    closeTill(b, `clerk-${SITE_B}`, '2026-10-15', 5_000, story.gent.due, 50, 'Pourboire laissé dans la caisse');
    // The hub within reach again.
    for (const siteId of [SITE_A, SITE_B]) await sync(siteId, '2026-11-02T07:00:00.000Z');
    return { hub, ref, stations, story, sync, append, close };
  } catch (e) {
    await close();
    throw e;
  }
}
