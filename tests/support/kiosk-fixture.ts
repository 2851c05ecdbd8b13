// The kiosk as a visitor meets it, for the kiosk tests and the UI benchmark: a station on the real
// clock (readers stamp reads with the real time), its services and local host serving the built
// renderer, a serial reader simulated on a socat pty, and the kiosk page in Debian Chromium.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { StationApi } from '../../common/station-api.js';
import type { StationSettings } from '../../main/station/context.js';
import { openStation, type Station } from '../../main/station/station.js';
import { createStationApi } from '../../main/station/api.js';
import { startStationRuntime, type StationRuntime } from '../../main/runtime/station-runtime.js';
import { ReaderSimulator } from '../../demo/sim/reader-sim.js';
import { DEMO_SITE_ID, demoReferenceData, tempDir } from './station-fixture.js';
import { waitFor } from './wait.js';

/** The repository: the folder holding package.json above this file (from tests/ or dist/tests/). */
export const ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();
export const RENDERER_DIR = path.join(ROOT, 'dist/renderer');
/** The test station's local host keys (random per run, as a real station's are). */
export const TEST_KEYS = { kiosk: randomBytes(32).toString('base64url'), desk: randomBytes(32).toString('base64url') };

/** The built kiosk page: `npm run build` makes it (tests call ensureRendererBuilt of renderer-build.ts). */
export function requireBuiltKiosk(): void {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'kiosk.html'))) throw new Error(`${RENDERER_DIR}/kiosk.html is missing: run npm run build`);
}

export interface KioskStation {
  dataDir: string;
  station: Station;
  api: StationApi;
  running: StationRuntime;
  /** The simulated serial reader, configured on the station as device "door". */
  reader: ReaderSimulator | undefined;
  /** A one-time address that pairs a browser as the kiosk and opens it; `extra` is its hash (e.g. "lang=de"). */
  kioskUrl(extra?: string): string;
  close(): Promise<void>;
}

export interface KioskStationOptions {
  settings?: Partial<StationSettings>;
  /** A hub to sync with, configured before the services start. */
  hub?: { url: string; credential: string };
  /** A simulated serial reader (EM4100 frames on a pty); default true. */
  reader?: boolean;
  log?: (line: string) => void;
}

/** A station of the demo site on the real clock, with the demo data, served on 127.0.0.1. */
export async function startKioskStation(options: KioskStationOptions = {}): Promise<KioskStation> {
  const dataDir = tempDir('escale-kiosk-');
  const station = openStation({ dataDir, init: { siteId: DEMO_SITE_ID }, ...(options.settings ? { settings: options.settings } : {}) });
  const api = createStationApi(station);
  const imported = await api.importReferenceData({ data: demoReferenceData(), source: 'demo data' });
  if (!imported.ok) throw new Error(`demo data: ${imported.error.message}`);
  if (options.hub) {
    const r = await api.configureHub(options.hub);
    if (!r.ok) throw new Error(`hub: ${r.error.message}`);
  }
  let reader: ReaderSimulator | undefined;
  if (options.reader !== false) {
    reader = await new ReaderSimulator(path.join(dataDir, 'reader'), path.join(dataDir, 'reader-sim'), 'em4100').start();
    // Every frame is a read (no repeat window): the tests tap the same badge twice on purpose.
    const r = await api.configureDevice({
      config: { id: 'door', kind: 'reader', name: 'Door reader', repeatWindowMs: 0, connection: { type: 'serial', path: reader.devicePath, framing: 'em4100' } },
    });
    if (!r.ok) throw new Error(`reader: ${r.error.message}`);
  }
  const running = await startStationRuntime(station, { log: options.log ?? (() => undefined), serve: { port: 0, keys: TEST_KEYS, rendererDir: RENDERER_DIR } });
  if (reader) await waitFor(async () => {
    const d = await api.devices({});
    return d.ok && d.value.some((s) => s.id === 'door' && s.state === 'up');
  }, 'the door reader is up');
  return {
    dataDir,
    station,
    api,
    running,
    reader,
    // A one-time pairing address; the fragment survives its redirect to the kiosk page.
    kioskUrl: (extra) => `${running.host!.pairingLink('kiosk')}${extra ? `#${extra}` : ''}`,
    close: async () => {
      await running.stop();
      await reader?.stop();
      station.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface KioskPage {
  context: BrowserContext;
  page: Page;
}

export interface OpenKioskOptions {
  viewport?: { width: number; height: number };
  /**
   * Keep the page's Content Security Policy (script-src 'self'), and count its violations in
   * window.__cspViolations. Otherwise it is bypassed, so axe-core can be injected as a script tag.
   */
  strictCsp?: boolean;
  beforeGoto?: (page: Page) => Promise<unknown>;
}

/** A touch screen of 1280×800 (or `viewport`) showing the kiosk, once it is usable. */
export async function openKiosk(browser: Browser, url: string, options: OpenKioskOptions = {}): Promise<KioskPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    hasTouch: true,
    locale: 'fr-BE',
    timezoneId: 'Europe/Brussels',
    bypassCSP: options.strictCsp !== true,
  });
  const page = await context.newPage();
  if (options.strictCsp) await page.addInitScript(`window.__cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`);
  page.on('pageerror', (e) => console.error(`kiosk page error: ${e.message}`));
  await options.beforeGoto?.(page);
  await page.goto(url);
  await page.locator('.kiosk[data-ready="true"][data-screen="welcome"]').waitFor({ timeout: 15_000 });
  return { context, page };
}
