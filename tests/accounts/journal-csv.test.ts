// The accounting journal: one semicolon-separated row per document and VAT rate, read back
// independently of the writer (tests/support/csv.ts); each document's rows add up to its totals.
import { describe, expect, it } from 'vitest';
import { decimalToCents } from '../../common/money.js';
import { JOURNAL_CSV_COLUMNS, accountingJournalCsv } from '../../server/accounts/render/journal-csv.js';
import { readCsvRows } from '../support/csv.js';
import { fixtureCreditNote, fixtureInvoice } from '../support/invoice-fixtures.js';

function records(text: string): Record<(typeof JOURNAL_CSV_COLUMNS)[number], string>[] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header, ...body] = readCsvRows(text.slice(1), ';');
  expect(header).toEqual([...JOURNAL_CSV_COLUMNS]);
  return body.map((r) => {
    expect(r).toHaveLength(JOURNAL_CSV_COLUMNS.length);
    return Object.fromEntries(JOURNAL_CSV_COLUMNS.map((c, i) => [c, r[i]!])) as Record<(typeof JOURNAL_CSV_COLUMNS)[number], string>;
  });
}

describe('the accounting journal', () => {
  const company = fixtureInvoice('fr');
  const person = fixtureInvoice('nl', { person: true, number: '2026-000041' });
  const credit = fixtureCreditNote('nl');

  it('has one row per document and VAT rate, in number order, whose amounts add up to each document’s totals', () => {
    const rows = records(accountingJournalCsv([credit, company, person]));
    expect(rows.map((r) => [r.number, r.vat_rate_percent])).toEqual([
      ['2026-000041', '21.00'], ['2026-000041', '6.00'],
      ['2026-000042', '21.00'], ['2026-000042', '6.00'],
      ['2026-000043', '21.00'],
    ]);
    for (const d of [company, person, credit]) {
      const mine = rows.filter((r) => r.number === d.number);
      expect(mine.reduce((n, r) => n + decimalToCents(r.net_eur), 0)).toBe(d.totals.netCents);
      expect(mine.reduce((n, r) => n + decimalToCents(r.vat_eur), 0)).toBe(d.totals.vatCents);
      for (const r of mine) {
        expect(decimalToCents(r.document_net_eur)).toBe(d.totals.netCents);
        expect(decimalToCents(r.document_vat_eur)).toBe(d.totals.vatCents);
        expect(decimalToCents(r.document_total_eur)).toBe(d.totals.grossCents);
      }
    }
  });

  it('names the document, its dates, the period, the payer and its numbers, and the structured communication’s 12 digits', () => {
    const [first] = records(accountingJournalCsv([company])).filter((r) => r.vat_rate_percent === '21.00');
    expect(first).toEqual({
      number: '2026-000042', kind: 'invoice', issue_date: '2026-12-02', due_date: '2027-01-01', period: '2026-11',
      payer_id: 'acme-logistics', payer_name: 'Acme Logistics SA', buyer_vat_number: 'BE0412345614', buyer_enterprise_number: '0412345614', channel: 'peppol',
      vat_rate_percent: '21.00', vat_category: 'S', net_eur: '765.50', vat_eur: '160.76',
      document_net_eur: '775.50', document_vat_eur: '161.36', document_total_eur: '936.86',
      structured_communication: '202600004236', corrects_number: '', document_prepaid_eur: '0.00', document_payable_eur: '936.86',
    });
  });

  it('says what members already paid at the desks and what is left due', () => {
    const paid = { ...company, totals: { ...company.totals, prepaidCents: 3630, payableCents: company.totals.grossCents - 3630 } };
    for (const r of records(accountingJournalCsv([paid]))) expect([r.document_total_eur, r.document_prepaid_eur, r.document_payable_eur]).toEqual(['936.86', '36.30', '900.56']);
  });

  it('leaves a person’s VAT and enterprise numbers empty, and names the invoice a credit note corrects', () => {
    const rows = records(accountingJournalCsv([person, credit]));
    const p = rows.find((r) => r.number === '2026-000041')!;
    expect([p.buyer_vat_number, p.buyer_enterprise_number, p.channel, p.payer_name]).toEqual(['', '', 'pdf', 'Lotte Maes']);
    const c = rows.find((r) => r.number === '2026-000043')!;
    expect([c.kind, c.corrects_number, c.net_eur, c.vat_eur, c.document_total_eur]).toEqual(['credit_note', '2026-000007', '10.00', '2.10', '12.10']);
  });

  it('quotes a name holding a semicolon or a quote, keeps accents as UTF-8, and disarms a name a spreadsheet would run', () => {
    const odd = fixtureInvoice('fr', { number: '2026-000050' });
    odd.buyer.name = 'Atelier "Lumière"; Liège';
    const evil = fixtureInvoice('fr', { number: '2026-000051' });
    evil.buyer.name = '=HYPERLINK("http://example.invalid")';
    const text = accountingJournalCsv([odd, evil]);
    expect(text).toContain('"Atelier ""Lumière""; Liège"');
    expect(Buffer.from(text, 'utf8').includes(Buffer.from('Liège', 'utf8'))).toBe(true);
    const rows = records(text);
    expect(rows.find((r) => r.number === '2026-000050')!.payer_name).toBe('Atelier "Lumière"; Liège');
    expect(rows.find((r) => r.number === '2026-000051')!.payer_name).toBe(`'=HYPERLINK("http://example.invalid")`);
    // No field starts with a character a spreadsheet would take for a formula.
    expect(rows.flatMap((r) => Object.values(r)).filter((v) => /^[=+@]/.test(v))).toEqual([]);
  });

  it('is only the header for no document', () => {
    expect(accountingJournalCsv([])).toBe(`\uFEFF${JOURNAL_CSV_COLUMNS.join(';')}\r\n`);
  });
});
