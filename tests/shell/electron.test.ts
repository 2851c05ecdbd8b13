// The Electron glue, end to end, where an Electron binary is installed: a first start shows the
// set-up screen; a station's two windows open, the kiosk shows the site, each page holds its own
// window's methods only, through preload and IPC. On machines where
// Electron's binary cannot be downloaded (CI here) these tests are skipped, saying why; everything
// the glue wires is tested without it (ipc-guard, local host, the windows in Chromium).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { openStation } from '../../main/station/station.js';
import { DEMO_SITE_ID, demoReferenceData } from '../support/station-fixture.js';
import { waitFor } from '../support/wait.js';

function electronBinary(): string | undefined {
  try {
    const file = createRequire(import.meta.url)('electron') as unknown;
    return typeof file === 'string' && fs.existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
const why = 'no Electron binary here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1: its download host is unreachable)';

describe.skipIf(!binary)(`the Electron shell${binary ? '' : ` — skipped: ${why}`}`, () => {
  let app: ElectronApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  function windowsOf(electron: ElectronApplication, count: number): Promise<Page[]> {
    return waitFor(() => (electron.windows().length >= count ? electron.windows() : undefined), `${count} windows`, { timeoutMs: 20_000, intervalMs: 100 });
  }

  it('a first start without a station shows the set-up screen, never demo data, and no menu', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'escale-electron-'));
    app = await _electron.launch({ executablePath: binary!, args: [path.resolve('dist/main/shell/electron-main.js')], env: { ...process.env, ESCALE_DATA: data } });
    const [setup] = await windowsOf(app, 1);
    expect(await setup!.title()).toMatch(/set-up/i);
    expect(app.windows()).toHaveLength(1);
    expect(fs.readdirSync(data)).toEqual([]);
    expect(await app.evaluate(({ Menu }) => Menu.getApplicationMenu())).toBeNull();
    expect(await setup!.evaluate('[typeof window.escaleSetup?.setUpStation, typeof window.escale]')).toEqual(['function', 'undefined']);
  });

  it('opens the reception and the kiosk on a station, each page with its own methods only', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'escale-electron-'));
    const station = openStation({ dataDir: data, init: { siteId: DEMO_SITE_ID } });
    station.handlers.importReferenceData({ data: demoReferenceData(), source: 'demo data' });
    station.close();
    app = await _electron.launch({ executablePath: binary!, args: [path.resolve('dist/main/shell/electron-main.js')], env: { ...process.env, ESCALE_DATA: data } });
    const pages = await windowsOf(app, 2);
    const titles = await Promise.all(pages.map((w) => w.title()));
    const kiosk = pages.find((_, i) => /kiosk/i.test(titles[i]!))!;
    const reception = pages.find((_, i) => /reception/i.test(titles[i]!))!;
    // (Page code as strings: this test file is type-checked for Node, without the DOM.)
    await kiosk.waitForFunction("document.body.innerText.includes('Escale Bruxelles Louise')", undefined, { timeout: 15_000 });
    // The page has no Node and no ipcRenderer: only its window's named station functions.
    expect(await kiosk.evaluate('[typeof globalThis.require, typeof window.escale?.station?.tap, typeof window.escale?.station?.checkIn, typeof window.escale?.ipcRenderer]')).toEqual([
      'undefined',
      'function',
      'undefined',
      'undefined',
    ]);
    expect(await reception.evaluate('typeof window.escale?.station?.checkIn')).toBe('function');
    // The reception's desk methods need a clerk's PIN first.
    expect(await reception.evaluate("window.escale.station.onSite({}).then((r) => r.error && r.error.code)")).toBe('SIGN_IN_REQUIRED');
  });
});
