// The Electron glue, end to end, where an Electron binary is installed: both windows open, the
// kiosk shows the site and the reception its sign-in, through preload and IPC. On machines where
// Electron's binary cannot be downloaded (CI here) these tests are skipped, saying why; everything
// the glue wires is tested without it (ipc-guard, local host, the windows in Chromium).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { _electron, type ElectronApplication } from 'playwright-core';

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
  afterAll(async () => app?.close());

  it('opens the reception and the kiosk on the demo station', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'escale-electron-'));
    app = await _electron.launch({
      executablePath: binary!,
      args: [path.resolve('dist/main/shell/electron-main.js')],
      env: { ...process.env, ESCALE_DATA: data },
    });
    const deadline = Date.now() + 20_000;
    while (app.windows().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const titles = await Promise.all(app.windows().map((w) => w.title()));
    expect(titles.join(' ')).toMatch(/kiosk/i);
    expect(titles.join(' ')).toMatch(/reception/i);
    const kiosk = app.windows().find((_, i) => /kiosk/i.test(titles[i]!))!;
    // (Page code as strings: this test file is type-checked for Node, without the DOM.)
    await kiosk.waitForFunction("document.body.innerText.includes('Escale Bruxelles Louise')", undefined, { timeout: 15_000 });
    // The page has no Node and no ipcRenderer: only the named station functions.
    expect(await kiosk.evaluate('[typeof globalThis.require, typeof window.escale?.station?.tap, typeof window.escale?.ipcRenderer]')).toEqual(['undefined', 'function', 'undefined']);
  });
});
