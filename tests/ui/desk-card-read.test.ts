// The sign-up form and the desk reader (issue 15), in Debian's Chromium at 1366×768 against a real
// station runtime with its reader on a socat pty: while the form waits for a card, a card read at
// the desk fills the form's card number and says whose card it already is — and taps nobody (it
// once checked Lotte out, a line on her statement). A new card is said to be new. In Dutch and
// French; screenshots in test-output/screenshots/.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ReaderSimulator } from '../../demo/sim/reader-sim.js';
import { launchChromium, receptionPage, screenshot, serveStation, signInAtReception } from '../support/browser.js';
import { ensureRendererBuilt } from '../support/renderer-build.js';
import { demoBadges, openTestStation, type TestStation } from '../support/station-fixture.js';
import { unwrap } from '../support/ledger.js';
import { waitFor } from '../support/wait.js';
import { removeTempDirs, tempFolder, waitForStatus } from '../devices/device-support.js';

let t: TestStation;
let running: Awaited<ReturnType<typeof serveStation>>;
let browser: Browser;
let reader: ReaderSimulator;
const badges = demoBadges();
const lotte = badges.active[0]!;
const lotteMember = badges.member(lotte.memberId);
const NEW_CARD = '00C0FFEE01';

beforeAll(async () => {
  await ensureRendererBuilt('reception');
  const dir = tempFolder('escale-card-read-');
  reader = await new ReaderSimulator(path.join(dir, 'desk'), path.join(dir, 'desk-sim'), 'em4100').start();
  t = openTestStation({ settings: { tapWindowMs: 0 } });
  running = await serveStation(t.station);
  unwrap(await t.api.configureDevice({ config: { id: 'desk', kind: 'reader', name: 'Desk reader', connection: { type: 'serial', path: reader.devicePath, framing: 'em4100' } } }));
  await waitForStatus(t.api, 'desk', 'up', (s) => s.state === 'up');
  unwrap(await t.api.checkIn({ memberId: lotte.memberId }));
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await reader?.stop();
  t?.close();
  removeTempDirs();
});

async function signUpForm(language: 'fr' | 'nl'): Promise<Page> {
  const page = await receptionPage(browser, language);
  await signInAtReception(page, running.pageUrl('reception'), 'Joris Peeters', '1357');
  await page.keyboard.press('Alt+N');
  await page.locator('#signup-cardUid').waitFor();
  // The form has claimed the desk reader at the station.
  await waitFor(() => running.gate.cardReadClaim() !== undefined, 'the form’s claim on the desk reader');
  return page;
}

const onSite = async () => unwrap(await t.api.onSite({})).map((e) => e.person.id);

describe('the desk reader while the sign-up form waits for a card', () => {
  it('fills the card number and says it is Lotte’s, and does not check her out (Dutch)', async () => {
    const page = await signUpForm('nl');
    await reader.tap(lotte.uid);
    await waitFor(async () => (await page.locator('#signup-cardUid').inputValue()) === lotte.uid, 'the card number in the form');
    await page.getByTestId('card-read-note').filter({ hasText: `Kaart ${lotte.uid} gelezen: deze kaart is van ${lotteMember.firstName} ${lotteMember.lastName}.` }).waitFor();
    expect(await onSite()).toContain(lotte.memberId);
    const visit = unwrap(await t.api.onSite({})).find((e) => e.person.id === lotte.memberId)!;
    expect(unwrap(await t.api.visitDetail({ visitId: visit.visitId })).lines).toEqual([]);
    await screenshot(page, 'desk-card-read-01-taken-card-nl-1366');
    // Leaving the form gives the reader back to the tap.
    await page.keyboard.press('Alt+S');
    await waitFor(() => running.gate.cardReadClaim() === undefined, 'the claim released');
    await page.context().close();
  });

  it('says a new card is new (French)', async () => {
    const page = await signUpForm('fr');
    await reader.tap(NEW_CARD);
    await waitFor(async () => (await page.locator('#signup-cardUid').inputValue()) === NEW_CARD, 'the card number in the form');
    await page.getByTestId('card-read-note').filter({ hasText: `Carte ${NEW_CARD} lue : une nouvelle carte, elle sera celle du nouveau membre.` }).waitFor();
    // No unknown-badge banner: the read was the form's, not a tap.
    expect(await page.getByRole('region', { name: new RegExp(NEW_CARD) }).count()).toBe(0);
    await screenshot(page, 'desk-card-read-02-new-card-fr-1366');
    await page.context().close();
  });

  it('says a refused tap to the clerk in their words, never "please see the reception" (Dutch)', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'nl-BE', timezoneId: 'Europe/Brussels' });
    const page = await context.newPage();
    await page.addInitScript(`localStorage.setItem('escale.reception.language', 'nl')`);
    await page.goto(running.pageUrl('reception'));
    await page.getByLabel('Joris Peeters').check();
    await page.locator('#pin').fill('1357');
    await page.locator('#pin').press('Enter');
    await page.getByTestId('shift').waitFor();
    // The search screen claims nothing: the desk reader taps.
    expect(running.gate.cardReadClaim()).toBeUndefined();
    const lost = badges.lost;
    const owner = badges.member(lost.memberId);
    await reader.tap(lost.uid);
    const line = page.locator('.status-line');
    await line.filter({ hasText: `Badge ${lost.uid} van ${owner.firstName} ${owner.lastName} is als verloren gemeld: doorgang geweigerd. Geef een nieuwe badge.` }).waitFor();
    expect(await line.textContent()).not.toMatch(/reception|onthaal/i);
    await screenshot(page, 'desk-card-read-03-refused-tap-nl-1366');
    await context.close();
  });
});
