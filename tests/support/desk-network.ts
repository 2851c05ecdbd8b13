// The desks' October 2026 for the hub's tests of issue 16 (tests/accounts/desk-payments.test.ts,
// tests/ui/admin-desk.test.ts): the accounts' network (accounts-network.ts) with two real stations,
// A and B, whose clerks take walk-in guests' payments through the station's API while the hub is
// out of their reach — cash with change over two VAT rates, a card payment partly refunded, visits
// invoiced to a payer of the network (Acme) and to a company it does not know, an invoice
// withdrawn, a visit left unpaid, tills closed short (A, 2,00 €), balanced (A) and over (B) — then
// synced to a real hub on 127.0.0.1.
import { expect } from 'vitest';
import type { ReferenceDataInput } from '../../common/reference-data.js';
import { contextOf } from '../../main/station/context.js';
import { appendEvent } from '../../main/station/outbox/outbox.js';
import type { Accounts } from '../../server/accounts/accounts.js';
import { importReference } from '../../server/hub/reference-admin.js';
import type { HubStore } from '../../server/store/store.js';
import { SITE_A, SITE_B, STAFF_PIN, accountsReference, brussels } from './accounts-network.js';
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
async function guestVisit(t: TestStation, shiftId: string, name: string, date: string, from: string, until: string, extras: [string, number][] = []): Promise<DeskVisit> {
  t.clock.set(brussels(date, from));
  const v = unwrap(await t.api.registerGuest({ firstName: name, lastName: 'Passant', consent: true, retentionUntil: '2026-12-31', shiftId }));
  for (const [serviceCode, quantity] of extras) unwrap(await t.api.addConsumption({ visitId: v.visitId, serviceCode, quantity, shiftId }));
  t.clock.set(brussels(date, until));
  return { visitId: v.visitId, due: unwrap(await t.api.checkOut({ visitId: v.visitId, shiftId })).totals.grossCents };
}

/** The site's clerk signs in at 08:00 and opens the till with `floatCents`: their shift. */
export async function openDay(t: TestStation, siteId: string, date: string, floatCents: number): Promise<string> {
  t.clock.set(brussels(date, '08:00'));
  const shiftId = unwrap(await t.api.staffSignIn({ staffId: `clerk-${siteId}`, pin: STAFF_PIN })).shiftId;
  unwrap(await t.api.openTill({ floatCents, shiftId }));
  return shiftId;
}

/** At 18:30 the clerk counts the till `differenceCents` off what it should hold (with the reason), closes it and signs out. */
async function closeDay(t: TestStation, shiftId: string, date: string, differenceCents: number, reason?: string): Promise<void> {
  t.clock.set(brussels(date, '18:30'));
  const open = unwrap(await t.api.till({ shiftId })).open!;
  const report = unwrap(await t.api.closeTill({ countedCents: open.expectedCents + differenceCents, ...(reason ? { reason } : {}), shiftId }));
  expect(report.differenceCents).toBe(differenceCents);
  unwrap(await t.api.staffSignOut({ shiftId }));
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
    // Wednesday 14 October at A, the hub out of reach.
    let shiftId = await openDay(a, SITE_A, '2026-10-14', 10_000);
    story.cash = await guestVisit(a, shiftId, 'Cash', '2026-10-14', '09:00', '11:10', [['coffee', 3]]);
    const cash = unwrap(await a.api.recordPayment({ visitId: story.cash.visitId, method: 'cash', tenderedCents: story.cash.due + 1_000 - (story.cash.due % 500), shiftId }));
    expect(cash.changeCents).toBeGreaterThan(0);
    story.cash.paymentId = cash.paymentId;
    story.card = await guestVisit(a, shiftId, 'Card', '2026-10-14', '09:30', '12:00');
    story.card.paymentId = unwrap(await a.api.recordPayment({ visitId: story.card.visitId, method: 'card', approved: true, reference: 'AUTH 7731', shiftId })).paymentId;
    unwrap(await a.api.refundPayment({ paymentId: story.card.paymentId, amountCents: 300, reason: 'Coupure de courant, poste inutilisable une demi-heure', shiftId }));
    story.acme = await guestVisit(a, shiftId, 'Acme', '2026-10-14', '13:00', '15:00', [['print', 20]]);
    story.acme.paymentId = unwrap(await a.api.recordPayment({ visitId: story.acme.visitId, method: 'invoice', company: { name: 'Acme', vatNumber: 'BE 0123.456.749' }, shiftId })).paymentId;
    story.brasserie = await guestVisit(a, shiftId, 'Brasserie', '2026-10-14', '13:30', '16:00', [['coffee', 1]]);
    story.brasserie.paymentId = unwrap(await a.api.recordPayment({ visitId: story.brasserie.visitId, method: 'invoice', company: BRASSERIE, shiftId })).paymentId;
    story.withdrawn = await guestVisit(a, shiftId, 'Retiré', '2026-10-14', '14:00', '16:30');
    story.withdrawn.paymentId = unwrap(await a.api.recordPayment({ visitId: story.withdrawn.visitId, method: 'invoice', company: BRASSERIE, shiftId })).paymentId;
    a.clock.advance(10 * 60_000);
    unwrap(await a.api.refundPayment({ paymentId: story.withdrawn.paymentId, reason: 'Le client paie lui-même', shiftId }));
    await closeDay(a, shiftId, '2026-10-14', -200, 'Monnaie mal rendue');
    // Friday 30 October at A: a visit left unpaid, and a till that balances.
    shiftId = await openDay(a, SITE_A, '2026-10-30', 10_000);
    story.late = await guestVisit(a, shiftId, 'Tardif', '2026-10-30', '10:00', '12:00');
    await closeDay(a, shiftId, '2026-10-30', 0);
    // Thursday 15 October at B.
    shiftId = await openDay(b, SITE_B, '2026-10-15', 5_000);
    story.gent = await guestVisit(b, shiftId, 'Gent', '2026-10-15', '09:00', '17:45', [['coffee', 2]]);
    unwrap(await b.api.recordPayment({ visitId: story.gent.visitId, method: 'cash', tenderedCents: story.gent.due + 50, shiftId }));
    await closeDay(b, shiftId, '2026-10-15', 50, 'Pourboire laissé dans la caisse');
    // The hub within reach again.
    for (const siteId of [SITE_A, SITE_B]) await sync(siteId, '2026-11-02T07:00:00.000Z');
    return { hub, ref, stations, story, sync, append, close };
  } catch (e) {
    await close();
    throw e;
  }
}
