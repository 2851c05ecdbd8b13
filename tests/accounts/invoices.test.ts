// Issue 17's documents, end to end: three real stations record the first days of October 2026 and
// sync to a real hub; October closes before the network's legal profile is in the reference data
// (the close works, issuing says what is missing), then it is imported with two companies on the
// Peppol network (Acme, a quota; Nomad, a whole-network pass, coffee at 6 %) beside persons paying
// for themselves. A November void of an October Acme line becomes a credit note naming October's
// invoice. Every UBL the month produced passes the official rules (CEN EN 16931 and PEPPOL
// Schematron) in one run of the validator, broken copies do not; numbers are gap-free; the
// documents add up to the statements; re-emitted, they are the same bytes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccounts } from '../../server/accounts/index.js';
import { InvoicingError, type IssuedInvoice } from '../../server/accounts/invoicing/issue.js';
import { importReference } from '../../server/hub/reference-admin.js';
import { isValidStructuredCommunication } from '../../common/belgian-numbers.js';
import { formatMoney } from '../../common/money.js';
import { NETWORK_PROFILE, withParties } from '../support/invoice-parties.js';
import { documentDrafts, numbered } from '../../server/accounts/invoicing/documents.js';
import { writeUbl } from '../../server/accounts/invoicing/ubl.js';
import { invoicePdf } from '../../server/accounts/render/invoice-pdf.js';
import { accountingJournalCsv } from '../../server/accounts/render/journal-csv.js';
import { networkProfileSchema, payerSchema } from '../../common/reference-data.js';
import type { Statement } from '../../common/accounts/reports.js';
import { unwrap } from '../support/ledger.js';
import { ADMIN_TOKEN, stopTestHubStores } from '../support/hub-fixture.js';
import { invoiceListingSchema } from '../../common/admin-api.js';
import { M, SITE_B, openNetworkMonth, syncSites, SITE_A, SITE_C, type NetworkMonth } from '../support/accounts-network.js';
import { runCli } from '../support/cli.js';
import type { AccountsFactory } from '../../server/cli/escale-hub.js';
import type { InvoiceManifest } from '../../server/accounts/invoicing/manifest.js';
import { createHash } from 'node:crypto';
import { SHARED_PEPPOL, validatePeppol } from '../support/peppol.js';
import { expectDocumentPdf } from '../support/invoice-pdf-text.js';
import { readCsvRecords } from '../support/csv.js';
import { driftingStatement, treatedPayer, treatedStatement } from '../support/invoice-fixtures.js';
import { decimalToCents } from '../../common/money.js';

let hubNow = Date.parse('2026-11-04T12:00:00.000Z');
let net: NetworkMonth;
const accounts = () => createAccounts(net.hub.store, { now: () => hubNow, graceDays: 3 });
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'escale-invoices-'));
const cliAccounts: AccountsFactory = (store) => createAccounts(store, { now: () => hubNow, graceDays: 3 });

/** Runs escale-hub in this process on the hub's own store, as an operator would (with its erasure log). */
async function hubCli(args: string[]) {
  const r = await runCli('escale-hub', [...args, '--db', net.hub.file, '--erasure-log', net.hub.erasureLog], { accounts: cliAccounts });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  // October 1–9 (seven weekdays), every station synced past the month's end plus its grace days.
  net = await openNetworkMonth({ accounts: cliAccounts, lastDay: 9, syncedAt: '2026-11-04T08:00:00.000Z', now: () => hubNow });
}, 180_000);

afterAll(async () => {
  await net?.close();
  await stopTestHubStores();
  fs.rmSync(out, { recursive: true, force: true });
});

const ubls: { file: string; doc: IssuedInvoice }[] = [];
const keep = (docs: IssuedInvoice[]) => {
  for (const d of docs)
    if (d.ubl) {
      const file = path.join(out, `${d.document.number}.xml`);
      fs.writeFileSync(file, d.ubl);
      ubls.push({ file, doc: d });
    }
};

/** Acme's statement with a 0 % line beside a 21 % one. */
function exemptStatement(): Statement {
  const line = (description: string, vatRateBp: number, netCents: number, vatCents: number) =>
    ({ kind: 'usage' as const, description, quantity: 1, unit: 'item', unitPriceCents: netCents, vatRateBp, netCents, vatCents, grossCents: netCents + vatCents });
  const lines = [line('Casier — Bruxelles A', 0, 500, 0), line('Impression — Bruxelles A', 2100, 120, 25)];
  return {
    period: '2026-10', payerId: 'acme', payerName: 'Acme SA', language: 'fr', status: 'closed', lines,
    vatSummary: [{ vatRateBp: 0, netCents: 500, vatCents: 0 }, { vatRateBp: 2100, netCents: 120, vatCents: 25 }],
    totals: { netCents: 620, vatCents: 25, grossCents: 645 }, members: [],
    // A member paid 2,00 € of it at a desk (issue 16): the invoice's PrepaidAmount, checked by BR-CO-16.
    paidAtDesk: [{ paymentId: '01900000-0000-7000-8000-000000000001', memberId: 'm-1', siteId: 'bru-a', siteName: 'Bruxelles A', localDate: '2026-10-14', method: 'cash', description: 'Payé au comptoir de Bruxelles A le 14 oct. 2026', amountCents: 200 }],
    paidAtDeskCents: 200, payableCents: 445,
  };
}

/** A PDF's text as pdftotext reads it (Debian poppler-utils), no-break spaces as spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
function pdfText(pdf: Buffer): string {
  const file = path.join(out, `read-${process.hrtime.bigint()}.pdf`);
  fs.writeFileSync(file, pdf);
  return plain(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));
}

/** Each payer's documents add up to its statement: invoices less credit notes, net and VAT. */
function expectStatementTotals(statements: Statement[], docs: IssuedInvoice[]) {
  for (const s of statements) {
    const own = docs.filter((d) => d.document.buyer.payerId === s.payerId);
    const sum = (f: (d: IssuedInvoice) => number) => own.reduce((n, d) => n + (d.document.kind === 'invoice' ? 1 : -1) * f(d), 0);
    expect({ payer: s.payerId, net: sum((d) => d.document.totals.netCents), vat: sum((d) => d.document.totals.vatCents) }).toEqual({ payer: s.payerId, net: s.totals.netCents, vat: s.totals.vatCents });
  }
}

describe('invoices and credit notes of a network month', () => {
  let october: IssuedInvoice[];

  it('closes October without the network’s legal profile; issuing then says what is missing', async () => {
    expect(await accounts().closePeriod('2026-10')).toMatchObject({ closed: true });
    const refused = await accounts().invoices('2026-10').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvoicingError);
    expect((refused as InvoicingError).code).toBe('NETWORK_PROFILE_MISSING');
    expect((refused as Error).message).toMatch(/no "network" profile .*legal name, address, enterprise number, VAT number, IBAN, BIC and Peppol id/);
    expect(await net.hub.store.documentsIssued('2026-10')).toBe(false);
    // The command line says it in words, and writes nothing.
    const dir = path.join(out, 'cli-refused');
    const cli = await hubCli(['invoices', '--period', '2026-10', '--out', dir]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/^error NETWORK_PROFILE_MISSING: the reference data has no "network" profile \(the network's legal name, address, enterprise number, VAT number, IBAN, BIC and Peppol id\)/);
    expect(cli.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(fs.existsSync(dir)).toBe(false);
    const open = await hubCli(['invoices', '--period', '2026-11', '--out', dir]);
    expect({ code: open.code, stderr: open.stderr }).toEqual({ code: 1, stderr: 'error PERIOD_OPEN: 2026-11 is not closed yet: its invoices are issued when it closes (escale-hub close --period 2026-11)\n' });
  });

  it('issues October once the profile is imported: one document per payer with a balance, PDF only for persons, numbered from 1', async () => {
    await importReference(net.hub.store, withParties(net.ref), '2026-11-04T13:00:00.000Z');
    hubNow = Date.parse('2026-11-04T14:00:00.000Z');
    october = await accounts().invoiceFiles('2026-10');
    const statements = await accounts().statements('2026-10');
    const billed = statements.filter((s) => s.totals.netCents !== 0 || s.totals.vatCents !== 0).map((s) => s.payerId).sort();
    expect(october.map((d) => d.document.buyer.payerId).sort()).toEqual(billed);
    expect(october.every((d) => d.document.kind === 'invoice' && d.document.issueDate === '2026-11-04' && d.document.dueDate === '2026-12-04')).toBe(true);
    expect(october.map((d) => d.document.number)).toEqual(october.map((_, i) => `2026-${String(i + 1).padStart(6, '0')}`));
    for (const d of october) {
      expect(isValidStructuredCommunication(d.document.structuredCommunication)).toBe(true);
      expect(d.pdf?.subarray(0, 5).toString()).toBe('%PDF-');
      const company = d.document.buyer.payerId === 'acme' || d.document.buyer.payerId === 'self-network';
      expect({ payer: d.document.buyer.payerId, channel: d.document.channel, ubl: d.ubl !== undefined }).toEqual({ payer: d.document.buyer.payerId, channel: company ? 'peppol' : 'pdf', ubl: company });
    }
    expectStatementTotals(statements, october);
    // Each PDF, read back: its number, the structured communication to pay it with, what it totals.
    for (const d of october) {
      const text = pdfText(d.pdf!);
      expect(text).toContain(d.document.number);
      expect(text).toContain(d.document.structuredCommunication);
      expect(text).toContain(plain(formatMoney(d.document.totals.payableCents, d.document.buyer.language)));
    }
    // The cases the proof needs: a quota package, a pass month, two VAT rates on one invoice.
    const acme = october.find((d) => d.document.buyer.payerId === 'acme')!.document;
    expect(acme.lines.some((l) => l.description.includes('Acme Q4') && l.quantity === 1 && l.unitCode === 'C62')).toBe(true);
    expect(acme.lines.some((l) => l.unitCode === 'MIN' && l.baseQuantity === 60 && l.allowanceCents !== undefined)).toBe(true);
    const nomad = october.find((d) => d.document.buyer.payerId === 'self-network')!.document;
    expect(nomad.lines.some((l) => l.unitCode === 'MON')).toBe(true);
    expect(nomad.vat.map((v) => [v.vatCategory, v.vatRateBp])).toEqual([['S', 600], ['S', 2100]]);
    keep(october);
    // Asked again: the same documents, not new ones.
    expect((await accounts().invoiceFiles('2026-10')).map((d) => d.document.number)).toEqual(october.map((d) => d.document.number));
  });

  it('closes November with its documents in the close; a negative adjustment is a credit note naming the invoice it corrects', async () => {
    // In November, station B voids Acme's last paid October desk line (after its quota ran out).
    const events = await net.hub.store.listEvents({ limit: 1_000_000 });
    const paid = events
      .filter((e) => e.type === 'consumption.recorded' && e.siteId === SITE_B)
      .map((e) => e.payload as { consumptionId: string; memberId?: string; serviceCode: string; netCents: number; at: string })
      .filter((p) => p.memberId === M.quota2 && p.serviceCode === 'desk_hour' && p.netCents > 0)
      .sort((a, b) => (a.at < b.at ? -1 : 1))
      .pop()!;
    const b = net.stations[SITE_B]!;
    b.t.clock.set('2026-11-05T10:00:00.000Z');
    unwrap(await b.t.api.voidConsumption({ consumptionId: paid.consumptionId, reason: 'billed twice' }));
    hubNow = Date.parse('2026-12-04T12:00:00.000Z');
    await syncSites(net.hub, net.stations, [SITE_A, SITE_B, SITE_C], '2026-12-04T08:00:00.000Z');
    expect(await accounts().closePeriod('2026-11')).toMatchObject({ closed: true });
    expect(await net.hub.store.documentsIssued('2026-11')).toBe(true);
    // Numbered in the close; their files are rendered when first emitted, then kept.
    expect((await accounts().invoices('2026-11')).map((d) => [d.pdf, d.ubl])).toEqual((await accounts().invoices('2026-11')).map(() => [undefined, undefined]));
    const november = await accounts().invoiceFiles('2026-11');
    expect(november.every((d) => d.pdf !== undefined && (d.ubl !== undefined) === (d.document.channel === 'peppol'))).toBe(true);
    expect((await accounts().invoices('2026-11')).every((d) => d.pdf !== undefined)).toBe(true);
    const statements = await accounts().statements('2026-11');
    expectStatementTotals(statements, november);
    const credit = november.filter((d) => d.document.kind === 'credit_note');
    expect(credit.map((d) => d.document.buyer.payerId)).toEqual(['acme']);
    const acmeOctober = october.find((d) => d.document.buyer.payerId === 'acme')!.document;
    expect(credit[0]!.document.corrects).toEqual({ number: acmeOctober.number, issueDate: acmeOctober.issueDate });
    expect(credit[0]!.document.totals.netCents).toBe(-statements.find((s) => s.payerId === 'acme')!.lines.filter((l) => l.kind === 'adjustment').reduce((n, l) => n + l.netCents, 0));
    expect(credit[0]!.document.totals.netCents).toBeGreaterThan(0);
    expect(credit[0]!.document.lines.every((l) => l.adjustsPeriod === '2026-10')).toBe(true);
    // Numbers run on from October's, gap-free, the credit notes after the invoices.
    expect(november.map((d) => d.document.number)).toEqual(november.map((_, i) => `2026-${String(october.length + i + 1).padStart(6, '0')}`));
    keep(november);
  });

  it('prints every document of October and November as the invoice or credit note it is, in its payer’s language', async () => {
    const docs = [...(await accounts().invoices('2026-10')), ...(await accounts().invoices('2026-11'))];
    expect(new Set(docs.map((d) => d.document.buyer.language)).size).toBeGreaterThan(1);
    for (const d of docs) expectDocumentPdf(d.document, d.pdf);
  });

  it('re-emits every document byte for byte; an issued file is never rewritten', async () => {
    const again = [...(await accounts().invoiceFiles('2026-10')), ...(await accounts().invoiceFiles('2026-11'))];
    for (const { doc } of ubls) {
      const same = again.find((d) => d.document.number === doc.document.number)!;
      expect(same.ubl!.equals(doc.ubl!)).toBe(true);
      expect(same.pdf!.equals(doc.pdf!)).toBe(true);
    }
    const first = ubls[0]!.doc;
    await net.hub.store.attachDocumentFiles(first.document.number, { ubl: Buffer.from('<Invoice/>'), pdf: Buffer.from('%PDF-1.4 other') });
    const kept = (await accounts().invoice(first.document.number))!;
    expect(kept.ubl!.equals(first.ubl!)).toBe(true);
    expect(kept.pdf!.equals(first.pdf!)).toBe(true);
  });

  it('writes a month’s documents to a folder from the command line: each UBL and PDF as stored, and a manifest with their SHA-256', async () => {
    const dir = path.join(out, 'cli-2026-11');
    const cli = await hubCli(['invoices', '--period', '2026-11', '--out', dir]);
    expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 0, stderr: '' });
    const november = await accounts().invoiceFiles('2026-11');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as InvoiceManifest;
    expect(JSON.parse(cli.stdout)).toEqual({ period: '2026-11', written: dir, documents: november.length, files: manifest.documents.flatMap((d) => d.files).length, journal: path.join(dir, 'journal.csv'), manifest: path.join(dir, 'manifest.json') });
    // The accounting journal beside them: a row per document and VAT rate, adding up to each document.
    const journal = readCsvRecords(fs.readFileSync(path.join(dir, 'journal.csv'), 'utf8').replace(/^\uFEFF/, ''), ';');
    expect([...new Set(journal.map((r) => r.number))]).toEqual(november.map((d) => d.document.number));
    for (const d of november) {
      const rows = journal.filter((r) => r.number === d.document.number);
      expect(rows.map((r) => [r.kind, r.payer_id, r.vat_category, r.vat_rate_percent])).toEqual(d.document.vat.map((v) => [d.document.kind, d.document.buyer.payerId, v.vatCategory, (v.vatRateBp / 100).toFixed(2)]));
      expect(rows.reduce((n, r) => n + decimalToCents(r.net_eur!) + decimalToCents(r.vat_eur!), 0)).toBe(d.document.totals.grossCents);
      expect(rows[0]!.structured_communication).toBe(d.document.structuredCommunication.replace(/\D/g, ''));
    }
    expect(manifest.documents.map((d) => [d.number, d.kind, d.payerId, d.totals])).toEqual(november.map((d) => [d.document.number, d.document.kind, d.document.buyer.payerId, d.document.totals]));
    for (const d of november) {
      const listed = manifest.documents.find((m) => m.number === d.document.number)!;
      expect(listed.files.map((f) => f.name)).toEqual([...(d.ubl ? [`${d.document.number}.xml`] : []), `${d.document.number}.pdf`]);
      for (const f of listed.files) {
        const bytes = fs.readFileSync(path.join(dir, f.name));
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
        expect(bytes.equals(f.type === 'ubl' ? d.ubl! : d.pdf!)).toBe(true);
      }
    }
    expect(manifest.documents.find((d) => d.kind === 'credit_note')).toMatchObject({ payerId: 'acme', channel: 'peppol', peppolId: '0208:0123456749' });
    // One payer's; the same bytes again (a second run leaves the folder as it was).
    const acme = path.join(out, 'cli-acme');
    expect((await hubCli(['invoices', '--period', '2026-10', '--payer', 'acme', '--out', acme])).code).toBe(0);
    const acmeOctober = october.find((d) => d.document.buyer.payerId === 'acme')!;
    expect(fs.readdirSync(acme).sort()).toEqual([`${acmeOctober.document.number}.pdf`, `${acmeOctober.document.number}.xml`, 'journal.csv', 'manifest.json']);
    const before = fs.readFileSync(path.join(acme, 'manifest.json'));
    expect((await hubCli(['invoices', '--period', '2026-10', '--payer', 'acme', '--out', acme])).code).toBe(0);
    expect(fs.readFileSync(path.join(acme, 'manifest.json')).equals(before)).toBe(true);
    const unknown = await hubCli(['invoices', '--period', '2026-10', '--payer', 'nobody', '--out', acme]);
    expect(unknown.stderr).toMatch(/^error NOT_FOUND: no invoice or credit note for payer "nobody" in 2026-10/);
  });

  it('lists a month’s documents on the admin API and downloads each file as stored (operator token only)', async () => {
    const get = (route: string, token = ADMIN_TOKEN) => fetch(`${net.hub.url}/admin/accounts/${route}`, { headers: { authorization: `Bearer ${token}` } });
    const november = await accounts().invoiceFiles('2026-11');
    const res = await get('invoices?period=2026-11');
    expect(res.status).toBe(200);
    const listing = invoiceListingSchema.parse(((await res.json()) as { value: unknown }).value);
    expect(listing.map((d) => [d.number, d.kind, d.payerId, d.channel, d.totals.payableCents, d.files])).toEqual(
      november.map((d) => [d.document.number, d.document.kind, d.document.buyer.payerId, d.document.channel, d.document.totals.payableCents, { ubl: d.ubl !== undefined, pdf: true }]),
    );
    const credit = november.find((d) => d.document.kind === 'credit_note')!;
    expect(listing.find((d) => d.kind === 'credit_note')!.corrects).toBe(credit.document.corrects!.number);
    const xml = await get(`invoices/${credit.document.number}.xml`);
    expect([xml.status, xml.headers.get('content-type'), xml.headers.get('content-disposition')]).toEqual([200, 'application/xml', `attachment; filename="${credit.document.number}.xml"`]);
    expect(Buffer.from(await xml.arrayBuffer()).equals(credit.ubl!)).toBe(true);
    const pdf = await get(`invoices/${credit.document.number}.pdf`);
    expect(Buffer.from(await pdf.arrayBuffer()).equals(credit.pdf!)).toBe(true);
    const person = november.find((d) => d.document.channel === 'pdf')!;
    const none = await get(`invoices/${person.document.number}.xml`);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: { message: string } }).error.message).toBe(`${person.document.number} is sent as PDF only (its payer has no Peppol id): it has no UBL`);
    expect((await get('invoices/2026-999999.pdf')).status).toBe(404);
    // The month's accounting journal, as the CLI writes it beside the documents.
    const journal = await get('invoices.csv?period=2026-11');
    expect([journal.status, journal.headers.get('content-disposition')]).toEqual([200, 'attachment; filename="journal-2026-11.csv"']);
    expect(Buffer.from(await journal.arrayBuffer()).toString('utf8')).toBe(accountingJournalCsv(november.map((d) => d.document)));
    expect((await get('invoices.csv?period=2026-12')).status).toBe(409);
    // A malformed or oversized month is refused, worded, and the hub goes on serving.
    for (const bad of ['invoices.csv?period=2026-13', `invoices.csv?period=${'9'.repeat(5000)}`, 'invoices.csv?period=%E0%A4%A', 'invoices.csv']) expect((await get(bad)).status).toBe(400);
    expect((await get('invoices.csv?period=2026-11')).status).toBe(200);
    expect((await get('invoices.csv?period=2026-11', 'not-the-token')).status).toBe(401);
    expect((await get('invoices?period=2026-12')).status).toBe(409);
    expect((await get('invoices?period=2026-11', 'not-the-token')).status).toBe(401);
  });

  // On a clean machine the validator first compiles both rule sets (one to two minutes here), then caches them.
  it('passes the official Peppol BIS Billing 3.0 rules (CEN EN 16931 and PEPPOL); broken copies are caught', async () => {
    expect(ubls.length).toBeGreaterThanOrEqual(4);
    expect(ubls.some((u) => u.doc.document.kind === 'credit_note')).toBe(true);
    // Two broken copies of the first invoice: another customisation, totals that do not add up.
    const source = ubls.find((u) => u.doc.document.kind === 'invoice')!;
    const text = source.doc.ubl!.toString('utf8');
    const wrongCustomization = path.join(out, 'broken-customization.xml');
    fs.writeFileSync(wrongCustomization, text.replace(/<cbc:CustomizationID>[^<]*</, '<cbc:CustomizationID>urn:cen.eu:en16931:2017<'));
    const wrongTotals = path.join(out, 'broken-totals.xml');
    const net_ = source.doc.document.totals.netCents;
    const broken = text.replace(/(<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">)[^<]*/, `$1${((net_ + 100) / 100).toFixed(2)}`);
    expect(broken).not.toBe(text);
    fs.writeFileSync(wrongTotals, broken);
    // And an official example with its lines' sum changed: the rules below the document's root are checked too.
    const example = path.join(out, 'example-wrong-sum.xml');
    const official = fs.readFileSync(path.join(SHARED_PEPPOL, 'examples/base-example.xml'), 'utf8');
    fs.writeFileSync(example, official.replace(/(<cac:LegalMonetaryTotal>\s*<cbc:LineExtensionAmount currencyID="EUR">)1300</, '$11400<'));
    // A statement with a 0 % line (none in this network's tariff): exempt, its reason in the buyer's language.
    const exempt = path.join(out, 'exempt.xml');
    const [draft] = documentDrafts([exemptStatement()], {
      issueDate: '2026-11-04', dueDate: '2026-12-04', network: networkProfileSchema.parse(NETWORK_PROFILE), payers: new Map([['acme', payerSchema.parse(withParties(net.ref).payers.find((p) => p.id === 'acme'))]]), invoiceOf: () => undefined,
    });
    const exemptDoc = numbered(draft!, 2026, 999);
    expect(exemptDoc.vat.map((v) => [v.vatCategory, v.vatRateBp, v.exemptionReason])).toEqual([['E', 0, 'Exonéré de TVA'], ['S', 2100, undefined]]);
    expect([exemptDoc.totals.grossCents, exemptDoc.totals.prepaidCents, exemptDoc.totals.payableCents]).toEqual([645, 200, 445]);
    fs.writeFileSync(exempt, writeUbl(exemptDoc, await invoicePdf(exemptDoc)));
    // A large payer whose VAT, rounded consumption by consumption, drifted 7,50 € from its nets × 21 %:
    // the statement works VAT out per rate, and its invoice and credit note pass BR-CO-17 and BR-S-09.
    const acme = payerSchema.parse(withParties(net.ref).payers.find((p) => p.id === 'acme'));
    const large = driftingStatement(acme);
    expect(large.vatSummary).toEqual([{ vatRateBp: 600, netCents: 37_500, vatCents: 2_250 }, { vatRateBp: 2100, netCents: 73_000, vatCents: 15_750 - 420 }]);
    expect(large.lines.reduce((n, l) => n + l.vatCents, 0)).toBe(large.totals.vatCents);
    const largeDrafts = documentDrafts([large], {
      issueDate: '2026-11-04', dueDate: '2026-12-04', network: networkProfileSchema.parse(NETWORK_PROFILE), payers: new Map([['acme', acme]]),
      invoiceOf: (_payer, period) => (period === '2026-09' ? { number: '2026-000041', issueDate: '2026-10-05' } : undefined),
    });
    const largeDocs = await Promise.all(largeDrafts.map(async (d, at) => {
      const doc = numbered(d, 2026, 990 + at);
      const ubl = Buffer.from(writeUbl(doc, await invoicePdf(doc)), 'utf8');
      return { document: doc, ubl } satisfies IssuedInvoice;
    }));
    expect(largeDocs.map((d) => [d.document.kind, d.document.vat.map((v) => v.vatCents)])).toEqual([['invoice', [2_250, 15_750]], ['credit_note', [420]]]);
    expectStatementTotals([large], largeDocs);
    const largeFiles = largeDocs.map((d) => {
      const file = path.join(out, `large-${d.document.kind}.xml`);
      fs.writeFileSync(file, d.ubl!);
      return file;
    });
    // The same month with a desk refunding Acme's members 50,00 € that no document had declared:
    // the credit note says it refunded already (PrepaidAmount on a CreditNote), the invoice owes the rest again.
    const refund = { paymentId: '01900000-0000-7000-8000-000000000001', refundId: '01900000-0000-7000-8000-000000000002', memberId: 'm-1', siteId: 'bru-a', siteName: 'Bruxelles A', localDate: '2026-10-20', method: 'cash' as const, description: 'Remboursé au comptoir de Bruxelles A le 20 oct. 2026', amountCents: -5_000 };
    const refunded = await Promise.all(
      documentDrafts([{ ...large, paidAtDesk: [refund], paidAtDeskCents: -5_000, payableCents: large.totals.grossCents + 5_000 }], {
        issueDate: '2026-11-04', dueDate: '2026-12-04', network: networkProfileSchema.parse(NETWORK_PROFILE), payers: new Map([['acme', acme]]),
        invoiceOf: (_payer, period) => (period === '2026-09' ? { number: '2026-000041', issueDate: '2026-10-05' } : undefined),
      }).map(async (d, at) => {
        const doc = numbered(d, 2026, 995 + at);
        const file = path.join(out, `refunded-${doc.kind}.xml`);
        fs.writeFileSync(file, writeUbl(doc, await invoicePdf(doc)));
        return { doc, file };
      }),
    );
    expect(refunded.map(({ doc }) => [doc.kind, doc.totals.prepaidCents, doc.totals.payableCents])).toEqual([
      ['invoice', -(5_000 - 2_420), 37_500 + 2_250 + 75_000 + 15_750 + 5_000 - 2_420],
      ['credit_note', 2_420, 0],
    ]);
    largeFiles.push(...refunded.map((r) => r.file));
    // A month with a line of each VAT treatment its reference data can declare (issue 17): zero
    // rated (Z, no reason: BR-Z-10), exempt with a VATEX code and its ground in words (BR-E-10,
    // BR-CL-22), and the standard rate; then exempt lines on several grounds, one with no code and
    // one with the generic reason, in the one E breakdown a document may have (BR-E-01).
    const treatedFiles = await Promise.all((['one', 'several'] as const).map(async (grounds, at) => {
      const payer = treatedPayer('fr');
      const [d] = documentDrafts([treatedStatement('fr', grounds)], { issueDate: '2026-11-04', dueDate: '2026-12-04', network: networkProfileSchema.parse(NETWORK_PROFILE), payers: new Map([[payer.id, payer]]), invoiceOf: () => undefined });
      const doc = numbered(d!, 2026, 997 + at);
      expect(doc.vat.map((v) => v.vatCategory)).toEqual(['E', 'Z', 'S']);
      const file = path.join(out, `treated-${grounds}.xml`);
      fs.writeFileSync(file, writeUbl(doc, await invoicePdf(doc)));
      return file;
    }));
    const results = await validatePeppol([...ubls.map((u) => u.file), wrongCustomization, wrongTotals, example, exempt, ...largeFiles, ...treatedFiles]);
    for (const file of treatedFiles) expect({ file, errors: results.get(path.basename(file))!.failures.filter((f) => f.flag === 'fatal' || f.flag === 'error') }).toEqual({ file, errors: [] });
    for (const file of largeFiles) expect(results.get(path.basename(file))!.failures.filter((f) => f.flag === 'fatal' || f.flag === 'error')).toEqual([]);
    expect(results.get('exempt.xml')!.failures.filter((f) => f.flag === 'fatal' || f.flag === 'error')).toEqual([]);
    for (const u of ubls) {
      const r = results.get(path.basename(u.file))!;
      expect({ file: r.file, errors: r.failures.filter((f) => f.flag === 'fatal' || f.flag === 'error') }).toEqual({ file: r.file, errors: [] });
    }
    const ids = (file: string) => results.get(path.basename(file))!.failures.filter((f) => f.flag === 'fatal' || f.flag === 'error').map((f) => f.id);
    expect(results.get('broken-customization.xml')!.valid).toBe(false);
    expect(ids(wrongCustomization)).toContain('PEPPOL-EN16931-R004');
    expect(results.get('broken-totals.xml')!.valid).toBe(false);
    expect(ids(wrongTotals)).toContain('BR-CO-10');
    expect(ids(example)).toContain('BR-CO-10');
  }, 360_000);
});
