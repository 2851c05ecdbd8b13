// `npm start` until the reception and kiosk windows exist: sets up the demo station (the 2-star
// Brussels site with its ~200 members) in .escale-demo/, runs a short reception scene through
// the station API with the real clock, and prints what happened and how to go on with the CLI.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatCents } from '../../common/money.js';
import type { Result } from '../../common/result.js';
import type { ReferenceDataInput } from '../../common/reference-data.js';
import { openStation } from '../station/station.js';
import { createStationApi } from '../station/api.js';
import { describe } from '../cli/describe.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = path.resolve(process.env.ESCALE_DEMO_DIR ?? path.join(root, '.escale-demo'));
const referenceFile = path.join(root, 'resources/demo/reference-data.json');

const say = (line: string) => process.stdout.write(line + '\n');
function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

const fresh = !fs.existsSync(path.join(dataDir, 'station.sqlite'));
const station = openStation({ dataDir, init: { siteId: 'bxl-louise' } });
const api = createStationApi(station);
try {
  if (fresh) {
    const summary = must(await api.importReferenceData({ data: JSON.parse(fs.readFileSync(referenceFile, 'utf8')), source: referenceFile }));
    say(`Demo station created in ${dataDir}: ${summary.counts.members} members, ${summary.counts.badges} badges, ${summary.counts.services} services.`);
  } else {
    say(`Demo station in ${dataDir} (delete the folder to start over).`);
  }
  const site = must(await api.siteProfile({}));
  say(`\n${site.name} — ${'★'.repeat(site.stars)} — ${site.region}, ${site.timeZone}\n`);

  const shift = must(await api.staffSignIn({ staffId: 'amelie', pin: '2468' }));
  say(`Reception: ${shift.staffName} signed in (shift ${shift.shiftId}).`);

  // Three members' badges, a lost one and a card the network does not know.
  const reference = JSON.parse(fs.readFileSync(referenceFile, 'utf8')) as ReferenceDataInput;
  const active = reference.badges.filter((b) => b.status === 'active' && reference.members.find((m) => m.id === b.memberId)?.status === 'active');
  const lost = reference.badges.find((b) => b.status === 'lost');
  for (const uid of [active[3]!.uid, active[17]!.uid, active.find((b) => b.kind === 'qr')!.uid, lost?.uid ?? 'LOST', '04A1B2C3D4']) {
    const result = await api.tap({ uid, source: 'demo' });
    say(`tap ${uid.padEnd(12)} → ${describe('tap', result, site.timeZone).split('\n')[0]}`);
  }
  const guest = must(
    await api.registerGuest({ firstName: 'Inès', lastName: 'Haddad', company: 'Studio Nord', hostMemberId: active[3]!.memberId, consent: true, language: 'fr', shiftId: shift.shiftId }),
  );
  say(`Guest registered: ${guest.person.firstName} ${guest.person.lastName}, visit ${guest.visitId}`);
  const onSite = must(await api.onSite({}));
  const someone = onSite.find((e) => e.person.kind === 'member');
  if (someone) {
    const coffee = must(await api.addConsumption({ visitId: someone.visitId, serviceCode: 'coffee', quantity: 2, shiftId: shift.shiftId }));
    say(`Added ${coffee.quantity} × ${coffee.serviceName} for ${someone.person.firstName}: ${formatCents(coffee.grossCents)} incl. VAT`);
  }
  say('\n' + describe('onsite', await api.onSite({}), site.timeZone));
  say('\n' + describe('day', await api.dayFigures({}), site.timeZone));
  const events = must(await api.events({ afterPosition: 0, limit: 10_000 }));
  say(`\n${events.length} events in the outbox, ready for the hub (escale-station events --data ${dataDir}).`);
  say(`\nGo on with the CLI, e.g.:\n  node bin/escale-station.js tap --data ${dataDir} ${active[3]!.uid}\n  node bin/escale-station.js search --data ${dataDir} peeters\n  node bin/escale-station.js --help`);
} finally {
  station.close();
}
