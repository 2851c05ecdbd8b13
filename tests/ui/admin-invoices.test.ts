// The admin page's invoices (issue 17) in Debian's Chromium against a real hub holding the accounts'
// network with its parties: October closed, its documents listed in French and in Dutch at
// 1366×768 and 1920×1080 — numbers, payers by name, how each is sent, the structured
// communication, the totals — with nothing in English, no sideways scroll, no serious axe
// violation; a UBL downloaded from the page is the stored one, byte for byte; a month not closed
// yet is said in the page's language. Screenshots under test-output/screenshots/.
import { accountingJournalCsv } from '../../server/accounts/render/journal-csv.js';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from '../support/browser.js';
import { loadCatalogue, type Catalogue } from '../support/catalogues.js';
import { ensureAdminUiBuilt } from '../support/renderer-build.js';
import { ADMIN_TOKEN, stopTestHubStores } from '../support/hub-fixture.js';
import { openNetworkMonth, type NetworkMonth } from '../support/accounts-network.js';
import { withParties } from '../support/invoice-parties.js';
import { createAccounts } from '../../server/accounts/index.js';
import { importReference } from '../../server/hub/reference-admin.js';
import { formatMoney } from '../../common/money.js';
import type { HubStore } from '../../server/store/store.js';
import type { IssuedInvoice } from '../../server/accounts/invoicing/issue.js';

const DIR = path.resolve('server/admin-ui/src');
const messages = (language: string): Promise<Catalogue> => loadCatalogue(DIR, language);
const AXE_SOURCE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
const HUB_NOW = Date.parse('2026-11-04T12:00:00.000Z');
const engineOn = (store: HubStore) => createAccounts(store, { now: () => HUB_NOW });
const LOCALE = { fr: 'fr-BE', nl: 'nl-BE' } as const;
const MONTH = { fr: 'octobre 2026', nl: 'oktober 2026' } as const;
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

let net: NetworkMonth;
let browser: Browser;
let october: IssuedInvoice[];
const pageProblems: string[] = [];

beforeAll(async () => {
  ensureAdminUiBuilt();
  net = await openNetworkMonth({ accounts: engineOn, lastDay: 9, syncedAt: '2026-11-04T08:00:00.000Z', now: () => HUB_NOW });
  await importReference(net.hub.store, withParties(net.ref), '2026-11-04T09:00:00.000Z');
  expect(await engineOn(net.hub.store).closePeriod('2026-10')).toMatchObject({ closed: true });
  october = await engineOn(net.hub.store).invoiceFiles('2026-10');
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

/** English sentences of the catalogue (between placeholders, long enough to mean something) the page's own does not also say. */
function englishFragments(en: Catalogue, own: Catalogue): string[] {
  const ownText = Object.values(own).join('\n');
  return [...new Set(Object.values(en).flatMap((v) => v.split(/\{\w+\}/)).map((f) => f.replace(/^[\s·:,.()–-]+|[\s·:,.()–-]+$/g, '')).filter((f) => f.length >= 7 && !ownText.includes(f)))];
}

describe('the admin page’s invoices', () => {
  for (const language of ['fr', 'nl'] as const)
    for (const size of SIZES)
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
          expect(cells[7]!.replace(/[\u00a0\u202f]/g, ' ')).toBe(formatMoney(d.document.totals.grossCents, language).replace(/[\u00a0\u202f]/g, ' '));
          expect(cells[8]).toBe(d.ubl ? 'UBLPDF' : 'PDF');
        }
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
    const p = await openPage('fr', SIZES[0]);
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

  it('ran without a page error', () => {
    expect(pageProblems).toEqual([]);
  });
});
