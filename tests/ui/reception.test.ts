// The reception window end to end, as a clerk uses it: Debian Chromium (playwright-core) against
// the local host serving the built renderer, over a station on a manual clock (a Tuesday, 09:00 in
// Brussels) with the demo data, a simulated ESC/POS printer on 127.0.0.1, and a real hub for the
// sync screen. Every screen is checked with axe-core (no serious or critical violation) and saved
// as a screenshot under test-output/screenshots/. The page keeps the host's strict CSP.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { HostMessage } from '../../common/host-protocol.js';
import type { IdentityRead } from '../../common/readers/pcsc-protocol.js';
import type { TapResult } from '../../common/station-api.js';
import type { Result } from '../../common/result.js';
import { callStation } from '../../main/station/api.js';
import { PrinterSimulator } from '../../demo/sim/printer-sim.js';
import type { SyncClient } from '../../main/sync/sync-client.js';
import { launchChromium, screenshot, serveStation } from '../support/browser.js';
import { ensureRendererBuilt } from '../support/renderer-build.js';
import { demoBadges, demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { unwrap } from '../support/ledger.js';
import { startSync, startTestHub, type TestHub } from '../support/hub-fixture.js';
import { waitFor } from '../support/wait.js';
import { contextOf } from '../../main/station/context.js';

const AXE_SOURCE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

let t: TestStation;
let running: Awaited<ReturnType<typeof serveStation>>;
let printer: PrinterSimulator;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let hub: TestHub | undefined;
let sync: SyncClient | undefined;
const pageProblems: string[] = [];
const shifts: { amelie?: string } = {};

// Members of the demo data, each used by one flow: active, paying through a company, with an
// active RFID badge, French-speaking (their receipts are in French).
const data = demoReferenceData();
const badges = demoBadges();
const members = data.members.filter((m) => m.status === 'active' && !m.payerId.startsWith('self-') && m.language === 'fr' && badges.active.some((b) => b.memberId === m.id));
const company = (payerId: string) => data.payers.find((p) => p.id === payerId)!.name;
const [visitor, badgeless, keyboardMember, host] = members as [(typeof members)[number], (typeof members)[number], (typeof members)[number], (typeof members)[number]];
const nameOf = (m: { firstName: string; lastName: string }) => `${m.firstName} ${m.lastName}`;
const UNKNOWN_UID = 'ABCDEF1234';

/** Watches a page for errors and CSP violations: the window must run under the host's policy. */
async function watch(p: Page): Promise<void> {
  p.on('pageerror', (e) => pageProblems.push(`page error: ${e.message}`));
  p.on('console', (m) => {
    // Failed loads are reported with their address below (the browser's own favicon request aside).
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageProblems.push(`console: ${m.text()}`);
  });
  p.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) pageProblems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await p.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))`);
}

/** axe-core in the page; no serious or critical violation on what is on screen. */
async function checkAccessibility(p: Page, screen: string): Promise<void> {
  if (!(await p.evaluate('typeof window.axe === "object"'))) {
    // The page's CSP (script-src 'self') refuses inline script tags; DevTools evaluation is not
    // subject to it, so axe is evaluated into the page instead of weakening the policy.
    await p.evaluate(AXE_SOURCE);
  }
  const violations = (await p.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`)) as { id: string; impact: string; help: string; nodes: string[] }[];
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${screen}: ${JSON.stringify(serious, null, 1)}`).toEqual([]);
}

/** Waits until `locator` shows `text`. */
async function showsText(locator: Locator, text: string | RegExp, timeout = 10_000): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout });
}

/** A reader of this station reads `uid`: the station taps it and every page hears it (as DeviceManager's onTap does). */
function readerTap(uid: string): Result<TapResult> {
  const read = { uid, source: 'desk-reader', at: new Date(t.clock.now()).toISOString() };
  const result = callStation(t.station, 'tap', read);
  const message: HostMessage = { kind: 'tap', read, result };
  running.notifier.publish(message);
  return result;
}

/** The id (or name) of the element that has the keyboard focus. */
const focused = (p: Page) => p.evaluate('document.activeElement && (document.activeElement.id || document.activeElement.name)') as Promise<string | null>;
const focusedText = (p: Page) => p.evaluate('document.activeElement && document.activeElement.textContent') as Promise<string | null>;

const nav = (p: Page, name: string) => p.getByRole('navigation').getByRole('button', { name, exact: true });
const statusLine = (p: Page) => p.locator('.status-line');
const panel = (p: Page) => p.locator('aside.visit-panel');

/** The printed text holds `phrase`, maybe wrapped over lines. */
function expectPrinted(text: string, phrase: string): void {
  const pattern = phrase
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  expect(text, `printed text should hold "${phrase}"`).toMatch(new RegExp(pattern));
}

beforeAll(async () => {
  expect(members.length).toBeGreaterThanOrEqual(4);
  await ensureRendererBuilt('reception');
  t = openTestStation();
  printer = await new PrinterSimulator().start();
  unwrap(await t.api.configureDevice({ config: { id: 'desk', kind: 'printer', name: 'Desk printer', connection: { type: 'tcp', host: '127.0.0.1', port: printer.port } } }));
  running = await serveStation(t.station);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fr-BE', timezoneId: 'Europe/Brussels' });
  page = await context.newPage();
  await watch(page);
}, 300_000);

afterAll(async () => {
  await sync?.stop();
  await browser?.close();
  await running?.stop();
  await hub?.close();
  await printer?.stop();
  t?.close();
});

describe('reception window', () => {
  it('signs a clerk in: French by default, the station’s words for a wrong PIN next to the field, then the shift in the header', async () => {
    await page.goto(running.pageUrl('reception'));
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('fr');
    await page.getByLabel('Amélie Dupont').waitFor();
    await checkAccessibility(page, 'sign-in (fr)');
    await screenshot(page, 'reception-01-sign-in-fr');

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Amélie Dupont').check();
    await page.getByLabel('PIN').fill('0000');
    await page.getByLabel('PIN').press('Enter');
    const error = page.locator('#pin-error');
    await showsText(error, 'Wrong PIN. 4 attempts left before sign-in is locked.');
    expect(await page.getByLabel('PIN').getAttribute('aria-describedby')).toBe('pin-error');
    expect(await page.getByLabel('PIN').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('PIN').inputValue()).toBe('');
    await checkAccessibility(page, 'sign-in, wrong PIN');
    await screenshot(page, 'reception-02-sign-in-wrong-pin');

    await page.getByLabel('PIN').fill('2468');
    await page.getByLabel('PIN').press('Enter');
    await showsText(page.getByTestId('shift'), 'On duty: Amélie Dupont, since 09:00');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // The shift is the station's: the one open for amelie.
    const shift = unwrap(await t.api.staffSignIn({ staffId: 'amelie', pin: '2468' }));
    expect(shift.staffName).toBe('Amélie Dupont');
    shifts.amelie = shift.shiftId;
  });

  it('searches a member, checks them in, lists them on site (and prints the evacuation list), adds a coffee, checks out and prints the receipt', async () => {
    const name = nameOf(visitor);
    // The search screen opens with its field focused.
    await waitFor(() => focused(page).then((id) => id === 'search-input'), 'the search field has focus');
    await page.getByLabel('Name, company, e-mail, member number or badge').fill(visitor.email);
    const row = page.locator('#search-results li', { hasText: name });
    await row.waitFor();
    await showsText(row, 'Active');
    // The row opens the person's card; the card checks in.
    await row.getByRole('button', { name: `Open: ${name}` }).click();
    await page.getByTestId('person-card').getByRole('button', { name: 'Check in' }).click();
    await showsText(statusLine(page), `${name} checked in at 09:00.`);
    await showsText(row, 'On site');
    await row.getByRole('button', { name: `Open visit: ${name}` }).waitFor();
    await checkAccessibility(page, 'search');
    await screenshot(page, 'reception-03-search-checked-in');

    // On site now, and the evacuation list on paper.
    await nav(page, 'On site').click();
    await page.getByRole('heading', { name: 'On site now (1)' }).waitFor();
    const onSiteRow = page.getByRole('row', { name: new RegExp(`${visitor.lastName}, ${visitor.firstName}`) });
    await showsText(onSiteRow, company(visitor.payerId));
    await showsText(onSiteRow, '09:00');
    await checkAccessibility(page, 'on site');
    await screenshot(page, 'reception-04-on-site');
    await page.evaluate('window.printed = 0; window.print = () => { window.printed++; }');
    await page.getByRole('button', { name: 'Print evacuation list' }).click();
    await waitFor(async () => (await page.evaluate('window.printed')) === 1, 'window.print()');
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    expect(await page.locator('header.topbar').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print evacuation list' }).isVisible()).toBe(false);
    await showsText(page.locator('.print-heading'), /Evacuation list — Escale Bruxelles Louise — .* — 1 people on site/);
    expect(await page.locator('.print-heading').isVisible()).toBe(true);
    await screenshot(page, 'reception-05-evacuation-list-print');
    await page.emulateMedia({ media: 'screen' });

    // The visit: a coffee, two hours, check-out, receipt.
    await page.getByRole('button', { name: `Open visit: ${name}` }).click();
    await panel(page).getByRole('heading', { name: `Visit of ${name}` }).waitFor();
    await panel(page).getByLabel('Add a service').selectOption('coffee');
    await panel(page).getByLabel('Quantity').fill('1');
    await panel(page).getByRole('button', { name: 'Add', exact: true }).click();
    await showsText(statusLine(page), 'Coffee added: €2.42.');
    await panel(page).getByRole('row', { name: /Coffee/ }).waitFor();
    t.clock.advance(2 * 3600_000);
    await panel(page).getByRole('button', { name: 'Check out', exact: true }).click();
    await showsText(page.getByTestId('visit-total'), '€14.52');
    await showsText(panel(page), 'Desk (hour)');
    await checkAccessibility(page, 'visit panel, checked out');
    await screenshot(page, 'reception-06-visit-checked-out');

    await panel(page).getByRole('button', { name: 'Print receipt' }).click();
    const [receipt] = await printer.waitForJobs(1);
    for (const phrase of ['Escale Bruxelles Louise', 'Reçu de visite', name, 'Poste de travail (heure)', 'Café', 'Total TTC 14,52 EUR']) expectPrinted(receipt!.text, phrase);
    await showsText(panel(page).locator('.print-jobs'), 'Printed');
    // Reprint: the same receipt again, marked as a copy (its number unchanged).
    await panel(page).getByRole('button', { name: /^Reprint: Receipt/ }).first().click();
    const jobs = await printer.waitForJobs(2);
    expect(receipt!.text).not.toContain('DUPLICATA');
    expect(jobs[1]!.text.split('\n').filter((l) => l.trim() !== 'DUPLICATA')).toEqual(receipt!.text.split('\n'));
    expect(jobs[1]!.text).toContain('DUPLICATA');
    await showsText(panel(page).locator('.print-jobs'), 'reprint');
    await screenshot(page, 'reception-07-receipt-printed');
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'detached' });
  });

  it('registers a walk-in guest only with their consent, then prints a visitor badge', async () => {
    await nav(page, 'Walk-in guest').click();
    await page.getByLabel('First name').fill('Inès');
    await page.getByLabel('Last name').fill('Moreau');
    await page.getByLabel('Company (optional)').fill('Atelier Nord');
    // No eID here: the clerk types the nationality the guest gives (optional, like the company).
    await page.getByLabel('Nationality (optional)').fill('Française');
    await page.getByLabel('Host member (optional): search by name').fill(host.email);
    await page.getByRole('button', { name: `Host: ${nameOf(host)}` }).click();
    await showsText(page.locator('.chosen'), nameOf(host));
    await page.getByRole('button', { name: 'Register and check in' }).click();
    const consentError = page.locator('#guest-consent-error');
    await showsText(consentError, 'The guest must consent to the processing of their data.');
    expect(await page.getByLabel(/The guest agrees/).getAttribute('aria-describedby')).toBe('guest-consent-error');
    await waitFor(() => focused(page).then((id) => id === 'guest-consent'), 'the consent box has focus');
    expect(unwrap(await t.api.onSite({}))).toHaveLength(0);
    await checkAccessibility(page, 'guest form, consent refused');
    await screenshot(page, 'reception-08-guest-without-consent');

    await page.getByLabel(/The guest agrees/).check();
    await page.getByRole('button', { name: 'Register and check in' }).click();
    await showsText(page.locator('.card.success'), 'Inès Moreau is registered and checked in.');
    await consentError.waitFor({ state: 'detached' });
    const ines = unwrap(await t.api.onSite({})).find((e) => e.person.lastName === 'Moreau')!;
    expect(unwrap(await t.api.visitDetail({ visitId: ines.visitId })).person.nationality).toBe('Française');
    expect(await page.getByLabel('Nationality (optional)').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Print visitor badge' }).click();
    const [, , badge] = await printer.waitForJobs(3);
    expectPrinted(badge!.text, 'Inès Moreau');
    expectPrinted(badge!.text, 'Atelier Nord');
    expectPrinted(badge!.text, nameOf(host));
    await checkAccessibility(page, 'guest registered');
    await screenshot(page, 'reception-09-guest-registered');

    await nav(page, 'On site').click();
    await page.getByRole('heading', { name: 'On site now (1)' }).waitFor();
    await showsText(page.getByRole('row', { name: /Moreau, Inès/ }), `Atelier Nord · guest of ${nameOf(host)}`);
  });

  it('fills the walk-in guest form from an eID read at a reader (names and nationality, saying what is kept and what never is), registers the guest with it, and a failed read fills nothing', async () => {
    await nav(page, 'Search').click();
    const eid = (read: IdentityRead) => running.notifier.publish({ kind: 'identity', read });
    const at = new Date(t.clock.now()).toISOString();
    eid({ ok: false, source: 'desk-eid', reader: 'ACS ACR39U ICC Reader 00 00', at, problem: 'card_removed', detail: 'SCardTransmit: card removed' });
    const failed = page.getByTestId('eid-failed');
    await showsText(failed, 'The eID card could not be read: the card was taken out before it was read to the end. Nothing was filled in');
    expect(await page.getByLabel('First name').inputValue()).toBe('');
    expect(await page.getByLabel('Last name').inputValue()).toBe('');
    expect(await page.getByLabel('Nationality (optional)').inputValue()).toBe('');
    await showsText(statusLine(page), 'The eID card could not be read');

    await nav(page, 'Search').click();
    eid({ ok: true, source: 'desk-eid', reader: 'ACS ACR39U ICC Reader 00 00', at, identity: { lastName: 'Van den Bossche', firstNames: 'Émilie Anne', nationality: 'Belge' } });
    const filled = page.getByTestId('eid-filled');
    await showsText(filled, 'Filled in from the eID card read at ACS ACR39U ICC Reader 00 00.');
    await showsText(filled, 'Check the names and nationality with the guest');
    await showsText(filled, 'their name and nationality are kept until the retention date (“Personal data kept until”), then erased.');
    await showsText(filled, 'Their card number, national number and date of birth are never kept');
    await failed.waitFor({ state: 'detached' });
    expect(await page.getByLabel('First name').inputValue()).toBe('Émilie Anne');
    expect(await page.getByLabel('Last name').inputValue()).toBe('Van den Bossche');
    expect(await page.getByLabel('Nationality (optional)').inputValue()).toBe('Belge');
    // The clerk confirms with the guest: consent is still theirs to give.
    expect(await page.getByLabel(/The guest agrees/).isChecked()).toBe(false);
    await showsText(statusLine(page), 'eID read: Émilie Anne Van den Bossche.');
    await checkAccessibility(page, 'guest form filled from an eID');
    await screenshot(page, 'reception-09b-guest-from-eid');

    // The clerk confirms, the guest consents: registered with the nationality the card gave.
    await page.getByLabel(/The guest agrees/).check();
    await page.getByRole('button', { name: 'Register and check in' }).click();
    await showsText(page.locator('.card.success'), 'Émilie Anne Van den Bossche is registered and checked in.');
    expect(await page.getByLabel('Nationality (optional)').inputValue()).toBe('');
    const registered = unwrap(await t.api.onSite({})).find((e) => e.person.lastName === 'Van den Bossche')!;
    const guest = contextOf(t.station).db.prepare('SELECT first_name, last_name, nationality FROM guest WHERE id = ?').get(registered.person.id);
    expect(guest).toEqual({ first_name: 'Émilie Anne', last_name: 'Van den Bossche', nationality: 'Belge' });
    // And the visit shows it to the clerk.
    await page.getByRole('button', { name: 'Open visit' }).click();
    const facts = panel(page).locator('dl.facts');
    await showsText(facts, 'Nationality');
    await showsText(facts, 'Belge');
    await checkAccessibility(page, 'visit of a guest registered from an eID');
    await screenshot(page, 'reception-09c-guest-from-eid-visit');
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'detached' });
    // Voided (it was a check of the card, not a visit), so the next flows find the site as before.
    unwrap(await t.api.voidVisit({ visitId: registered.visitId, reason: 'eID reading check, not a real visit', shiftId: shifts.amelie }));
    await nav(page, 'On site').click();
    await page.getByRole('heading', { name: 'On site now (1)' }).waitFor();
  });

  it('shows an unknown badge read at a reader, assigns it to a member, and the next tap checks them in', async () => {
    const tapped = unwrap(readerTap(UNKNOWN_UID));
    expect(tapped.outcome).toBe('unknown_badge');
    const banner = page.getByRole('region', { name: `Badge ${UNKNOWN_UID} unknown — assign to…` });
    await banner.waitFor();
    await showsText(banner, 'Read at 11:00 by desk-reader');
    await page.keyboard.press('Alt+U');
    await waitFor(() => focused(page).then((id) => id === 'unknown-badge-search'), 'the banner’s search has focus');
    await page.keyboard.type(badgeless.email);
    const assign = banner.getByRole('button', { name: `Assign to ${nameOf(badgeless)}` });
    await assign.waitFor();
    await checkAccessibility(page, 'unknown badge banner');
    await screenshot(page, 'reception-10-unknown-badge');
    await assign.click();
    await showsText(statusLine(page), `Badge ${UNKNOWN_UID} now belongs to ${nameOf(badgeless)}.`);
    await banner.waitFor({ state: 'detached' });
    const hit = unwrap(await t.api.search({ query: badgeless.email })).find((h) => h.person.id === badgeless.id)!;
    expect(hit.badges.map((b) => b.uid)).toContain(UNKNOWN_UID);

    const next = unwrap(readerTap(UNKNOWN_UID));
    expect(next.outcome).toBe('checked_in');
    await showsText(statusLine(page), `${nameOf(badgeless)} checked in with badge ${UNKNOWN_UID}.`);
    await page.getByRole('heading', { name: 'On site now (2)' }).waitFor();
    await page.getByRole('row', { name: new RegExp(`${badgeless.lastName}, ${badgeless.firstName}`) }).waitFor();
  });

  it('voids a consumption with a reason (the station’s message when none is given), then voids a visit', async () => {
    const name = nameOf(badgeless);
    await page.getByRole('button', { name: `Open visit: ${name}` }).click();
    await panel(page).getByRole('heading', { name: `Visit of ${name}` }).waitFor();
    await showsText(panel(page), `badge ${UNKNOWN_UID}`);
    await panel(page).getByLabel('Add a service').selectOption('coffee');
    await panel(page).getByRole('button', { name: 'Add', exact: true }).click();
    await panel(page).getByRole('row', { name: /Coffee/ }).waitFor();
    await panel(page).getByRole('button', { name: 'Void: Coffee' }).click();
    await waitFor(() => focused(page).then((id) => id === 'void-line-reason'), 'the reason field has focus');
    await page.keyboard.press('Enter');
    await showsText(page.locator('#void-line-error'), 'Give a reason of at least 3 characters.');
    await screenshot(page, 'reception-11-void-needs-reason');
    await page.keyboard.type('Entered twice by mistake');
    await page.keyboard.press('Enter');
    await showsText(statusLine(page), 'Coffee voided.');
    await showsText(panel(page), 'Correction: Entered twice by mistake');
    await showsText(page.getByTestId('visit-total'), '€0.00');
    const detail = unwrap(await t.api.memberVisits({ memberId: badgeless.id }))[0]!;
    const lines = unwrap(await t.api.visitDetail({ visitId: detail.visitId })).lines;
    expect(lines.map((l) => [l.serviceCode, l.source, l.grossCents])).toEqual([
      ['coffee', 'staff', 242],
      ['coffee', 'void', -242],
    ]);
    expect(lines[1]!.reason).toBe('Entered twice by mistake');
    await checkAccessibility(page, 'visit panel, line voided');
    await screenshot(page, 'reception-12-consumption-voided');

    await panel(page).getByRole('button', { name: 'Void this visit…' }).click();
    await page.getByLabel('Why void this whole visit?').fill('Badge test by the technician');
    await panel(page).getByRole('button', { name: 'Void the visit' }).click();
    await showsText(statusLine(page), `The visit of ${name} was voided.`);
    await showsText(panel(page), 'Voided: Badge test by the technician');
    await page.getByRole('heading', { name: 'On site now (1)' }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('lists today’s visits and shows the day’s figures with a chart by service', async () => {
    await nav(page, 'Today').click();
    await page.getByRole('heading', { name: 'Today’s visits (4)' }).waitFor();
    await showsText(page.getByRole('row', { name: new RegExp(nameOf(visitor)) }), '€14.52');
    await showsText(page.getByRole('row', { name: new RegExp(nameOf(badgeless)) }), 'Voided');
    await showsText(page.getByRole('row', { name: /Émilie Anne Van den Bossche/ }), 'Voided');
    await showsText(page.getByRole('row', { name: /Inès Moreau/ }), 'On site');
    await checkAccessibility(page, 'today');
    await screenshot(page, 'reception-13-today');

    await page.keyboard.press('Alt+F');
    await page.getByRole('heading', { name: 'The day’s figures' }).waitFor();
    const chart = page.getByRole('img', { name: 'Amount per service, VAT included' });
    await chart.waitFor();
    const bars = chart.locator('g[data-service]');
    expect(await bars.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-service')))).toEqual(['coffee', 'desk_hour']);
    // The desk (12.10 €) is the longest bar; the coffee (2.42 €, once voided) is the other.
    const widths = await chart.locator('rect').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('width'))));
    expect(widths[1]).toBeGreaterThan(widths[0]!);
    await showsText(chart, '€12.10');
    await showsText(page.locator('.tiles'), '€14.52');
    await showsText(page.locator('.tiles'), 'visits');
    const figures = unwrap(await t.api.dayFigures({}));
    expect(figures.visits).toBe(2);
    await checkAccessibility(page, 'figures');
    await screenshot(page, 'reception-14-figures');
  });

  it('shows the devices, prints a test page, and says what is wrong in a device’s configuration next to the field', async () => {
    await page.keyboard.press('Alt+D');
    await page.getByRole('heading', { name: 'Devices' }).waitFor();
    const row = page.locator('tr[data-device="desk"]');
    await showsText(row, 'Working');
    await row.getByRole('button', { name: 'Test print: Desk printer' }).click();
    const jobs = await printer.waitForJobs(4);
    expect(jobs[3]!.text).toMatch(/Desk printer/);
    await showsText(page.locator('.print-jobs'), 'Test page');
    // Printers by name, jobs with the person they printed for (the visitor's receipt), never ids.
    const receiptRow = page.locator('.print-jobs tr', { hasText: 'Receipt' }).first();
    await showsText(receiptRow, nameOf(visitor));
    await showsText(receiptRow, 'Desk printer');
    expect(await page.locator('.print-jobs').textContent()).not.toMatch(/\bdesk\b/);
    await checkAccessibility(page, 'devices');
    await screenshot(page, 'reception-15-devices');

    await page.getByRole('button', { name: 'Add a printer' }).click();
    await page.getByLabel('Identifier').fill('badge-printer');
    await page.getByLabel('Name shown to staff').fill('Badge printer');
    await page.getByLabel('Address').fill('127.0.0.1');
    await page.getByLabel('Port').fill('70000');
    await page.getByRole('button', { name: 'Save' }).click();
    await showsText(page.locator('#device-port-error'), 'At most 65535.');
    expect(await page.getByLabel('Port').getAttribute('aria-invalid')).toBe('true');
    await checkAccessibility(page, 'device form with an error');
    await screenshot(page, 'reception-16-device-form-error');
    await page.getByLabel('Port').fill(String(printer.port));
    await page.getByLabel('Badges').uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await showsText(statusLine(page), 'Badge printer saved.');
    // Listed at once; its health is known at the device manager's next check.
    await showsText(page.locator('tr[data-device="badge-printer"]'), 'Badge printer');
    await screenshot(page, 'reception-16b-devices-added');
    const saved = unwrap(await t.api.deviceConfigs({})).find((d) => d.id === 'badge-printer');
    expect(saved).toMatchObject({ kind: 'printer', roles: ['receipt'], connection: { type: 'tcp', host: '127.0.0.1', port: printer.port } });
    // Its test page shows it working: the station announces it (device.monitored) now, rather than
    // at a later health check in the middle of the sync below, whose backlog is counted.
    unwrap(await t.api.testPrint({ printerId: 'badge-printer' }));
    await waitFor(async () => unwrap(await t.api.devices({})).some((d) => d.id === 'badge-printer' && d.state === 'up'), 'the badge printer works');

    // The keyboard-wedge reader of the kiosk, set to AZERTY: its layout is the device's setting.
    await page.getByRole('button', { name: 'Add a badge reader' }).click();
    await page.getByLabel('Identifier').fill('kiosk-wedge');
    await page.getByLabel('Name shown to staff').fill('Kiosk reader');
    await page.getByLabel('Connection').selectOption('window');
    await page.getByLabel('The reader’s own keyboard layout').selectOption('azerty');
    await checkAccessibility(page, 'reader form with its layout');
    await screenshot(page, 'reception-16c-wedge-reader-layout');
    // The same form in French and Dutch (the header's switch keeps what was typed).
    await page.getByRole('button', { name: 'FR', exact: true }).click();
    await showsText(page.locator('label[for="device-keyboardLayout"]'), 'Disposition du clavier du lecteur');
    await screenshot(page, 'reception-16c-wedge-reader-layout-fr');
    await page.getByRole('button', { name: 'NL', exact: true }).click();
    await showsText(page.locator('label[for="device-keyboardLayout"]'), 'Toetsenbordindeling van de lezer');
    expect(await page.locator('#device-connectionType option:checked').textContent()).toBe('Toetsenbordlezer aan de kiosk');
    await screenshot(page, 'reception-16c-wedge-reader-layout-nl');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await showsText(statusLine(page), 'Kiosk reader saved.');
    expect(unwrap(await t.api.deviceConfigs({})).find((d) => d.id === 'kiosk-wedge')).toMatchObject({ kind: 'reader', connection: { type: 'window', keyboardLayout: 'azerty' } });
    expect(unwrap(await t.api.kioskReading({})).layout).toBe('azerty');
    unwrap(await t.api.removeDevice({ id: 'kiosk-wedge' }));
  });

  it('configures the hub in the settings and shows the sync: offline with a backlog, then online and drained', async () => {
    hub = await startTestHub();
    const enrolled = await hub.enroll('bxl-louise');
    await page.keyboard.press('Alt+P');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByLabel('Hub address').fill('hub.escale');
    await page.getByLabel('Station credential').fill(enrolled.credential);
    await page.getByLabel('Hub address').press('Enter');
    await showsText(page.locator('#hub-url-error'), 'The hub’s address, such as https://hub.escale.example.');
    await checkAccessibility(page, 'settings with an error');
    await screenshot(page, 'reception-17-settings-error');
    await page.getByLabel('Hub address').fill(hub.url);
    await page.getByLabel('Station credential').fill(enrolled.credential);
    await page.getByRole('form', { name: 'Network hub' }).getByRole('button', { name: 'Save' }).click();
    await showsText(page.locator('.success-text'), `Saved: station ${enrolled.stationId} syncs with ${hub.url} from its next start.`);
    expect(t.station.hubConfig()).toEqual({ url: hub.url, credential: enrolled.credential });

    await page.keyboard.press('Alt+Y');
    await page.getByRole('heading', { name: 'Sync with the network' }).waitFor();
    const backlog = unwrap(await t.api.syncStatus({})).backlog;
    expect(backlog).toBeGreaterThan(10);
    await showsText(page.getByTestId('sync-backlog'), `${backlog} records`);
    await showsText(page.getByTestId('sync-online'), 'Offline');
    await showsText(page.getByTestId('sync-last'), 'Never');
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('0');
    await checkAccessibility(page, 'sync, offline');
    await screenshot(page, 'reception-18-sync-offline');

    // The station's next start: its sync client connects with what was saved.
    sync = startSync(t.station, t.station.hubConfig()!);
    await showsText(page.getByTestId('sync-online'), 'Online', 20_000);
    await showsText(page.getByTestId('sync-backlog'), 'Nothing: everything is sent', 20_000);
    await waitFor(async () => (await page.getByRole('progressbar').getAttribute('aria-valuenow')) === '100', 'the progress bar is full');
    expect(await page.getByTestId('sync-last').textContent()).not.toBe('Never');
    await checkAccessibility(page, 'sync, online');
    await screenshot(page, 'reception-19-sync-online');
  });

  it('speaks Dutch and German too (the switch in the header)', async () => {
    await page.getByRole('button', { name: 'NL', exact: true }).click();
    await page.keyboard.press('Alt+F');
    await page.getByRole('heading', { name: 'De cijfers van de dag' }).waitFor();
    await page.getByRole('img', { name: 'Bedrag per dienst, btw inbegrepen' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('nl');
    await checkAccessibility(page, 'figures (nl)');
    await screenshot(page, 'reception-20-figures-nl');
    await page.getByRole('button', { name: 'DE', exact: true }).click();
    await page.keyboard.press('Alt+T');
    await page.getByRole('heading', { name: 'Besuche von heute (4)' }).waitFor();
    await checkAccessibility(page, 'today (de)');
    await screenshot(page, 'reception-21-today-de');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('heading', { name: 'Today’s visits (4)' }).waitFor();
  });

  it('checks a member in with the keyboard alone (no mouse), in French', async () => {
    // A fresh browser profile: French, as a new desk computer starts.
    const keyboardContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fr-BE', timezoneId: 'Europe/Brussels' });
    try {
      const kp = await keyboardContext.newPage();
      await watch(kp);
      await kp.goto(running.pageUrl('reception'));
      await kp.getByRole('heading', { name: 'Connexion' }).waitFor();
      // Focus starts on the first clerk; ↓ picks the next one; Tab to the PIN; Enter signs in.
      await waitFor(() => focused(kp).then((id) => id === 'clerk'), 'the clerk list has focus');
      await kp.keyboard.press('ArrowDown');
      await kp.keyboard.press('Tab');
      expect(await focused(kp)).toBe('pin');
      await kp.keyboard.type('1357');
      await kp.keyboard.press('Enter');
      await showsText(kp.getByTestId('shift'), 'De service : Joris Peeters');

      await kp.keyboard.press('Alt+G');
      await waitFor(() => focused(kp).then((id) => id === 'guest-firstName'), 'Alt+G focuses the guest’s first name');
      await kp.keyboard.press('Alt+S');
      await waitFor(() => focused(kp).then((id) => id === 'search-input'), 'Alt+S focuses the search');
      await kp.keyboard.type(keyboardMember.email);
      await kp.locator('#search-results li', { hasText: nameOf(keyboardMember) }).waitFor();
      // ↓ then Enter opens the person's card (and does nothing else); Tab, Enter checks in.
      await kp.keyboard.press('ArrowDown');
      await kp.keyboard.press('Enter');
      await waitFor(() => focused(kp).then((id) => id === 'person-card-title'), 'Enter on the row opens the card');
      expect(unwrap(await t.api.onSite({})).some((e) => e.person.id === keyboardMember.id)).toBe(false);
      await kp.keyboard.press('Tab');
      expect(await focusedText(kp)).toBe('Enregistrer l’arrivée');
      await kp.keyboard.press('Enter');
      await showsText(statusLine(kp), `Arrivée de ${nameOf(keyboardMember)} enregistrée à 11:00.`);
      await kp.keyboard.press('Alt+O');
      await kp.getByRole('heading', { name: 'Sur place maintenant (2)' }).waitFor();
      await kp.getByRole('row', { name: new RegExp(`${keyboardMember.lastName}, ${keyboardMember.firstName}`) }).waitFor();
      await checkAccessibility(kp, 'on site (fr)');
      await screenshot(kp, 'reception-22-keyboard-check-in-fr');

      // The visit panel by keyboard too: Tab to the row's "open", Enter, Alt+A, choose, Enter.
      await kp.getByRole('button', { name: `Ouvrir la visite : ${nameOf(keyboardMember)}` }).focus();
      await kp.keyboard.press('Enter');
      await panel(kp).getByRole('heading', { name: `Visite de ${nameOf(keyboardMember)}` }).waitFor();
      await kp.keyboard.press('Alt+A');
      await waitFor(() => focused(kp).then((id) => id === 'consumption-service'), 'Alt+A focuses the service');
      await kp.keyboard.type('Caf');
      expect(await kp.locator('#consumption-service').inputValue()).toBe('coffee');
      await kp.keyboard.press('Tab');
      await kp.keyboard.press('Enter');
      await showsText(statusLine(kp), /Café ajouté : 2,42\s€\./);
      await kp.keyboard.press('Alt+X');
      await showsText(statusLine(kp), `Départ de ${nameOf(keyboardMember)} enregistré`);
      await screenshot(kp, 'reception-23-keyboard-visit-fr');

      // Signing out ends the shift at the station and returns to the sign-in.
      await kp.keyboard.press('Escape');
      // Closing the panel gives the focus back to the screen on the next frame: wait for it, or it
      // would land after (and instead of) the focus given to the sign-out button below.
      await panel(kp).waitFor({ state: 'detached' });
      await waitFor(
        () => kp.evaluate("document.activeElement !== null && document.activeElement.closest('#main') !== null") as Promise<boolean>,
        'the focus back on the screen once the panel closed',
      );
      await kp.getByRole('button', { name: 'Se déconnecter' }).focus();
      expect(await focusedText(kp)).toBe('Se déconnecter');
      await kp.keyboard.press('Enter');
      await kp.getByRole('heading', { name: 'Connexion' }).waitFor();
      await showsText(statusLine(kp), 'Fin de service : Joris Peeters.');
      const open = contextOf(t.station).db.prepare("SELECT COUNT(*) AS n FROM staff_shift WHERE staff_id = 'joris' AND ended_at IS NULL").get() as { n: number };
      expect(open.n).toBe(0);
    } finally {
      await keyboardContext.close();
    }
    expect(unwrap(await t.api.onSite({})).map((e) => e.person.id)).not.toContain(keyboardMember.id);
  });

  it('shows what pays for a member’s desk in the visit panel: the company hours left, the pass, and the amount if checked out now', async () => {
    // Tapped in at a reader (no staff action): the demo's Meridian Pharma employee with 25 h of
    // the company's prepaid hours, and a Brussels pass holder.
    const [onQuota, onPass] = ['m0179', 'm0161'].map((id) => data.members.find((m) => m.id === id)!) as [(typeof members)[number], (typeof members)[number]];
    const uidOf = (id: string) => badges.active.find((b) => b.memberId === id)!.uid;
    for (const m of [onQuota, onPass]) expect(unwrap(readerTap(uidOf(m.id))).outcome).toBe('checked_in');
    t.clock.advance(90 * 60_000);
    await nav(page, 'On site').click();

    await page.getByRole('button', { name: `Open visit: ${nameOf(onQuota)}` }).click();
    await panel(page).getByRole('heading', { name: `Visit of ${nameOf(onQuota)}` }).waitFor();
    await showsText(page.getByTestId('visit-plan'), 'Meridian Pharma — 100 h: 25 h 00 left (as last known here)');
    expect(await page.getByTestId('visit-plan').getAttribute('data-kind')).toBe('quota');
    await showsText(page.getByTestId('visit-provisional'), '€0.00');
    await checkAccessibility(page, 'visit panel, quota');
    await screenshot(page, 'reception-24-visit-plan-quota');
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: `Open visit: ${nameOf(onPass)}` }).click();
    await showsText(page.getByTestId('visit-plan'), 'Pass “Pass Bruxelles-Brussel”: desk covered here');
    await showsText(page.getByTestId('visit-provisional'), '€0.00');
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'detached' });

    // Out at the reader: the quota holder's desk time drawn from the hours, none charged.
    t.clock.advance(60_000);
    const out = unwrap(readerTap(uidOf(onQuota.id)));
    expect(out).toMatchObject({ outcome: 'checked_out', visit: { totals: { grossCents: 0 }, entitlement: { kind: 'quota' } } });
    expect(unwrap(readerTap(uidOf(onPass.id)))).toMatchObject({ outcome: 'checked_out', visit: { totals: { grossCents: 0 } } });
  });

  it('did every staff action under the clerk’s shift', async () => {
    const events = unwrap(await t.api.events({ limit: 10_000 }));
    const joris = (contextOf(t.station).db.prepare("SELECT id FROM staff_shift WHERE staff_id = 'joris'").get() as { id: string }).id;
    const staffActions = events.filter(
      (e) =>
        (e.type === 'visit.checked_in' && e.payload.by === 'staff') ||
        (e.type === 'visit.checked_out' && e.payload.by === 'staff') ||
        (e.type === 'consumption.recorded' && e.payload.source === 'staff') ||
        e.type === 'consumption.voided' ||
        e.type === 'visit.voided' ||
        e.type === 'badge.assigned',
    );
    expect(staffActions.map((e) => e.type).sort()).toEqual(
      [
        'badge.assigned', 'consumption.recorded', 'consumption.recorded', 'consumption.recorded', 'consumption.voided',
        // The eID guest's registration and its void are the fourth check-in and the second void.
        'visit.checked_in', 'visit.checked_in', 'visit.checked_in', 'visit.checked_in', 'visit.checked_out', 'visit.checked_out', 'visit.voided', 'visit.voided',
      ].sort(),
    );
    for (const e of staffActions) expect([shifts.amelie, joris], `${e.type} ${JSON.stringify(e.payload)}`).toContain((e.payload as { shiftId?: string }).shiftId);
  });

  it('ran without page errors or CSP violations', () => {
    expect(pageProblems).toEqual([]);
  });
});
