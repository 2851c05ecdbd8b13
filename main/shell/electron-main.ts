// The Electron shell, kept thin: windows, lifecycle, IPC registration, and Electron's security
// checklist. Everything else is the station core and its services, which run the same without
// Electron (escale-station serve).
//
// Hardening (Electron's security checklist): no application menu and no devtools outside the dev
// flag (--dev or ESCALE_DEV=1); every permission a page could ask for (camera, notifications, HID,
// serial…) denied; no webview, no navigation, no redirect, no new window in any web contents;
// sandboxed, context-isolated pages with one preload each exposing that window's methods only,
// enforced again here by sender and frame and by the station's access gate. The packaged app's
// fuses (RunAsNode, NODE_OPTIONS, --inspect off; asar integrity on) are set in electron-builder.yml.
// A first start without a station shows the set-up screen (the hub's address and the station's
// credential), never demo data.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, screen, session, utilityProcess, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_CHANNELS } from '../../common/ipc.js';
import type { StationNotice } from '../runtime/notifier.js';
import { openStation, type Station } from '../station/station.js';
import { DATABASE_FILE } from '../station/database/open.js';
import { startStationRuntime, type StationRuntime } from '../runtime/station-runtime.js';
import { guardedCall, senderProblem, type IpcSender } from './ipc-guard.js';
import { audienceOf, type StationWindow } from '../../common/station-access.js';
import { setUpStation } from '../sync/set-up.js';
import type { ChildLauncher } from '../hardware/child-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.resolve(here, '../../renderer');
const preloadOf = (page: StationWindow | 'setup') => path.resolve(here, `../../preload/${page}.cjs`);
const pageOf = (page: StationWindow | 'setup') => pathToFileURL(path.join(rendererDir, `${page}.html`)).href;
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const dev = process.argv.includes('--dev') || process.env.ESCALE_DEV === '1';

process.on('uncaughtException', (e) => log(`uncaught: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${(e as Error)?.stack ?? e}`));

if (!app.requestSingleInstanceLock()) app.quit();
if (!dev) Menu.setApplicationMenu(null);

// Every web contents, whoever made it: no webview, no navigation away, no new window.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  if (!dev) contents.on('devtools-opened', () => contents.closeDevTools());
});

/** The windows open now, by webContents id: which window each is and the page it loaded. */
const opened = new Map<number, { window: StationWindow; page: string; win: BrowserWindow }>();
let setupWindow: BrowserWindow | undefined;

function createWindow(page: StationWindow | 'setup'): BrowserWindow {
  const displays = screen.getAllDisplays();
  const second = displays.find((d) => d.id !== screen.getPrimaryDisplay().id);
  const kiosk = page === 'kiosk';
  const win = new BrowserWindow({
    title: kiosk ? 'Escale — kiosk' : page === 'setup' ? 'Escale — set-up' : 'Escale — reception',
    width: page === 'setup' ? 720 : 1280,
    height: page === 'setup' ? 640 : 860,
    ...(kiosk && second ? { x: second.bounds.x, y: second.bounds.y, fullscreen: true, kiosk: true } : {}),
    webPreferences: {
      preload: preloadOf(page),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: dev,
    },
  });
  win.webContents.on('render-process-gone', (_e, details) => {
    log(`${page} renderer gone (${details.reason}); reloading`);
    if (!win.isDestroyed()) win.reload();
  });
  const id = win.webContents.id;
  if (page !== 'setup') opened.set(id, { window: page, page: pageOf(page), win });
  win.on('closed', () => {
    opened.delete(id);
    services?.gate.endChannel(`ipc:${id}`);
  });
  void win.loadURL(pageOf(page));
  return win;
}

const senderOf = (event: IpcMainInvokeEvent): IpcSender => ({
  id: event.sender.id,
  mainFrame: event.senderFrame !== null && event.senderFrame === event.sender.mainFrame,
  url: event.senderFrame?.url ?? '',
});

/** A message for the windows it is for (an eID's names reach the reception only). */
const send = (message: StationNotice) => {
  const audience = audienceOf(message);
  for (const { window, win } of opened.values()) if (audience.includes(window) && !win.isDestroyed()) (win.webContents as WebContents).send(IPC_CHANNELS.message, message);
};

/** The PC/SC binding's child, started as an Electron utility process (fork needs RunAsNode, fused off). */
const launchUtility: ChildLauncher = (modulePath) => {
  const child = utilityProcess.fork(modulePath, [], { stdio: 'pipe', serviceName: 'Escale PC/SC' });
  let exited = false;
  const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
  child.on('exit', (code) => {
    exited = true;
    for (const l of exitListeners) l(code, null);
  });
  return {
    send: (m) => child.postMessage(m),
    onMessage: (l) => void child.on('message', l),
    onExit: (l) => void exitListeners.push(l),
    onStderr: (l) => void child.stderr?.on('data', (chunk: Buffer) => l(chunk.toString())),
    kill: () => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      else child.kill();
    },
    get exited() {
      return exited;
    },
  };
};

let station: Station | undefined;
let services: StationRuntime | undefined;

async function startStation(dataDir: string): Promise<void> {
  station = openStation({ dataDir });
  // Taps from the readers, and what the windows' calls changed, reach the windows as they reach the
  // local host's pages: one notifier.
  services = await startStationRuntime(station, { log, launchChild: launchUtility });
  services.notifier.subscribe(send);
  createWindow('reception');
  createWindow('kiosk');
}

app.whenReady().then(async () => {
  // Nothing a page could ask for is granted: no camera, microphone, notifications, geolocation,
  // HID, serial or USB from a page (the station's own devices are driven by the main process).
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
  session.defaultSession.on('will-download', (event) => event.preventDefault());

  const dataDir = process.env.ESCALE_DATA ?? path.join(app.getPath('userData'), 'station');
  ipcMain.handle(IPC_CHANNELS.call, (event, method: unknown, input: unknown) => {
    if (!services) return { ok: false, error: { code: 'NOT_CONFIGURED', message: 'The station is not set up yet.' } };
    // The runtime tells every window what the call changed (a badge typed into the kiosk, visits…).
    return guardedCall(services.gate, services.call, opened, senderOf(event), method, input);
  });
  ipcMain.handle(IPC_CHANNELS.setup, async (event, input: unknown) => {
    // Only the set-up window's own page, and only while there is no station.
    const page = pageOf('setup');
    const problem = !setupWindow || setupWindow.isDestroyed() ? 'There is nothing to set up.' : senderProblem(new Map([[setupWindow.webContents.id, { window: 'reception', page }]]), senderOf(event));
    if (problem) return { ok: false, error: { code: 'REFUSED', message: problem } };
    const result = await setUpStation(dataDir, input, { log });
    if (result.ok) {
      const done = setupWindow;
      setupWindow = undefined;
      await startStation(dataDir);
      setTimeout(() => done?.close(), 3000);
    }
    return result;
  });

  if (fs.existsSync(path.join(dataDir, DATABASE_FILE))) await startStation(dataDir);
  else setupWindow = createWindow('setup');
});

app.on('second-instance', () => {
  const [first] = opened.values();
  const win = first?.win ?? setupWindow;
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app.on('window-all-closed', () => app.quit());
app.on('before-quit', () => {
  void services?.stop().finally(() => station?.close());
});
