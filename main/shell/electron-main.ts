// The Electron shell, kept thin: windows, lifecycle, IPC registration. Everything else is the
// station core and its services, which run the same without Electron (escale-station serve).
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, screen, type WebContents } from 'electron';
import { IPC_CHANNELS } from '../../common/ipc.js';
import type { HostMessage } from '../../common/host-protocol.js';
import { openStation, type Station } from '../station/station.js';
import { callStation } from '../station/api.js';
import { startStationServices, type RunningStation } from '../cli/run-station.js';
import { guardedCall } from './ipc-guard.js';
import { tapMessage } from '../host/local-host.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.resolve(here, '../../renderer');
const preload = path.resolve(here, '../../preload/preload.cjs');
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

process.on('uncaughtException', (e) => log(`uncaught: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${(e as Error)?.stack ?? e}`));

if (!app.requestSingleInstanceLock()) app.quit();

const windows = new Set<BrowserWindow>();
const allowed = new Set<number>();

function createWindow(page: 'reception' | 'kiosk'): BrowserWindow {
  const displays = screen.getAllDisplays();
  const second = displays.find((d) => d.id !== screen.getPrimaryDisplay().id);
  const kiosk = page === 'kiosk';
  const win = new BrowserWindow({
    title: kiosk ? 'Escale — kiosk' : 'Escale — reception',
    width: 1280,
    height: 860,
    ...(kiosk && second ? { x: second.bounds.x, y: second.bounds.y, fullscreen: true, kiosk: true } : {}),
    webPreferences: { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  });
  // Nothing but our own pages: no navigation away, no new windows.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('render-process-gone', (_e, details) => {
    log(`${page} renderer gone (${details.reason}); reloading`);
    if (!win.isDestroyed()) win.reload();
  });
  const id = win.webContents.id;
  allowed.add(id);
  windows.add(win);
  win.on('closed', () => {
    allowed.delete(id);
    windows.delete(win);
  });
  void win.loadFile(path.join(rendererDir, `${page}.html`));
  return win;
}

const send = (message: HostMessage) => {
  for (const w of windows) if (!w.isDestroyed()) (w.webContents as WebContents).send(IPC_CHANNELS.message, message);
};

let station: Station | undefined;
let services: RunningStation | undefined;

app.whenReady().then(async () => {
  const dataDir = process.env.ESCALE_DATA ?? path.join(app.getPath('userData'), 'station');
  const fresh = !fs.existsSync(path.join(dataDir, 'station.sqlite'));
  station = openStation({ dataDir, init: { siteId: process.env.ESCALE_SITE ?? 'bxl-louise' } });
  if (fresh && !process.env.ESCALE_SITE) {
    // A first start without configuration is the demo: the demo network's reference data.
    const demo = path.resolve(here, '../../../resources/demo/reference-data.json');
    if (fs.existsSync(demo)) callStation(station, 'importReferenceData', { data: JSON.parse(fs.readFileSync(demo, 'utf8')), source: demo });
  }
  ipcMain.handle(IPC_CHANNELS.call, (event, method: unknown, input: unknown) => {
    const result = guardedCall(station!, event.sender.id, allowed, method, input);
    // A badge typed into the kiosk (keyboard-wedge reader) reaches the reception like a reader's.
    const tapped = tapMessage(String(method), input, result);
    if (tapped) send(tapped);
    return result;
  });
  // Taps from the readers reach the windows as they reach the local host's pages.
  services = await startStationServices(station, log, undefined, send);
  createWindow('reception');
  createWindow('kiosk');
});

app.on('second-instance', () => {
  const [first] = windows;
  if (first) {
    if (first.isMinimized()) first.restore();
    first.focus();
  }
});

app.on('window-all-closed', () => app.quit());
app.on('before-quit', () => {
  void services?.stop().finally(() => station?.close());
});
