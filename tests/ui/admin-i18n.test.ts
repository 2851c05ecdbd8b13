// The hub's admin page in the operator's language. Its catalogues first: every key of the English
// reference exists in French, Dutch and German, non-empty, with the same {placeholders}, both
// plural forms of a counted sentence, no key the reference lacks; French, Dutch and German are
// not English left as it was; every key the code asks for is in the reference and every key of
// the reference is used. Then the page itself in Debian's Chromium against a real hub with the
// accounts' network (as tests/ui/admin.test.ts): in French and in Dutch, at 1366×768 and
// 1920×1080, every section says nothing in English, sets <html lang>, does not scroll sideways,
// and names people and places; the language follows the browser, else French, and a choice is
// kept; an API error is said in the page's language. Screenshots under test-output/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, SCREEN_SIZES } from '../support/browser.js';
import { CATALOGUE_LANGUAGES, catalogueProblems, loadCatalogue, placeholders, windowSources, type Catalogue } from '../support/catalogues.js';
import { ensureAdminUiBuilt } from '../support/renderer-build.js';
import { ADMIN_TOKEN, startTestHub, stopTestHubStores, type TestHub } from '../support/hub-fixture.js';
import { M, SITE_A, SITE_B, STAFF_PIN, brussels, openNetworkMonth, syncSites, type NetworkMonth } from '../support/accounts-network.js';
import { unwrap } from '../support/ledger.js';
import { createAccounts } from '../../server/accounts/index.js';
import type { HubStore } from '../../server/store/store.js';

const DIR = path.resolve('server/admin-ui/src');
const messages = (language: string): Promise<Catalogue> => loadCatalogue(DIR, language);

describe('admin page messages', () => {
  it('has every key of the English reference, non-empty and with the same placeholders, in French, Dutch and German', async () => {
    const en = await messages('en');
    expect(Object.keys(en).length).toBeGreaterThan(150);
    const problems = catalogueProblems(en, Object.fromEntries(await Promise.all(CATALOGUE_LANGUAGES.map(async (l) => [l, await messages(l)] as const))));
    // A counted sentence has both forms, and says its count.
    for (const key of Object.keys(en).filter((k) => /_(one|other)$/.test(k))) {
      const twin = key.endsWith('_one') ? key.replace(/_one$/, '_other') : key.replace(/_other$/, '_one');
      if (!(twin in en)) problems.push(`${key} has no ${twin}`);
      if (!placeholders(en[key]!).includes('count')) problems.push(`${key} does not say {count}`);
    }
    expect(problems).toEqual([]);
  });

  it('translates: French, Dutch and German are not English left as it was', async () => {
    const en = await messages('en');
    for (const language of ['fr', 'nl', 'de']) {
      const m = await messages(language);
      const same = Object.keys(en).filter((k) => m[k] === en[k] && /[a-z]{4,}/i.test(en[k]!));
      // Some words are the same in both languages (Site, Stations, Details, Commission…): not one in ten.
      expect(same.length, `${language}: ${same.join(', ')}`).toBeLessThan(Object.keys(en).length / 10);
    }
  });

  it('holds every key the code asks for, and the code uses every key', async () => {
    const en = await messages('en');
    const code = windowSources(DIR).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const asked = [...code.matchAll(/\bt\(\s*'(\w+)'/g)].map((m) => m[1]!);
    const counted = [...code.matchAll(/\btp\(\s*'(\w+)'/g)].flatMap((m) => [`${m[1]}_one`, `${m[1]}_other`]);
    expect([...new Set([...asked, ...counted])].filter((k) => !(k in en))).toEqual([]);
    // Errors are worded by the hub's code (`err${code}`); other keys are named in the code as written.
    const unused = Object.keys(en).filter((k) => {
      if (k.startsWith('err')) return !code.includes('`err${');
      const base = k.replace(/_(one|other)$/, '');
      return !code.includes(`'${k}'`) && !code.includes(`'${base}'`);
    });
    expect(unused).toEqual([]);
  });
});

describe('admin page words', () => {
  it('counts in each language’s plural forms, says hours one way, and formats in the language’s locale', async () => {
    // Imported by path, as the catalogues: the admin page is a browser project (DOM, no Node types).
    type Words = {
      tp(key: string, count: number, values?: Record<string, string | number>): string;
      hours(minutes: number): string;
      month(period: string): string;
      money(cents: number): string;
      rate(bp: number): string;
      when(iso: string): string;
      languageName(language: string): string;
    };
    const { wordsOf } = (await import(pathToFileURL(path.join(DIR, 'i18n.ts')).href)) as { wordsOf: (language: string) => Words };
    const say = (language: 'fr' | 'nl' | 'en' | 'de') => wordsOf(language);
    expect([0, 1, 2].map((n) => say('en').tp('lines', n))).toEqual(['0 lines', '1 line', '2 lines']);
    // French counts 0 as one: "0 ligne".
    expect([0, 1, 2].map((n) => say('fr').tp('lines', n))).toEqual(['0 ligne', '1 ligne', '2 lignes']);
    expect([0, 1, 2].map((n) => say('nl').tp('lines', n))).toEqual(['0 regels', '1 regel', '2 regels']);
    expect([0, 1, 2].map((n) => say('de').tp('lines', n))).toEqual(['0 Positionen', '1 Position', '2 Positionen']);
    expect(say('fr').tp('statementsSummary', 1200, { period: 'octobre 2026', gross: '1' })).toBe('1\u202f200 relevés pour octobre 2026 · total TVAC 1');
    expect(['en', 'fr', 'nl', 'de'].map((l) => say(l as 'en').hours(90))).toEqual(['1 h 30', '1 h 30', '1 u 30', '1 Std. 30']);
    expect(say('fr').hours(25 * 60)).toBe('25 h 00');
    expect(['en', 'fr', 'nl', 'de'].map((l) => say(l as 'en').month('2026-10'))).toEqual(['October 2026', 'octobre 2026', 'oktober 2026', 'Oktober 2026']);
    expect(say('fr').money(123456).replace(/\s/g, ' ')).toBe('1 234,56 €');
    expect(say('nl').money(123456).replace(/\s/g, ' ')).toBe('€ 1.234,56');
    expect(say('fr').rate(550).replace(/\s/g, ' ')).toBe('5,5 %');
    expect(say('nl').languageName('fr')).toBe('Frans');
    // An instant in the network's time zone: 07:00 UTC is 09:00 in Brussels in October.
    expect(say('fr').when('2026-10-12T07:00:00.000Z')).toMatch(/12 oct\. 2026.*09:00/);
  });
});

// ——— The page in French and in Dutch ———

const HUB_NOW = Date.parse('2026-11-04T12:00:00.000Z');
const engineOn = (store: HubStore) => createAccounts(store, { now: () => HUB_NOW });
const LOCALE = { fr: 'fr-BE', nl: 'nl-BE' } as const;

let net: NetworkMonth;
let hub: TestHub;
let bareHub: TestHub;
let browser: Browser;
const pageProblems: string[] = [];

beforeAll(async () => {
  ensureAdminUiBuilt();
  net = await openNetworkMonth({ accounts: engineOn, lastDay: 9, syncedAt: '2026-10-12T07:00:00.000Z', now: () => HUB_NOW });
  hub = net.hub;
  // One member on site at two sites at once (Monday 12 October, after the sync): an overlap case, to be named.
  for (const [siteId, at] of [[SITE_A, '09:30'], [SITE_B, '10:00']] as const) {
    const s = net.stations[siteId]!;
    s.t.clock.set(brussels('2026-10-12', at));
    const shiftId = unwrap(await s.t.api.staffSignIn({ staffId: `clerk-${siteId}`, pin: STAFF_PIN })).shiftId;
    unwrap(await s.t.api.checkIn({ memberId: M.payg, shiftId }));
  }
  await syncSites(hub, net.stations, [SITE_A, SITE_B], '2026-10-12T09:00:00.000Z');
  expect(await hub.store.listOverlaps(10)).toHaveLength(1);
  bareHub = await startTestHub({ reference: false });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await net?.close();
  await bareHub?.close();
  await stopTestHubStores();
});

async function openPage(locale: string, size: { width: number; height: number } = SCREEN_SIZES[1]): Promise<Page> {
  const context = await browser.newContext({ viewport: size, locale, timezoneId: 'Europe/Brussels' });
  const p = await context.newPage();
  p.on('pageerror', (e) => pageProblems.push(`page error: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageProblems.push(`console: ${m.text()}`);
  });
  return p;
}

async function signIn(p: Page, url: string, words: Catalogue): Promise<void> {
  await p.goto(`${url}/admin/`);
  await p.getByLabel(words.adminToken!).fill(ADMIN_TOKEN);
  await p.getByRole('button', { name: words.signIn! }).click();
}

/**
 * English a French or Dutch screen must not show: each stretch of an English sentence between its
 * placeholders, long enough to mean something, that the screen's own catalogue does not also say.
 */
function englishFragments(en: Catalogue, own: Catalogue): string[] {
  const ownText = Object.values(own).join('\n');
  return [
    ...new Set(
      Object.values(en)
        .flatMap((v) => v.split(/\{\w+\}/))
        .map((f) => f.replace(/^[\s·:,.()–-]+|[\s·:,.()–-]+$/g, ''))
        .filter((f) => f.length >= 7 && !ownText.includes(f)),
    ),
  ];
}

async function checkScreen(p: Page, language: 'fr' | 'nl', en: Catalogue, own: Catalogue, name: string): Promise<void> {
  expect(await p.evaluate('document.documentElement.lang')).toBe(language);
  const text = (await p.evaluate('document.body.innerText')) as string;
  const leaks = englishFragments(en, own).filter((f) => text.includes(f));
  expect(leaks, `${name}: English on a ${language} screen`).toEqual([]);
  // No sideways scrolling: wide tables scroll inside their own frame.
  const overflow = (await p.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
  expect(overflow, `${name}: the page scrolls sideways`).toBeLessThanOrEqual(0);
  await screenshot(p, name);
}

describe('the admin page in French and in Dutch', () => {
  for (const language of ['fr', 'nl'] as const)
    for (const size of SCREEN_SIZES)
      it(`${language} at ${size.width}×${size.height}: every section in ${language}, names not ids, no sideways scroll`, async () => {
        const en = await messages('en');
        const w = await messages(language);
        const p = await openPage(LOCALE[language], size);
        const shot = (section: string) => `admin-${language}-${size.width}x${size.height}-${section}`;
        const go = (key: string) => p.getByRole('navigation', { name: w.sections! }).getByRole('button', { name: w[key]!, exact: true }).click();
        await signIn(p, hub.url, w);

        await p.getByRole('table', { name: w.sitesCaption! }).getByText('Bruxelles A').waitFor();
        await checkScreen(p, language, en, w, shot('sites'));

        await go('sectionCases');
        // The overlap names the member (the id beneath) and both sites; the alert says its kind in the language.
        const overlap = p.getByRole('table', { name: w.overlapsCaption! }).getByRole('row').filter({ hasText: M.payg });
        // The section loads after the click: its row first, then its cells (allTextContents does not wait).
        await overlap.first().waitFor();
        const cells = await overlap.getByRole('cell').allTextContents();
        expect([cells[0], cells[1], cells[3]]).toEqual([`Payg Test${M.payg}`, 'Bruxelles A', 'Gent B']);
        await p.getByRole('table', { name: w.alertsCaption! }).getByText(w.alertOverlap!).waitFor();
        await checkScreen(p, language, en, w, shot('cases'));

        await go('sectionPlans');
        const subscriptions = p.getByRole('table', { name: w.subscriptionsCaption! });
        await subscriptions.getByText('sub-pass').waitFor();
        // The member and the pass by their names.
        const sub = await subscriptions.getByRole('row').filter({ hasText: 'sub-pass' }).getByRole('cell').allTextContents();
        expect(sub[0]).toMatch(/^Pass Test/);
        expect(sub[1]).toBe('Pass A+B');
        await checkScreen(p, language, en, w, shot('plans'));

        await go('sectionStatements');
        await p.getByLabel(w.month!).selectOption('2026-10');
        await p.getByLabel(w.payer!).selectOption('acme');
        await p.getByRole('button', { name: w.showStatements! }).click();
        const card = p.getByRole('article', { name: w.statementOf!.replace('{payer}', 'Acme SA') });
        await card.waitFor();
        // One statement, many lines: each in its plural form.
        const month = language === 'fr' ? 'octobre 2026' : 'oktober 2026';
        // The month is chosen by its name in the page's language (the browser's month input would say "October").
        expect(await p.getByLabel(w.month!).locator('option:checked').textContent()).toBe(month);
        const summary = (await p.locator('p.summary').textContent())!;
        expect(summary.startsWith(w.statementsSummary_one!.replace('{count}', '1').replace('{period}', month).split('{gross}')[0]!), summary).toBe(true);
        const lines = (await card.locator('summary').textContent())!;
        expect(lines).toMatch(new RegExp(`^\\d+ ${w.lines_other!.replace('{count} ', '')}$`));
        await card.locator('summary').click();
        await card.getByRole('table').waitFor();
        await checkScreen(p, language, en, w, shot('statements'));

        await go('sectionSettlement');
        await p.getByLabel(w.month!).selectOption('2026-10');
        await p.getByRole('button', { name: w.showSettlement! }).click();
        await p.getByRole('table', { name: w.settlementCaption!.replace('{period}', month) }).getByText('Bruxelles A').waitFor();
        // Every column of what is owed, the payout last, in view without scrolling the table.
        const payout = p.getByRole('columnheader', { name: w.colPayout! });
        expect(await payout.evaluate((th) => th.closest('.table-wrap')!.scrollWidth - th.closest('.table-wrap')!.clientWidth)).toBeLessThanOrEqual(0);
        await checkScreen(p, language, en, w, shot('settlement'));

        await go('sectionEvaluation');
        await p.getByLabel(w.site!, { exact: true }).selectOption(SITE_A);
        await p.getByRole('button', { name: w.evaluate! }).click();
        await p.getByRole('table', { name: w.monthByMonth! }).getByText(month).waitFor();
        await checkScreen(p, language, en, w, shot('evaluation'));
        await p.context().close();
      }, 120_000);

  it('follows the browser language, else French; keeps the one chosen', async () => {
    const fr = await messages('fr');
    const nl = await messages('nl');
    const de = await messages('de');
    // A browser in a language the network does not speak: French.
    const spanish = await openPage('es-ES');
    await spanish.goto(`${hub.url}/admin/`);
    await spanish.getByRole('button', { name: fr.signIn! }).waitFor();
    expect(await spanish.evaluate('document.documentElement.lang')).toBe('fr');
    await screenshot(spanish, 'admin-fr-sign-in');
    await spanish.context().close();

    const p = await openPage('de-BE');
    await signIn(p, hub.url, de);
    await p.getByRole('heading', { name: de.appTitle! }).waitFor();
    expect(await p.evaluate('localStorage.length')).toBe(0);
    await p.getByLabel(de.language!).selectOption('nl');
    await p.getByRole('heading', { name: nl.appTitle! }).waitFor();
    expect(await p.evaluate('document.documentElement.lang')).toBe('nl');
    expect(await p.evaluate("localStorage.getItem('escale.admin.language')")).toBe('nl');
    await p.reload();
    await p.getByRole('heading', { name: nl.appTitle! }).waitFor();
    await p.context().close();
  });

  it('says an API error in the page language, the code behind its details', async () => {
    const fr = await messages('fr');
    const p = await openPage('fr-BE', SCREEN_SIZES[0]);
    await signIn(p, bareHub.url, fr);
    await p.getByRole('navigation', { name: fr.sections! }).getByRole('button', { name: fr.sectionStatements!, exact: true }).click();
    await p.getByLabel(fr.month!).selectOption('2026-10');
    await p.getByRole('button', { name: fr.showStatements! }).click();
    const alert = p.getByRole('alert');
    await alert.getByText(fr.errACCOUNTS_UNAVAILABLE!).waitFor();
    expect(await alert.getByText('ACCOUNTS_UNAVAILABLE').isVisible()).toBe(false);
    await alert.getByText(fr.details!).click();
    await alert.getByText('ACCOUNTS_UNAVAILABLE').waitFor({ state: 'visible' });
    await screenshot(p, 'admin-fr-1366x768-error');
    await p.context().close();
  });

  it('ran without a page error', () => {
    expect(pageProblems).toEqual([]);
  });
});
