// The Electron app's first start, in Debian's Chromium: the set-up screen asks for the hub's address
// and the station's credential only — never demo data — says what is wrong in the screen's language
// (French, Dutch) beside the field, with the station's words behind "Details", and sets the
// station up from a real hub on 127.0.0.1. The page talks to the same bridge its Electron preload
// gives it (window.escaleSetup.setUpStation), here wired to the real set-up function in this
// process. At 1366×768 and 1920×1080, checked with axe-core; screenshots in test-output/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { setUpStation } from '../../main/sync/set-up.js';
import { launchChromium, screenshot, serveStation } from '../support/browser.js';
import { ensureRendererBuilt } from '../support/renderer-build.js';
import { openTestStation, tempDir, type TestStation } from '../support/station-fixture.js';
import { startTestHub, type TestHub } from '../support/hub-fixture.js';

const AXE_SOURCE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

let hub: TestHub;
let pageHost: TestStation;
let running: Awaited<ReturnType<typeof serveStation>>;
let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt('setup');
  hub = await startTestHub();
  // Any local host serves the built pages; the set-up page itself needs no station.
  pageHost = openTestStation();
  running = await serveStation(pageHost.station);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  pageHost?.close();
  await hub?.close();
});

/** The set-up page, its bridge wired to setUpStation on `dataDir`, as the set-up preload wires it to the main process. */
async function openSetup(dataDir: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'fr-BE' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.exposeFunction('__setUpStation', (input: unknown) => setUpStation(dataDir, input, { timeoutMs: 15_000 }));
  await page.addInitScript('window.escaleSetup = { setUpStation: (input) => window.__setUpStation(input) };');
  await page.goto(`${running.host!.url}/setup.html`);
  await page.getByRole('heading', { name: 'Configurer cette station' }).waitFor();
  expect(problems).toEqual([]);
  return page;
}

async function noSeriousViolations(p: Page, screen: string): Promise<void> {
  if (!(await p.evaluate('typeof window.axe === "object"'))) await p.evaluate(AXE_SOURCE);
  const violations = (await p.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, help: v.help })))`)) as unknown[];
  expect(violations, `${screen}: ${JSON.stringify(violations)}`).toEqual([]);
}

const noHorizontalOverflow = (p: Page) => p.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;

describe('the first start’s set-up screen', () => {
  it('in French at 1366×768: a malformed address, then a refused credential, each said in French; then the station is set up', async () => {
    const data = path.join(tempDir('escale-setup-ui-'), 'station');
    const page = await openSetup(data, { width: 1366, height: 768 });
    await noSeriousViolations(page, 'set-up');
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, 'setup-fr-1366');

    const { credential, stationId } = await hub.enroll('bxl-schuman');
    await page.getByLabel('Adresse du hub').fill('hub.escale');
    await page.getByLabel('Identifiant de la station').fill(credential);
    await page.getByRole('button', { name: 'Configurer' }).click();
    await page.getByRole('alert').filter({ hasText: 'Indiquez l’adresse du hub' }).waitFor();
    expect(await page.getByLabel('Adresse du hub').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Adresse du hub').fill(hub.url);
    await page.getByLabel('Identifiant de la station').fill(`esc1_${stationId}_${'x'.repeat(43)}`);
    await page.getByRole('button', { name: 'Configurer' }).click();
    await page.getByRole('alert').filter({ hasText: 'Le hub a refusé cet identifiant' }).waitFor();
    // The station's own words are behind "Détails", not in the sentence.
    expect(await page.getByRole('alert').innerText()).not.toContain('refused');
    await screenshot(page, 'setup-fr-refused');
    expect(fs.existsSync(data)).toBe(false);

    await page.getByLabel('Identifiant de la station').fill(credential);
    await page.getByRole('button', { name: 'Configurer' }).click();
    await page.getByTestId('setup-done').filter({ hasText: 'Cette station sert désormais' }).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('setup-done').innerText()).toMatch(/Schuman/);
    await screenshot(page, 'setup-fr-done');
    expect(fs.existsSync(path.join(data, 'station.sqlite'))).toBe(true);
  });

  it('in Dutch at 1920×1080: an unreachable hub is said in Dutch', async () => {
    const data = path.join(tempDir('escale-setup-ui-'), 'station');
    const page = await openSetup(data, { width: 1920, height: 1080 });
    await page.getByRole('button', { name: 'NL' }).click();
    await page.getByRole('heading', { name: 'Dit station instellen' }).waitFor();
    const { credential } = await hub.enroll('bxl-schuman');
    await page.getByLabel('Adres van de hub').fill('http://127.0.0.1:9');
    await page.getByLabel('Sleutel van het station').fill(credential);
    await page.getByRole('button', { name: 'Instellen' }).click();
    await page.getByRole('alert').filter({ hasText: 'De hub is niet bereikbaar' }).waitFor({ timeout: 20_000 });
    expect(await noHorizontalOverflow(page)).toBe(true);
    await noSeriousViolations(page, 'set-up (nl)');
    await screenshot(page, 'setup-nl-1920');
  });
});
