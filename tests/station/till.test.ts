// The till (issue 16): opened by a signed-in clerk with a float, at most one per station; cash
// payments and cash refunds go in and out of it (none open: refused, worded); closed by the clerk
// who opened it (or a supervisor, for a till left open) with a count. Expected cash is float + cash
// received − cash refunds; a difference needs a reason. Each step is an append-only row and its
// event in one transaction; the shift report is queued with the close when a receipt printer is set up.
import { afterEach, describe, expect, it } from 'vitest';
import type { PrintDocument } from '../../common/documents/print-documents.js';
import { sayIn } from '../../common/messages/errors/index.js';
import { contextOf } from '../../main/station/context.js';
import { hashPin } from '../../main/station/staff/pin.js';
import { failure, unwrap } from '../support/ledger.js';
import { demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { openDeskTill } from '../support/till.js';

let stations: TestStation[] = [];
afterEach(() => {
  for (const t of stations) t.close();
  stations = [];
});

const printer = { id: 'desk', kind: 'printer' as const, name: 'Desk printer', connection: { type: 'tcp' as const, host: '127.0.0.1', port: 9 } };

/** The demo site with a second clerk, Sofie, beside Joris (clerk) and Amélie (supervisor). */
function station(): TestStation {
  const data = demoReferenceData();
  data.staff = [...(data.staff ?? []), { id: 'sofie', siteId: data.staff?.[0]?.siteId, name: 'Sofie Claes', pinHash: hashPin('8642'), role: 'clerk' }];
  const t = openTestStation({ data });
  stations.push(t);
  return t;
}

const db = (t: TestStation) => contextOf(t.station).db;
const events = (t: TestStation, type: string) =>
  (db(t).prepare('SELECT payload FROM outbox WHERE type = ? ORDER BY position').pluck().all(type) as string[]).map((p) => JSON.parse(p) as Record<string, unknown>);

/** A walk-in guest without a host, 1 h 30 at the desk, checked out: what they owe. */
async function guestVisit(t: TestStation): Promise<{ visitId: string; dueCents: number }> {
  const v = unwrap(await t.api.registerGuest({ firstName: 'Lou', lastName: 'Passant', language: 'fr', consent: true }));
  t.clock.advance(90 * 60_000);
  const out = unwrap(await t.api.checkOut({ visitId: v.visitId }));
  return { visitId: v.visitId, dueCents: out.totals.grossCents };
}

describe('the till', () => {
  it('is opened by a signed-in clerk with a float, one at a time, as a row and its event', async () => {
    const t = station();
    expect(unwrap(await t.api.till({}))).toEqual({});
    // Nobody signed in (the command line without --shift): refused, worded.
    expect(failure(await t.api.openTill({ floatCents: 10_000 }), 'SIGN_IN_REQUIRED').say).toEqual({ key: 'tillNeedsClerk' });

    const { shift, till } = await openDeskTill(t.api, { floatCents: 15_000 });
    expect(till).toMatchObject({ staffId: 'joris', staffName: 'Joris Peeters', floatCents: 15_000, cashReceivedCents: 0, expectedCents: 15_000, payments: 0, refunds: 0 });
    expect(events(t, 'till.opened')).toEqual([{ tillId: till.tillId, shiftId: shift.shiftId, staffId: 'joris', floatCents: 15_000, at: till.openedAt }]);
    expect(unwrap(await t.api.till({ shiftId: shift.shiftId })).open).toEqual(till);

    // A second till, by anyone: refused, naming who holds the open one and since when.
    const sofie = unwrap(await t.api.staffSignIn({ staffId: 'sofie', pin: '8642' }));
    const again = failure(await t.api.openTill({ floatCents: 5_000, shiftId: sofie.shiftId }), 'CONFLICT');
    expect(sayIn('fr', again.say!)).toBe('La caisse est déjà ouverte : Joris Peeters l’a ouverte à 09:00. Elle doit d’abord être fermée.');
    expect(sayIn('nl', again.say!)).toBe('De kassa is al open: Joris Peeters opende ze om 09:00. Ze moet eerst gesloten worden.');
    expect(events(t, 'till.opened')).toHaveLength(1);
    expect(() => db(t).prepare('UPDATE till SET float_cents = 0').run()).toThrow(/append-only/);
  });

  it('refuses cash with no till open, worded in the four languages; card needs none', async () => {
    const t = station();
    const { visitId, dueCents } = await guestVisit(t);
    const refused = failure(await t.api.recordPayment({ visitId, method: 'cash', tenderedCents: dueCents }), 'REFUSED');
    expect(refused.say).toEqual({ key: 'tillNotOpen' });
    expect(sayIn('fr', refused.say!)).toBe('Aucune caisse n’est ouverte : ouvrez la caisse avec son fond avant de recevoir ou de rendre des espèces.');
    expect(sayIn('nl', refused.say!)).toMatch(/^Er is geen kassa open/);
    expect(sayIn('de', refused.say!)).toMatch(/^Keine Kasse ist geöffnet/);
    expect(sayIn('en', refused.say!)).toMatch(/^No till is open/);
    expect(events(t, 'payment.recorded')).toEqual([]);

    // By card, with no till: taken, and in no till.
    const card = unwrap(await t.api.recordPayment({ visitId, method: 'card', approved: true, amountCents: 100 }));
    expect(db(t).prepare('SELECT till_id FROM payment WHERE id = ?').pluck().get(card.paymentId)).toBeNull();
    expect(events(t, 'payment.recorded')[0]).not.toHaveProperty('tillId');

    // Cash paid into a till that was since closed is refunded out of an open one only.
    const { shift } = await openDeskTill(t.api, { floatCents: 0 });
    const cash = unwrap(await t.api.recordPayment({ visitId, method: 'cash', tenderedCents: dueCents }));
    unwrap(await t.api.closeTill({ countedCents: cash.amountCents, shiftId: shift.shiftId }));
    expect(failure(await t.api.refundPayment({ paymentId: cash.paymentId, amountCents: 10, reason: 'Erreur de caisse' }), 'REFUSED').say).toEqual({ key: 'tillNotOpen' });
    expect(events(t, 'payment.refunded')).toEqual([]);
  });

  it('takes cash in and out of the open till and closes with the count: expected = float + cash received − cash refunds', async () => {
    const t = station();
    unwrap(await t.api.configureDevice({ config: printer }));
    const { shift, till } = await openDeskTill(t.api, { floatCents: 10_000 });
    const a = await guestVisit(t);
    const b = await guestVisit(t);
    const c = await guestVisit(t);
    // a: cash with change; b: card; c: cash, part refunded in cash.
    const paidA = unwrap(await t.api.recordPayment({ visitId: a.visitId, method: 'cash', tenderedCents: 2_000 }));
    expect(paidA).toMatchObject({ amountCents: a.dueCents, changeCents: 2_000 - a.dueCents });
    const paidB = unwrap(await t.api.recordPayment({ visitId: b.visitId, method: 'card', approved: true }));
    const paidC = unwrap(await t.api.recordPayment({ visitId: c.visitId, method: 'cash', tenderedCents: c.dueCents }));
    const refund = unwrap(await t.api.refundPayment({ paymentId: paidC.paymentId, amountCents: 150, reason: 'Café compté deux fois' }));
    expect(events(t, 'payment.recorded').map((e) => e.tillId)).toEqual([till.tillId, undefined, till.tillId]);
    expect(events(t, 'payment.refunded')).toEqual([expect.objectContaining({ refundId: refund.refundId, tillId: till.tillId })]);

    const expected = 10_000 + a.dueCents + c.dueCents - 150;
    const now = unwrap(await t.api.till({ shiftId: shift.shiftId })).open!;
    expect(now).toMatchObject({
      floatCents: 10_000,
      cashReceivedCents: a.dueCents + c.dueCents,
      changeGivenCents: 2_000 - a.dueCents,
      cashRefundsCents: 150,
      cardReceivedCents: paidB.amountCents,
      expectedCents: expected,
      payments: 3,
      refunds: 1,
    });

    // Two euros short: refused without a reason, nothing written.
    const noReason = failure(await t.api.closeTill({ countedCents: expected - 200, shiftId: shift.shiftId }), 'INVALID_INPUT');
    expect(noReason.fields).toEqual([{ field: 'reason', say: { key: 'tillReasonRequired', values: { differenceCents: -200 } } }]);
    expect(sayIn('fr', noReason.say!)).toBe('Le comptage diffère du montant attendu (-2,00 EUR) : indiquez la raison.');
    expect(events(t, 'till.closed')).toEqual([]);

    t.clock.advance(60_000);
    const closed = unwrap(await t.api.closeTill({ countedCents: expected - 200, reason: 'Rendu deux euros de trop', shiftId: shift.shiftId }));
    expect(closed).toMatchObject({ tillId: till.tillId, expectedCents: expected, countedCents: expected - 200, differenceCents: -200, reason: 'Rendu deux euros de trop', closedBy: { staffId: 'joris' } });
    expect(events(t, 'till.closed')).toEqual([
      {
        tillId: till.tillId,
        shiftId: shift.shiftId,
        staffId: 'joris',
        floatCents: 10_000,
        cashReceivedCents: a.dueCents + c.dueCents,
        cashRefundsCents: 150,
        cardReceivedCents: paidB.amountCents,
        cardRefundsCents: 0,
        invoicedCents: 0,
        expectedCents: expected,
        countedCents: expected - 200,
        differenceCents: -200,
        reason: 'Rendu deux euros de trop',
        payments: 3,
        refunds: 1,
        openedAt: till.openedAt,
        at: closed.closedAt,
        closedBy: 'joris',
      },
    ]);
    // The close and its event in one transaction: the row is there, append-only.
    expect(db(t).prepare('SELECT counted_cents, difference_cents, closed_by FROM till_close').all()).toEqual([{ counted_cents: expected - 200, difference_cents: -200, closed_by: 'joris' }]);
    expect(() => db(t).prepare('UPDATE till_close SET difference_cents = 0').run()).toThrow(/append-only/);
    expect(() => db(t).prepare('DELETE FROM till_close').run()).toThrow(/append-only/);

    // The shift report was queued with the close, on the receipt printer; a reprint says DUPLICATA.
    expect(closed.report).toMatchObject({ kind: 'receipt', printerId: 'desk', state: 'queued' });
    const doc = (id: string) => JSON.parse(db(t).prepare('SELECT document FROM print_job WHERE id = ?').pluck().get(id) as string) as Extract<PrintDocument, { kind: 'shiftReport' }>;
    expect(doc(closed.report!.id)).toMatchObject({ kind: 'shiftReport', language: 'fr', clerk: 'Joris Peeters', countedCents: expected - 200, differenceCents: -200 });
    expect(doc(closed.report!.id).duplicate).toBeUndefined();
    const again = unwrap(await t.api.reprintTillReport({ tillId: till.tillId, language: 'nl', shiftId: shift.shiftId }));
    expect(doc(again.id)).toMatchObject({ kind: 'shiftReport', language: 'nl', duplicate: true, differenceCents: -200 });

    // Closed: no till now, and a new one may open.
    expect(unwrap(await t.api.till({}))).toEqual({});
    failure(await t.api.closeTill({ countedCents: 0, shiftId: shift.shiftId }), 'REFUSED');
    unwrap(await t.api.openTill({ floatCents: 5_000, shiftId: shift.shiftId }));
  });

  it('reports an earlier invoice withdrawn while it was open as a negative invoiced total, the report and till.closed alike', async () => {
    const t = station();
    const { visitId, dueCents } = await guestVisit(t);
    const invoiced = unwrap(await t.api.recordPayment({ visitId, method: 'invoice', company: { name: 'Brugse Data BV', vatNumber: 'BE0403536727' } }));
    const { shift } = await openDeskTill(t.api, { floatCents: 0 });
    unwrap(await t.api.refundPayment({ paymentId: invoiced.paymentId, reason: 'Mauvaise société' }));
    const closed = unwrap(await t.api.closeTill({ countedCents: 0, shiftId: shift.shiftId }));
    expect(closed).toMatchObject({ invoicedCents: -dueCents, payments: 0, refunds: 1, expectedCents: 0, differenceCents: 0 });
    expect(events(t, 'till.closed')).toEqual([expect.objectContaining({ invoicedCents: -dueCents, refunds: 1 })]);
  });

  it('is closed only by the clerk who opened it; a supervisor may close a till left open, and is recorded as who closed it', async () => {
    const t = station();
    const { till } = await openDeskTill(t.api, { floatCents: 2_000 });
    const sofie = unwrap(await t.api.staffSignIn({ staffId: 'sofie', pin: '8642' }));
    // An open till has no report yet; an unknown one none at all.
    expect(failure(await t.api.reprintTillReport({ tillId: till.tillId, shiftId: sofie.shiftId }), 'REFUSED').say).toEqual({ key: 'tillStillOpen' });
    expect(failure(await t.api.reprintTillReport({ tillId: '01900000-0000-7000-8000-000000000000', shiftId: sofie.shiftId }), 'NOT_FOUND').say).toEqual({ key: 'tillUnknown' });
    const refused = failure(await t.api.closeTill({ countedCents: 2_000, shiftId: sofie.shiftId }), 'FORBIDDEN');
    expect(sayIn('fr', refused.say!)).toBe('Seul(e) Joris Peeters, qui a ouvert cette caisse, ou un responsable peut la fermer.');
    expect(sayIn('nl', refused.say!)).toBe('Alleen Joris Peeters, die deze kassa opende, of een verantwoordelijke mag ze sluiten.');
    expect(events(t, 'till.closed')).toEqual([]);

    const amelie = unwrap(await t.api.staffSignIn({ staffId: 'amelie', pin: '2468' }));
    const closed = unwrap(await t.api.closeTill({ countedCents: 2_000, shiftId: amelie.shiftId }));
    expect(closed).toMatchObject({ staffId: 'joris', differenceCents: 0, closedBy: { staffId: 'amelie', staffName: 'Amélie Dupont' } });
    expect(closed.report).toBeUndefined();
    expect(events(t, 'till.closed')).toEqual([expect.objectContaining({ tillId: till.tillId, staffId: 'joris', closedBy: 'amelie', differenceCents: 0 })]);
    expect(events(t, 'till.closed')[0]).not.toHaveProperty('reason');
  });

  it('does not let a clerk sign out with their till open; others sign out freely', async () => {
    const t = station();
    const { shift } = await openDeskTill(t.api, { floatCents: 0 });
    const sofie = unwrap(await t.api.staffSignIn({ staffId: 'sofie', pin: '8642' }));
    const refused = failure(await t.api.staffSignOut({ shiftId: shift.shiftId }), 'REFUSED');
    expect(refused.say).toEqual({ key: 'tillOpenSignOut' });
    expect(sayIn('nl', refused.say!)).toBe('Uw kassa is nog open: tel het geld en sluit de kassa voordat u zich afmeldt.');
    expect(events(t, 'shift.ended')).toEqual([]);
    unwrap(await t.api.staffSignOut({ shiftId: sofie.shiftId }));

    unwrap(await t.api.closeTill({ countedCents: 0, shiftId: shift.shiftId }));
    unwrap(await t.api.staffSignOut({ shiftId: shift.shiftId }));
    expect(events(t, 'shift.ended')).toHaveLength(2);
  });
});
