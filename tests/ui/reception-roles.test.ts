// Who may do what at the reception, in Debian's Chromium against the local host (issue 13): a
// browser not paired with the station says so and gets nothing; a clerk works the desk but sees
// neither the station's settings nor device configuration; when the clerk's session ends at the
// station (the shift ended elsewhere), the reception goes back to its sign-in, saying why, in the
// clerk's language; a supervisor unlocks a clerk locked out by wrong PINs and sets how long the
// kiosk shows a check-out's amounts. French and Dutch, at
// 1366×768; screenshots in test-output/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { callStation } from '../../main/station/api.js';
import { launchChromium, receptionPage, screenshot, serveStation } from '../support/browser.js';
import { ensureRendererBuilt } from '../support/renderer-build.js';
import { openTestStation, type TestStation } from '../support/station-fixture.js';
import { unwrap } from '../support/ledger.js';

let t: TestStation;
let running: Awaited<ReturnType<typeof serveStation>>;
let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt('reception');
  t = openTestStation();
  running = await serveStation(t.station);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  t?.close();
});

async function newPage(language: 'fr' | 'nl'): Promise<Page> {
  return receptionPage(browser, language);
}

async function signIn(page: Page, name: string, pin: string): Promise<void> {
  await page.getByLabel(name).check();
  await page.locator('#pin').fill(pin);
  await page.locator('#pin').press('Enter');
}

const nav = (p: Page) => p.getByRole('navigation');

describe('reception roles', () => {
  it('a browser that was never paired is told so, in French, and reaches nothing', async () => {
    const page = await newPage('fr');
    await page.goto(`${running.host!.url}/reception.html`);
    await page.getByTestId('not-paired').filter({ hasText: 'pas encore relié à la station' }).waitFor({ timeout: 15_000 });
    expect(await page.getByLabel('Amélie Dupont').count()).toBe(0);
    await screenshot(page, 'reception-roles-not-paired-fr');
    await page.context().close();
  });

  it('a clerk (Dutch): the desk, but no settings and no device configuration; the session ends when the shift ends elsewhere', async () => {
    const page = await newPage('nl');
    await page.goto(running.pageUrl('reception'));
    await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
    await signIn(page, 'Joris Peeters', '1357');
    await page.getByTestId('shift').waitFor();
    const items = await nav(page).getByRole('button').allInnerTexts();
    expect(items.join(' ')).not.toMatch(/Instellingen/);
    await page.keyboard.press('Alt+P');
    expect(await page.getByRole('heading', { name: 'Instellingen' }).count()).toBe(0);
    await page.keyboard.press('Alt+D');
    await page.getByRole('heading', { name: 'Toestellen' }).waitFor();
    await page.getByText('voorbehouden aan een supervisor').waitFor();
    expect(await page.getByRole('button', { name: 'Een printer toevoegen' }).count()).toBe(0);
    await screenshot(page, 'reception-roles-clerk-devices-nl');

    // The shift ends at the station (the command line): the next call finds no session.
    const session = unwrap(callStation(t.station, 'staffSignIn', { staffId: 'joris', pin: '1357' }));
    unwrap(callStation(t.station, 'staffSignOut', { shiftId: session.shiftId }));
    await page.keyboard.press('Alt+O');
    await page.getByTestId('session-ended').filter({ hasText: 'Uw sessie is beëindigd' }).waitFor({ timeout: 15_000 });
    await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
    await screenshot(page, 'reception-roles-session-ended-nl');
    await page.context().close();
  });

  it('a supervisor (French) sees the settings, and unlocks a clerk locked out by wrong PINs', async () => {
    const page = await newPage('fr');
    await page.goto(running.pageUrl('reception'));
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    for (let i = 0; i < 5; i++) callStation(t.station, 'staffSignIn', { staffId: 'joris', pin: '0000' });
    expect(callStation(t.station, 'staffSignIn', { staffId: 'joris', pin: '1357' })).toMatchObject({ ok: false, error: { code: 'PIN_LOCKED' } });
    await signIn(page, 'Amélie Dupont', '2468');
    await page.getByTestId('shift').waitFor();
    await page.keyboard.press('Alt+P');
    await page.getByRole('heading', { name: 'Paramètres' }).waitFor();
    const locked = page.getByRole('heading', { name: 'Personnel bloqué par des codes PIN erronés' });
    await locked.waitFor();
    await screenshot(page, 'reception-roles-supervisor-unlock-fr');
    await page.getByRole('button', { name: 'Débloquer la connexion de Joris Peeters' }).click();
    await page.getByText('Personne n’est bloqué.').waitFor();
    expect(callStation(t.station, 'staffSignIn', { staffId: 'joris', pin: '1357' })).toMatchObject({ ok: true });

    // The kiosk's amounts (issue 15): none on the public screen by default; the supervisor allows 5 s.
    const amount = page.getByLabel(/Afficher le montant d’un départ sur la borne/);
    expect(await amount.inputValue()).toBe('0');
    await amount.fill('60');
    await page.getByRole('form', { name: 'Borne' }).getByRole('button', { name: 'Enregistrer' }).click();
    await page.locator('#kiosk-amount-error').filter({ hasText: 'Secondes : un nombre de 0 à 12.' }).waitFor();
    await amount.fill('5');
    await page.getByRole('form', { name: 'Borne' }).getByRole('button', { name: 'Enregistrer' }).click();
    await page.locator('.status-line').filter({ hasText: 'La borne affiche le montant d’un départ pendant 5 s.' }).waitFor();
    expect(callStation(t.station, 'kioskSettings', {})).toEqual({ ok: true, value: { amountMs: 5000 } });
    await screenshot(page, 'reception-roles-supervisor-kiosk-fr');
    await page.context().close();
  });
});
