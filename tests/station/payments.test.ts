// Payments at the desk (issue 16): cash with change, card with the terminal's approval, refunds
// with a reason. Each is an append-only row and its event in one transaction; the paid receipt is
// numbered in that transaction, and read back here as the printer prints it (ESC/POS, decoded).
import { afterEach, describe, expect, it } from 'vitest';
import type { PrintDocument } from '../../common/documents/print-documents.js';
import { EscPosDecoder, type DecodedJob } from '../../demo/sim/escpos-decoder.js';
import { encodeEscPos } from '../../main/hardware/printers/escpos.js';
import { contextOf } from '../../main/station/context.js';
import { sayIn } from '../../common/messages/errors/index.js';
import { failure, unwrap } from '../support/ledger.js';
import { demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { openDeskTill } from '../support/till.js';

let stations: TestStation[] = [];
afterEach(() => {
  for (const t of stations) t.close();
  stations = [];
});

const printer = { id: 'desk', kind: 'printer' as const, name: 'Desk printer', connection: { type: 'tcp' as const, host: '127.0.0.1', port: 9 } };

let tillId = '';
/** A station with its till open (cash goes into it), and a receipt printer unless told otherwise. */
async function station(withPrinter = true): Promise<TestStation> {
  const t = openTestStation();
  stations.push(t);
  if (withPrinter) unwrap(await t.api.configureDevice({ config: printer }));
  tillId = (await openDeskTill(t.api)).till.tillId;
  return t;
}

/** A walk-in guest without a host, 1 h 30 at the desk, checked out: what they owe. */
async function guestVisit(t: TestStation, language: 'fr' | 'nl' = 'fr'): Promise<{ visitId: string; dueCents: number }> {
  const v = unwrap(await t.api.registerGuest({ firstName: 'Lou', lastName: 'Passant', language, consent: true }));
  t.clock.advance(90 * 60_000);
  const out = unwrap(await t.api.checkOut({ visitId: v.visitId }));
  expect(out.totals.grossCents).toBeGreaterThan(0);
  return { visitId: v.visitId, dueCents: out.totals.grossCents };
}

const db = (t: TestStation) => contextOf(t.station).db;
const events = (t: TestStation, type: string) =>
  (db(t).prepare('SELECT payload FROM outbox WHERE type = ? ORDER BY position').pluck().all(type) as string[]).map((p) => JSON.parse(p) as Record<string, unknown>);
const documentOf = (t: TestStation, jobId: string) =>
  JSON.parse((db(t).prepare('SELECT document FROM print_job WHERE id = ?').pluck().get(jobId) as string)) as Extract<PrintDocument, { kind: 'receipt' }>;

/** The receipt as the printer prints it: the ESC/POS bytes decoded back to text. */
function printed(doc: PrintDocument): string {
  const jobs: DecodedJob[] = [];
  const decoder = new EscPosDecoder({ paperOut: false }, () => undefined, (j) => jobs.push(j));
  decoder.push(encodeEscPos(doc));
  const last = decoder.flush();
  if (last) jobs.push(last);
  return jobs.map((j) => j.text).join('\n');
}

describe('payments at the desk', () => {
  it('records a cash payment with its change, its event in the same transaction, and a numbered paid receipt in French', async () => {
    const t = await station();
    const { visitId, dueCents } = await guestVisit(t);
    const tendered = Math.ceil(dueCents / 1000) * 1000 + 1000;
    const paid = unwrap(await t.api.recordPayment({ visitId, method: 'cash', tenderedCents: tendered }));
    expect(paid).toMatchObject({ visitId, method: 'cash', amountCents: dueCents, tenderedCents: tendered, changeCents: tendered - dueCents, outstandingCents: 0 });

    expect(db(t).prepare('SELECT method, amount_cents, tendered_cents, change_cents FROM payment').all()).toEqual([
      { method: 'cash', amount_cents: dueCents, tendered_cents: tendered, change_cents: tendered - dueCents },
    ]);
    expect(events(t, 'payment.recorded')).toEqual([
      { paymentId: paid.paymentId, visitId, method: 'cash', amountCents: dueCents, tenderedCents: tendered, changeCents: tendered - dueCents, tillId, at: paid.paidAt },
    ]);

    // The receipt was queued with the payment, and took the stream's first number.
    expect(paid.receipt).toMatchObject({ kind: 'receipt', visitId, printerId: 'desk', state: 'queued' });
    const doc = documentOf(t, paid.receipt!.id);
    expect(doc.receiptNumber).toMatch(/^bxl-louise-[0-9A-F]{6}-000001$/);
    // The clerk is told the number the receipt carries.
    expect(paid.receiptNumber).toBe(doc.receiptNumber);
    const text = printed(doc);
    const eur = (c: number) => `${(c / 100).toFixed(2).replace('.', ',')} EUR`;
    expect(text).toContain('N° TVA BE0712340185');
    expect(text).toContain(`Reçu n° ${doc.receiptNumber}`);
    expect(text).toMatch(new RegExp(`Payé en espèces\\s+${eur(dueCents)}`));
    expect(text).toMatch(new RegExp(`Montant remis\\s+${eur(tendered)}`));
    expect(text).toMatch(new RegExp(`Rendu\\s+${eur(tendered - dueCents)}`));
    expect(text).toMatch(new RegExp(`Total payé\\s+${eur(dueCents)}`));
    // Paid at the desk: not "to be billed by the network".
    expect(text).not.toContain('Provisoire');
    expect(text).not.toContain('Reste à payer');
  });

  it('records a card payment once the clerk confirms the terminal’s approval, with its reference, and prints it in Dutch', async () => {
    const t = await station();
    const { visitId, dueCents } = await guestVisit(t, 'nl');
    // Not confirmed: refused, nothing written.
    const refused = failure(await t.api.recordPayment({ visitId, method: 'card' }), 'INVALID_INPUT');
    expect(refused.message).toMatch(/approved/);
    expect(events(t, 'payment.recorded')).toEqual([]);

    const paid = unwrap(await t.api.recordPayment({ visitId, method: 'card', approved: true, reference: 'TRM 004211' }));
    expect(paid).toMatchObject({ method: 'card', amountCents: dueCents, cardReference: 'TRM 004211', outstandingCents: 0 });
    expect(paid.changeCents).toBeUndefined();
    expect(events(t, 'payment.recorded')).toEqual([expect.objectContaining({ method: 'card', amountCents: dueCents, cardReference: 'TRM 004211' })]);
    const text = printed(documentOf(t, paid.receipt!.id));
    expect(text).toContain('Btw-nr. BE0712340185');
    expect(text).toMatch(/Betaald met kaart\s+\d+,\d\d EUR/);
    expect(text).toContain('Ref. TRM 004211');
    expect(text).not.toContain('Voorlopig');
  });

  it('pays part in cash and the rest by card; refuses more than is due, too little cash, and paying twice — writing nothing', async () => {
    const t = await station(false);
    const { visitId, dueCents } = await guestVisit(t);
    const count = () => db(t).prepare(`SELECT COUNT(*) FROM outbox WHERE type LIKE 'payment.%'`).pluck().get();

    expect(failure(await t.api.recordPayment({ visitId, method: 'cash', amountCents: dueCents + 1, tenderedCents: dueCents + 1 }), 'INVALID_INPUT').say).toMatchObject({ key: 'paymentTooMuch' });
    const short = failure(await t.api.recordPayment({ visitId, method: 'cash', amountCents: 100, tenderedCents: 50 }), 'INVALID_INPUT');
    expect(short.say).toEqual({ key: 'paymentTenderedShort', values: { tenderedCents: 50, amountCents: 100 } });
    // Said in the clerk's language, amounts written as they write them.
    expect(sayIn('fr', short.say!)).toBe('Le montant reçu en espèces (0,50 EUR) est inférieur au montant à payer (1,00 EUR).');
    expect(sayIn('nl', short.say!)).toBe('Het ontvangen contante bedrag (0,50 EUR) is kleiner dan het te betalen bedrag (1,00 EUR).');
    expect(count()).toBe(0);

    const part = unwrap(await t.api.recordPayment({ visitId, method: 'cash', amountCents: 100, tenderedCents: 100 }));
    expect(part).toMatchObject({ amountCents: 100, changeCents: 0, outstandingCents: dueCents - 100 });
    // No receipt printer here: the payment stands, without a print job, but its receipt is numbered.
    expect(part.receipt).toBeUndefined();
    expect(part.receiptNumber).toMatch(/^bxl-louise-[0-9A-F]{6}-000001$/);
    const rest = unwrap(await t.api.recordPayment({ visitId, method: 'card', approved: true }));
    expect(rest).toMatchObject({ amountCents: dueCents - 100, outstandingCents: 0 });
    expect(rest.receiptNumber).toMatch(/-000002$/);
    expect(failure(await t.api.recordPayment({ visitId, method: 'card', approved: true }), 'REFUSED').say).toMatchObject({ key: 'paymentNothingDue' });
    expect(count()).toBe(2);

    // A printer set up later prints the paid receipt under its number, as the original; again, as a duplicate.
    unwrap(await t.api.configureDevice({ config: printer }));
    const first = documentOf(t, unwrap(await t.api.printReceipt({ visitId })).id);
    expect(first).toMatchObject({ receiptNumber: rest.receiptNumber });
    expect(first.duplicate).toBeUndefined();
    expect(printed(first)).not.toContain('DUPLICATA');
    const again = documentOf(t, unwrap(await t.api.printReceipt({ visitId })).id);
    expect(again).toMatchObject({ receiptNumber: rest.receiptNumber, duplicate: true });
    expect(printed(again)).toContain('DUPLICATA');
  });

  it('refunds a payment with a reason as a compensating entry, never more than was paid; payments cannot be changed or removed', async () => {
    const t = await station();
    const { visitId, dueCents } = await guestVisit(t);
    const paid = unwrap(await t.api.recordPayment({ visitId, method: 'cash', tenderedCents: dueCents }));
    failure(await t.api.refundPayment({ paymentId: paid.paymentId, amountCents: 1, reason: '' }), 'INVALID_INPUT');

    const refund = unwrap(await t.api.refundPayment({ paymentId: paid.paymentId, amountCents: 200, reason: 'Café offert, compté par erreur' }));
    expect(refund).toMatchObject({ paymentId: paid.paymentId, visitId, method: 'cash', amountCents: 200, outstandingCents: 200 });
    expect(events(t, 'payment.refunded')).toEqual([
      { refundId: refund.refundId, paymentId: paid.paymentId, visitId, method: 'cash', amountCents: 200, reason: 'Café offert, compté par erreur', tillId, at: refund.refundedAt },
    ]);
    expect(failure(await t.api.refundPayment({ paymentId: paid.paymentId, amountCents: dueCents, reason: 'Tout rembourser' }), 'INVALID_INPUT').say).toMatchObject({ key: 'refundTooMuch' });
    // The payment itself is untouched: the refund is a row of its own.
    expect(db(t).prepare('SELECT amount_cents FROM payment').pluck().all()).toEqual([dueCents]);
    expect(() => db(t).prepare('UPDATE payment SET amount_cents = 1').run()).toThrow(/append-only/);
    expect(() => db(t).prepare('DELETE FROM payment_refund').run()).toThrow(/append-only/);
    expect(events(t, 'payment.refunded')).toHaveLength(1);

    // The visit's detail lists them, and what is left to pay.
    expect(unwrap(await t.api.visitDetail({ visitId })).payments).toEqual({
      entries: [
        { id: paid.paymentId, kind: 'payment', paymentId: paid.paymentId, method: 'cash', amountCents: dueCents, tenderedCents: dueCents, changeCents: 0, at: paid.paidAt },
        { id: refund.refundId, kind: 'refund', paymentId: paid.paymentId, method: 'cash', amountCents: 200, reason: 'Café offert, compté par erreur', at: refund.refundedAt },
      ],
      paidCents: dueCents - 200,
      invoicedCents: 0,
      dueCents: 200,
    });
    // The receipt printed now shows the payment, the refund and what is left.
    const doc = documentOf(t, unwrap(await t.api.printReceipt({ visitId })).id);
    const text = printed(doc);
    expect(text).toMatch(/Remboursé en espèces\s+-2,00 EUR/);
    expect(text).toMatch(/Reste à payer\s+2,00 EUR/);
  });

  it('invoices a company (name and VAT number, Belgian check digits checked) with no till: the receipt says who the network bills, not paid, no change', async () => {
    const t = openTestStation();
    stations.push(t);
    unwrap(await t.api.configureDevice({ config: printer }));
    const { visitId, dueCents } = await guestVisit(t);
    // Nothing paid yet: the detail has no payments.
    expect(unwrap(await t.api.visitDetail({ visitId })).payments).toBeUndefined();
    // A Belgian VAT number whose check digits are wrong: refused on its field, worded, nothing written.
    const bad = failure(await t.api.recordPayment({ visitId, method: 'invoice', company: { name: 'Brugse Data BV', vatNumber: 'BE0403536728' } }), 'INVALID_INPUT');
    expect(bad.fields?.map((f) => [f.field, f.say?.key])).toEqual([['company.vatNumber', 'fieldVatCheckDigits']]);
    const shapeless = failure(await t.api.recordPayment({ visitId, method: 'invoice', company: { name: 'Brugse Data BV', vatNumber: '0403536727' } }), 'INVALID_INPUT');
    expect(shapeless.fields?.map((f) => [f.field, f.say?.key])).toEqual([['company.vatNumber', 'fieldVatNumber']]);
    expect(failure(await t.api.recordPayment({ visitId, method: 'invoice' }), 'INVALID_INPUT').fields?.map((f) => f.field)).toEqual(['company']);
    expect(failure(await t.api.recordPayment({ visitId, method: 'invoice', tenderedCents: 100, company: { name: 'Brugse Data BV', vatNumber: 'BE0403536727' } }), 'INVALID_INPUT').field).toBe('method');
    expect(events(t, 'payment.recorded')).toEqual([]);

    // No till is open at this station: an invoice needs none.
    const invoiced = unwrap(await t.api.recordPayment({ visitId, method: 'invoice', company: { name: 'Brugse Data BV', vatNumber: 'BE 0403.536.727' } }));
    expect(invoiced).toMatchObject({ method: 'invoice', amountCents: dueCents, company: { name: 'Brugse Data BV', vatNumber: 'BE0403536727' }, outstandingCents: 0 });
    expect(invoiced.changeCents).toBeUndefined();
    expect(events(t, 'payment.recorded')).toEqual([
      { paymentId: invoiced.paymentId, visitId, method: 'invoice', amountCents: dueCents, company: { name: 'Brugse Data BV', vatNumber: 'BE0403536727' }, at: invoiced.paidAt },
    ]);
    expect(db(t).prepare('SELECT method, company_name, company_vat, tendered_cents, till_id FROM payment').all()).toEqual([
      { method: 'invoice', company_name: 'Brugse Data BV', company_vat: 'BE0403536727', tendered_cents: null, till_id: null },
    ]);
    const doc = documentOf(t, invoiced.receipt!.id);
    const text = printed(doc);
    const eur = (c: number) => `${(c / 100).toFixed(2).replace('.', ',')} EUR`;
    const nl = printed({ ...doc, language: 'nl' });
    expect(nl).toMatch(new RegExp(`Gefactureerd aan bedrijf\\s+${eur(dueCents)}`));
    expect(nl).toMatch(/^\s+Btw-nr\. BE0403536727\s*$/m);
    expect(nl).not.toContain('Totaal betaald');
    expect(text).toMatch(new RegExp(`Facturé à la société\\s+${eur(dueCents)}`));
    expect(text).toMatch(/^\s+Brugse Data BV\s*$/m);
    expect(text).toMatch(/^\s+N° TVA BE0403536727\s*$/m);
    expect(text).toContain('Facturé à la société par le réseau Escale');
    expect(text).not.toContain('Total payé');
    expect(text).not.toContain('Rendu');
    expect(text).not.toContain('Provisoire');
    expect(text).not.toContain('Reste à payer');

    // Withdrawn with a reason (the guest pays otherwise): a compensating entry, the visit due again.
    const withdrawn = unwrap(await t.api.refundPayment({ paymentId: invoiced.paymentId, reason: 'Mauvaise société' }));
    expect(withdrawn).toMatchObject({ method: 'invoice', amountCents: dueCents, outstandingCents: dueCents });
    expect(events(t, 'payment.refunded')).toEqual([expect.objectContaining({ refundId: withdrawn.refundId, method: 'invoice', amountCents: dueCents, reason: 'Mauvaise société' })]);
    expect(events(t, 'payment.refunded')[0]).not.toHaveProperty('tillId');
    const after = printed(documentOf(t, unwrap(await t.api.printReceipt({ visitId })).id));
    expect(after).toMatch(new RegExp(`Facture retirée\\s+-${eur(dueCents)}`));
    expect(after).toMatch(new RegExp(`Reste à payer\\s+${eur(dueCents)}`));
  });

  it('invoices a whole checked-out visit only, withdraws an invoice whole, and changes an invoiced visit only once it is withdrawn (the hub bills the company the visit’s lines)', async () => {
    const t = await station(false);
    const company = { name: 'Brugse Data BV', vatNumber: 'BE0403536727' };
    // Still on site: its time is not known yet.
    const onSite = unwrap(await t.api.registerGuest({ firstName: 'Noa', lastName: 'Encore', language: 'fr', consent: true }));
    expect(failure(await t.api.recordPayment({ visitId: onSite.visitId, method: 'invoice', company }), 'REFUSED').say?.key).toBe('paymentInvoiceOnSite');
    unwrap(await t.api.checkOut({ visitId: onSite.visitId }));
    const { visitId, dueCents } = await guestVisit(t);
    // Part of it, or after a cash payment: refused, worded with the visit's total.
    const part = failure(await t.api.recordPayment({ visitId, method: 'invoice', amountCents: dueCents - 100, company }), 'REFUSED');
    expect([part.say?.key, sayIn('fr', part.say!)]).toEqual(['paymentInvoiceWhole', expect.stringContaining((dueCents / 100).toFixed(2).replace('.', ','))]);
    const cash = unwrap(await t.api.recordPayment({ visitId, method: 'cash', amountCents: 100, tenderedCents: 100 }));
    expect(failure(await t.api.recordPayment({ visitId, method: 'invoice', company }), 'REFUSED').say?.key).toBe('paymentInvoiceWhole');
    // The cash given back, the whole visit is invoiced.
    unwrap(await t.api.refundPayment({ paymentId: cash.paymentId, reason: 'Facturé à la société' }));
    const invoiced = unwrap(await t.api.recordPayment({ visitId, method: 'invoice', company }));
    expect(invoiced.amountCents).toBe(dueCents);
    // The invoiced visit does not change: no line added, none voided, its check-out not undone.
    const lineId = unwrap(await t.api.visitDetail({ visitId })).lines[0]!.id;
    const words = (r: { ok: boolean }) => (failure(r as never, 'REFUSED').say as { key: string; values?: Record<string, unknown> });
    expect(words(await t.api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 1 }))).toEqual({ key: 'visitInvoiced', values: { company: 'Brugse Data BV' } });
    expect(words(await t.api.voidConsumption({ consumptionId: lineId, reason: 'Erreur de saisie' })).key).toBe('visitInvoiced');
    expect(words(await t.api.undoCheckOut({ visitId, reason: 'Parti trop tôt' })).key).toBe('visitInvoiced');
    // Withdrawn in part: refused; whole: the visit can change again.
    expect(failure(await t.api.refundPayment({ paymentId: invoiced.paymentId, amountCents: 100, reason: 'Une partie' }), 'INVALID_INPUT').say?.key).toBe('refundInvoiceWhole');
    unwrap(await t.api.refundPayment({ paymentId: invoiced.paymentId, reason: 'Mauvaise société' }));
    unwrap(await t.api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 1 }));
  });

  it('counts what was invoiced while a till was open on its report, not in its cash', async () => {
    const t = await station(false);
    const { visitId, dueCents } = await guestVisit(t);
    unwrap(await t.api.recordPayment({ visitId, method: 'invoice', company: { name: 'Brugse Data BV', vatNumber: 'BE0403536727' } }));
    expect(unwrap(await t.api.till({})).open).toMatchObject({ tillId, invoicedCents: dueCents, cashReceivedCents: 0, expectedCents: 10_000, payments: 1 });
  });

  it('refuses to invoice a company for a member’s visit (the network bills their payer), worded in every language; cash on it is taken', async () => {
    const t = await station(false);
    const ref = demoReferenceData();
    const planned = new Set([...(ref.subscriptions ?? []).map((s) => s.memberId), ...(ref.quotas ?? []).flatMap((q) => q.allocations.map((a) => a.memberId))]);
    const member = ref.members.find((m) => m.status === 'active' && !planned.has(m.id))!;
    const v = unwrap(await t.api.checkIn({ memberId: member.id }));
    t.clock.advance(3600_000);
    const dueCents = unwrap(await t.api.checkOut({ visitId: v.visitId })).totals.grossCents;
    expect(dueCents).toBeGreaterThan(0);
    const refused = failure(await t.api.recordPayment({ visitId: v.visitId, method: 'invoice', company: { name: 'Brugse Data BV', vatNumber: 'BE0403536727' } }), 'REFUSED');
    expect(refused.say?.key).toBe('paymentInvoiceMember');
    expect(sayIn('fr', refused.say!)).toBe('Les visites d’un membre sont déjà facturées à son payeur par le réseau : seule la visite d’un invité peut être facturée à une société.');
    expect(sayIn('nl', refused.say!)).toBe('De bezoeken van een lid worden al door het netwerk aan zijn betaler gefactureerd: alleen het bezoek van een gast kan aan een bedrijf gefactureerd worden.');
    expect(sayIn('de', refused.say!)).toMatch(/^Die Besuche eines Mitglieds/);
    expect(sayIn('en', refused.say!)).toBe(refused.message);
    // Nothing written: no row, no event.
    expect(events(t, 'payment.recorded')).toEqual([]);
    expect(db(t).prepare('SELECT COUNT(*) FROM payment').pluck().get()).toBe(0);
    // Cash on it is a prepayment of what the network bills: taken.
    expect(unwrap(await t.api.recordPayment({ visitId: v.visitId, method: 'cash', tenderedCents: dueCents }))).toMatchObject({ amountCents: dueCents, outstandingCents: 0 });
  });

  it('keeps a member’s receipt saying what the network will bill', async () => {
    const t = await station();
    const member = demoReferenceData().members.find((m) => m.status === 'active' && m.language === 'fr')!;
    const v = unwrap(await t.api.checkIn({ memberId: member.id }));
    t.clock.advance(3600_000);
    unwrap(await t.api.checkOut({ visitId: v.visitId }));
    const text = printed(documentOf(t, unwrap(await t.api.printReceipt({ visitId: v.visitId })).id));
    expect(text).toContain('Provisoire - facturé par le réseau Escale');
    expect(text).not.toContain('Total payé');
  });

  it('prints a long receipt number whole, on a line of its own, on a 42-column receipt', async () => {
    const t = await station();
    const { visitId } = await guestVisit(t);
    const doc = documentOf(t, unwrap(await t.api.printReceipt({ visitId })).id);
    const long = { ...doc, language: 'en' as const, receiptNumber: 'antwerpen-centraal-3F9A2C-000042' };
    expect(printed(long)).toMatch(/^\s*Receipt no\.\s*\n\s*antwerpen-centraal-3F9A2C-000042\s*$/m);
    expect(printed(doc)).toMatch(/^\s*Reçu n° bxl-louise-[0-9A-F]{6}-000001\s*$/m);
  });
});
