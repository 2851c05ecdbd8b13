// The reception's search as a busy morning uses it (issue 15), in Debian's Chromium at 1366×768, in
// French and Dutch: it opens on today (who is on site, who came and left); three homonyms are listed
// with the one on site first and what tells them apart; ↓ Enter opens the person — their visit
// panel or their card — and never checks anyone in or out; a blocked member's check-in is disabled
// with the reason beside it. Screenshots in test-output/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, receptionPage, screenshot, serveStation, signInAtReception } from '../support/browser.js';
import { ensureRendererBuilt } from '../support/renderer-build.js';
import { demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { unwrap } from '../support/ledger.js';
import { waitFor } from '../support/wait.js';

let t: TestStation;
let running: Awaited<ReturnType<typeof serveStation>>;
let browser: Browser;

const data = demoReferenceData();
const companies = data.payers.filter((p) => p.kind === 'company');
const homonym = (id: string, payerId: string, email: string) => ({ id, payerId, firstName: 'Jeroen', lastName: 'Mertens', email, language: 'nl' as const, status: 'active' as const, homeSiteId: data.members[0]!.homeSiteId });
// Apart from the demo's own Jeroen Mertens: the one on site sorts last by id and e-mail.
const ON_SITE = 'm-019aff00-0000-7000-8000-00000a1b2c3d';
data.members.push(homonym('m9001', companies[0]!.id, 'jeroen.mertens@a.example'), homonym(ON_SITE, companies[1]!.id, 'zz.jm@c.example'));
const blocked = demoReferenceData().members.find((m) => m.status === 'blocked')!;
const gone = data.members.find((m) => m.status === 'active' && m.firstName !== 'Jeroen')!;

beforeAll(async () => {
  await ensureRendererBuilt('reception');
  t = openTestStation({ data });
  unwrap(await t.api.checkIn({ memberId: ON_SITE }));
  const left = unwrap(await t.api.checkIn({ memberId: gone.id }));
  t.clock.advance(30 * 60_000);
  unwrap(await t.api.checkOut({ visitId: left.visitId }));
  running = await serveStation(t.station);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  t?.close();
});

async function signedIn(language: 'fr' | 'nl'): Promise<Page> {
  const page = await receptionPage(browser, language);
  await signInAtReception(page, running.pageUrl('reception'), 'Joris Peeters', '1357');
  return page;
}

const focusedId = (p: Page) => p.evaluate('document.activeElement && document.activeElement.id') as Promise<string | null>;
const onSiteIds = async () => unwrap(await t.api.onSite({})).map((e) => e.person.id);

describe('the reception search (issue 15)', () => {
  it('opens on today, ranks the homonym on site first and opens people with Enter, in Dutch', async () => {
    const page = await signedIn('nl');
    const today = page.getByTestId('today-lists');
    await page.getByRole('heading', { name: 'Nu aanwezig (1)' }).waitFor();
    await today.getByRole('button', { name: 'Bezoek openen: Jeroen Mertens' }).waitFor();
    await page.getByRole('heading', { name: 'Vandaag gekomen en vertrokken (1)' }).waitFor();
    await today.getByRole('button', { name: `Bezoek openen: ${gone.firstName} ${gone.lastName}` }).waitFor();
    await screenshot(page, 'desk-search-01-today-nl-1366');

    await page.locator('#search-input').fill('Jeroen Mertens');
    const rows = page.locator('#search-results li');
    await waitFor(async () => (await rows.count()) >= 3, 'the homonyms listed');
    await rows.first().filter({ hasText: 'aanwezig sinds 09:00' }).waitFor();
    await rows.first().filter({ hasText: companies[1]!.name }).waitFor();
    await rows.first().filter({ hasText: 'nr. 0A1B2C3D' }).waitFor();
    await screenshot(page, 'desk-search-02-homonyms-nl-1366');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'desk-search-02-homonyms-nl-1920');
    await page.setViewportSize({ width: 1366, height: 768 });

    // ↓ Enter on the one on site: their visit panel, and they are still on site.
    await page.locator('#search-input').press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('aside.visit-panel').getByRole('heading', { name: 'Bezoek van Jeroen Mertens' }).waitFor();
    expect(await onSiteIds()).toEqual([ON_SITE]);
    // A member signed up at a station is shown by a short number, never their m-<uuid> id.
    await page.locator('aside.visit-panel').filter({ hasText: 'nr. 0A1B2C3D' }).waitFor();
    expect(await page.locator('aside.visit-panel').textContent()).not.toContain(ON_SITE);
    await page.keyboard.press('Escape');
    await page.locator('aside.visit-panel').waitFor({ state: 'detached' });

    // ↓ ↓ Enter on a homonym who is not here: their card, focused on the name; nobody checked in.
    // Closing the panel gives the focus back to the search field on the next frame (focusFirst):
    // keys pressed before that frame would be taken back with it (seen once in CI under load).
    await waitFor(() => focusedId(page).then((id) => id === 'search-input'), 'the search field has the focus back');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await waitFor(() => focusedId(page).then((id) => id === 'person-card-title'), 'the card has the focus');
    await page.getByTestId('person-card').getByRole('button', { name: 'Aankomst registreren' }).waitFor();
    expect(await onSiteIds()).toEqual([ON_SITE]);
    await screenshot(page, 'desk-search-03-card-nl-1366');
    await page.context().close();
  });

  it('disables a blocked member’s check-in with the reason beside it, in French', async () => {
    const page = await signedIn('fr');
    await page.locator('#search-input').fill(blocked.email);
    const row = page.locator('#search-results li').first();
    await row.filter({ hasText: 'Bloqué' }).waitFor();
    await row.getByRole('button').click();
    const card = page.getByTestId('person-card');
    expect(await card.getByRole('button', { name: 'Enregistrer l’arrivée' }).isDisabled()).toBe(true);
    await card.getByTestId('person-card-blocker').filter({ hasText: 'Arrivée impossible : le réseau a bloqué cette adhésion.' }).waitFor();
    await screenshot(page, 'desk-search-04-blocked-fr-1366');
    await page.context().close();
  });

  it('undoes a check-out from the visit panel with a reason, in French: on site again', async () => {
    const page = await signedIn('fr');
    const name = `${gone.firstName} ${gone.lastName}`;
    await page.getByRole('heading', { name: 'Venus et repartis aujourd’hui (1)' }).waitFor();
    await page.getByTestId('today-lists').getByRole('button', { name: `Ouvrir la visite : ${name}` }).click();
    const panel = page.locator('aside.visit-panel');
    await panel.getByRole('heading', { name: `Visite de ${name}` }).waitFor();
    await panel.getByRole('button', { name: 'Annuler le départ' }).click();
    // No reason: said in French beside the field, nothing undone.
    await panel.getByRole('button', { name: 'Annuler le départ' }).click();
    await panel.locator('#undo-checkout-error').filter({ hasText: 'Donnez une raison d’au moins 3 caractères.' }).waitFor();
    expect(await onSiteIds()).not.toContain(gone.id);
    await panel.getByLabel('Pourquoi annuler le départ ?').fill('parti déjeuner, revenu');
    await panel.getByRole('button', { name: 'Annuler le départ' }).click();
    await page.locator('.status-line').filter({ hasText: `Départ de ${name} annulé : de nouveau sur place.` }).waitFor();
    expect(await onSiteIds()).toContain(gone.id);
    await page.getByRole('heading', { name: 'Sur place maintenant (2)' }).waitFor();
    await screenshot(page, 'desk-search-05-checkout-undone-fr-1366');
    await page.context().close();
  });
});
