// The accounts' documents: amounts written from integer cents in each language, the CSV read back
// (its sums are the statements' totals), and the PDFs rendered by pdftoppm and read back by
// pdftotext (poppler-utils): payer, lines, adjustments, totals and the language's words.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { centsToDecimal, decimalToCents, formatMoney, formatRateBp } from '../../common/money.js';
import { EVALUATION_CSV_COLUMNS, SETTLEMENT_CSV_COLUMNS, STATEMENT_CSV_COLUMNS, evaluationCsv, settlementCsv, statementsCsv } from '../../server/accounts/render/csv.js';
import { evaluationPdf, settlementPdf, statementPdf, statementsPdf } from '../../server/accounts/render/pdf.js';
import { statementSchema, type Statement } from '../../common/accounts/reports.js';
import { fixtureEvaluation, fixtureSettlement, fixtureStatement } from '../support/accounts-fixtures.js';
import { tempDir } from '../support/station-fixture.js';
import { readCsvRows as parseCsv } from '../support/csv.js';

const OUT = path.resolve('test-output/pdf');

/** The text of a PDF as pdftotext reads it, no-break spaces as plain spaces. */
function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ');
}

/** Each page of a PDF as a PNG (pdftoppm); returns the files. */
function pdfPages(file: string, prefix: string, dpi = 80): string[] {
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', file, prefix]);
  const dir = path.dirname(prefix);
  return fs.readdirSync(dir).filter((f) => f.startsWith(path.basename(prefix) + '-') && f.endsWith('.png')).sort().map((f) => path.join(dir, f));
}

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

async function writePdf(name: string, pdf: Promise<Buffer>): Promise<string> {
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `${name}.pdf`);
  for (const old of fs.readdirSync(OUT).filter((f) => f.startsWith(`${name}-`))) fs.rmSync(path.join(OUT, old));
  const bytes = await pdf;
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  fs.writeFileSync(file, bytes);
  return file;
}

describe('amounts from integer cents', () => {
  it('writes the exact decimal of any whole number of cents, and reads it back', () => {
    const cases: [number, string][] = [[0, '0.00'], [5, '0.05'], [-5, '-0.05'], [100, '1.00'], [123_456, '1234.56'], [-183, '-1.83'], [9_007_199_254_740_991, '90071992547409.91']];
    for (const [cents, text] of cases) {
      expect(centsToDecimal(cents)).toBe(text);
      expect(decimalToCents(text)).toBe(cents);
    }
    expect(() => centsToDecimal(12.5)).toThrow(/whole number of cents/);
    expect(() => decimalToCents('12.5')).toThrow(/two decimals/);
  });

  it('formats amounts as each language writes them, exactly even past what cents / 100 holds', () => {
    expect(plain(formatMoney(123_456, 'fr'))).toBe('1 234,56 €');
    expect(plain(formatMoney(123_456, 'de'))).toBe('1.234,56 €');
    expect(plain(formatMoney(123_456, 'nl'))).toBe('€ 1.234,56');
    expect(formatMoney(123_456, 'en')).toBe('€1,234.56');
    expect(plain(formatMoney(-183, 'fr'))).toBe('-1,83 €');
    // 9007199254740991 / 100 is 90071992547409.906… as a double: built from the integer, it stays .91.
    expect(formatMoney(9_007_199_254_740_991, 'en')).toBe('€90,071,992,547,409.91');
    expect(plain(formatRateBp(2100, 'fr'))).toBe('21 %');
    expect(plain(formatRateBp(550, 'fr'))).toBe('5,5 %');
    expect(formatRateBp(550, 'en')).toBe('5.5%');
  });
});

describe('CSV', () => {
  it('has one RFC 4180 row per statement line, whose sums are each statement’s totals', () => {
    const statements = (['fr', 'nl', 'de', 'en'] as const).map((language) => fixtureStatement({ language, extraLines: 3 }));
    // A description with a comma, a quote and a line break, and one a spreadsheet would run.
    statements[0]!.lines[0]!.description = 'Pass "Bruxelles", 1 month\nrenewed';
    statements[1]!.lines[1]!.description = '=HYPERLINK("http://example.invalid")';
    const rows = parseCsv(statementsCsv(statements));
    expect(rows[0]).toEqual([...STATEMENT_CSV_COLUMNS]);
    const body = rows.slice(1).map((r) => Object.fromEntries(STATEMENT_CSV_COLUMNS.map((c, i) => [c, r[i]!])));
    expect(body.length).toBe(statements.reduce((n, s) => n + s.lines.length, 0));
    for (const s of statements) {
      const mine = body.filter((r) => r.payer_id === s.payerId);
      expect(mine.length).toBe(s.lines.length);
      const total = (k: string) => mine.reduce((n, r) => n + decimalToCents(r[k]!), 0);
      expect({ netCents: total('net_eur'), vatCents: total('vat_eur'), grossCents: total('gross_eur') }).toEqual(s.totals);
      expect(mine.filter((r) => r.kind === 'adjustment').map((r) => r.adjusts_period)).toEqual(['2026-02', '2026-02']);
    }
    expect(body[0]!.description).toBe('Pass "Bruxelles", 1 month\nrenewed');
    expect(body.find((r) => r.payer_id === 'brugse-data' && r.kind === 'quota_package')!.description).toBe(`'=HYPERLINK("http://example.invalid")`);
    expect(body.find((r) => r.service_code === 'coffee')!.vat_rate_percent).toBe('6.00');
    expect(body.find((r) => r.service_code === 'coffee')!.unit_price_eur).toBe('1.83');
  });

  it('writes the settlement one site a row, adding up to its payouts; the evaluation one month a row', () => {
    const settlement = fixtureSettlement();
    const rows = parseCsv(settlementCsv(settlement));
    expect(rows[0]).toEqual([...SETTLEMENT_CSV_COLUMNS]);
    const payout = rows.slice(1).reduce((n, r) => n + decimalToCents(r[SETTLEMENT_CSV_COLUMNS.indexOf('payout_eur')]!), 0);
    expect(payout).toBe(settlement.sites.reduce((n, s) => n + s.payoutCents, 0));
    expect(payout).toBe(settlement.network.billedNetCents - settlement.network.retainedCents);
    const e = fixtureEvaluation();
    const evaluation = parseCsv(evaluationCsv(e));
    expect(evaluation[0]).toEqual([...EVALUATION_CSV_COLUMNS]);
    expect(evaluation.slice(1).map((r) => r[2])).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(evaluation.slice(1).reduce((n, r) => n + decimalToCents(r[5]!), 0)).toBe(e.revenueNetCents);
    // Device figures: empty before the station reported its devices (January), else the month's, adding up to the range's.
    const col = (name: (typeof EVALUATION_CSV_COLUMNS)[number]) => evaluation.slice(1).map((r) => r[EVALUATION_CSV_COLUMNS.indexOf(name)]);
    expect(col('reader_faults')).toEqual(['', '1', '1']);
    expect(col('device_down_minutes')).toEqual(['', '45', '50']);
    const total = (name: (typeof EVALUATION_CSV_COLUMNS)[number]) => col(name).reduce((n, v) => n + Number(v), 0);
    expect([total('reader_faults'), total('printer_faults'), total('print_jobs_failed'), total('device_down_minutes')]).toEqual([
      e.devices.readerFaults, e.devices.printerFaults, e.devices.printJobsFailed, e.devices.downMinutes,
    ]);
    expect(e.devices).toMatchObject({ readerFaults: 2, printerFaults: 1, printJobsFailed: 3, downMinutes: 95 });
    // A range before the station reported its devices: every device cell empty, not zero.
    expect(parseCsv(evaluationCsv(fixtureEvaluation('leuven-station', '2026-01', '2026-01'))).slice(1).map((r) => r.slice(6, 10))).toEqual([['', '', '', '']]);
    // The tills month by month, adding up to the range's (issue 16).
    expect(col('tills_with_difference')).toEqual(['3', '0', '1']);
    expect([total('tills_closed'), total('tills_with_difference')]).toEqual([e.tills.closed, e.tills.withDifference]);
    expect([col('till_shortfall_eur'), col('till_surplus_eur')].map((c) => c.reduce((n, v) => n + decimalToCents(v!), 0))).toEqual([e.tills.shortfallCents, e.tills.surplusCents]);
  });
});

describe('statement PDF', () => {
  it('prints a provisional French statement over several pages: payer, lines, adjustments, VAT, totals, members', async () => {
    const s = fixtureStatement({ language: 'fr', extraLines: 30 });
    const file = await writePdf('statement-fr', statementPdf(s));
    const pages = pdfPages(file, path.join(OUT, 'statement-fr'));
    // Two pages of lines and totals, then a page per member.
    expect(pages.length).toBe(4);
    for (const p of pages) expect(fs.statSync(p).size).toBeGreaterThan(10_000);
    const text = pdfText(file);
    expect(text).toContain('Relevé — mars 2026');
    expect(text).toContain('Wallonie Tech SA');
    expect(text).toContain('BE0689012345');
    expect(text).toContain('PROVISOIRE');
    expect(text).toMatch(/Provisoire : la période n’est pas encore clôturée/);
    expect(text).toMatch(/Meeting room, per hour\s+Escale Namur Gare\s+2 h 00\s+20,00 €\s+21 %\s+40,00 €\s+8,40 €\s+48,40 €/);
    expect(text).toMatch(/Coffee\s+Escale Bruxelles\s+9 item\s+1,83 €\s+6 ?%\s+16,47 €\s+0,99 €\s+17,46 €/);
    expect(text).toContain('Régularisations de périodes clôturées');
    expect(text).toContain('corrige février 2026 (2026-02)');
    expect(text).toMatch(/Récapitulatif TVA[\s\S]*6 ?%\s+14,64 €\s+0,88 €\s+15,52 €/);
    expect(text).toMatch(/Total \(TVAC\)\s+1 518,86 €/);
    expect(s.totals.grossCents).toBe(151_886);
    expect(text).toContain('Détail par membre');
    expect(text).toContain('Femke De Smet (m0007)');
    expect(text).toContain('Maxime Dubois (m0015)');
    for (let n = 1; n <= 4; n++) expect(text).toContain(`Page ${n} sur 4`);
    expect(text).not.toMatch(/Statement|Afrekening|Abrechnung/);
  });

  it('speaks the payer’s language: Dutch, German and English labels and amounts', async () => {
    const expected = {
      nl: ['Afrekening — maart 2026', 'Brugse Data BV', 'Btw-overzicht', 'corrigeert februari 2026', '€ 250,00', 'VOORLOPIG', 'Pagina 1 van 3'],
      de: ['Abrechnung — März 2026', 'Ostbelgien Consult GmbH', 'MwSt.-Übersicht', 'korrigiert Februar 2026', '250,00 €', 'VORLÄUFIG', 'Seite 1 von 3'],
      en: ['Statement — March 2026', 'Meridian Pharma NV', 'VAT summary', 'corrects February 2026', '€250.00', 'PROVISIONAL', 'Page 1 of 3'],
    } as const;
    for (const [language, words] of Object.entries(expected) as [keyof typeof expected, readonly string[]][]) {
      const s = fixtureStatement({ language });
      const text = pdfText(await writePdf(`statement-${language}`, statementPdf(s)));
      for (const w of words) expect(text, `${language}: ${w}`).toContain(w);
      expect(text, language).toContain(plain(formatMoney(s.totals.grossCents, language)));
    }
  });

  it('marks nothing provisional on a closed statement, and says when it closed', async () => {
    const s = fixtureStatement({ language: 'en', status: 'closed' });
    const text = pdfText(await writePdf('statement-en-closed', statementPdf(s)));
    expect(text).not.toContain('PROVISIONAL');
    expect(text).toMatch(/closed — Closed on 28 Mar 2026/);
  });

  it('prints a whole month’s run, each payer from a new page in its own language; refuses an empty run', async () => {
    const run = (['fr', 'nl'] as const).map((language) => fixtureStatement({ language }));
    const text = pdfText(await writePdf('statements-run', statementsPdf(run)));
    expect(text).toContain('Relevé — mars 2026');
    expect(text).toContain('Afrekening — maart 2026');
    await expect(statementsPdf([])).rejects.toThrow(/no statement to print/);
  });

  it('prints a statement with nothing to bill, and a payer name outside Latin-1', async () => {
    const s: Statement = statementSchema.parse({
      ...fixtureStatement({ language: 'fr' }),
      payerName: 'Łódź Ćwierć Sp. z o.o.',
      lines: [], vatSummary: [], members: [], totals: { netCents: 0, vatCents: 0, grossCents: 0 },
    });
    const dir = tempDir('escale-pdf-');
    const file = path.join(dir, 'empty.pdf');
    fs.writeFileSync(file, await statementPdf(s));
    const text = pdfText(file);
    expect(text).toContain('Rien à facturer pour cette période.');
    expect(text).toContain('Łódź Ćwierć Sp. z o.o.');
  });
});

describe('settlement and evaluation PDF', () => {
  it('prints the settlement: a row per site, network totals, case counts', async () => {
    const settlement = fixtureSettlement();
    const file = await writePdf('settlement-en', settlementPdf(settlement, 'en'));
    expect(pdfPages(file, path.join(OUT, 'settlement-en')).length).toBe(1);
    const text = pdfText(file);
    expect(text).toContain('Settlement with the centers — March 2026');
    expect(text).toMatch(/Escale Bruxelles Louise\s+€1,234.56/);
    expect(text).toMatch(/Total\s+€2,262.21\s+120 h 00\s+40 h 00/);
    expect(text).toMatch(/Retained by the network\s+€542.44/);
    expect(text).toMatch(/Collected at the centers' desks \(net\)\s+€0.00/);
    expect(text).toMatch(/Overlapping visits\s+1/);
    expect(text).toMatch(/Quarantined events\s+0/);
    expect(text).toContain('PROVISIONAL');
  });

  it('prints an evaluation in the language asked', async () => {
    const text = pdfText(await writePdf('evaluation-de', evaluationPdf(fixtureEvaluation(), 'de')));
    expect(text).toContain('Bewertung des Zentrums — Escale Leuven Station');
    expect(text).toMatch(/Besuche\s+947/);
    expect(text).toMatch(/Umsatz \(netto\)\s+15.882,35 €/);
    expect(text).toMatch(/März 2026\s+342\s+1500 Std\. 15\s+5.778,90 €\s+1\s+0 Std\. 50/);
    // Device health: the range's figures, and none for January, before the station reported its devices.
    expect(text).toMatch(/Leserstörungen\s+2/);
    expect(text).toMatch(/Druckerstörungen\s+1/);
    expect(text).toMatch(/Fehlgeschlagene Druckaufträge\s+3/);
    expect(text).toMatch(/Ausfallzeit der Geräte\s+1 Std\. 35/);
    // The tills (issue 16): the range's, and month by month.
    expect(text).toMatch(/Abgeschlossene Kassen\s+122/);
    expect(text).toMatch(/Kassen mit Differenz\s+4/);
    expect(text).toMatch(/Kassenfehlbeträge\s+4,50 €/);
    expect(text).toMatch(/Januar 2026\s+40\s+3\s+2,50 €\s+0,20 €/);
    expect(text).toMatch(/Gemeldet seit\s+03\.02\.2026/);
    expect(text).toMatch(/Januar 2026\s+310\s+1350 Std\. 00\s+5.123,45 €\s+—\s+—/);
  });
});
