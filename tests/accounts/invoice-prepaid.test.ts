// What members paid at the desks, on the network's documents (issue 16's prepayments, issue 17's
// invoices), through a real hub store: a month whose statement has a payment but no line issues
// nothing and keeps the payment for the payer's next invoice; a payment larger than the invoice
// brings it to nothing due, never below, and keeps the rest; a refund at a desk of what a credit
// note gives back is declared refunded on that note; a refund nothing gives back is due again on
// the next invoice. What the documents leave is a running balance kept with each month's run, read
// by the next month issued, whichever it is. On the hub's store of the run (SQLite, or PostgreSQL).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { statementSchema, type Statement, type StatementLine } from '../../common/accounts/reports.js';
import { networkProfileSchema, payerSchema, type Payer } from '../../common/reference-data.js';
import { invoiceDocumentSchema, type InvoiceDocument } from '../../common/accounts/invoices.js';
import { prepareIssue } from '../../server/accounts/invoicing/issue.js';
import type { AccountsReference } from '../../server/accounts/reference.js';
import type { HubStore } from '../../server/store/store.js';
import { writeUbl } from '../../server/accounts/invoicing/ubl.js';
import { NETWORK_PROFILE } from '../support/invoice-parties.js';
import { openTestHubStore, stopTestHubStores } from '../support/hub-fixture.js';

const ACME = payerSchema.parse({
  id: 'acme', kind: 'company', name: 'Acme SA', language: 'fr', vatNumber: 'BE0123456749', enterpriseNumber: '0123.456.749', peppolId: '0208:0123456749',
  billingAddress: { street: 'Rue de la Loi 16', postalCode: '1000', city: 'Bruxelles', country: 'BE' },
});
const ROAM = payerSchema.parse({ id: 'self-roam', kind: 'self', name: 'Roam Test', language: 'en' });
const LOTTE = payerSchema.parse({ id: 'self-lotte', kind: 'self', name: 'Lotte Peeters', language: 'nl' });
const ref = { payers: new Map<string, Payer>([ACME, ROAM, LOTTE].map((p) => [p.id, p])) } as unknown as AccountsReference;

const usage = (netCents: number, adjustsPeriod?: string): StatementLine => {
  const vatCents = Math.sign(netCents) * Math.floor((Math.abs(netCents) * 2100 + 5000) / 10000);
  return {
    kind: adjustsPeriod ? 'adjustment' : 'usage', description: adjustsPeriod ? `Régularisation ${adjustsPeriod}: Bureau à l’heure` : 'Bureau à l’heure', siteId: 'bru-a', siteName: 'Bruxelles A', serviceCode: 'desk_hour',
    coverage: 'payg', quantity: Math.sign(netCents) * 120, unit: 'min', unitPriceCents: Math.abs(netCents) / 2, vatRateBp: 2100, netCents, vatCents, grossCents: netCents + vatCents,
    ...(adjustsPeriod ? { adjustsPeriod } : {}),
  };
};

/**
 * A closed statement of `payer` with `lines`, and `paidAtDeskCents` paid (or, negative, refunded) at
 * a desk; `refund: false` makes a negative amount no refund (a payment an adjustment took off).
 */
function statement(period: string, payer: Payer, lines: StatementLine[], paidAtDeskCents: number, refund = true): Statement {
  const sum = (f: (l: StatementLine) => number) => lines.reduce((n, l) => n + f(l), 0);
  const totals = { netCents: sum((l) => l.netCents), vatCents: sum((l) => l.vatCents), grossCents: sum((l) => l.grossCents) };
  return statementSchema.parse({
    period, payerId: payer.id, payerName: payer.name, ...(payer.vatNumber ? { payerVatNumber: payer.vatNumber } : {}), language: payer.language, status: 'closed', closedAt: `${period}-28T06:00:00.000Z`,
    lines, vatSummary: lines.length ? [{ vatRateBp: 2100, netCents: totals.netCents, vatCents: totals.vatCents }] : [], totals, members: [],
    paidAtDesk: paidAtDeskCents
      ? [{ paymentId: '01900000-0000-7000-8000-000000000001', ...(paidAtDeskCents < 0 && refund ? { refundId: '01900000-0000-7000-8000-000000000002' } : {}), memberId: 'm-1', siteId: 'bru-a', siteName: 'Bruxelles A', localDate: `${period}-14`, method: 'cash', description: 'Payé au comptoir', amountCents: paidAtDeskCents }]
      : [],
    paidAtDeskCents, payableCents: totals.grossCents - paidAtDeskCents,
  });
}

const stores: HubStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
afterAll(stopTestHubStores);

async function openStore(): Promise<HubStore> {
  const store = await openTestHubStore();
  stores.push(store);
  return store;
}

async function issue(store: HubStore, period: string, statements: Statement[]): Promise<InvoiceDocument[]> {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const issuedAt = new Date(Date.UTC(year, month, 4, 6)).toISOString();
  const next = await prepareIssue(store, ref, period, statements, issuedAt, networkProfileSchema.parse(NETWORK_PROFILE));
  expect(await store.issueDocuments(next)).toBe(true);
  return (await store.listDocuments({ period })).map((r) => invoiceDocumentSchema.parse(JSON.parse(r.model)));
}

const amounts = (d: InvoiceDocument) => ({ payer: d.buyer.payerId, kind: d.kind, gross: d.totals.grossCents, prepaid: d.totals.prepaidCents ?? 0, payable: d.totals.payableCents });

describe('paid at the desks, on the documents', () => {
  it('keeps what no document of the month can declare for the payer’s next one, through the store', async () => {
    const store = await openStore();

    // October. Acme's members paid 10,00 € at the desks for 6,05 € of visits; Roam paid 12,50 € on
    // 2 October for a visit of 30 September (September's statement had billed it): no line this month.
    const october = await issue(store, '2026-10', [statement('2026-10', ACME, [usage(500)], 1_000), statement('2026-10', ROAM, [], 1_250)]);
    expect(october.map(amounts)).toEqual([{ payer: 'acme', kind: 'invoice', gross: 605, prepaid: 605, payable: 0 }]);
    expect(await store.carriedPrepaid()).toEqual({ acme: 395, 'self-roam': 1_250 });
    // Its UBL says what its totals say: nothing to pay, the desks were paid.
    const terms = /<cac:PaymentTerms><cbc:Note>([^<]*)</.exec(writeUbl(october[0]!, Buffer.from('%PDF-')))![1];
    expect(terms).toBe(`Facture ${october[0]!.structuredCommunication} : rien à payer, le montant a été réglé aux comptoirs des centres.`);

    // November. A visit of Acme's in October is voided and its 6,05 € handed back in cash at the desk;
    // Roam works 20,00 € of hours; Lotte was refunded 3,00 € of an earlier payment with nothing voided.
    const november = await issue(store, '2026-11', [
      statement('2026-11', ACME, [usage(-500, '2026-10')], -605),
      statement('2026-11', ROAM, [usage(2_000)], 0),
      statement('2026-11', LOTTE, [usage(1_000)], -300),
    ]);
    expect(november.map(amounts)).toEqual([
      // Lotte owes her invoice and what the desk gave back.
      { payer: 'self-lotte', kind: 'invoice', gross: 1_210, prepaid: -300, payable: 1_510 },
      // Roam's 12,50 € of October come off November's invoice.
      { payer: 'self-roam', kind: 'invoice', gross: 2_420, prepaid: 1_250, payable: 1_170 },
      // The desk refunded 6,05 €, of which Acme's 3,95 € kept from October: 2,10 € were refunded
      // for this note, and 3,95 € are left for the network to credit.
      { payer: 'acme', kind: 'credit_note', gross: 605, prepaid: 210, payable: 395 },
    ]);
    expect(november.find((d) => d.kind === 'credit_note')!.corrects).toEqual({ number: october[0]!.number, issueDate: '2026-11-04' });
    expect(await store.carriedPrepaid()).toEqual({});
  });

  it('carries a payer’s payment through a month with no document of theirs, and what the next invoice cannot take waits for the one after', async () => {
    const store = await openStore();
    await issue(store, '2026-10', [statement('2026-10', ROAM, [], 5_000)]);
    // November: nothing of Roam's; Lotte has nothing either. December: Roam works 24,20 €.
    expect(await issue(store, '2026-11', [statement('2026-11', LOTTE, [usage(1_000)], 0)])).toHaveLength(1);
    expect(await store.carriedPrepaid()).toEqual({ 'self-roam': 5_000 });
    const december = await issue(store, '2026-12', [statement('2026-12', ROAM, [usage(2_000)], 0)]);
    expect(december.map(amounts)).toEqual([{ payer: 'self-roam', kind: 'invoice', gross: 2_420, prepaid: 2_420, payable: 0 }]);
    // The invoice says the rest is kept for the next one.
    expect(december[0]!.totals.keptForNextCents).toBe(2_580);
    expect(await store.carriedPrepaid()).toEqual({ 'self-roam': 2_580 });
  });

  it('adds the payments of a month issued after a later one to the balance, and declares on a credit note only what a desk refunded', async () => {
    const store = await openStore();
    await issue(store, '2026-10', [statement('2026-10', LOTTE, [usage(1_000)], 0)]);
    // September, closed after October (before it no month was closed): Roam paid 50,00 € with no line.
    expect(await issue(store, '2026-09', [statement('2026-09', ROAM, [], 5_000)])).toEqual([]);
    expect(await store.carriedPrepaid()).toEqual({ 'self-roam': 5_000 });
    // November: Acme's October visit is voided (a credit note), and 12,10 € Acme's member had paid
    // were taken off by an adjustment, not handed back at a desk: the note is not "refunded".
    const november = await issue(store, '2026-11', [statement('2026-11', ACME, [usage(-1_000, '2026-10')], -1_210, false), statement('2026-11', ROAM, [usage(1_000)], 0)]);
    expect(november.map(amounts)).toEqual([
      { payer: 'self-roam', kind: 'invoice', gross: 1_210, prepaid: 1_210, payable: 0 },
      { payer: 'acme', kind: 'credit_note', gross: 1_210, prepaid: 0, payable: 1_210 },
    ]);
    expect(await store.carriedPrepaid()).toEqual({ acme: -1_210, 'self-roam': 3_790 });
  });
});
