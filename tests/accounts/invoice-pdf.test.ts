// The invoice and credit note PDFs (issue 17): read back by pdftotext in the buyer's language
// (number, structured communication, totals, IBAN), the EPC QR code read off the rendered page
// (pdftoppm) module by module against the QR of the expected transfer, a credit note without one,
// and the same bytes when the same document is rendered again.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { invoicePdf } from '../../server/accounts/render/invoice-pdf.js';
import { epcPayload, epcQrModules } from '../../server/accounts/render/epc-qr.js';
import { blackBox, greyPage, readQr } from '../support/pdf-raster.js';
import { fixtureCreditNote, fixtureInvoice } from '../support/invoice-fixtures.js';
import { tempDir } from '../support/station-fixture.js';
import type { InvoiceDocument } from '../../common/accounts/invoices.js';
import { formatMoney } from '../../common/money.js';

const OUT = path.resolve('test-output/pdf');

async function writePdf(name: string, d: InvoiceDocument): Promise<string> {
  fs.mkdirSync(OUT, { recursive: true });
  const bytes = await invoicePdf(d);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const file = path.join(OUT, `${name}.pdf`);
  fs.writeFileSync(file, bytes);
  return file;
}

/** pdftotext's reading, no-break spaces as spaces and each run of blanks as one. */
function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ').replace(/[ \t]+/g, ' ');
}

/** An amount as the PDF writes it, read back as pdfText reads it. */
const plainMoney = (cents: number, language: 'fr' | 'nl' | 'en' | 'de') => formatMoney(cents, language).replace(/[\u00a0\u202f]/g, ' ');

/** The number of pages of a PDF file (pdfinfo). */
const pageCount = (file: string): number => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);

describe('the invoice PDF', () => {
  it('in French: the number, the parties, the totals, the structured communication and the network’s IBAN and BIC', async () => {
    const d = fixtureInvoice('fr');
    const text = pdfText(await writePdf('invoice-fr', d));
    expect(text).toContain('Facture 2026-000042');
    expect(text).toContain(d.structuredCommunication);
    expect(d.structuredCommunication).toBe('+++202/6000/04236+++');
    expect(text).toContain('Communication structurée');
    expect(text).toMatch(/Total HTVA 775,50 €/);
    expect(text).toMatch(/Total TVA 161,36 €/);
    expect(text).toMatch(/Total TVAC 936,86 €/);
    expect(text).toMatch(/Montant à payer 936,86 €/);
    expect(text).toContain('BE71 0961 2345 6769');
    expect(text).toContain('GKCCBEBB');
    // Seller and buyer, each with its enterprise and VAT numbers; the buyer's Peppol id.
    expect(text).toContain('Escale Network SRL');
    expect(text).toContain("N° d'entreprise 0790.123.495");
    expect(text).toContain('Acme Logistics SA');
    expect(text).toContain("N° d'entreprise 0412.345.614");
    expect(text).toContain('N° TVA BE0412345614');
    expect(text).toContain('Identifiant Peppol 0208:0412345614');
    expect(text).toContain('Chaussée de Louvain 431');
    // Lines as the statement has them: the pass, the hours in hours, the correction of October.
    expect(text).toContain('Pass Bruxelles-Brussel');
    expect(text).toContain('12 h 30');
    expect(text).toContain('5,00 € / h');
    expect(text).toContain("correction d'octobre 2026");
    // (pdftotext may read the no-break space of "6 %" as nothing.)
    expect(text).toMatch(/21 ?%.*S — taux normal.*765,50 €.*160,76 €/);
    expect(text).toMatch(/6 ?%.*S — taux normal.*10,00 €.*0,60 €/);
    expect(text).toContain('novembre 2026');
    expect(text).toContain("Date d'échéance");
    expect(text).not.toMatch(/undefined|NaN|\[object/);
  });

  it('in Dutch: "Factuur", "Gestructureerde mededeling", the amounts as Flemish readers write them', async () => {
    const d = fixtureInvoice('nl');
    const text = pdfText(await writePdf('invoice-nl', d));
    expect(text).toContain('Factuur 2026-000042');
    expect(text).toContain('Gestructureerde mededeling');
    expect(text).toContain('+++202/6000/04236+++');
    expect(text).toMatch(/Totaal excl\. btw € 775,50/);
    expect(text).toMatch(/Totaal incl\. btw € 936,86/);
    expect(text).toMatch(/Te betalen € 936,86/);
    expect(text).toContain('Ondernemingsnr. 0523.456.738');
    expect(text).toContain('Btw-nr. BE0523456738');
    expect(text).toContain('12 u 30');
    expect(text).toContain('correctie van oktober 2026');
    expect(text).toContain('Gelieve € 936,86 te betalen');
    expect(text).not.toContain('Facture');
    expect(text).not.toContain('Invoice');
  });

  it('in English and German', async () => {
    const en = pdfText(await writePdf('invoice-en', fixtureInvoice('en')));
    expect(en).toContain('Invoice 2026-000042');
    expect(en).toMatch(/Amount due €936\.86/);
    expect(en).toContain('Structured communication');
    const de = pdfText(await writePdf('invoice-de', fixtureInvoice('de')));
    expect(de).toContain('Rechnung 2026-000042');
    expect(de).toMatch(/Gesamt inkl\. MwSt\. 936,86 €/);
    expect(de).toContain('Strukturierte Mitteilung');
    expect(de).toContain('Unternehmensnr. 0634.567.862');
  });

  it('for a person paying for themself: no enterprise number, VAT number or Peppol id of theirs', async () => {
    const d = fixtureInvoice('fr', { person: true });
    expect(d.channel).toBe('pdf');
    const text = pdfText(await writePdf('invoice-fr-person', d));
    expect(text).toContain('Lotte Maes');
    expect(text).toContain('Montant à payer 936,86 €');
    expect(text.match(/N° d'entreprise/g)).toHaveLength(1);
    expect(text).not.toContain('Identifiant Peppol');
  });

  it('takes what members paid at the desks off the amount due, and asks for no transfer when they paid it all', async () => {
    const d = fixtureInvoice('fr');
    const part = pdfText(await writePdf('invoice-fr-prepaid-part', { ...d, totals: { ...d.totals, prepaidCents: 3_686, payableCents: d.totals.grossCents - 3_686 } }));
    expect(part).toMatch(/Déjà payé aux comptoirs\s+-36,86 €/);
    expect(part).toContain('Montant à payer 900,00 €');
    expect(part).toContain('Merci de payer 900,00 €');
    const all = pdfText(await writePdf('invoice-fr-prepaid-all', { ...d, totals: { ...d.totals, prepaidCents: d.totals.grossCents, payableCents: 0 } }));
    expect(all).toContain('Plus rien à payer : le montant a été réglé aux comptoirs des centres.');
    expect(all).not.toContain('Merci de payer');
    const more = pdfText(await writePdf('invoice-fr-prepaid-more', { ...d, totals: { ...d.totals, prepaidCents: d.totals.grossCents, payableCents: 0, keptForNextCents: 1_250 } }));
    expect(more).toContain('12,50 € de plus ont été payés aux comptoirs : ils seront déduits de votre prochaine facture.');
  });

  it('adds a refund at the desks that no credit note gives back to the amount due, and asks for it', async () => {
    const d = fixtureInvoice('nl');
    const text = pdfText(await writePdf('invoice-nl-refunded', { ...d, totals: { ...d.totals, prepaidCents: -1_250, payableCents: d.totals.grossCents + 1_250 } }));
    expect(text).toMatch(/Terugbetaald, weer verschuldigd\s+€ 12,50/);
    expect(text).toMatch(new RegExp(`Te betalen\\s+${plainMoney(d.totals.grossCents + 1_250, 'nl')}`));
    expect(text).toContain(`Gelieve ${plainMoney(d.totals.grossCents + 1_250, 'nl')}`);
  });

  it('carries an EPC QR code of the transfer: BCD 002, UTF-8, SCT, BIC, name, IBAN, EUR amount, the structured communication', async () => {
    const d = fixtureInvoice('fr');
    const file = await writePdf('invoice-fr-qr', d);
    const expected = epcPayload({ bic: 'GKCCBEBB', name: 'Escale Network SRL', iban: 'BE71096123456769', amountCents: 93_686, creditorReference: '202600004236' });
    const qr = epcQrModules(expected);
    // 288 dpi: 4 pixels a point, about 10 a module.
    const read = readQr(greyPage(file, 1, 288), qr.size)!;
    expect(read).toBeDefined();
    const want = Array.from({ length: qr.size }, (_, row) => Array.from({ length: qr.size }, (_, col) => qr.dark(row, col)));
    const mismatches = want.flatMap((r, row) => r.flatMap((dark, col) => (read.modules[row]![col] === dark ? [] : [`${row},${col}`])));
    expect(mismatches).toEqual([]);
    // About 35 mm wide, as drawn.
    expect(read.sidePoints).toBeGreaterThan(95);
    expect(read.sidePoints).toBeLessThan(105);
    // Another amount would be another code: the comparison can tell them apart.
    const other = epcQrModules(expected.replace('EUR936.86', 'EUR936.87'));
    expect(want.some((r, row) => r.some((dark, col) => other.dark(row, col) !== dark))).toBe(true);
  });

  it('is the same bytes when the same document is rendered again, dated its issue date', async () => {
    const d = fixtureInvoice('nl');
    const first = await invoicePdf(d);
    const second = await invoicePdf(structuredClone(d));
    expect(second.equals(first)).toBe(true);
    const file = path.join(tempDir(), 'again.pdf');
    fs.writeFileSync(file, first);
    expect(execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' })).toMatch(/CreationDate:\s+2026-12-02T00:00:00Z/);
    // Another document is other bytes (the comparison is not blind).
    expect((await invoicePdf(fixtureInvoice('nl', { number: '2026-000044' }))).equals(first)).toBe(false);
  });

  it('breaks a long invoice across pages, the table header again on each, the payment block whole on the last page', async () => {
    const d = fixtureInvoice('fr', { extraLines: 70 });
    const file = await writePdf('invoice-fr-long', d);
    const pages = pageCount(file);
    expect(pages).toBeGreaterThan(2);
    const text = pdfText(file);
    expect(text).toContain(`Page ${pages} sur ${pages}`);
    expect(text.match(/Description Quantité Prix unitaire TVA Montant HTVA/g)!.length).toBeGreaterThanOrEqual(pages - 1);
    expect(text).toContain('Escale 070');
    // The QR and the communication are on the last page, together.
    const last = execFileSync('pdftotext', ['-layout', '-f', String(pages), '-l', String(pages), file, '-'], { encoding: 'utf8' });
    expect(last).toContain('Communication structurée');
    expect(last).toContain(d.structuredCommunication);
    expect(blackBox(greyPage(file, 1, 72))).toBeUndefined();
    expect(blackBox(greyPage(file, pages, 72))).toBeDefined();
  });

  it('says what a line’s amount leaves out of quantity × unit price (a daily cap, covered hours), in the buyer’s language', async () => {
    const d = fixtureInvoice('nl');
    // 12 h 30 at 5.00 €/h capped at the day's 30.00 €; 4 coffees at 2.00 € billed 8.10 € (a charge of 0.10 €).
    const desk = d.lines.find((l) => l.unitCode === 'MIN' && l.quantity === 750)!;
    desk.netCents = 3000;
    const coffee = d.lines.find((l) => l.serviceCode === 'coffee')!;
    coffee.netCents = 810;
    const text = pdfText(await writePdf('invoice-nl-allowance', d));
    expect(text).toContain('Korting € -32,50');
    expect(text).toContain('Toeslag € 0,10');
    const untouched = pdfText(await writePdf('invoice-nl', fixtureInvoice('nl')));
    expect(untouched).not.toMatch(/Korting|Toeslag/);
    const fr = fixtureInvoice('fr');
    fr.lines.find((l) => l.unitCode === 'MIN' && l.quantity === 750)!.netCents = 3000;
    expect(pdfText(await writePdf('invoice-fr-allowance', fr))).toContain('Remise -32,50 €');
  });

  it('names a line’s centre once, whether its description carries it or not', async () => {
    const d = fixtureInvoice('en');
    const desk = d.lines.find((l) => l.unitCode === 'MIN' && l.quantity === 750)!;
    desk.description = `${desk.description} — ${desk.siteName}`;
    const text = pdfText(await writePdf('invoice-en-site', d));
    expect(text).toContain('Desk (hour) — Escale Gent Zuid');
    // Once for that line, once for the October correction's line, which names it apart.
    expect(text.match(/Escale Gent Zuid/g)).toHaveLength(2);
  });

  it('refuses a document its schema refuses', async () => {
    await expect(invoicePdf({ ...fixtureInvoice('fr'), structuredCommunication: '+++202/6000/0428+++' })).rejects.toThrow();
    await expect(invoicePdf({ ...fixtureInvoice('fr'), lines: [] })).rejects.toThrow();
  });
});

describe('the credit note PDF', () => {
  it('names the invoice it corrects, the amount credited, nothing to pay and no QR code — in French and in Dutch', async () => {
    const fr = fixtureCreditNote('fr');
    const frFile = await writePdf('credit-note-fr', fr);
    const frText = pdfText(frFile);
    expect(frText).toContain('Note de crédit 2026-000043');
    expect(frText).toContain('Cette note de crédit corrige la facture 2026-000007 du 2 nov. 2026');
    expect(frText).toMatch(/Montant crédité 12,10 €/);
    expect(frText).toContain('Rien à payer');
    expect(frText).toContain(fr.structuredCommunication);
    expect(frText).not.toContain('Montant à payer');
    expect(pageCount(frFile)).toBe(1);
    expect(blackBox(greyPage(frFile, 1, 72))).toBeUndefined();
    const nlText = pdfText(await writePdf('credit-note-nl', fixtureCreditNote('nl')));
    expect(nlText).toContain('Creditnota 2026-000043');
    expect(nlText).toContain('Deze creditnota corrigeert factuur 2026-000007');
    expect(nlText).toMatch(/Gecrediteerd bedrag € 12,10/);
    expect(nlText).toContain('Niets te betalen');
  });

  it('says what the desks refunded already and what is left to credit; refunded whole, nothing is left', async () => {
    const fr = fixtureCreditNote('fr');
    const part = pdfText(await writePdf('credit-note-fr-refunded-part', { ...fr, totals: { ...fr.totals, prepaidCents: 500, payableCents: fr.totals.grossCents - 500 } }));
    expect(part).toMatch(/Déjà remboursé aux comptoirs\s+-5,00 €/);
    expect(part).toMatch(/Reste à créditer 7,10 €/);
    expect(part).toContain('Rien à payer');
    const nl = fixtureCreditNote('nl');
    const all = pdfText(await writePdf('credit-note-nl-refunded-all', { ...nl, totals: { ...nl.totals, prepaidCents: nl.totals.grossCents, payableCents: 0 } }));
    expect(all).toMatch(/Al terugbetaald aan de balies\s+-€ 12,10|Al terugbetaald aan de balies\s+€ -12,10/);
    expect(all).toContain('Niets meer te crediteren: het bedrag werd aan de balies van de centra terugbetaald.');
  });
});

describe('the EPC payload', () => {
  const transfer = { bic: 'GKCCBEBB', name: 'Escale Network SRL', iban: 'BE71 0961 2345 6769', amountCents: 93_686, creditorReference: '202600004236' };

  it('has the spec’s elements in the spec’s order, one a line, LF between them, the last one ending it', () => {
    const lines = epcPayload(transfer).split('\n');
    expect(lines).toEqual(['BCD', '002', '1', 'SCT', 'GKCCBEBB', 'Escale Network SRL', 'BE71096123456769', 'EUR936.86', '', '202600004236']);
    expect(epcPayload(transfer)).not.toMatch(/\r|\n$/);
  });

  it('writes amounts with a decimal point from the cents, without an empty BIC turning into a missing line', () => {
    expect(epcPayload({ ...transfer, amountCents: 1 }).split('\n')[7]).toBe('EUR0.01');
    expect(epcPayload({ ...transfer, amountCents: 99_999_999_999 }).split('\n')[7]).toBe('EUR999999999.99');
    const { bic: _b, ...noBic } = transfer;
    expect(epcPayload(noBic).split('\n')).toHaveLength(10);
    expect(epcPayload(noBic).split('\n')[4]).toBe('');
  });

  it('cuts the name at 70 characters and refuses what a bank would refuse', () => {
    expect(epcPayload({ ...transfer, name: 'É'.repeat(80) }).split('\n')[5]).toBe('É'.repeat(70));
    expect(() => epcPayload({ ...transfer, amountCents: 0 })).toThrow(RangeError);
    expect(() => epcPayload({ ...transfer, amountCents: -500 })).toThrow(RangeError);
    expect(() => epcPayload({ ...transfer, amountCents: 100_000_000_000 })).toThrow(RangeError);
    expect(() => epcPayload({ ...transfer, creditorReference: '+++202/6000/04236+++' })).toThrow(RangeError);
    expect(() => epcPayload({ ...transfer, creditorReference: '1'.repeat(36) })).toThrow(RangeError);
    expect(() => epcPayload({ ...transfer, name: ' ' })).toThrow(RangeError);
  });
});
