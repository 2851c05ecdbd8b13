// How the admin page's invoices say what the desks took (server/admin-ui/src/desk-amounts.ts), in
// its French and Dutch words: on an invoice, paid at the desks and what is left due, a refund owed
// again worded so; on a credit note, refunded at the desks and what is left to credit; nothing
// taken, a dash; a payer's balance waiting for the next invoice, paid or owed again. The browser
// tests (admin-invoices.test.ts) show the invoices' case on real data; a credit note refunded at a
// desk needs a month closed after another, which that test's hub clock does not reach.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoiceListingSchema, type CarriedPrepaidListing, type InvoiceListing } from '../../common/admin-api.js';

// The page's sources are the browser project's (tsconfig.json), not the tests' (tsconfig.node.json):
// loaded as modules, as tests/support/catalogues.ts loads its catalogues, with the shape used here.
type Words = { readonly language: string };
interface DeskAmounts {
  paidAtDesks(w: Words, d: InvoiceListing[number]): string;
  dueOf(w: Words, d: InvoiceListing[number]): string;
  carriedAmount(w: Words, b: CarriedPrepaidListing[number]): string;
}
const DIR = path.resolve('server/admin-ui/src');
let paidAtDesks: DeskAmounts['paidAtDesks'];
let dueOf: DeskAmounts['dueOf'];
let carriedAmount: DeskAmounts['carriedAmount'];
let wordsOf: (language: 'fr' | 'nl' | 'en') => Words;
beforeAll(async () => {
  ({ paidAtDesks, dueOf, carriedAmount } = (await import(pathToFileURL(path.join(DIR, 'desk-amounts.ts')).href)) as DeskAmounts);
  ({ wordsOf } = (await import(pathToFileURL(path.join(DIR, 'i18n.ts')).href)) as { wordsOf: typeof wordsOf });
});

const spaced = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

function listed(kind: 'invoice' | 'credit_note', grossCents: number, prepaidCents: number | undefined): InvoiceListing[number] {
  const [doc] = invoiceListingSchema.parse([
    {
      number: '2026-000007', kind, issueDate: '2026-11-04', period: '2026-10', payerId: 'acme', payerName: 'Acme SA', channel: 'peppol', structuredCommunication: '+++202/6000/00798+++',
      ...(kind === 'credit_note' ? { corrects: '2026-000001' } : {}),
      totals: { netCents: grossCents, vatCents: 0, grossCents, ...(prepaidCents === undefined ? {} : { prepaidCents }), payableCents: grossCents - (prepaidCents ?? 0) },
      files: { ubl: true, pdf: true },
    },
  ]);
  return doc!;
}

describe('what the desks took, in the admin page’s words', () => {
  it('says an invoice’s payment at the desks and what is due, and a refund owed again', () => {
    const fr = wordsOf('fr');
    const nl = wordsOf('nl');
    const paid = listed('invoice', 2_420, 1_000);
    expect([paidAtDesks(fr, paid), dueOf(fr, paid)].map(spaced)).toEqual(['10,00 €', '14,20 €']);
    expect([paidAtDesks(nl, paid), dueOf(nl, paid)].map(spaced)).toEqual(['€ 10,00', '€ 14,20']);
    const refunded = listed('invoice', 1_210, -300);
    expect([paidAtDesks(fr, refunded), dueOf(fr, refunded)].map(spaced)).toEqual(['3,00 € à nouveau dû', '15,10 €']);
    expect(spaced(paidAtDesks(nl, refunded))).toBe('€ 3,00 opnieuw verschuldigd');
    const none = listed('invoice', 1_210, undefined);
    expect([paidAtDesks(fr, none), spaced(dueOf(fr, none))]).toEqual(['—', '12,10 €']);
  });

  it('says a credit note’s refund at the desks and what is left to credit', () => {
    const note = listed('credit_note', 605, 210);
    expect([paidAtDesks(wordsOf('fr'), note), dueOf(wordsOf('fr'), note)].map(spaced)).toEqual(['remboursé 2,10 €', '3,95 € à créditer']);
    expect([paidAtDesks(wordsOf('nl'), note), dueOf(wordsOf('nl'), note)].map(spaced)).toEqual(['€ 2,10 terugbetaald', '€ 3,95 te crediteren']);
    expect(dueOf(wordsOf('en'), listed('credit_note', 605, 605))).toBe('€0.00 to credit');
  });

  it('says a balance waiting for the next invoice as paid, or owed again', () => {
    expect(spaced(carriedAmount(wordsOf('fr'), { payerId: 'self-lotte', payerName: 'Lotte Peeters', cents: 1_089 }))).toBe('10,89 €');
    expect(spaced(carriedAmount(wordsOf('nl'), { payerId: 'acme', payerName: 'Acme SA', cents: -300 }))).toBe('€ 3,00 opnieuw verschuldigd');
  });
});
