// The desk's cash side end to end (issue 16): Debian's Chromium against the local host, a real
// station on a manual clock, the simulated ESC/POS printer on 127.0.0.1, and a real hub on
// 127.0.0.1 reached through a proxy that refuses connections while the hub is "down". With the
// hub down, a clerk takes a walk-in guest's cash with change (the printed receipt read back from
// the printer's bytes), another guest's card payment, and a refund; then the hub comes back and
// the station syncs every payment once. Screenshots of the payment panel and the change, in French
// and in Dutch at 1366×768 and 1920×1080, go to test-output/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sayIn } from '../../common/messages/errors/index.js';
import { money as printedMoney } from '../../common/documents/print-documents.js';
import { PrinterSimulator } from '../../demo/sim/printer-sim.js';
import { contextOf } from '../../main/station/context.js';
import { launchChromium, receptionPage, screenshot, serveStation, signInAtReception } from '../support/browser.js';
import { FaultyProxy } from '../support/faulty-proxy.js';
import { expectSameEvents, outboxRows, startTestHub, storedEvents, type TestHub } from '../support/hub-fixture.js';
import { unwrap } from '../support/ledger.js';
import { ensureRendererBuilt } from '../support/renderer-build.js';
import { DEMO_SITE_ID, demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { waitFor } from '../support/wait.js';
import { settlementSchema, evaluationSchema } from '../../common/accounts/reports.js';
import { naiveDesk, naiveLines } from '../accounts/naive-accounts.js';
import { createAccounts } from '../../server/accounts/index.js';

/** An amount as the reception shows it in `language` ("1,51 €"); receipts write theirs their own way (printedMoney). */
const money = (cents: number, language: 'fr' | 'nl') => new Intl.NumberFormat(`${language}-BE`, { style: 'currency', currency: 'EUR' }).format(cents / 100);
const SITE_VAT = demoReferenceData().sites.find((s) => s.id === DEMO_SITE_ID)!.vatNumber!;

let t: TestStation;
let running: Awaited<ReturnType<typeof serveStation>>;
let printer: PrinterSimulator;
let hub: TestHub;
let proxy: FaultyProxy;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const panel = (p: Page) => p.locator('aside.visit-panel');
const text = async (p: Page, selector: string) => (await p.locator(selector).first().innerText({ timeout: 1000 })).replace(/\s+/g, ' ').trim();
/** A visit's payments and refunds as the station lists them (none yet: empty). */
const paymentsOf = async (visitId: string) => unwrap(await t.api.visitDetail({ visitId })).payments?.entries ?? [];
const focusedId = (p: Page) => p.evaluate('document.activeElement && document.activeElement.id') as Promise<string | null>;

const AXE_SOURCE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core in the page (evaluated, as the page's CSP refuses inline scripts): no serious or critical violation. */
async function checkAccessibility(p: Page, screen: string): Promise<void> {
  if (!(await p.evaluate('typeof window.axe === "object"'))) await p.evaluate(AXE_SOURCE);
  const violations = (await p.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`)) as unknown[];
  expect(violations, screen).toEqual([]);
}

/** Waits until `selector` says `expected` (whole text, spaces collapsed). */
async function says(p: Page, selector: string, expected: string | RegExp): Promise<void> {
  await waitFor(async () => {
    const got = await text(p, selector).catch(() => '');
    return typeof expected === 'string' ? got === expected.replace(/\s+/g, ' ') : expected.test(got);
  }, `${selector} to say ${String(expected)} (it says "${await text(p, selector).catch(() => '')}")`);
}

/** The printed text holds `phrase`, maybe wrapped over lines or spread by column padding. */
function expectPrinted(printed: string, phrase: string): void {
  const pattern = phrase
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  expect(printed, `printed text should hold "${phrase}"`).toMatch(new RegExp(pattern));
}

/**
 * What is on screen now, saved in French and in Dutch at 1366×768 and 1920×1080 (the header's
 * language buttons, as a clerk switches); the page is left in French at 1366×768.
 */
async function screenshots(p: Page, name: string, ready: (language: 'fr' | 'nl') => Promise<void>): Promise<void> {
  for (const language of ['fr', 'nl'] as const) {
    await p.getByRole('button', { name: language.toUpperCase(), exact: true }).click();
    await ready(language);
    for (const viewport of [
      { width: 1366, height: 768 },
      { width: 1920, height: 1080 },
    ]) {
      await p.setViewportSize(viewport);
      await screenshot(p, `${name}-${language}-${viewport.width}`);
    }
  }
  await p.setViewportSize({ width: 1366, height: 768 });
  await p.getByRole('button', { name: 'FR', exact: true }).click();
  await ready('fr');
}

/** Registers a walk-in guest without a host at the guest screen, in French; their visit's id. */
async function registerGuest(p: Page, firstName: string, lastName: string): Promise<string> {
  await p.getByRole('navigation').getByRole('button', { name: 'Invité de passage', exact: true }).click();
  await p.getByLabel('Prénom', { exact: true }).fill(firstName);
  await p.getByLabel('Nom', { exact: true }).fill(lastName);
  await p.getByLabel(/L’invité accepte/).check();
  await p.getByRole('button', { name: 'Enregistrer et accueillir' }).click();
  await says(p, '.card.success', new RegExp(`${firstName} ${lastName} est enregistré`));
  const visit = unwrap(await t.api.onSite({})).find((e) => e.person.lastName === lastName);
  return visit!.visitId;
}

/** Opens the guest's visit from the registration card and checks them out: what they owe. */
async function checkOutGuest(p: Page, visitId: string): Promise<number> {
  await p.getByRole('button', { name: 'Ouvrir la visite' }).click();
  await panel(p).getByRole('button', { name: 'Enregistrer le départ', exact: true }).click();
  await panel(p).getByTestId('payment-form').waitFor();
  return unwrap(await t.api.visitDetail({ visitId })).totals.grossCents;
}

beforeAll(async () => {
  await ensureRendererBuilt('reception');
  hub = await startTestHub({ accounts: (store) => createAccounts(store, { graceDays: 3, networkFeeBp: 2000, commissionBp: 500 }) });
  const { credential } = await hub.enroll(DEMO_SITE_ID);
  proxy = await FaultyProxy.start(hub.url);
  t = openTestStation();
  printer = await new PrinterSimulator().start();
  unwrap(await t.api.configureDevice({ config: { id: 'desk', kind: 'printer', name: 'Imprimante accueil', connection: { type: 'tcp', host: '127.0.0.1', port: printer.port } } }));
  unwrap(await t.api.configureHub({ url: proxy.url, credential }));
  running = await serveStation(t.station);
  await waitFor(async () => {
    const s = unwrap(await t.api.syncStatus({}));
    return s.online && s.backlog === 0 && s.lastSuccessAt !== undefined;
  }, 'the station synced with the hub once');
  // The hub goes down: connections to it are refused, the open one is cut.
  // (The listening socket closes once its connections have: cut them as it stops accepting.)
  const refusing = proxy.refuse();
  proxy.resetAll();
  await refusing;
  await waitFor(async () => !unwrap(await t.api.syncStatus({})).online, 'the station sees the hub gone');
  browser = await launchChromium();
  page = await receptionPage(browser, 'fr');
  page.on('pageerror', (e) => problems.push(e.message));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await proxy?.close();
  await hub?.close();
  await printer?.stop();
  t?.close();
});

describe('payments at the desk, the hub down', () => {
  let cashVisit = '';
  let dueCents = 0;
  let cardCents = 0;

  it('takes a guest’s cash once the till is open: refused before, then the change shown as the clerk types, too little refused at the field, the change to count out and the receipt printed with its number, the centre’s VAT number, the amount paid and the change', async () => {
    await signInAtReception(page, running.pageUrl('reception'), 'Amélie Dupont', '2468');
    // No till is open: the desk says so on every screen.
    await says(page, '[data-testid="till-banner"]', 'La caisse n’est pas ouverte : les paiements en espèces sont refusés tant qu’elle ne l’est pas. Ouvrir la caisse');
    cashVisit = await registerGuest(page, 'Lou', 'Passant');
    t.clock.advance(90 * 60_000);
    dueCents = await checkOutGuest(page, cashVisit);
    expect(dueCents).toBeGreaterThan(0);
    // The clerk types what the guest hands over: the field has the focus.
    await waitFor(async () => (await focusedId(page)) === 'payment-tendered', 'the cash field to have the focus');
    expect(await page.getByLabel('Montant à payer').inputValue()).toBe(money(dueCents, 'fr').replace(/\s*€$/, ''));
    await page.keyboard.type('20');
    await page.keyboard.press('Enter');
    await says(page, '#payment-error', sayIn('fr', { key: 'tillNotOpen' }));
    expect(await paymentsOf(cashVisit)).toEqual([]);

    // The till opened from the refusal with a float of 50 €: the float field has the focus.
    await panel(page).getByRole('button', { name: 'Ouvrir la caisse' }).click();
    await waitFor(async () => (await focusedId(page)) === 'till-float', 'the float field to have the focus');
    await page.keyboard.type('50');
    await page.keyboard.press('Enter');
    await says(page, '.status-line', `Caisse ouverte avec un fond de caisse de ${money(5000, 'fr')}.`);
    await says(page, '[data-testid="till-expected"]', new RegExp(`^${money(5000, 'fr').replace(/\s/g, ' ')} `));
    await page.getByTestId('till-banner').waitFor({ state: 'detached' });

    await page.getByLabel('Espèces reçues').fill('');
    await page.getByLabel('Espèces reçues').focus();
    await page.keyboard.type('1');
    await says(page, '[data-testid="change-live"]', `Il manque encore ${money(dueCents - 100, 'fr')}`);
    await page.keyboard.press('Enter');
    await says(page, '#payment-tendered-error', sayIn('fr', { key: 'paymentTenderedShort', values: { tenderedCents: money(100, 'fr'), amountCents: money(dueCents, 'fr') } }));
    expect(await page.getByLabel('Espèces reçues').getAttribute('aria-invalid')).toBe('true');
    expect(await paymentsOf(cashVisit)).toEqual([]);

    await page.getByLabel('Espèces reçues').fill('20');
    const changeCents = 2000 - dueCents;
    await says(page, '[data-testid="change-live"]', `Monnaie à rendre : ${money(changeCents, 'fr')}`);
    await checkAccessibility(page, 'payment panel');
    await screenshots(page, 'desk-payments-01-payment-panel', async (language) => {
      await says(page, '[data-testid="change-live"]', language === 'fr' ? `Monnaie à rendre : ${money(changeCents, 'fr')}` : `Terug te geven: ${money(changeCents, 'nl')}`);
    });

    await page.getByLabel('Espèces reçues').press('Enter');
    await says(page, '[data-testid="change-to-give"]', `Monnaie à rendre ${money(changeCents, 'fr')}`);
    const [paid] = await paymentsOf(cashVisit);
    expect(paid).toMatchObject({ kind: 'payment', method: 'cash', amountCents: dueCents, tenderedCents: 2000, changeCents });
    // The printer by its name (the devices load beside the payment).
    await says(page, '[data-testid="paid-receipt"]', new RegExp(`^Le reçu ${DEMO_SITE_ID}-[0-9A-F]+-0+1 s’imprime sur Imprimante accueil\\.$`));
    const receiptLine = await text(page, '[data-testid="paid-receipt"]');
    const receiptNumber = receiptLine.split(' ')[2]!;
    // The clerk counts the change out and presses Enter: the panel is theirs again.
    await waitFor(async () => (await page.evaluate('document.activeElement && document.activeElement.textContent')) === 'Terminé', 'the Done button to have the focus');
    await checkAccessibility(page, 'change to give');
    await screenshots(page, 'desk-payments-02-change', async (language) => {
      await says(page, '[data-testid="change-to-give"]', language === 'fr' ? `Monnaie à rendre ${money(changeCents, 'fr')}` : `Terug te geven wisselgeld ${money(changeCents, 'nl')}`);
    });

    const [receipt] = await printer.waitForJobs(1);
    expectPrinted(receipt!.text, receiptNumber!);
    expectPrinted(receipt!.text, SITE_VAT);
    expectPrinted(receipt!.text, printedMoney(dueCents, 'fr'));
    expectPrinted(receipt!.text, printedMoney(2000, 'fr'));
    expectPrinted(receipt!.text, printedMoney(changeCents, 'fr'));
    await page.getByRole('button', { name: 'Terminé' }).press('Enter');
    await panel(page).getByTestId('paid-card').waitFor({ state: 'detached' });
    await says(page, '[data-testid="payments-summary"]', /Entièrement payé\.$/);
  });

  it('takes another guest’s card once the clerk confirms the terminal approved it, with its reference', async () => {
    const visitId = await registerGuest(page, 'Nina', 'Kaart');
    t.clock.advance(45 * 60_000);
    const due = await checkOutGuest(page, visitId);
    cardCents = due;
    await page.getByLabel('Carte', { exact: true }).check();
    await page.getByLabel('Référence du terminal (facultatif)').fill('TX-4471');
    await page.getByRole('button', { name: 'Enregistrer le paiement' }).click();
    await says(page, '#payment-approved-error', 'Cochez la case une fois que le terminal a accepté le paiement.');
    await page.getByLabel('Le terminal de paiement a accepté la carte').check();
    await page.getByRole('button', { name: 'Enregistrer le paiement' }).click();
    await says(page, '#paid-title', `${money(due, 'fr')} payé par carte`);
    expect(await paymentsOf(visitId)).toEqual([expect.objectContaining({ method: 'card', amountCents: due, cardReference: 'TX-4471' })]);
    await printer.waitForJobs(2);
  });

  it('refunds part of the cash payment from the visit’s panel, with a reason; the refund is listed under the payment', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Aujourd’hui', exact: true }).click();
    await page.getByRole('button', { name: 'Ouvrir la visite : Lou Passant' }).click();
    await panel(page).getByRole('heading', { name: /Lou Passant/ }).waitFor();
    await panel(page).getByRole('button', { name: `Rembourser le paiement de ${money(dueCents, 'fr')} en espèces` }).click();
    await waitFor(async () => (await focusedId(page)) === 'refund-amount', 'the refund’s amount to have the focus');
    await page.getByLabel('Montant à rembourser').fill('1');
    await page.getByLabel('Pourquoi rembourser ?').fill('x');
    await page.getByRole('button', { name: 'Rembourser', exact: true }).click();
    await says(page, '#refund-reason-error', sayIn('fr', { key: 'reasonRequired', values: { min: 3 } }));
    await page.getByLabel('Pourquoi rembourser ?').fill('Café compté deux fois');
    await page.getByRole('button', { name: 'Rembourser', exact: true }).click();
    await says(page, '.status-line', `${money(100, 'fr')} remboursé en espèces à Lou Passant.`);
    await says(page, '[data-testid="payments-summary"]', new RegExp(`Reste à payer : ${money(100, 'fr').replace(/\s/g, ' ')}$`));
    expect(await text(page, '[data-testid="payments-table"] tr[data-kind="refund"]')).toContain('Remboursement : Café compté deux fois');
    expect((await paymentsOf(cashVisit)).map((e) => [e.kind, e.amountCents])).toEqual([
      ['payment', dueCents],
      ['refund', 100],
    ]);
  });

  it('keeps the till open through a sign-out, refuses another clerk’s close in the station’s words, and closes it with a 2,00 € difference and its reason; the shift report is printed', async () => {
    // Signing out with the till open: the station says why not.
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await says(page, '[data-testid="signout-refused"]', sayIn('fr', { key: 'tillOpenSignOut' }));

    // Joris, a clerk, at another window in Dutch: Amélie's till is not his to close.
    const joris = await receptionPage(browser, 'nl', { width: 1920, height: 1080 });
    await signInAtReception(joris, running.pageUrl('reception'), 'Joris Peeters', '1357');
    await joris.getByRole('navigation').getByRole('button', { name: 'Kassa', exact: true }).click();
    await says(joris, '.till-screen .hint', 'Geopend door Amélie Dupont: alleen die persoon kan ze afsluiten.');
    await joris.getByLabel('Geteld contant geld in de lade').fill('50');
    await joris.getByLabel('Waarom is er een verschil?').fill('Telling van Joris');
    await joris.getByRole('button', { name: 'De kassa afsluiten' }).click();
    await says(joris, '#till-close-error', sayIn('nl', { key: 'tillNotYours', values: { name: 'Amélie Dupont' } }));
    await joris.close();

    // Expected: the float, the cash kept from the payment, less the cash refunded.
    const expected = 5000 + dueCents - 100;
    await page.getByRole('navigation').getByRole('button', { name: 'Caisse', exact: true }).click();
    await says(page, '[data-testid="till-expected"]', new RegExp(`^${money(expected, 'fr').replace(/\s/g, ' ')} Paiements : 2 · remboursements : 1$`));
    await page.getByLabel('Espèces comptées dans le tiroir').fill(String((expected - 200) / 100).replace('.', ','));
    await says(page, '[data-testid="till-difference"]', `il manque ${money(200, 'fr')}`);
    await page.getByLabel('Espèces comptées dans le tiroir').press('Enter');
    await says(page, '#till-reason-error', 'Dites pourquoi le compte diffère (au moins 3 caractères).');
    await waitFor(async () => (await focusedId(page)) === 'till-reason', 'the reason to have the focus');
    await page.keyboard.type('Erreur de rendu de monnaie');
    await checkAccessibility(page, 'till close with a difference');
    await screenshots(page, 'desk-payments-03-till-close', async (language) => {
      await says(page, '[data-testid="till-difference"]', language === 'fr' ? `il manque ${money(200, 'fr')}` : `er ontbreekt ${money(200, 'nl')}`);
    });
    await page.getByLabel('Pourquoi cet écart ?').press('Enter');
    await says(page, '[data-testid="till-report-difference"]', `il manque ${money(200, 'fr')} Erreur de rendu de monnaie`);
    await says(page, '[data-testid="till-report-print"]', 'Le rapport de fin de service s’imprime sur Imprimante accueil.');
    await checkAccessibility(page, 'shift report');
    await screenshots(page, 'desk-payments-04-till-report', async (language) => {
      await says(page, '[data-testid="till-report-difference"]', language === 'fr' ? `il manque ${money(200, 'fr')} Erreur de rendu de monnaie` : `er ontbreekt ${money(200, 'nl')} Erreur de rendu de monnaie`);
    });
    const jobs = await printer.waitForJobs(3);
    const report = jobs[jobs.length - 1]!.text;
    expectPrinted(report, printedMoney(expected, 'fr'));
    expectPrinted(report, printedMoney(expected - 200, 'fr'));
    expectPrinted(report, 'Erreur de rendu de monnaie');
    // Printed again on demand: the same report, marked as a duplicate.
    await page.getByRole('button', { name: 'Réimprimer le rapport' }).click();
    await says(page, '.status-line', 'Le rapport de fin de service se réimprime sur Imprimante accueil.');
    const again = (await printer.waitForJobs(jobs.length + 1))[jobs.length]!.text;
    expectPrinted(again, 'DUPLICATA');
    expectPrinted(again, 'Erreur de rendu de monnaie');

    // The till closed, the clerk signs out; the desk says the till is not open to the next one.
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await says(page, '.status-line', 'Fin de service : Amélie Dupont.');
  });

  it('syncs every payment, refund and the till once when the hub comes back; the hub’s settlement and evaluation show the desk’s money and the till’s difference, as the independent recount does', async () => {
    await proxy.acceptAgain();
    await waitFor(async () => {
      const s = unwrap(await t.api.syncStatus({}));
      return s.online && s.backlog === 0;
    }, 'the station synced its backlog');
    const stored = await storedEvents(hub.store, DEMO_SITE_ID);
    expectSameEvents(stored, outboxRows(contextOf(t.station).db));
    expect(stored.filter((e) => e.type === 'payment.recorded')).toHaveLength(2);
    expect(stored.filter((e) => e.type === 'payment.refunded')).toHaveLength(1);
    expect(stored.filter((e) => e.type === 'till.closed').map((e) => e.payload)).toEqual([expect.objectContaining({ differenceCents: -200, reason: 'Erreur de rendu de monnaie' })]);

    // At the hub: the centre's desk collected the cash and the card less the refund, its till is
    // 2,00 € short — and the independent recount from the hub's events agrees to the cent.
    const period = '2026-11';
    const settlement = settlementSchema.parse(await hub.admin('GET', `accounts/settlement?period=${period}`));
    const site = settlement.sites.find((x) => x.siteId === DEMO_SITE_ID)!;
    expect(site.deskNetCents + site.deskVatCents).toBe(dueCents + cardCents - 100);
    const evaluation = evaluationSchema.parse(await hub.admin('GET', `accounts/evaluation?site=${DEMO_SITE_ID}&from=${period}&until=${period}`));
    expect(evaluation.tills).toEqual({ closed: 1, withDifference: 1, shortfallCents: 200, surplusCents: 0 });
    const events = await hub.store.listEvents({ limit: 1_000_000 });
    const recount = naiveDesk(events, naiveLines(events, demoReferenceData()));
    const collected = recount.collected.get(`${DEMO_SITE_ID}|${period}`)!;
    expect([site.deskNetCents, site.deskVatCents]).toEqual([collected.net, collected.vat]);
    const tills = recount.tills.get(`${DEMO_SITE_ID}|${period}`)!;
    expect(evaluation.tills).toEqual({ closed: tills.closed, withDifference: tills.withDifference, shortfallCents: tills.shortfall, surplusCents: tills.surplus });
    expect(problems).toEqual([]);
  });
});
