// The reception's status strip, its layout and its prices (issue 15), in Debian's Chromium against
// the local host, in French and in Dutch, at 1366×768 and 1920×1080. A real hub on 127.0.0.1 that
// the station synced with and that then went away, a printer on a TCP port nobody listens on and a
// serial reader on a device that does not exist: the strip says each in the clerk's language with
// what to do (the system's words behind "details"), and the top bar does not say "connected" in
// green. The window never scrolls as a whole; the visit panel scrolls by itself and keeps its
// primary action and, after Alt+X, its total in view. The service picker shows prices VAT
// included; time is entered in hours and minutes. Screenshots in test-output/screenshots/.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Language } from '../../common/reference-data.js';
import type { HostMessage } from '../../common/host-protocol.js';
import { callStation } from '../../main/station/api.js';
import { launchChromium, screenshot, serveStation, SCREEN_SIZES } from '../support/browser.js';
import { ensureRendererBuilt } from '../support/renderer-build.js';
import { demoBadges, demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { startTestHub, type TestHub } from '../support/hub-fixture.js';
import { unwrap } from '../support/ledger.js';
import { waitFor } from '../support/wait.js';

let t: TestStation;
let hub: TestHub | undefined;
let running: Awaited<ReturnType<typeof serveStation>>;
let browser: Browser;


const data = demoReferenceData();
const badges = demoBadges();
const members = data.members.filter((m) => m.status === 'active' && badges.active.some((b) => b.memberId === m.id)).slice(0, 8);
const nameOf = (m: { firstName: string; lastName: string }) => `${m.firstName} ${m.lastName}`;

/** A TCP port nobody listens on: a printer there is down. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  await ensureRendererBuilt('reception');
  hub = await startTestHub();
  const enrolled = await hub.enroll('bxl-louise');
  t = openTestStation();
  unwrap(await t.api.configureHub({ url: hub.url, credential: enrolled.credential }));
  unwrap(await t.api.configureDevice({ config: { id: 'desk', kind: 'printer', name: 'Imprimante accueil', connection: { type: 'tcp', host: '127.0.0.1', port: await closedPort() } } }));
  unwrap(await t.api.configureDevice({ config: { id: 'door', kind: 'reader', name: 'Lecteur porte', connection: { type: 'serial', path: '/dev/ttyESCALE-none', framing: 'em4100' } } }));
  running = await serveStation(t.station);
  // Synced once, then the hub goes away: the station is offline with the system's reason.
  await waitFor(async () => {
    const s = unwrap(await t.api.syncStatus({}));
    return s.online && s.backlog === 0 && s.lastSuccessAt !== undefined;
  }, 'the station synced with the hub');
  await hub.close();
  hub = undefined;
  await waitFor(async () => !unwrap(await t.api.syncStatus({})).online, 'the station sees the hub gone');
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await hub?.close();
  t?.close();
});

async function deskPage(language: Language, size: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport: size, locale: language === 'nl' ? 'nl-BE' : 'fr-BE', timezoneId: 'Europe/Brussels' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`reception page error: ${e.message}`));
  await page.addInitScript(`localStorage.setItem('escale.reception.language', '${language}')`);
  await page.goto(running.pageUrl('reception'));
  // Before sign-in only the hub is known (devices are the desk's to see): already not "connected" in green.
  await page.getByTestId('connection').filter({ hasText: language === 'fr' ? 'À vérifier : 1' : 'Na te kijken: 1' }).waitFor({ timeout: 15_000 });
  await page.getByLabel('Joris Peeters').check();
  await page.locator('#pin').fill('1357');
  await page.locator('#pin').press('Enter');
  await page.getByTestId('shift').waitFor();
  return page;
}

/** Nothing sticks out sideways, and the window itself does not scroll: its panes do. */
async function expectWindowHolds(page: Page, what: string): Promise<void> {
  const m = (await page.evaluate(`({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,
    sh: document.documentElement.scrollHeight, ch: document.documentElement.clientHeight })`)) as { sw: number; cw: number; sh: number; ch: number };
  expect(m.sw, `${what}: no horizontal overflow`).toBeLessThanOrEqual(m.cw);
  expect(m.sh, `${what}: the window does not scroll`).toBeLessThanOrEqual(m.ch);
}

/** The element is wholly inside the window (and so seen). */
async function expectInView(page: Page, selector: string, what: string): Promise<void> {
  const box = await page.locator(selector).first().boundingBox();
  const size = page.viewportSize()!;
  expect(box, `${what} is shown`).not.toBeNull();
  expect(box!.y, `${what}: top in view`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${what}: bottom in view`).toBeLessThanOrEqual(size.height);
  expect(box!.x + box!.width, `${what}: right edge in view`).toBeLessThanOrEqual(size.width);
}

/** Every screen a clerk reaches: the window holds and the content does not scroll sideways. */
async function everyScreenHolds(page: Page, tag: string): Promise<void> {
  for (const letter of ['O', 'G', 'N', 'T', 'F', 'D', 'Y', 'S']) {
    await page.keyboard.press(`Alt+${letter}`);
    await page.locator('#main h1').first().waitFor();
    await expectWindowHolds(page, `${tag} Alt+${letter}`);
    const pane = (await page.evaluate(`(() => { const m = document.getElementById('main'); return { sw: m.scrollWidth, cw: m.clientWidth }; })()`)) as { sw: number; cw: number };
    expect(pane.sw, `${tag} Alt+${letter}: the screen does not scroll sideways`).toBeLessThanOrEqual(pane.cw);
    if (letter === 'D' || letter === 'Y') await screenshot(page, `strip-${tag.replace(/\W+/g, '-')}-screen-${letter}`);
  }
}

const AXE_SOURCE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core in the page: no serious or critical violation. */
async function expectAccessible(page: Page, what: string): Promise<void> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))`)) as string[];
  expect(violations, what).toEqual([]);
}

/** The reception's own catalogue (loaded as the page's sources; the renderer is not part of the tests' program). */
async function wordsOf(language: Language): Promise<(key: string, values?: Record<string, string | number>) => string> {
  const module = (await import(pathToFileURL(path.resolve('renderer/src/reception/messages', `${language}.ts`)).href)) as Record<string, Record<string, string>>;
  const catalogue = module[language]!;
  return (key, values = {}) => catalogue[key]!.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));
}

const cases = (['fr', 'nl'] as const).flatMap((language) => SCREEN_SIZES.map((size) => ({ language, size })));

describe('the reception’s status strip, layout and prices', () => {
  it.each(cases)('$language at $size.width×$size.height: the strip says what is down and what to do; the panel holds its action and total', async ({ language, size }) => {
    const w = await wordsOf(language);
    const tag = `${language}-${size.width}`;
    const page = await deskPage(language, size);
    const strip = page.getByTestId('status-strip');

    // The hub, the printer and the reader: each a sentence in the clerk's language saying what to do.
    await strip.locator('[data-problem="hub"]').waitFor({ timeout: 15_000 });
    await strip.locator('[data-problem="desk"]').waitFor({ timeout: 15_000 });
    await strip.locator('[data-problem="door"]').waitFor({ timeout: 15_000 });
    const shown = await strip.innerText();
    expect(shown).toContain(language === 'fr' ? 'Le hub du réseau est injoignable' : 'De hub van het netwerk is onbereikbaar');
    expect(shown).toContain(language === 'fr' ? 'Imprimante accueil ne répond plus depuis' : 'Imprimante accueil antwoordt niet meer sinds');
    expect(shown).toContain(language === 'fr' ? 'Lecteur porte ne répond plus depuis' : 'Lecteur porte antwoordt niet meer sinds');
    // The system's own words only behind "details".
    expect(shown).not.toMatch(/ECONNREFUSED|websocket|ENOENT|Error/i);
    await strip.locator('[data-problem="hub"] summary').click();
    expect(await strip.locator('[data-problem="hub"] code').innerText()).not.toBe('');
    await strip.locator('[data-problem="hub"] summary').click();

    // The top bar does not say "connected" in green while they are down.
    const connection = page.getByTestId('connection');
    expect(await connection.innerText()).toBe(w('stripToCheck', { n: 3 }));
    expect(await connection.getAttribute('class')).toContain('is-warn');
    await expectWindowHolds(page, `${tag} search`);
    await expectAccessible(page, `${tag} strip`);
    await everyScreenHolds(page, tag);
    await screenshot(page, `strip-${tag}-1-strip`);

    // A visit with many lines: the panel scrolls by itself; its check-out button and total in view.
    const member = members[cases.findIndex((c) => c.language === language && c.size === size)]!;
    const visit = unwrap(await t.api.checkIn({ memberId: member.id }));
    for (let i = 0; i < 14; i++) unwrap(await t.api.addConsumption({ visitId: visit.visitId, serviceCode: i % 2 ? 'coffee' : 'print_bw', quantity: 1 + i }));
    await page.keyboard.press('Alt+O');
    await page.getByRole('button', { name: w('openVisitOf', { name: nameOf(member) }) }).click();
    const panel = page.locator('aside.visit-panel');
    await panel.getByTestId('visit-total').waitFor();
    await expectWindowHolds(page, `${tag} visit panel`);
    await expectInView(page, 'aside.visit-panel .button-primary[aria-keyshortcuts="Alt+X"]', 'the check-out button');
    await expectInView(page, '[data-testid="visit-total"]', 'the total');
    const table = (await panel.evaluate(`(() => { const s = document.querySelector('aside.visit-panel .table-scroll'); return { sw: s.scrollWidth, cw: s.clientWidth }; })()`)) as { sw: number; cw: number };
    expect(table.sw, 'the lines fit the panel').toBeLessThanOrEqual(table.cw);

    // The service picker: prices VAT included (desk by the hour: 5,00 net → 6,05), its billing
    // increment, and time in hours and minutes, an hour by default.
    const picker = panel.locator('#consumption-service');
    const options = (await picker.locator('option').allInnerTexts()).map((o) => o.replace(/\u00a0|\u202f/g, ' '));
    expect(options.join('\n')).toContain(language === 'fr' ? '6,05 €/h TVAC, par tranche entamée de 15 min' : '€ 6,05/u incl. btw, per begonnen 15 min');
    expect(options.join('\n')).toContain(language === 'fr' ? '2,42 € TVAC' : '€ 2,42 incl. btw');
    await picker.selectOption('desk_hour');
    expect(await panel.locator('#consumption-hours').inputValue()).toBe('1');
    expect(await panel.locator('#consumption-minutes').inputValue()).toBe('0');
    await panel.locator('#consumption-minutes').fill('30');
    await panel.locator('#consumption-minutes').press('Enter');
    await panel.getByRole('rowheader', { name: new RegExp(language === 'fr' ? 'Poste de travail' : 'Werkplek') }).first().waitFor();
    expect(await panel.locator('tbody tr').last().innerText()).toContain(language === 'fr' ? '1 h 30' : '1 u 30');

    // The clerk had scrolled the panel down to the lines; Alt+X brings the total into view.
    await page.evaluate("(() => { const p = document.querySelector('aside.visit-panel'); p.scrollTop = p.scrollHeight; })()");
    expect(await page.evaluate("document.querySelector('aside.visit-panel').scrollTop")).toBeGreaterThan(0);
    await page.keyboard.press('Alt+X');
    await waitFor(async () => (await panel.locator('button[aria-keyshortcuts="Alt+X"]').count()) === 0, 'checked out');
    await expectInView(page, '[data-testid="visit-total"]', 'the total after Alt+X');
    await expectWindowHolds(page, `${tag} after check-out`);
    // The screens beside the open panel, narrower: the same.
    await everyScreenHolds(page, `${tag} with the panel`);
    await page.keyboard.press('Alt+O');
    await expectAccessible(page, `${tag} visit panel`);
    await screenshot(page, `strip-${tag}-2-panel-checked-out`);

    // Printing to the printer that is down: said first, and the clerk may still queue it.
    await page.keyboard.press('Alt+R');
    const warning = page.getByTestId('print-warning');
    await warning.waitFor();
    expect(await warning.innerText()).toContain(w('printerDownWarning', { printer: 'Imprimante accueil', document: w('documentReceipt') }));
    await screenshot(page, `strip-${tag}-3-print-warning`);
    const before = unwrap(await t.api.printJobs({ visitId: visit.visitId })).length;
    await warning.getByRole('button', { name: w('queueAnyway') }).click();
    await waitFor(async () => unwrap(await t.api.printJobs({ visitId: visit.visitId })).length === before + 1, 'the receipt queued');
    expect(await warning.count()).toBe(0);
    // A reprint goes where the first print went: the same warning; cancelled, nothing is queued.
    await panel.getByRole('button', { name: w('reprintOf', { job: w('jobReceipt'), time: '09:00' }) }).first().click();
    const again = page.getByTestId('reprint-warning');
    await again.waitFor();
    expect(await again.innerText()).toContain(w('printerDownWarning', { printer: 'Imprimante accueil', document: w('documentReceipt') }));
    await again.getByRole('button', { name: w('cancel') }).click();
    expect(await again.count()).toBe(0);
    expect(unwrap(await t.api.printJobs({ visitId: visit.visitId }))).toHaveLength(before + 1);

    // An unknown badge read at a reader: a compact banner, the window still holds, the panel's top
    // (the clerk scrolled back up to it) keeps its total in view.
    await page.evaluate("document.querySelector('aside.visit-panel').scrollTop = 0");
    const read = { uid: `AB${size.width}${language === 'fr' ? 1 : 2}`.padEnd(10, '0'), source: 'door', at: new Date(t.clock.now()).toISOString() };
    const message: HostMessage = { kind: 'tap', read, result: callStation(t.station, 'tap', read) as never };
    running.notifier.publish(message);
    const banner = page.locator('.unknown-badge');
    await banner.waitFor();
    const height = (await banner.boundingBox())!.height;
    expect(height, 'the unknown-badge banner is compact').toBeLessThanOrEqual(size.width < 1400 ? 100 : 70);
    await expectWindowHolds(page, `${tag} with the unknown-badge banner`);
    await expectInView(page, '[data-testid="visit-total"]', 'the total under the banner');
    await expectInView(page, '#unknown-badge-search', 'the banner’s member search');
    await screenshot(page, `strip-${tag}-4-unknown-badge`);
    await page.context().close();
  });

  it('says calmly that the centre is closed (French and Dutch); the desk may still check in', async () => {
    // Tuesday 20:00 in Brussels: closed until Wednesday 08:00.
    t.clock.set(Date.parse('2026-11-24T19:00:00.000Z'));
    for (const language of ['fr', 'nl'] as const) {
      const page = await deskPage(language, SCREEN_SIZES[0]);
      const notice = page.getByTestId('closed-notice');
      await notice.waitFor({ timeout: 15_000 });
      expect(await notice.innerText()).toBe(
        language === 'fr'
          ? 'Le centre est fermé ; il rouvre mercredi 08:00. Vous pouvez quand même enregistrer des arrivées.'
          : 'Het centrum is gesloten; het gaat weer open woensdag 08:00. U kunt toch mensen inchecken.',
      );
      await expectWindowHolds(page, `closed ${language}`);
      await screenshot(page, `strip-closed-${language}-1366`);
      await page.context().close();
    }
  });

  it('tells a member who taps in after closing time, on the kiosk, that the centre is closed and when it opens; at check-out, why a minute is billed as a quarter hour (French and Dutch)', async () => {
    t.clock.set(Date.parse('2026-11-24T19:05:00.000Z'));
    for (const language of ['fr', 'nl'] as const) {
      const member = data.members.find((m) => m.language === language && m.status === 'active' && badges.active.some((b) => b.memberId === m.id) && !members.includes(m))!;
      const uid = badges.active.find((b) => b.memberId === member.id)!.uid;
      const context = await browser.newContext({ viewport: SCREEN_SIZES[1], locale: `${language}-BE`, timezoneId: 'Europe/Brussels' });
      const kiosk = await context.newPage();
      await kiosk.goto(running.pageUrl('kiosk'));
      await kiosk.locator('.welcome, [data-testid="welcome"]').first().waitFor({ timeout: 15_000 });
      const read = { uid, source: 'door', at: new Date(t.clock.now()).toISOString() };
      running.notifier.publish({ kind: 'tap', read, result: callStation(t.station, 'tap', read) as never });
      const closed = kiosk.getByTestId('closed-now');
      await closed.waitFor({ timeout: 15_000 });
      expect(await closed.innerText()).toBe(
        language === 'fr'
          ? 'Le centre est fermé : l’accueil peut être absent. Il rouvre mercredi 08:00.'
          : 'Het centrum is gesloten: het onthaal is misschien afwezig. Het gaat weer open woensdag 08:00.',
      );
      await screenshot(kiosk, `strip-kiosk-closed-${language}`);

      // A minute later they leave: one minute on site, a started quarter hour billed, and the kiosk says why.
      t.clock.advance(60_000);
      const out = { uid, source: 'door', at: new Date(t.clock.now()).toISOString() };
      running.notifier.publish({ kind: 'tap', read: out, result: callStation(t.station, 'tap', out) as never });
      const rule = kiosk.getByTestId('billed-per');
      await rule.waitFor({ timeout: 15_000 });
      expect(await kiosk.getByTestId('duration').innerText()).toBe(language === 'fr' ? '0 h 01' : '0 u 01');
      expect(await rule.innerText()).toBe(language === 'fr' ? 'Facturé par tranche entamée de 15 min' : 'Aangerekend per begonnen 15 min');
      await screenshot(kiosk, `strip-kiosk-billed-per-${language}`);
      await context.close();
    }
  });
});
