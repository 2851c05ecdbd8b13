// `npm start`: the demo station, complete — a hub on 127.0.0.1 holding the demo network, the
// 2-star Brussels station enrolled at it and syncing, a simulated badge reader (a real pty pair
// made by socat) and a simulated receipt printer (TCP on 127.0.0.1) — then the app: Electron where
// its binary is installed; else the local host, opened in Chromium (--app) when there is a
// display, its address printed otherwise. Type `tap UID` here to tap a badge on the reader.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ReferenceDataInput } from '../common/reference-data.js';
import { openStation } from '../main/station/station.js';
import { callStation } from '../main/station/api.js';
import { ReaderSimulator } from './sim/reader-sim.js';
import { PrinterSimulator } from './sim/printer-sim.js';
import { startStationRuntime, type StationRuntime } from '../main/runtime/station-runtime.js';
import { loadHostKeys } from '../main/host/host-keys.js';
import { SqliteHubStore } from '../server/store/sqlite-store.js';
import { startHub, type Hub } from '../server/hub/hub-server.js';
import { importReference } from '../server/hub/reference-admin.js';
import { enrollStation } from '../server/hub/stations.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoDir = path.resolve(process.env.ESCALE_DEMO_DIR ?? path.join(root, '.escale-demo'));
const stationDir = path.join(demoDir, 'station');
const referenceFile = path.join(root, 'resources/demo/reference-data.json');
const port = Number(process.env.ESCALE_DEMO_PORT ?? 4200);
const say = (line: string) => process.stdout.write(line + '\n');

function electronBinary(): string | undefined {
  try {
    const file = createRequire(import.meta.url)('electron') as unknown;
    return typeof file === 'string' && fs.existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

fs.mkdirSync(demoDir, { recursive: true, mode: 0o700 });
const reference = JSON.parse(fs.readFileSync(referenceFile, 'utf8')) as ReferenceDataInput;

// The hub, with the demo network.
const store = new SqliteHubStore(path.join(demoDir, 'hub.sqlite'));
const hubFresh = (await store.listStations()).length === 0;
if (hubFresh) await importReference(store, reference, new Date().toISOString());
// The admin page's token: random, kept in the demo's folder (0600), never printed.
const adminTokenFile = path.join(demoDir, 'admin-token');
if (!fs.existsSync(adminTokenFile)) fs.writeFileSync(adminTokenFile, randomBytes(24).toString('base64url') + '\n', { mode: 0o600 });
const hub: Hub = await startHub({ store, port: 0, adminToken: fs.readFileSync(adminTokenFile, 'utf8').trim() });

// The station, enrolled at the hub on first start; it pulls its reference data from there.
const stationFresh = !fs.existsSync(path.join(stationDir, 'station.sqlite'));
const station = openStation({ dataDir: stationDir, init: { siteId: 'bxl-louise' } });
if (stationFresh) {
  const enrolled = await enrollStation(store, 'bxl-louise', 'Demo reception', new Date().toISOString());
  callStation(station, 'configureHub', { url: hub.url, credential: enrolled.credential });
  // Imported locally too, so the demo works at once even before the first sync.
  callStation(station, 'importReferenceData', { data: reference, source: referenceFile });
} else {
  const hubConfig = station.hubConfig();
  if (hubConfig) callStation(station, 'configureHub', { url: hub.url, credential: hubConfig.credential });
}

// Simulated devices, unless real ones were configured (escale-station devices …).
let reader: ReaderSimulator | undefined;
let printer: PrinterSimulator | undefined;
const configured = callStation(station, 'deviceConfigs', {});
if (configured.ok && configured.value.every((d) => d.id.startsWith('demo-'))) {
  printer = await new PrinterSimulator({ outDir: path.join(demoDir, 'printed'), log: (l) => say(`[printer] ${l}`) }).start();
  callStation(station, 'configureDevice', { config: { id: 'demo-printer', kind: 'printer', name: 'Simulated receipt printer', connection: { type: 'tcp', host: '127.0.0.1', port: printer.port } } });
  try {
    reader = await new ReaderSimulator(path.join(demoDir, 'reader'), path.join(demoDir, 'reader-sim'), 'em4100').start();
    callStation(station, 'configureDevice', { config: { id: 'demo-reader', kind: 'reader', name: 'Simulated desk reader', connection: { type: 'serial', path: reader.devicePath, framing: 'em4100' } } });
  } catch (e) {
    say(`(no simulated reader: ${(e as Error).message})`);
  }
}

const electron = electronBinary();
let services: StationRuntime | undefined;
let app: ChildProcess | undefined;
const members = reference.members.filter((m) => m.status === 'active');
const badges = reference.badges.filter((b) => b.status === 'active' && members.some((m) => m.id === b.memberId)).slice(0, 5);

say(`Escale demo — hub ${hub.url} (its admin page at ${hub.url}/admin/, the token in ${adminTokenFile}), data in ${demoDir} (delete it to start over)`);
say(`Staff PINs: amelie 2468, joris 1357. Badges to try: ${badges.map((b) => b.uid).join(', ')}, a lost one: ${reference.badges.find((b) => b.status === 'lost')?.uid}, an unknown one: 04A1B2C3D4`);
if (electron) {
  station.close();
  say('Starting the Electron app…');
  app = spawn(electron, [path.join(root, 'dist/main/shell/electron-main.js')], { stdio: 'inherit', env: { ...process.env, ESCALE_DATA: stationDir } });
  app.on('exit', () => process.kill(process.pid, 'SIGTERM'));
} else {
  // The demo's keys are random too (kept in its data folder, 0600): a browser is paired with a
  // one-time address, valid 10 minutes, never by a key in an address.
  services = await startStationRuntime(station, { log: (l) => say(`[station] ${l}`), serve: { port, keys: loadHostKeys(stationDir) } });
  const kiosk = services.host!.pairingLink('kiosk');
  const reception = services.host!.pairingLink('reception');
  say(
    `No Electron binary here: the station is served to browsers at ${services.host!.url}.\n` +
      `  One-time pairing addresses (10 minutes; more with: node bin/escale-station.js pair --data ${stationDir} kiosk|reception):\n` +
      `  kiosk:     ${kiosk}\n  reception: ${reception}`,
  );
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((c) => fs.existsSync(c));
  if (chromium && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) {
    const profile = path.join(demoDir, 'chromium-profile');
    for (const url of [reception, kiosk]) spawn(chromium, [`--user-data-dir=${profile}`, `--app=${url}`, '--no-first-run', '--disable-background-networking'], { stdio: 'ignore', detached: true }).unref();
    say('Opened both in Chromium.');
  } else {
    say('Open these addresses in a browser (no display for Chromium here).');
  }
}
if (reader) say('Type `tap UID` (Enter) to tap a badge on the simulated reader; Ctrl-C to stop.');

const stop = async () => {
  await services?.stop();
  if (!electron) station.close();
  await reader?.stop();
  await printer?.stop();
  await hub.close();
  await store.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
if (process.stdin.isTTY || process.env.ESCALE_DEMO_STDIN) {
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const [cmd, uid] = line.trim().split(/\s+/);
    if (cmd === 'tap' && uid && reader) await reader.tap(uid).catch((e: Error) => say(`error: ${e.message}`));
    else if (cmd === 'quit') break;
    else if (cmd) say('tap UID | quit');
  }
  await stop();
}
