// `npm start` until the reception and kiosk windows exist: sets up the demo station (the 2-star
// Brussels site with its ~200 members) in .escale-demo/, plugs in a simulated badge reader (a real
// pty pair made by socat) and a simulated receipt printer (TCP on 127.0.0.1) when no real device
// is configured, runs a short reception scene through them and the station API with the real
// clock, and prints what happened — the printed receipt and badge included.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatCents } from '../../common/money.js';
import type { Result } from '../../common/result.js';
import type { ReferenceDataInput } from '../../common/reference-data.js';
import type { TapResult } from '../../common/station-api.js';
import { openStation } from '../station/station.js';
import { createStationApi } from '../station/api.js';
import { DeviceManager } from '../devices/device-manager.js';
import { ReaderSimulator } from '../sim/reader-sim.js';
import { PrinterSimulator } from '../sim/printer-sim.js';
import { describe } from '../cli/describe.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = path.resolve(process.env.ESCALE_DEMO_DIR ?? path.join(root, '.escale-demo'));
const referenceFile = path.join(root, 'resources/demo/reference-data.json');

const say = (line: string) => process.stdout.write(line + '\n');
function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
const indent = (text: string) => text.split('\n').map((l) => `    | ${l}`).join('\n');

const fresh = !fs.existsSync(path.join(dataDir, 'station.sqlite'));
const station = openStation({ dataDir, init: { siteId: 'bxl-louise' } });
const api = createStationApi(station);
let reader: ReaderSimulator | undefined;
let printer: PrinterSimulator | undefined;
let devices: DeviceManager | undefined;
try {
  if (fresh) {
    const summary = must(await api.importReferenceData({ data: JSON.parse(fs.readFileSync(referenceFile, 'utf8')), source: referenceFile }));
    say(`Demo station created in ${dataDir}: ${summary.counts.members} members, ${summary.counts.badges} badges, ${summary.counts.services} services.`);
  } else {
    say(`Demo station in ${dataDir} (delete the folder to start over).`);
  }
  const site = must(await api.siteProfile({}));
  say(`\n${site.name} — ${'★'.repeat(site.stars)} — ${site.region}, ${site.timeZone}\n`);

  // Simulated devices, unless real ones were configured (escale-station devices …).
  const configured = must(await api.deviceConfigs({})).filter((d) => !d.id.startsWith('demo-'));
  if (configured.length === 0) {
    printer = await new PrinterSimulator({ outDir: path.join(dataDir, 'printed') }).start();
    must(await api.configureDevice({ config: { id: 'demo-printer', kind: 'printer', name: 'Simulated receipt printer', connection: { type: 'tcp', host: '127.0.0.1', port: printer.port } } }));
    try {
      reader = await new ReaderSimulator(path.join(dataDir, 'reader'), path.join(dataDir, 'reader-sim'), 'em4100').start();
      must(await api.configureDevice({ config: { id: 'demo-reader', kind: 'reader', name: 'Simulated desk reader', connection: { type: 'serial', path: reader.devicePath, framing: 'em4100' } } }));
    } catch (e) {
      say(`(no simulated reader: ${(e as Error).message}; badges are tapped through the API instead)`);
    }
  }
  let tapped: (result: Result<TapResult>) => void = () => undefined;
  devices = new DeviceManager({ station, onTap: (read, result) => tapped(result) });
  devices.start();
  await devices.checkPrinters();

  const shift = must(await api.staffSignIn({ staffId: 'amelie', pin: '2468' }));
  say(`Reception: ${shift.staffName} signed in (shift ${shift.shiftId}).`);

  // Three members' badges, a lost one and a card the network does not know.
  const reference = JSON.parse(fs.readFileSync(referenceFile, 'utf8')) as ReferenceDataInput;
  const active = reference.badges.filter((b) => b.status === 'active' && b.kind === 'rfid' && reference.members.find((m) => m.id === b.memberId)?.status === 'active');
  const lost = reference.badges.find((b) => b.status === 'lost' && b.kind === 'rfid');
  const visits: string[] = [];
  for (const uid of [active[3]!.uid, active[17]!.uid, active[42]!.uid, lost!.uid, '04A1B2C3D4']) {
    let result: Result<TapResult>;
    if (reader && fs.existsSync(reader.devicePath) && devices.reader('demo-reader')?.status.isUp) {
      const next = new Promise<Result<TapResult>>((resolve) => (tapped = resolve));
      await reader.tap(uid);
      result = await next;
    } else {
      result = await api.tap({ uid, source: 'demo' });
    }
    if (result.ok && result.value.outcome === 'checked_in') visits.push(result.value.visit.visitId);
    say(`tap ${uid.padEnd(12)} → ${describe('tap', result, site.timeZone).split('\n')[0]}`);
  }
  const guest = must(
    await api.registerGuest({ firstName: 'Inès', lastName: 'Haddad', company: 'Studio Nord', hostMemberId: active[3]!.memberId, consent: true, language: 'fr', shiftId: shift.shiftId }),
  );
  say(`Guest registered: ${guest.person.firstName} ${guest.person.lastName}, visit ${guest.visitId}`);
  const badgeJob = must(await api.printBadge({ visitId: guest.visitId }));
  if (visits[0]) {
    const coffee = must(await api.addConsumption({ visitId: visits[0], serviceCode: 'coffee', quantity: 2, shiftId: shift.shiftId }));
    say(`Added ${coffee.quantity} × ${coffee.serviceName}: ${formatCents(coffee.grossCents)} incl. VAT`);
    const out = must(await api.checkOut({ visitId: visits[0], shiftId: shift.shiftId }));
    say(`Checked out by staff: ${out.person.firstName} ${out.person.lastName}, ${out.durationMinutes} min, ${formatCents(out.totals.grossCents)}`);
    must(await api.printReceipt({ visitId: visits[0] }));
  }
  await devices.idle();
  if (printer) {
    for (const job of printer.jobs) say(`\nPrinted on the simulated printer (${job.file}):\n${indent(job.text)}`);
  } else {
    say(`\nPrint jobs: ${must(await api.printJobs({})).map((j) => `${j.kind} ${j.state}`).join(', ')} (badge job ${badgeJob.id})`);
  }
  say('\n' + describe('onsite', await api.onSite({}), site.timeZone));
  say('\n' + describe('day', await api.dayFigures({}), site.timeZone));
  say('\nDevices:');
  for (const d of must(await api.devices({}))) say(`  ${d.kind} ${d.id}: ${d.state}${d.paperOut ? ' (paper out)' : ''}  ${JSON.stringify(d.counts)}`);
  const events = must(await api.events({ afterPosition: 0, limit: 10_000 }));
  say(`\n${events.length} events in the outbox, ready for the hub (escale-station events --data ${dataDir}).`);
  say(`\nGo on with the CLI, e.g.:\n  node bin/escale-station.js tap --data ${dataDir} ${active[3]!.uid}\n  node bin/escale-station.js search --data ${dataDir} peeters\n  node bin/escale-station.js --help`);
} finally {
  await devices?.stop();
  await reader?.stop();
  await printer?.stop();
  station.close();
}
