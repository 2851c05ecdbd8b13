// VAT categories on the network's invoices (issue 17): each 0 % line takes the category its
// statement line froze (Z zero rated, E exempt), one VAT breakdown per category and rate, the exempt
// one with its VATEX code and its ground in the buyer's language — in the UBL where EN 16931 wants
// them (the breakdown's TaxCategory, never a line's) and on the PDF beside the VAT summary. The
// official rules are run on these documents by tests/accounts/invoices.test.ts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InvoiceDocument } from '../../common/accounts/invoices.js';
import type { Language } from '../../common/reference-data.js';
import { documentDrafts, numbered } from '../../server/accounts/invoicing/documents.js';
import { writeUbl } from '../../server/accounts/invoicing/ubl.js';
import { invoicePdf } from '../../server/accounts/render/invoice-pdf.js';
import { FIXTURE_SELLER, LETTING_EXEMPTION, TRAINING_EXEMPTION, treatedPayer, treatedStatement } from '../support/invoice-fixtures.js';
import { pdfTextOf } from '../support/invoice-pdf-text.js';

const OUT = path.resolve('test-output/pdf');

function invoiceOf(language: Language, grounds: 'one' | 'several'): InvoiceDocument {
  const payer = treatedPayer(language);
  const drafts = documentDrafts([treatedStatement(language, grounds)], { issueDate: '2026-11-04', dueDate: '2026-12-04', network: FIXTURE_SELLER, payers: new Map([[payer.id, payer]]), invoiceOf: () => undefined });
  expect(drafts).toHaveLength(1);
  return numbered(drafts[0]!, 2026, 500);
}

/** Each TaxCategory and ClassifiedTaxCategory of a UBL text, in order. */
const categories = (ubl: string, tag: 'TaxCategory' | 'ClassifiedTaxCategory') => [...ubl.matchAll(new RegExp(`<cac:${tag}>(.*?)</cac:${tag}>`, 'g'))].map((m) => m[1]!);

async function pdfText(name: string, d: InvoiceDocument): Promise<string> {
  const pdf = await invoicePdf(d);
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, `${name}.pdf`), pdf);
  return pdfTextOf(pdf).text;
}

describe('VAT categories on an invoice', () => {
  it('gives each 0 % line its frozen category and the exempt breakdown its code and ground, in the buyer’s language', async () => {
    const d = invoiceOf('fr', 'one');
    expect(d.lines.map((l) => [l.vatCategory, l.exemptionReasonCode, l.exemptionReason])).toEqual([
      ['S', undefined, undefined],
      ['Z', undefined, undefined],
      ['E', 'VATEX-EU-132-1I', TRAINING_EXEMPTION.reason.fr],
      ['E', 'VATEX-EU-132-1I', TRAINING_EXEMPTION.reason.fr],
    ]);
    expect(d.vat).toEqual([
      { vatRateBp: 0, vatCategory: 'E', taxableCents: 4500, vatCents: 0, exemptionReason: TRAINING_EXEMPTION.reason.fr, exemptionReasonCode: 'VATEX-EU-132-1I' },
      { vatRateBp: 0, vatCategory: 'Z', taxableCents: 450, vatCents: 0 },
      { vatRateBp: 2100, vatCategory: 'S', taxableCents: 120, vatCents: 25 },
    ]);
    expect(d.totals).toMatchObject({ netCents: 5070, vatCents: 25, grossCents: 5095 });

    const ubl = writeUbl(d, Buffer.from('%PDF-'));
    // The breakdown states the exemption, code before text (UBL's order); Z and S state none (BR-Z-10, BR-S-10).
    expect(categories(ubl, 'TaxCategory')).toEqual([
      `<cbc:ID>E</cbc:ID><cbc:Percent>0</cbc:Percent><cbc:TaxExemptionReasonCode>VATEX-EU-132-1I</cbc:TaxExemptionReasonCode><cbc:TaxExemptionReason>${TRAINING_EXEMPTION.reason.fr}</cbc:TaxExemptionReason><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>`,
      '<cbc:ID>Z</cbc:ID><cbc:Percent>0</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>',
      '<cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>',
    ]);
    // A line's category names its rate only.
    expect(categories(ubl, 'ClassifiedTaxCategory').map((c) => /<cbc:ID>(\w+)<\/cbc:ID>/.exec(c)![1])).toEqual(['S', 'Z', 'E', 'E']);
    for (const c of categories(ubl, 'ClassifiedTaxCategory')) expect(c).not.toContain('TaxExemption');

    const text = await pdfText('invoice-vat-categories-fr', d);
    expect(text).toContain('E — exonéré');
    // The ground, wrapped in the summary's column.
    expect(text.replace(/\s+/g, ' ')).toContain('Exonération — formation professionnelle, art. 44, § 2, 4° du Code de la TVA');
    expect(text).toContain('Z — taux zéro');
    // The code is for the buyer's software (the UBL): the PDF states the ground in words.
    expect(text).not.toContain('VATEX');
  });

  it('states every ground of a document’s exempt lines in its one exempt breakdown (BR-E-01), each with its code when they differ', async () => {
    const d = invoiceOf('nl', 'several');
    const exempt = d.vat.filter((v) => v.vatCategory === 'E');
    expect(exempt).toEqual([
      {
        vatRateBp: 0, vatCategory: 'E', taxableCents: 4500 + 40_000 + 130, vatCents: 0,
        exemptionReason: `${TRAINING_EXEMPTION.reason.nl} (VATEX-EU-132-1I); ${LETTING_EXEMPTION.reason.nl}; Vrijgesteld van btw`,
      },
    ]);
    const text = await pdfText('invoice-vat-categories-nl', d);
    expect(text).toContain('E — vrijgesteld');
    expect(text).toContain('Z — nultarief');
    // The grounds, wrapped in the summary's column, in the buyer's language.
    expect(text.replace(/\s+/g, ' ')).toContain(`${TRAINING_EXEMPTION.reason.nl} (VATEX-EU-132-1I); ${LETTING_EXEMPTION.reason.nl}; Vrijgesteld van btw`);
    expect(text).not.toMatch(/Exonération|Exempt —/);
    // Raster the page for a person to look at (test-output/pdf).
    execFileSync('pdftoppm', ['-r', '80', '-png', '-f', '1', '-l', '1', path.join(OUT, 'invoice-vat-categories-nl.pdf'), path.join(OUT, 'invoice-vat-categories-nl')]);
  });
});
