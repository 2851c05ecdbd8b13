// What the station says went wrong, said in the clerk's language at the reception (Debian's
// Chromium against the local host): a wrong PIN, a device form's bad port and an empty sign-up
// form (every field at fault at once), in French then in Dutch, at 1366×768. Every error shown on the page is checked against the catalogues: a sentence
// that is the English one (and not also the screen language's) fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ERROR_WORDS, sayIn, type ErrorWords } from '../../common/messages/errors/index.js';
import { loadCatalogue, type Catalogue } from '../support/catalogues.js';
import path from 'node:path';
import type { Language } from '../../common/reference-data.js';
import { launchChromium, screenshot, serveStation } from '../support/browser.js';
import { ensureRendererBuilt } from '../support/renderer-build.js';
import { openTestStation, type TestStation } from '../support/station-fixture.js';
import { waitFor } from '../support/wait.js';
import { unwrap } from '../support/ledger.js';

let t: TestStation;
let running: Awaited<ReturnType<typeof serveStation>>;
let browser: Browser;
let page: Page;
/** The reception's catalogues, read from its sources (the renderer is its own TypeScript project). */
const reception: Record<string, Catalogue> = {};

/** Each sentence of a catalogue as a pattern: its placeholders match anything. */
const patterns = (words: ErrorWords) =>
  Object.values(words).map((s) => new RegExp(`^${s.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '.*')}$`));

/** The errors the page shows now, each of which must not be English on a page in `language`. */
async function errorsInLanguage(p: Page, language: Language): Promise<string[]> {
  const shown = (await p.locator('.field-error, [role="alert"]').allTextContents()).map((s) => s.trim()).filter(Boolean);
  const english = patterns(ERROR_WORDS.en);
  const own = patterns(ERROR_WORDS[language]);
  const foreign = shown.filter((s) => english.some((r) => r.test(s)) && !own.some((r) => r.test(s)));
  expect(foreign, `English on a ${language} page`).toEqual([]);
  return shown;
}

/**
 * No sentence of the English catalogues (the reception's and the errors') on a page in another
 * language: each English text of some length that the language says otherwise must not appear.
 */
async function noEnglishOnPage(p: Page, language: Language, screen: string): Promise<void> {
  const text = ((await p.evaluate('document.body.innerText')) as string).replace(/\s+/g, ' ');
  const english: string[] = [];
  for (const [en, own] of [
    [reception.en!, reception[language]!],
    [ERROR_WORDS.en, ERROR_WORDS[language]],
  ] as [Record<string, string>, Record<string, string>][])
    for (const [key, sentence] of Object.entries(en)) {
      // The fixed parts of a sentence with placeholders; short words (Port, Total, Hub…) are often the same.
      for (const part of sentence.split(/\{\w+\}/).map((x) => x.trim()))
        if (part.length >= 14 && /[a-z]{4}/i.test(part) && !own[key]!.includes(part) && text.includes(part)) english.push(`${key}: "${part}"`);
    }
  expect(english, `English on the ${language} ${screen} screen`).toEqual([]);
}

async function shows(p: Page, selector: string, text: string): Promise<void> {
  let seen: string | null = null;
  try {
    await waitFor(async () => (seen = ((await p.locator(selector).textContent({ timeout: 1000 }).catch(() => null)) ?? '').trim()) === text, `${selector} to say "${text}"`);
  } catch (e) {
    throw new Error(`${(e as Error).message}; it said ${JSON.stringify(seen)}`);
  }
}

beforeAll(async () => {
  for (const l of ['en', 'fr', 'nl', 'de']) reception[l] = await loadCatalogue(path.resolve('renderer/src/reception'), l);
  await ensureRendererBuilt('reception');
  t = openTestStation();
  running = await serveStation(t.station);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-BE', timezoneId: 'Europe/Brussels' });
  page = await context.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  t?.close();
});

describe('the station’s errors in the clerk’s language', () => {
  it('a wrong PIN and a bad port, in French then in Dutch, never in English', async () => {
    await page.goto(running.pageUrl('reception'));
    await page.getByLabel('Amélie Dupont').check();
    await page.getByLabel('Code PIN').fill('0000');
    await page.getByLabel('Code PIN').press('Enter');
    await shows(page, '#pin-error', sayIn('fr', { key: 'pinWrongMany', values: { left: 4 } }));
    expect(await errorsInLanguage(page, 'fr')).toContain('Code PIN incorrect. Encore 4 essais avant le blocage.');
    await screenshot(page, 'reception-words-01-wrong-pin-fr');

    await page.getByRole('button', { name: 'NL', exact: true }).click();
    await page.getByLabel('Pincode').fill('1111');
    await page.getByLabel('Pincode').press('Enter');
    await shows(page, '#pin-error', 'Verkeerde pincode. Nog 3 pogingen voor aanmelden geblokkeerd wordt.');
    await errorsInLanguage(page, 'nl');
    await screenshot(page, 'reception-words-02-wrong-pin-nl');

    await page.getByLabel('Pincode').fill('2468');
    await page.getByLabel('Pincode').press('Enter');
    await page.getByRole('navigation').getByRole('button', { name: 'Toestellen', exact: true }).click();
    await page.getByRole('button', { name: 'Een printer toevoegen' }).click();
    await page.getByLabel('Id', { exact: true }).fill('badge-printer');
    await page.getByLabel('Poort').fill('70000');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await shows(page, '#device-port-error', 'Hoogstens 65535.');
    await errorsInLanguage(page, 'nl');
    await screenshot(page, 'reception-words-03-bad-port-nl');

    // The sign-up form sent empty: every field at fault said at once, each beside its field, in Dutch.
    await page.getByRole('navigation').getByRole('button', { name: 'Nieuw lid', exact: true }).click();
    await page.getByRole('heading', { name: 'Een nieuw lid van het netwerk inschrijven' }).waitFor();
    await page.getByRole('button', { name: 'Inschrijven', exact: true }).click();
    await shows(page, '#signup-firstName-error', 'Voornaam: vul de voornaam van het nieuwe lid in.');
    await shows(page, '#signup-lastName-error', 'Achternaam: vul de achternaam van het nieuwe lid in.');
    await shows(page, '#signup-email-error', 'E-mail: dit is geen geldig e-mailadres (bijvoorbeeld naam@voorbeeld.be).');
    expect(await page.getByLabel('Achternaam', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await errorsInLanguage(page, 'nl');
    await screenshot(page, 'reception-words-05-signup-all-errors-nl');

    await page.getByRole('navigation').getByRole('button', { name: 'Toestellen', exact: true }).click();
    await page.getByRole('button', { name: 'Een printer toevoegen' }).click();
    await page.getByLabel('Poort').fill('70000');
    await page.getByRole('button', { name: 'FR', exact: true }).click();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await shows(page, '#device-port-error', 'Au plus 65535.');
    await errorsInLanguage(page, 'fr');
    await screenshot(page, 'reception-words-04-bad-port-fr');

    // Saved: a notice in French. Switching to Dutch ends it (it is not re-said in another language);
    // saved again, then a new error: the "saved" notice does not stand beside it.
    await page.getByLabel('Identifiant').fill('badge-printer');
    await page.getByLabel('Nom affiché au personnel').fill('Imprimante des badges');
    await page.getByLabel('Adresse', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port').fill('9100');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await shows(page, '.status-line', 'Imprimante des badges enregistré.');
    await page.getByRole('button', { name: 'NL', exact: true }).click();
    await page.getByRole('heading', { name: 'Toestellen' }).waitFor();
    // At once, not after a wait: a notice also goes by itself after 15 s.
    expect((await page.locator('.status-line').textContent())?.trim()).toBe('');
    await page.getByRole('button', { name: 'FR', exact: true }).click();
    await page.getByRole('button', { name: 'Ajouter une imprimante' }).click();
    await page.getByLabel('Identifiant').fill('receipt-printer');
    await page.getByLabel('Nom affiché au personnel').fill('Imprimante des reçus');
    await page.getByLabel('Adresse', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port').fill('9101');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await shows(page, '.status-line', 'Imprimante des reçus enregistré.');
    await page.getByRole('button', { name: 'Ajouter une imprimante' }).click();
    await page.getByLabel('Port').fill('0');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await shows(page, '#device-port-error', 'Au moins 1.');
    expect((await page.locator('.status-line').textContent())?.trim()).toBe('');

    // A printer that nobody answers at its address: its row says so in French, what to do, and the
    // system's own error only behind "Détails"; its counters in words.
    await page.getByRole('button', { name: 'Abandonner' }).click();
    await page.getByRole('button', { name: 'Imprimer un test : Imprimante des badges' }).click();
    const row = page.locator('tr[data-device="badge-printer"]');
    await waitFor(async () => /Imprimante des badges ne répond plus depuis/.test((await row.textContent()) ?? ''), 'the printer row to say it does not answer');
    expect(await row.locator('details summary').textContent()).toBe('Détails');
    expect(await row.locator('details').getAttribute('open')).toBeNull();
    expect(await row.locator('td.counts').textContent()).toMatch(/erreurs \d/);
    // The notice names the printer; the job waiting for it says why in French, the system's error apart.
    expect((await page.locator('.status-line').textContent())?.trim()).toBe('Page de test envoyée à l’imprimante Imprimante des badges.');
    const job = page.getByRole('row', { name: /Page de test/ });
    await waitFor(async () => /ne l’a pas encore pris/.test((await job.textContent()) ?? ''), 'the test page to say it waits for its printer');
    expect(await job.locator('details summary').textContent()).toBe('Détails');
    await errorsInLanguage(page, 'fr');
    await screenshot(page, 'reception-words-06-printer-down-fr');
  });

  it('no English on any reception screen in French or in Dutch', async () => {
    const screens = { fr: ['Rechercher', 'Sur place', 'Invité de passage', 'Nouveau membre', 'Aujourd’hui', 'Caisse', 'Chiffres', 'Appareils', 'Synchro', 'Paramètres'], nl: ['Zoeken', 'Aanwezig', 'Gast zonder afspraak', 'Nieuw lid', 'Vandaag', 'Kassa', 'Cijfers', 'Toestellen', 'Synchronisatie', 'Instellingen'] } as const;
    for (const language of ['fr', 'nl'] as const) {
      const p = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: `${language}-BE`, timezoneId: 'Europe/Brussels' });
      await p.addInitScript(`localStorage.setItem('escale.reception.language', '${language}')`);
      await p.goto(running.pageUrl('reception'));
      await p.getByLabel('Amélie Dupont').check();
      await p.locator('#pin').fill('2468');
      await p.locator('#pin').press('Enter');
      await p.getByTestId('shift').waitFor();
      for (const name of screens[language]) {
        await p.getByRole('navigation').getByRole('button', { name, exact: true }).click();
        await p.locator('main h1').first().waitFor();
        await noEnglishOnPage(p, language, name);
      }
      await p.close();
    }
  });

  // issue 16, desk: the payment panel, an invoice's VAT number refused at its field, the till
  it('the till, a payment and an invoice with a wrong VAT number say nothing in English, in French or in Dutch', async () => {
    for (const language of ['fr', 'nl'] as const) {
      const w = reception[language]!;
      const say = (key: string, values: Record<string, string> = {}) => w[key]!.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
      const p = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: `${language}-BE`, timezoneId: 'Europe/Brussels' });
      await p.addInitScript(`localStorage.setItem('escale.reception.language', '${language}')`);
      await p.goto(running.pageUrl('reception'));
      await p.getByLabel('Amélie Dupont').check();
      await p.locator('#pin').fill('2468');
      await p.locator('#pin').press('Enter');
      // No till open: the banner says so; the till screen opens it with a float.
      await p.getByTestId('till-banner').getByRole('button', { name: say('tillOpenNow') }).click();
      await noEnglishOnPage(p, language, 'till, none open');
      await p.getByLabel(say('tillFloat')).fill('20');
      await p.getByLabel(say('tillFloat')).press('Enter');
      await p.getByTestId('till-close-form').waitFor();
      await noEnglishOnPage(p, language, 'till open');

      const guest = unwrap(await t.api.registerGuest({ firstName: 'Wout', lastName: `Factuur-${language}`, consent: true }));
      t.clock.advance(60 * 60_000);
      await p.getByRole('navigation').getByRole('button', { name: say('navToday'), exact: true }).click();
      await p.getByRole('button', { name: say('openVisitOf', { name: `Wout Factuur-${language}` }) }).click();
      await p.locator('aside.visit-panel').getByRole('button', { name: say('checkOut'), exact: true }).click();
      await p.getByTestId('payment-form').waitFor();
      await noEnglishOnPage(p, language, 'payment panel');

      // Invoiced to a company whose Belgian VAT number has wrong check digits: said at the field.
      await p.getByLabel(say('payInvoice'), { exact: true }).check();
      await p.getByLabel(say('payCompanyName')).fill('Brugse Data BV');
      await p.getByLabel(say('payVatNumber')).fill('BE 0403.536.728');
      await p.getByRole('button', { name: say('payConfirm') }).click();
      await shows(p, '#payment-vat-error', sayIn(language, { key: 'fieldVatCheckDigits' }));
      expect(await p.getByLabel(say('payVatNumber')).getAttribute('aria-invalid')).toBe('true');
      await errorsInLanguage(p, language);
      await noEnglishOnPage(p, language, 'invoice with a wrong VAT number');
      await screenshot(p, `reception-words-07-invoice-vat-${language}`);
      await p.getByLabel(say('payVatNumber')).fill('BE 0403.536.727');
      await p.getByRole('button', { name: say('payConfirm') }).click();
      await p.getByTestId('paid-card').waitFor();
      expect(unwrap(await t.api.visitDetail({ visitId: guest.visitId })).payments?.entries).toEqual([
        expect.objectContaining({ method: 'invoice', company: { name: 'Brugse Data BV', vatNumber: 'BE0403536727' } }),
      ]);
      await noEnglishOnPage(p, language, 'invoiced');

      // The till closed 1 € short (the invoice took no cash): the difference and its reason.
      await p.getByRole('navigation').getByRole('button', { name: say('navTill'), exact: true }).click();
      await p.getByLabel(say('tillCounted')).fill('19');
      await p.getByLabel(say('tillReason')).fill('Test');
      await noEnglishOnPage(p, language, 'till close');
      await p.getByLabel(say('tillReason')).press('Enter');
      await p.getByTestId('till-report').waitFor();
      await noEnglishOnPage(p, language, 'till report');
      await p.getByRole('button', { name: say('signOut') }).click();
      await p.getByLabel('Amélie Dupont').waitFor();
      await p.close();
    }
  });
});
