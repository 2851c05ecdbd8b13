// Real headless Chromium from Debian (/usr/bin/chromium, never a downloaded browser) driven by
// playwright-core, against a station served by the local host on 127.0.0.1. Screenshots go to
// test-output/screenshots/.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { HostKeys } from '../../main/host/host-keys.js';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStationRuntime, type StationRuntime } from '../../main/runtime/station-runtime.js';
import type { Station } from '../../main/station/station.js';

export const CHROMIUM = process.env.ESCALE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve('test-output/screenshots');
/** The two screens every UI is looked at on: a reception desk's laptop and an office monitor. */
export const SCREEN_SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;
/** The built renderer. (Run from the TypeScript sources, the host's default would be renderer/ itself.) */
export const BUILT_RENDERER = path.resolve('dist/renderer');
/**
 * The built renderer (dist/renderer). Not the host's default: under vitest main/ runs from its
 * sources, where the default ("../../renderer" from main/cli/) is the unbuilt renderer/ folder.
 */
export const BUILT_RENDERER_DIR = path.resolve('dist/renderer');

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install the Debian package chromium (scripts/debian-packages.sh)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Runs the station's services and local host on a free port, with random keys. */
export async function serveStation(
  station: Station,
  log: (line: string) => void = () => undefined,
): Promise<StationRuntime & { keys: HostKeys; pageUrl(page: 'kiosk' | 'reception'): string }> {
  const keys = { kiosk: randomBytes(32).toString('base64url'), desk: randomBytes(32).toString('base64url') };
  const running = await startStationRuntime(station, { log, serve: { port: 0, keys, rendererDir: BUILT_RENDERER_DIR } });
  // A one-time pairing address: the browser context keeps the key as a cookie from then on.
  return { ...running, keys, pageUrl: (page) => running.host!.pairingLink(page) };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * A new reception page in its own browser context, in `language` (kept as the clerk's choice, as
 * the header's switch keeps it), at 1366×768 unless told; page errors go to the test's log.
 */
export async function receptionPage(browser: Browser, language: 'fr' | 'nl' | 'en' | 'de', viewport = { width: 1366, height: 768 }): Promise<Page> {
  const locale = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-GB', de: 'de-BE' }[language];
  const context = await browser.newContext({ viewport, locale, timezoneId: 'Europe/Brussels' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`reception page error: ${e.message}`));
  await page.addInitScript(`localStorage.setItem('escale.reception.language', '${language}')`);
  return page;
}

/** Opens the reception at `url` and signs `staffName` in with `pin`; resolves once the shift shows. */
export async function signInAtReception(page: Page, url: string, staffName: string, pin: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel(staffName).check();
  await page.locator('#pin').fill(pin);
  await page.locator('#pin').press('Enter');
  await page.getByTestId('shift').waitFor();
}
