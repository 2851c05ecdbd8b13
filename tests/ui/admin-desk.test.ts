// The desks' money on the hub's admin page (issue 16), in Debian's Chromium against a real hub with
// the real accounts engine, holding what two real stations took at their desks while the hub was
// out of reach (tests/support/desk-network.ts): in French and in Dutch, at 1366×768 and 1920×1080,
// the settlement shows what each desk collected and the payout netted of it, the company invoiced
// at a desk has its statement (its VAT number, the visit's lines), and the evaluation shows the
// site's tills — a 2,00 € shortfall — as the engine computes them, without sideways scrolling.
// Screenshots under test-output/screenshots/admin-desk-*.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatMoney } from '../../common/money.js';
import { createAccounts } from '../../server/accounts/index.js';
import type { HubStore } from '../../server/store/store.js';
import { M, SITE_A, SITE_B, brussels } from '../support/accounts-network.js';
import { unwrap } from '../support/ledger.js';
import { launchChromium, screenshot, SCREEN_SIZES } from '../support/browser.js';
import { loadCatalogue, type Catalogue } from '../support/catalogues.js';
import { BRASSERIE, BRASSERIE_VAT, openDeskNetwork, type DeskNetwork } from '../support/desk-network.js';
import { ADMIN_TOKEN, stopTestHubStores } from '../support/hub-fixture.js';
import { ensureAdminUiBuilt } from '../support/renderer-build.js';

const HUB_NOW = Date.parse('2026-11-04T12:00:00.000Z');
const engineOn = (store: HubStore) => createAccounts(store, { now: () => HUB_NOW });
const LOCALE = { fr: 'fr-BE', nl: 'nl-BE' } as const;
const MONTH = { fr: 'octobre 2026', nl: 'oktober 2026' } as const;

let net: DeskNetwork;
let memberDue = 0;
let browser: Browser;
const pageProblems: string[] = [];
const engine = () => engineOn(net.hub.store);
/** Text as the page shows it, its narrow and no-break spaces as plain ones. */
const plain = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

beforeAll(async () => {
  ensureAdminUiBuilt();
  net = await openDeskNetwork({ now: () => HUB_NOW, accounts: engineOn });
  // A pay-as-you-go member's visit of Friday 30 October at A, paid by card at the desk: a
  // prepayment of their payer's statement, which A holds for the network.
  const a = net.stations[SITE_A]!;
  a.clock.set(brussels('2026-10-30', '14:00'));
  const visit = unwrap(await a.api.checkIn({ memberId: M.payg }));
  a.clock.set(brussels('2026-10-30', '16:00'));
  memberDue = unwrap(await a.api.checkOut({ visitId: visit.visitId })).totals.grossCents;
  unwrap(await a.api.recordPayment({ visitId: visit.visitId, method: 'card', approved: true }));
  await net.sync(SITE_A, '2026-11-02T08:00:00.000Z');
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await net?.close();
  await stopTestHubStores();
});

async function openPage(language: 'fr' | 'nl', size: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport: size, locale: LOCALE[language], timezoneId: 'Europe/Brussels' });
  const p = await context.newPage();
  p.on('pageerror', (e) => pageProblems.push(`page error: ${e.message}`));
  return p;
}

async function noSidewaysScroll(p: Page, name: string): Promise<void> {
  const overflow = (await p.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
  expect(overflow, `${name}: the page scrolls sideways`).toBeLessThanOrEqual(0);
  await screenshot(p, name);
}

describe("the desks' money on the admin page", () => {
  for (const language of ['fr', 'nl'] as const)
    for (const size of SCREEN_SIZES)
      it(`${language} at ${size.width}×${size.height}: the desks in the settlement, the invoiced company's statement, the tills in the evaluation`, async () => {
        const w: Catalogue = await loadCatalogue(path.resolve('server/admin-ui/src'), language);
        const money = (cents: number) => plain(formatMoney(cents, language));
        const p = await openPage(language, size);
        const shot = (section: string) => `admin-desk-${language}-${size.width}x${size.height}-${section}`;
        const go = (key: string) => p.getByRole('navigation', { name: w.sections! }).getByRole('button', { name: w[key]!, exact: true }).click();
        await p.goto(`${net.hub.url}/admin/`);
        await p.getByLabel(w.adminToken!).fill(ADMIN_TOKEN);
        await p.getByRole('button', { name: w.signIn! }).click();

        await go('sectionSettlement');
        await p.getByLabel(w.month!).selectOption('2026-10');
        await p.getByRole('button', { name: w.showSettlement! }).click();
        const table = p.getByRole('table', { name: w.settlementCaption!.replace('{period}', MONTH[language]) });
        await table.getByText('Bruxelles A').waitFor();
        const settlement = await engine().settlement('2026-10');
        const headers = (await table.getByRole('columnheader').allTextContents()).map(plain);
        const desk = headers.indexOf(w.colDeskNet!);
        const payout = headers.indexOf(w.colPayout!);
        expect([desk, payout]).toEqual([6, 11]);
        for (const siteId of [SITE_A, SITE_B]) {
          const s = settlement.sites.find((x) => x.siteId === siteId)!;
          expect(s.deskNetCents).toBeGreaterThan(0);
          const cells = (await table.getByRole('row').filter({ hasText: s.siteName }).getByRole('cell').allTextContents()).map(plain);
          expect([cells[desk], cells[payout]]).toEqual([money(s.deskNetCents), money(s.payoutCents)]);
        }
        const totals = plain(await p.locator('dl.totals').textContent());
        expect(totals).toContain(`${w.deskCollected}${money(settlement.network.deskNetCents)}`);
        // The member's card payment: A holds it for the network, off its payout, no fee on it.
        expect(totals).toContain(`${w.heldForNetwork}${money(memberDue)}`);
        const held = p.getByRole('table', { name: w.heldForNetworkCaption!.replace('{period}', MONTH[language]) });
        expect((await held.getByRole('row').filter({ hasText: 'Bruxelles A' }).getByRole('cell').allTextContents()).map(plain)).toEqual(['Bruxelles A', money(memberDue)]);
        await noSidewaysScroll(p, shot('settlement'));

        await go('sectionStatements');
        await p.getByLabel(w.month!).selectOption('2026-10');
        await p.getByRole('button', { name: w.showStatements! }).click();
        const card = p.getByRole('article', { name: w.statementOf!.replace('{payer}', BRASSERIE.name) });
        await card.waitFor();
        expect(plain(await card.locator('header').textContent())).toContain(BRASSERIE_VAT);
        expect(plain(await card.locator('dl.totals').textContent())).toContain(money(net.story.brasserie!.due));
        await card.locator('summary').click();
        await card.getByRole('table').waitFor();
        expect(await card.getByRole('table').getByRole('row').count()).toBe(1 + 2);
        // The member's payer: the visit billed, the card payment at the desk, nothing left to pay.
        const payer = p.getByRole('article', { name: w.statementOf!.replace('{payer}', 'G. Test') });
        const payerTotals = plain(await payer.locator('dl.totals').textContent());
        expect(payerTotals).toContain(`${w.paidAtDeskTotal}${money(-memberDue)}`);
        expect(payerTotals).toContain(`${w.payable}${money(0)}`);
        const paid = payer.getByRole('table', { name: w.paidAtDeskOf!.replace('{payer}', 'G. Test') });
        expect((await paid.getByRole('row').nth(1).getByRole('cell').allTextContents()).map(plain)).toEqual(['Payé au comptoir de Bruxelles A le 30 oct. 2026', 'Payg Test', money(memberDue)]);
        await payer.scrollIntoViewIfNeeded();
        await noSidewaysScroll(p, shot('statements'));

        await go('sectionEvaluation');
        await p.getByLabel(w.site!, { exact: true }).selectOption(SITE_A);
        await p.getByRole('button', { name: w.evaluate! }).click();
        await p.getByRole('table', { name: w.monthByMonth! }).getByText(MONTH[language]).waitFor();
        const facts = plain(await p.locator('dl.facts').textContent());
        const sentence = w.tillFacts!.replace('{closed}', '2').replace('{differences}', '1').replace('{short}', money(200)).replace('{over}', money(0));
        expect(facts).toContain(`${w.factTills}${sentence}`);
        const october = (await p.getByRole('table', { name: w.monthByMonth! }).getByRole('row').filter({ hasText: MONTH[language] }).getByRole('cell').allTextContents()).map(plain);
        expect(october.slice(-2)).toEqual(['2 (1)', `−${money(200)} / +${money(0)}`]);
        await noSidewaysScroll(p, shot('evaluation'));
        await p.context().close();
        expect(pageProblems).toEqual([]);
      }, 120_000);
});
