// The admin page's invoices (issue 17) in Debian's Chromium against a real hub holding the accounts'
// network with its parties: October closed, its documents listed in French and in Dutch at
// 1366×768 and 1920×1080 — numbers, payers by name, how each is sent, the structured
// communication, the totals — with nothing in English, no sideways scroll, no serious axe
// violation; a UBL downloaded from the page is the stored one, byte for byte; a month not closed
// yet is said in the page's language. What members paid at the desks (issue 16): G. Test paid a
// day of October by card at Namur C, so her invoice says it was paid at the desks and what is left
// due; Lotte Peeters paid a visit the desk then voided, so her payment waits for her next invoice,
// listed under the invoices whatever month is shown; a refund owed again is worded so.
// Screenshots under test-output/screenshots/.
import { accountingJournalCsv } from '../../server/accounts/render/journal-csv.js';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { waitFor } from '../support/wait.js';
import { launchChromium, screenshot, SCREEN_SIZES } from '../support/browser.js';
import { loadCatalogue, type Catalogue } from '../support/catalogues.js';
import { ensureAdminUiBuilt } from '../support/renderer-build.js';
import { ADMIN_TOKEN, stopTestHubStores } from '../support/hub-fixture.js';
import { M, SITE_A, SITE_B, SITE_C, STAFF_PIN, accountsReference, brussels, openNetworkStations, runOctober, syncSites, type NetworkMonth, type NetworkStation } from '../support/accounts-network.js';
import { startTestHub } from '../support/hub-fixture.js';
import { unwrap } from '../support/ledger.js';
import { withParties } from '../support/invoice-parties.js';
import { createAccounts } from '../../server/accounts/index.js';
import { importReference } from '../../server/hub/reference-admin.js';
import { formatMoney } from '../../common/money.js';
import type { DocumentIssue, HubStore } from '../../server/store/store.js';
import type { IssuedInvoice } from '../../server/accounts/invoicing/issue.js';

const DIR = path.resolve('server/admin-ui/src');
const messages = (language: string): Promise<Catalogue> => loadCatalogue(DIR, language);
const AXE_SOURCE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
const HUB_NOW = Date.parse('2026-11-04T12:00:00.000Z');
const engineOn = (store: HubStore) => createAccounts(store, { now: () => HUB_NOW });
const LOCALE = { fr: 'fr-BE', nl: 'nl-BE' } as const;
const MONTH = { fr: 'octobre 2026', nl: 'oktober 2026' } as const;

let net: NetworkMonth;
let browser: Browser;
let october: IssuedInvoice[];
/** What Lotte paid at Namur C's desk for the visit then voided: it waits for her next invoice. */
let lottePaid: number;
const pageProblems: string[] = [];

const LOTTE = { payer: { id: 'self-lotte', kind: 'self' as const, name: 'Lotte Peeters', language: 'nl' as const }, memberId: 'm-lotte' };

/**
 * Monday 12 October at Namur C: G. Test works the morning and pays it by card; Lotte Peeters comes
 * in, pays by card, and the clerk voids her visit (checked in by mistake) without refunding it yet.
 */
async function deskPayments(c: NetworkStation): Promise<number> {
  const t = c.t;
  t.clock.set(brussels('2026-10-12', '08:30'));
  const shiftId = unwrap(await t.api.staffSignIn({ staffId: `clerk-${SITE_C}`, pin: STAFF_PIN })).shiftId;
  const payg = unwrap(await t.api.checkIn({ memberId: M.payg, shiftId }));
  t.clock.set(brussels('2026-10-12', '09:00'));
  const lotte = unwrap(await t.api.checkIn({ memberId: LOTTE.memberId, shiftId }));
  t.clock.set(brussels('2026-10-12', '11:15'));
  unwrap(await t.api.checkOut({ visitId: lotte.visitId, shiftId }));
  const paid = unwrap(await t.api.recordPayment({ visitId: lotte.visitId, method: 'card', approved: true, shiftId })).amountCents;
  unwrap(await t.api.voidVisit({ visitId: lotte.visitId, reason: 'Enregistrée par erreur', shiftId }));
  t.clock.set(brussels('2026-10-12', '12:30'));
  unwrap(await t.api.checkOut({ visitId: payg.visitId, shiftId }));
  unwrap(await t.api.recordPayment({ visitId: payg.visitId, method: 'card', approved: true, shiftId }));
  unwrap(await t.api.staffSignOut({ shiftId }));
  return paid;
}

beforeAll(async () => {
  ensureAdminUiBuilt();
  // The accounts' network (accounts-network.ts, October up to the 9th) with one more payer, and
  // the desk payments of the 12th before the stations sync.
  const ref = accountsReference();
  ref.payers.push(LOTTE.payer);
  ref.members.push({ id: LOTTE.memberId, payerId: LOTTE.payer.id, firstName: 'Lotte', lastName: 'Peeters', email: 'lotte@example.be', language: 'nl', status: 'active', homeSiteId: SITE_C });
  const hub = await startTestHub({ reference: false, accounts: engineOn, now: () => HUB_NOW });
  const stations: Record<string, NetworkStation> = {};
  net = {
    hub, ref, stations, visits: [],
    close: async () => {
      for (const s of Object.values(stations)) {
        await s.sync.stop();
        s.t.close();
      }
      await hub.close();
    },
  };
  await importReference(hub.store, ref, '2026-09-01T00:00:00.000Z');
  Object.assign(stations, await openNetworkStations(hub));
  net.visits.push(...(await runOctober(stations, { lastDay: 9 })));
  lottePaid = await deskPayments(stations[SITE_C]!);
  await syncSites(hub, stations, [SITE_A, SITE_B, SITE_C], '2026-11-04T08:00:00.000Z');
  await importReference(net.hub.store, withParties(net.ref), '2026-11-04T09:00:00.000Z');
  expect(await engineOn(net.hub.store).closePeriod('2026-10')).toMatchObject({ closed: true });
  october = await engineOn(net.hub.store).invoiceFiles('2026-10');
  // Lotte's payment has no line to go on: it waits for her next invoice.
  expect(await net.hub.store.carriedPrepaid()).toEqual({ [LOTTE.payer.id]: lottePaid });
  expect(october.find((d) => d.document.buyer.payerId === 'self-payg')!.document.totals.prepaidCents).toBeGreaterThan(0);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await net?.close();
  await stopTestHubStores();
});

async function openPage(language: 'fr' | 'nl', size: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport: size, locale: LOCALE[language], timezoneId: 'Europe/Brussels', acceptDownloads: true });
  const p = await context.newPage();
  p.on('pageerror', (e) => pageProblems.push(`page error: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageProblems.push(`console: ${m.text()}`);
  });
  return p;
}

async function invoicesOf(p: Page, w: Catalogue, period: string): Promise<void> {
  await p.goto(`${net.hub.url}/admin/`);
  await p.getByLabel(w.adminToken!).fill(ADMIN_TOKEN);
  await p.getByRole('button', { name: w.signIn! }).click();
  await p.getByRole('navigation', { name: w.sections! }).getByRole('button', { name: w.sectionInvoices!, exact: true }).click();
  await p.getByLabel(w.month!).selectOption(period);
  await p.getByRole('button', { name: w.showInvoices! }).click();
}

const spaced = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
const money = (cents: number, language: 'fr' | 'nl') => spaced(formatMoney(cents, language));

/** English sentences of the catalogue (between placeholders, long enough to mean something) the page's own does not also say. */
function englishFragments(en: Catalogue, own: Catalogue): string[] {
  const ownText = Object.values(own).join('\n');
  return [...new Set(Object.values(en).flatMap((v) => v.split(/\{\w+\}/)).map((f) => f.replace(/^[\s·:,.()–-]+|[\s·:,.()–-]+$/g, '')).filter((f) => f.length >= 7 && !ownText.includes(f)))];
}

describe('the admin page’s invoices', () => {
  for (const language of ['fr', 'nl'] as const)
    for (const size of SCREEN_SIZES)
      it(`${language} at ${size.width}×${size.height}: a closed month's documents, in ${language}, each with its files`, async () => {
        const [en, w] = [await messages('en'), await messages(language)];
        const p = await openPage(language, size);
        await invoicesOf(p, w, '2026-10');
        const table = p.getByRole('table', { name: w.invoicesOf!.replace('{period}', MONTH[language]) });
        await table.getByRole('row').nth(october.length).waitFor();
        expect(await table.getByRole('row').count()).toBe(1 + october.length);
        for (const d of october) {
          const cells = await table.getByRole('row').filter({ hasText: d.document.number }).getByRole('cell').allTextContents();
          expect(cells.slice(0, 5)).toEqual([d.document.number, w.kindInvoice, d.document.buyer.name, d.document.channel === 'peppol' ? w.channelPeppol : w.channelPdf, d.document.structuredCommunication]);
          const { grossCents, prepaidCents, payableCents } = d.document.totals;
          expect(cells.slice(7, 10).map(spaced)).toEqual([money(grossCents, language), prepaidCents ? money(prepaidCents, language) : '—', money(payableCents, language)]);
          expect(cells[10]).toBe(d.ubl ? 'UBLPDF' : 'PDF');
        }
        // G. Test paid at the desk: less is due than her invoice's amount.
        const payg = october.find((d) => d.document.buyer.payerId === 'self-payg')!.document.totals;
        expect(payg.payableCents).toBe(payg.grossCents - payg.prepaidCents!);
        // Under the invoices, what waits for a next invoice: Lotte's payment.
        const carried = p.getByRole('table', { name: w.carriedCaption! });
        expect(await carried.getByRole('row').nth(1).getByRole('cell').allTextContents().then((c) => c.map(spaced))).toEqual([LOTTE.payer.name, money(lottePaid, language)]);
        expect(await carried.getByRole('row').count()).toBe(2);
        expect(await p.evaluate('document.documentElement.lang')).toBe(language);
        const text = (await p.evaluate('document.body.innerText')) as string;
        expect(englishFragments(en, w).filter((f) => text.includes(f)), 'English on the screen').toEqual([]);
        expect(await p.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'), 'the page scrolls sideways').toBeLessThanOrEqual(0);
        await p.evaluate(AXE_SOURCE);
        const serious = (await p.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))`)) as string[];
        expect(serious).toEqual([]);
        await screenshot(p, `admin-${language}-${size.width}x${size.height}-invoices`);
        await p.context().close();
      }, 120_000);

  it('downloads a document’s UBL as stored, and says in the page’s language that a month is not closed yet', async () => {
    const w = await messages('fr');
    const p = await openPage('fr', SCREEN_SIZES[0]);
    await invoicesOf(p, w, '2026-10');
    const acme = october.find((d) => d.document.buyer.payerId === 'acme')!;
    const what = w.invoiceNumbered!.replace('{number}', acme.document.number);
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: w.asUbl!.replace('{what}', what) }).click()]);
    expect(download.suggestedFilename()).toBe(`${acme.document.number}.xml`);
    expect(fs.readFileSync((await download.path())!).equals(acme.ubl!)).toBe(true);
    const [journal] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: w.journalCsv! }).click()]);
    expect(journal.suggestedFilename()).toBe('journal-2026-10.csv');
    expect(fs.readFileSync((await journal.path())!, 'utf8')).toBe(accountingJournalCsv(october.map((d) => d.document)));
    await p.getByLabel(w.month!).selectOption('2026-11');
    await p.getByRole('button', { name: w.showInvoices! }).click();
    await p.getByRole('alert').getByText(w.errPERIOD_OPEN!).waitFor();
    await screenshot(p, 'admin-fr-1366x768-invoices-open-month');
    await p.context().close();
  }, 120_000);

  it('words a refund at a desk owed again on the next invoice, and says when nothing waits', async () => {
    // Runs issued after October's (the store's running balance as they leave it; no document):
    // a desk refunded Acme's members 3,00 € that nothing gives back, beside Lotte's payment; then nothing.
    const run = (period: string, carriedPrepaid: Record<string, number>): DocumentIssue => ({ period, year: 2026, issuedAt: `${period}-28T10:00:00.000Z`, build: () => ({ documents: [], carriedPrepaid }) });
    expect(await net.hub.store.issueDocuments(run('2026-08', { acme: -300, [LOTTE.payer.id]: lottePaid }))).toBe(true);
    const w = await messages('nl');
    const p = await openPage('nl', SCREEN_SIZES[0]);
    await invoicesOf(p, w, '2026-10');
    const carried = p.getByRole('table', { name: w.carriedCaption! });
    const expected = [
      ['Acme SA', w.owedAgainAmount!.replace('{amount}', money(300, 'nl'))],
      [LOTTE.payer.name, money(lottePaid, 'nl')],
    ];
    const rows = () => Promise.all([1, 2].map((i) => carried.getByRole('row').nth(i).getByRole('cell').allTextContents().then((c) => c.map(spaced))));
    // The balances are read again once the month's listing is in (the table is "loading" meanwhile).
    await waitFor(async () => JSON.stringify(await rows()) === JSON.stringify(expected), 'the balances read after the listing');
    expect(await rows()).toEqual(expected);
    await screenshot(p, 'admin-nl-1366x768-invoices-owed-again');
    expect(await net.hub.store.issueDocuments(run('2026-07', {}))).toBe(true);
    // Shown again with the month's listing.
    await p.getByRole('button', { name: w.showInvoices! }).click();
    await p.getByText(w.noCarried!).waitFor();
    expect(await p.getByRole('table', { name: w.carriedCaption! }).count()).toBe(0);
    await p.context().close();
  }, 120_000);

  it('ran without a page error', () => {
    expect(pageProblems).toEqual([]);
  });
});
