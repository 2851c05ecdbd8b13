// The reception's "new network member" screen in Debian's Chromium (playwright-core) against the
// local host, over a station with the demo data on a manual clock: a French clerk gets the French
// words for what is wrong, beside the field the station named (an e-mail address, a VAT number's
// check digits, a missing consent); a new card tapped on the reader fills the card number; the
// sign-up then stands, listed as awaiting the network's confirmation. Checked with axe-core;
// screenshots in test-output/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { HostMessage } from '../../common/host-protocol.js';
import { callStation } from '../../main/station/api.js';
import { launchChromium, screenshot, serveStation } from '../support/browser.js';
import { ensureRendererBuilt } from '../support/renderer-build.js';
import { openTestStation, type TestStation } from '../support/station-fixture.js';
import { count, unwrap } from '../support/ledger.js';
import { contextOf } from '../../main/station/context.js';
import { shortMemberNumber } from '../../common/member-number.js';

const AXE_SOURCE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

let t: TestStation;
let running: Awaited<ReturnType<typeof serveStation>>;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];

async function noSeriousViolations(p: Page, screen: string): Promise<void> {
  if (!(await p.evaluate('typeof window.axe === "object"'))) await p.evaluate(AXE_SOURCE);
  const violations = (await p.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`)) as unknown[];
  expect(violations, `${screen}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

/** A reader of this station reads `uid`: tapped at the station, heard by every page (as the device manager does). */
function readerTap(uid: string): void {
  const read = { uid, source: 'desk-reader', at: new Date(t.clock.now()).toISOString() };
  const message: HostMessage = { kind: 'tap', read, result: callStation(t.station, 'tap', read) };
  running.notifier.publish(message);
}

const focusedId = (p: Page) => p.evaluate('document.activeElement && document.activeElement.id') as Promise<string | null>;

beforeAll(async () => {
  await ensureRendererBuilt('reception');
  t = openTestStation();
  running = await serveStation(t.station);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'fr-BE', timezoneId: 'Europe/Brussels' });
  page = await context.newPage();
  page.on('pageerror', (e) => pageProblems.push(`page error: ${e.message}`));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  t?.close();
});

describe('reception: new network member', () => {
  it('a French clerk sees, in French and beside the field, what is wrong; then signs the member up with the card just tapped', async () => {
    await page.goto(running.pageUrl('reception'));
    await page.getByLabel('Amélie Dupont').check();
    await page.getByLabel('Code PIN').fill('2468');
    await page.getByLabel('Code PIN').press('Enter');
    await page.getByRole('navigation').getByRole('button', { name: 'Nouveau membre', exact: true }).click();
    await page.getByRole('heading', { name: 'Inscrire un nouveau membre du réseau' }).waitFor();

    await page.getByLabel('Prénom', { exact: true }).fill('Lucie');
    await page.getByLabel('Nom', { exact: true }).fill('Verbeke');
    await page.getByLabel('E-mail', { exact: true }).fill('lucie.verbeke@');
    await page.getByLabel('Entreprise', { exact: true }).selectOption('acme-logistics');
    await page.getByLabel(/accepte les conditions d’adhésion/).check();
    await page.getByLabel(/avis de confidentialité/).check();
    // The clerk taps the new card on the reception's reader: unknown to the network, it fills the card number.
    readerTap('04A1B2C3D4');
    await expect.poll(() => page.getByLabel('Numéro de la carte').inputValue()).toBe('04A1B2C3D4');
    await page.getByRole('button', { name: 'Inscrire', exact: true }).click();

    const emailError = page.locator('#signup-email-error');
    await emailError.waitFor();
    expect(await emailError.textContent()).toBe('E-mail : ce n’est pas une adresse e-mail valable (par exemple nom@exemple.be).');
    expect(await page.getByLabel('E-mail', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await focusedId(page)).toBe('signup-email');
    expect(count(contextOf(t.station).db, 'member_signup')).toBe(0);
    await noSeriousViolations(page, 'sign-up, bad e-mail');
    await screenshot(page, 'reception-signup-01-bad-email-fr');

    // Paying for herself, with a VAT number whose check digits are wrong.
    await page.getByLabel('E-mail', { exact: true }).fill('lucie.verbeke@example.be');
    await page.getByLabel('Le membre lui-même').check();
    await page.getByLabel('Rue et numéro').fill('Kerkstraat 1');
    await page.getByLabel('Code postal').fill('9000');
    await page.getByLabel('Localité').fill('Gent');
    await page.getByLabel('Numéro de TVA (facultatif)').fill('BE 0123.456.748');
    await page.getByRole('button', { name: 'Inscrire', exact: true }).click();
    const vatError = page.locator('#signup-vatNumber-error');
    await vatError.waitFor();
    expect(await vatError.textContent()).toMatch(/^Numéro de TVA : non valable — vérifiez le code pays et le numéro/);
    expect(await focusedId(page)).toBe('signup-vatNumber');
    await screenshot(page, 'reception-signup-02-bad-vat-fr');

    // Consent withdrawn: the terms' box is named.
    await page.getByLabel('Numéro de TVA (facultatif)').fill('BE 0123.456.749');
    await page.getByLabel(/accepte les conditions d’adhésion/).uncheck();
    await page.getByRole('button', { name: 'Inscrire', exact: true }).click();
    await page.locator('#signup-termsAccepted-error').waitFor();
    expect(await page.locator('#signup-termsAccepted-error').textContent()).toBe('Conditions d’adhésion : le nouveau membre doit les accepter pour rejoindre le réseau.');
    expect(count(contextOf(t.station).db, 'member_signup')).toBe(0);

    await page.getByLabel(/accepte les conditions d’adhésion/).check();
    await page.getByRole('button', { name: 'Inscrire', exact: true }).click();
    const done = page.getByTestId('signup-done');
    await done.waitFor();
    const [signUp] = unwrap(await t.api.signUps({}));
    expect(signUp).toMatchObject({ state: 'awaiting', email: 'lucie.verbeke@example.be', badge: { uid: '04A1B2C3D4', kind: 'rfid' }, payer: { kind: 'self' } });
    // The new member by name and a short number, never the m-<uuid> id.
    expect(await done.textContent()).toContain(`Lucie Verbeke est inscrit : numéro de membre ${shortMemberNumber(signUp!.memberId)}.`);
    expect(await done.textContent()).not.toContain(signUp!.memberId);
    const row = page.getByTestId('signups').getByRole('row', { name: /Lucie Verbeke/ });
    await row.getByText('En attente de confirmation du réseau').waitFor();
    // The card is the new member's now: the unknown-badge banner has gone.
    await page.getByText('Badge 04A1B2C3D4 inconnu').waitFor({ state: 'detached' });
    await noSeriousViolations(page, 'sign-up done');
    await screenshot(page, 'reception-signup-03-awaiting-fr');
    expect(pageProblems).toEqual([]);
  });
});
