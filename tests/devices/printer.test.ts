// Printers with real I/O: the ESC/POS printer simulator on TCP 127.0.0.1 and on a pty pair, a
// plain TCP server standing for a ZPL label printer, and a regular file standing for /dev/usb/lp0.
// Receipts and badges are checked in the text the simulator decodes from the bytes it received;
// outages, paper-out, the fallback printer, restarts and reprints through the station API.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceConfigInput, PrintJob } from '../../common/devices.js';
import type { Language } from '../../common/reference-data.js';
import { DeviceManager } from '../../main/hardware/device-manager.js';
import { EscPosDecoder, type DecodedJob } from '../../demo/sim/escpos-decoder.js';
import { PrinterSimulator } from '../../demo/sim/printer-sim.js';
import { PtyPair } from '../../demo/sim/pty-pair.js';
import { demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { failure, unwrap } from '../support/ledger.js';
import { deviceStatus, removeTempDirs, tempFolder, waitForStatus } from './device-support.js';
import { waitFor } from '../support/wait.js';
import { contextOf } from '../../main/station/context.js';
import { streamTag } from '../../main/station/receipts/receipt-number.js';
import { openDeskTill } from '../support/till.js';

let stations: TestStation[] = [];
let managers: DeviceManager[] = [];
let cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const dm of managers) await dm.stop();
  for (const c of cleanups.reverse()) await c();
  for (const t of stations) t.close();
  stations = [];
  managers = [];
  cleanups = [];
  removeTempDirs();
});

function station(options: Parameters<typeof openTestStation>[0] = {}): TestStation {
  const t = openTestStation(options);
  stations.push(t);
  return t;
}

function manager(t: TestStation): DeviceManager {
  // Printers checked every 100 ms, so a printer back online is seen at once.
  const dm = new DeviceManager({ station: t.station, healthIntervalMs: 100, printer: { connectTimeoutMs: 2000, jobTimeoutMs: 5000 } });
  managers.push(dm);
  dm.start();
  return dm;
}

async function simulator(): Promise<PrinterSimulator> {
  const sim = await new PrinterSimulator({ outDir: tempFolder('escale-jobs-') }).start();
  cleanups.push(() => sim.stop());
  return sim;
}

const tcpPrinter = (id: string, port: number, extra: Partial<Extract<DeviceConfigInput, { kind: 'printer' }>> = {}): DeviceConfigInput => ({
  id,
  kind: 'printer',
  name: `Printer ${id}`,
  connection: { type: 'tcp', host: '127.0.0.1', port },
  ...extra,
});

const data = demoReferenceData();
const memberOf = (language: Language) => data.members.find((m) => m.language === language && m.status === 'active' && !m.payerId.startsWith('self-'))!;
const companyOf = (payerId: string) => data.payers.find((p) => p.id === payerId)!.name;

/** A member's visit of 2 h with a coffee, checked out: 12.00 € net, 2.52 € VAT, 14.52 € in all. */
async function checkedOutVisit(t: TestStation, memberId: string): Promise<string> {
  const visit = unwrap(await t.api.checkIn({ memberId }));
  t.clock.advance(2 * 3600_000);
  unwrap(await t.api.addConsumption({ visitId: visit.visitId, serviceCode: 'coffee', quantity: 1 }));
  unwrap(await t.api.checkOut({ visitId: visit.visitId }));
  return visit.visitId;
}

/** The phrase is printed, maybe wrapped over lines (at a space, or after a hyphen). */
function expectPrinted(text: string, phrase: string): void {
  const pattern = phrase
    .split(/(\s+|-)/)
    .filter((p) => p !== '')
    .map((p) => (p === '-' ? '-\\s*' : /^\s+$/.test(p) ? '\\s+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  expect(text, `printed text should hold "${phrase}"`).toMatch(new RegExp(pattern));
}

async function jobOf(t: TestStation, id: string): Promise<PrintJob> {
  const job = unwrap(await t.api.printJobs({ limit: 500 })).find((j) => j.id === id);
  if (!job) throw new Error(`no job ${id}`);
  return job;
}

/** What each receipt must say, per language: labels, the service line as laid out, the amounts. */
const RECEIPTS: Record<Language, { title: string; arrived: string; left: string; desk: RegExp; coffee: RegExp; net: string; vat: string; total: string; provisional: string; vatNumber: string; number: string; issued: string; duplicate: string }> = {
  fr: {
    title: 'Reçu de visite',
    arrived: 'Arrivée: 24/11/26 09:00',
    left: 'Départ: 24/11/26 11:00',
    desk: /Poste de travail \(heure\)\n\s+2 h 00 x 5,00\/h\s+TVA 21%\s+10,00\n\s+\(par tranche entamée de 15 min\)/,
    coffee: /Café\n\s+1 x 2,00\s+TVA 21%\s+2,00/,
    net: 'Total HTVA 12,00 EUR',
    vat: 'TVA 2,52 EUR',
    total: 'Total TTC 14,52 EUR',
    provisional: 'Provisoire - facturé par le réseau Escale',
    vatNumber: 'N° TVA BE0712340185',
    number: 'Reçu n°',
    issued: 'Émis le 24/11/26 11:00',
    duplicate: 'DUPLICATA',
  },
  nl: {
    title: 'Bezoekbewijs',
    arrived: 'Aankomst: 24/11/2026, 09:00',
    left: 'Vertrek: 24/11/2026, 11:00',
    desk: /Werkplek \(uur\)\n\s+2 u 00 x 5,00\/u\s+btw 21%\s+10,00\n\s+\(per begonnen 15 min\)/,
    coffee: /Koffie\n\s+1 x 2,00\s+btw 21%\s+2,00/,
    net: 'Totaal excl. btw 12,00 EUR',
    vat: 'btw 2,52 EUR',
    total: 'Totaal incl. btw 14,52 EUR',
    provisional: 'Voorlopig - gefactureerd door het Escale-netwerk',
    vatNumber: 'Btw-nr. BE0712340185',
    number: 'Bon nr.',
    issued: 'Uitgereikt op 24/11/2026, 11:00',
    duplicate: 'DUPLICAAT',
  },
  en: {
    title: 'Visit receipt',
    arrived: 'Arrived: 24/11/2026, 09:00',
    left: 'Left: 24/11/2026, 11:00',
    desk: /Desk \(hour\)\n\s+2 h 00 x 5\.00\/h\s+VAT 21%\s+10\.00\n\s+\(per started 15 min\)/,
    coffee: /Coffee\n\s+1 x 2\.00\s+VAT 21%\s+2\.00/,
    net: 'Total excl. VAT 12.00 EUR',
    vat: 'VAT 2.52 EUR',
    total: 'Total incl. VAT 14.52 EUR',
    provisional: 'Provisional - billed by the Escale network',
    vatNumber: 'VAT no. BE0712340185',
    number: 'Receipt no.',
    issued: 'Issued 24/11/2026, 11:00',
    duplicate: 'DUPLICATE',
  },
  de: {
    title: 'Besuchsbeleg',
    arrived: 'Ankunft: 24.11.26, 09:00',
    left: 'Abreise: 24.11.26, 11:00',
    desk: /Arbeitsplatz \(Stunde\)\n\s+2 Std\. 00 x 5,00\/h\s+MwSt\. 21%\s+10,00\n\s+\(je angefangene 15 Min\.\)/,
    coffee: /Kaffee\n\s+1 x 2,00\s+MwSt\. 21%\s+2,00/,
    net: 'Gesamt ohne MwSt. 12,00 EUR',
    vat: 'MwSt. 2,52 EUR',
    total: 'Gesamt inkl. MwSt. 14,52 EUR',
    provisional: 'Vorläufig - abgerechnet vom Escale-Netzwerk',
    vatNumber: 'USt-IdNr. BE0712340185',
    number: 'Beleg-Nr.',
    issued: 'Ausgestellt am 24.11.26, 11:00',
    duplicate: 'DUPLIKAT',
  },
};

describe('receipts and badges on an ESC/POS printer over TCP', () => {
  it.each(['fr', 'nl', 'de', 'en'] as const)('prints a checked-out visit’s receipt in the member’s language (%s)', async (language) => {
    const t = station();
    const sim = await simulator();
    unwrap(await t.api.configureDevice({ config: tcpPrinter('desk', sim.port) }));
    const dm = manager(t);
    const member = memberOf(language);
    const visitId = await checkedOutVisit(t, member.id);

    const job = unwrap(await t.api.printReceipt({ visitId }));
    expect(job).toMatchObject({ kind: 'receipt', visitId, printerId: 'desk' });
    const [printed] = await sim.waitForJobs(1);
    await dm.idle();
    const text = printed!.text;
    const r = RECEIPTS[language];
    expectPrinted(text, 'Escale Bruxelles Louise');
    expect(text).toMatch(/^\s*\*\*\s*$/m); // two stars on a line of their own
    expectPrinted(text, r.title);
    // Who issued it, under which number, when: what makes the receipt proof.
    expectPrinted(text, 'Escale Louise SRL');
    expectPrinted(text, 'Avenue Louise 231');
    expectPrinted(text, '1050 Ixelles');
    expectPrinted(text, r.vatNumber);
    const stream = streamTag(contextOf(t.station).epoch);
    expectPrinted(text, `${r.number} bxl-louise-${stream}-000001`);
    expectPrinted(text, r.issued);
    expect(text).not.toContain(r.duplicate);
    expectPrinted(text, `${member.firstName} ${member.lastName}, ${companyOf(member.payerId)}`);
    expectPrinted(text, r.arrived);
    expectPrinted(text, r.left);
    expect(text).toMatch(r.desk);
    expect(text).toMatch(r.coffee);
    expectPrinted(text, r.net);
    expectPrinted(text, r.vat);
    expectPrinted(text, r.total);
    expectPrinted(text, r.provisional);
    expect(text).toContain(visitId);
    expect(printed!.cut).toBe(true);
    // The simulator saved it as a file too.
    expect(fs.readFileSync(printed!.file!, 'utf8')).toContain(visitId);

    expect(await jobOf(t, job.id)).toMatchObject({ state: 'printed', printedOn: 'desk', attempts: 1 });
    expect(await deviceStatus(t.api, 'desk')).toMatchObject({ kind: 'printer', state: 'up', paperOut: false, counts: { jobs: 1 } });
  });

  it('prints a guest’s visitor badge: name, company, host, site, date, and a QR code of the visit id', async () => {
    const t = station();
    const sim = await simulator();
    unwrap(await t.api.configureDevice({ config: tcpPrinter('desk', sim.port) }));
    manager(t);
    const host = memberOf('de');
    const guest = unwrap(await t.api.registerGuest({ firstName: 'Zoë', lastName: 'Vermeulen', company: 'Brugse Data BV', hostMemberId: host.id, language: 'nl', consent: true }));
    unwrap(await t.api.printBadge({ visitId: guest.visitId }));
    const [badge] = await sim.waitForJobs(1);
    expectPrinted(badge!.text, 'BEZOEKER');
    expectPrinted(badge!.text, 'Zoë Vermeulen');
    expectPrinted(badge!.text, 'Brugse Data BV');
    expectPrinted(badge!.text, `Gastheer: ${host.firstName} ${host.lastName}`);
    expectPrinted(badge!.text, 'Escale Bruxelles Louise **');
    expectPrinted(badge!.text, 'Datum: 2026-11-24');
    expect(badge!.qrCodes).toEqual([guest.visitId]);
  });

  it('prints a member’s badge without a host line', async () => {
    const t = station();
    const sim = await simulator();
    unwrap(await t.api.configureDevice({ config: tcpPrinter('desk', sim.port) }));
    manager(t);
    const member = memberOf('fr');
    const visit = unwrap(await t.api.checkIn({ memberId: member.id }));
    unwrap(await t.api.printBadge({ visitId: visit.visitId }));
    const [badge] = await sim.waitForJobs(1);
    expectPrinted(badge!.text, 'VISITEUR');
    expectPrinted(badge!.text, `${member.firstName} ${member.lastName}`);
    expect(badge!.text).not.toMatch(/Hôte/);
    expect(badge!.qrCodes).toEqual([visit.visitId]);
  });
});

describe('the till’s shift report on an ESC/POS printer (issue 16)', () => {
  it('prints when the till closes, in French, and its reprint in Dutch says DUPLICAAT', async () => {
    const t = station();
    const sim = await simulator();
    unwrap(await t.api.configureDevice({ config: tcpPrinter('desk', sim.port) }));
    const dm = manager(t);
    const { shift } = await openDeskTill(t.api, { floatCents: 10_000 });
    // Two walk-in guests: one pays 20 € in cash for 6,05 €, the other by card; 1,00 € is given back in cash.
    const guest = async () => {
      const v = unwrap(await t.api.registerGuest({ firstName: 'Lou', lastName: 'Passant', language: 'fr', consent: true }));
      t.clock.advance(90 * 60_000);
      unwrap(await t.api.addConsumption({ visitId: v.visitId, serviceCode: 'coffee', quantity: 1 }));
      return { visitId: v.visitId, due: unwrap(await t.api.checkOut({ visitId: v.visitId })).totals.grossCents };
    };
    const a = await guest();
    const b = await guest();
    const cash = unwrap(await t.api.recordPayment({ visitId: a.visitId, method: 'cash', tenderedCents: 2_000 }));
    unwrap(await t.api.recordPayment({ visitId: b.visitId, method: 'card', approved: true }));
    unwrap(await t.api.refundPayment({ paymentId: cash.paymentId, amountCents: 100, reason: 'Café offert' }));
    const expected = 10_000 + a.due - 100;
    t.clock.advance(3600_000);
    const closed = unwrap(await t.api.closeTill({ countedCents: expected - 200, reason: 'Deux euros rendus en trop', language: 'fr', shiftId: shift.shiftId }));
    expect(closed.report).toMatchObject({ kind: 'receipt', printerId: 'desk' });
    // The two paid receipts, then the report.
    const printed = await sim.waitForJobs(3);
    await dm.idle();
    const eur = (cents: number, sep = ',') => `${cents < 0 ? '-' : ''}${(Math.abs(cents) / 100).toFixed(2).replace('.', sep)} EUR`;
    const fr = printed.map((j) => j.text).find((x) => x.includes('Rapport de caisse'))!;
    expect(fr).toBeDefined();
    expectPrinted(fr, 'Escale Bruxelles Louise');
    expectPrinted(fr, 'Escale Louise SRL');
    expectPrinted(fr, 'N° TVA BE0712340185');
    expectPrinted(fr, 'Réceptionniste: Joris Peeters');
    expectPrinted(fr, 'Ouverture: 24/11/26 09:00');
    expectPrinted(fr, 'Fermeture: 24/11/26 13:00');
    expect(fr).toMatch(new RegExp(`Fond de caisse\\s+${eur(10_000)}`));
    expect(fr).toMatch(new RegExp(`Espèces reçues\\s+${eur(a.due)}`));
    expect(fr).toMatch(new RegExp(`Monnaie rendue\\s+${eur(2_000 - a.due)}`));
    expect(fr).toMatch(new RegExp(`Remboursé en espèces\\s+${eur(-100)}`));
    expect(fr).toMatch(new RegExp(`Espèces attendues\\s+${eur(expected)}`));
    expect(fr).toMatch(new RegExp(`Espèces comptées\\s+${eur(expected - 200)}`));
    expect(fr).toMatch(new RegExp(`Écart\\s+${eur(-200)}`));
    expectPrinted(fr, 'Raison: Deux euros rendus en trop');
    expect(fr).toMatch(new RegExp(`Payé par carte\\s+${eur(b.due)}`));
    expect(fr).toMatch(/Remboursé sur carte\s+0,00 EUR/);
    expect(fr).toMatch(/Facturé aux sociétés\s+0,00 EUR/);
    expect(fr).toMatch(/Paiements\s+2\n/);
    expect(fr).toMatch(/Remboursements\s+1\n/);
    expect(fr).not.toContain('DUPLICATA');

    unwrap(await t.api.reprintTillReport({ tillId: closed.tillId, language: 'nl', shiftId: shift.shiftId }));
    const nl = (await sim.waitForJobs(4))[3]!.text;
    expectPrinted(nl, 'Kassarapport');
    expectPrinted(nl, 'DUPLICAAT');
    expectPrinted(nl, 'Btw-nr. BE0712340185');
    expectPrinted(nl, 'Baliemedewerker: Joris Peeters');
    expectPrinted(nl, 'Geopend: 24/11/2026, 09:00');
    expectPrinted(nl, 'Gesloten: 24/11/2026, 13:00');
    expect(nl).toMatch(new RegExp(`Beginkas\\s+${eur(10_000)}`));
    expect(nl).toMatch(new RegExp(`Contant ontvangen\\s+${eur(a.due)}`));
    expect(nl).toMatch(new RegExp(`Wisselgeld teruggegeven\\s+${eur(2_000 - a.due)}`));
    expect(nl).toMatch(new RegExp(`Verwacht contant\\s+${eur(expected)}`));
    expect(nl).toMatch(new RegExp(`Geteld contant\\s+${eur(expected - 200)}`));
    expect(nl).toMatch(new RegExp(`Verschil\\s+${eur(-200)}`));
    expectPrinted(nl, 'Reden: Deux euros rendus en trop');
    expect(nl).toMatch(new RegExp(`Betaald met kaart\\s+${eur(b.due)}`));
  });
});

describe('a ZPL label printer', () => {
  it('gets the badge as one ^XA…^XZ label with the QR code of the visit id', async () => {
    const t = station();
    const labels: string[] = [];
    const server = net.createServer((socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (c) => chunks.push(c));
      socket.on('end', () => {
        // Health checks connect and leave without a byte: only labels are kept.
        if (chunks.length > 0) labels.push(Buffer.concat(chunks).toString('latin1'));
        socket.end();
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as net.AddressInfo).port;
    unwrap(await t.api.configureDevice({ config: tcpPrinter('labels', port, { language: 'zpl', roles: ['badge'] }) }));
    const dm = manager(t);
    const guest = unwrap(await t.api.registerGuest({ firstName: 'Jérôme', lastName: 'Müller', company: 'Atelier Lumière SRL', language: 'fr', consent: true }));
    const job = unwrap(await t.api.printBadge({ visitId: guest.visitId }));
    expect(job.printerId).toBe('labels');
    await waitFor(() => labels.length === 1, 'the label');
    await dm.idle();
    const zpl = labels[0]!;
    expect(zpl.startsWith('^XA')).toBe(true);
    expect(zpl.trimEnd().endsWith('^XZ')).toBe(true);
    expect(zpl.match(/\^XA/g)).toHaveLength(1);
    expect(zpl).toContain(`^FDMA,${guest.visitId}^FS`);
    expect(zpl).toContain('^FDVISITEUR^FS');
    // Accents go through as hex-escaped UTF-8 under ^FH.
    expect(zpl).toContain('^FDJ_c3_a9r_c3_b4me M_c3_bcller^FS');
    expect(await jobOf(t, job.id)).toMatchObject({ state: 'printed', printedOn: 'labels' });
    // A receipt never goes to a label printer: with only this one, there is no receipt printer.
    failure(await t.api.printReceipt({ visitId: guest.visitId }), 'NOT_CONFIGURED');
    // Sent there on purpose, it fails at once with the reason instead of being retried forever.
    const forced = unwrap(await t.api.printReceipt({ visitId: guest.visitId, printerId: 'labels' }));
    await dm.idle();
    const ended = await jobOf(t, forced.id);
    expect(ended).toMatchObject({ state: 'failed', attempts: 0 });
    expect(ended.lastError).toMatch(/cannot print receipts/);
    expect(labels).toHaveLength(1);
  });
});

describe('printer outages', () => {
  it('prints a job queued while the printer is offline once it is back, exactly once', async () => {
    const t = station();
    const sim = await simulator();
    unwrap(await t.api.configureDevice({ config: tcpPrinter('desk', sim.port) }));
    const dm = manager(t);
    const visitId = await checkedOutVisit(t, memberOf('en').id);
    await sim.goOffline();

    const job = unwrap(await t.api.printReceipt({ visitId }));
    // Tried, failed, tried again.
    const failing = await waitFor(async () => {
      const j = await jobOf(t, job.id);
      return j.attempts >= 2 && j.state === 'queued' ? j : undefined;
    }, 'two failed attempts');
    expect(failing.lastError).toMatch(/cannot be reached/);
    const down = await deviceStatus(t.api, 'desk');
    expect(down.state).toBe('down');
    expect(down.downSince).toBeTruthy();
    expect(sim.jobs).toHaveLength(0);

    await sim.goOnline();
    const [printed] = await sim.waitForJobs(1);
    expect(printed!.text).toContain(visitId);
    await dm.idle();
    const done = await jobOf(t, job.id);
    expect(done).toMatchObject({ state: 'printed', printedOn: 'desk' });
    expect(done.lastError).toBeUndefined();
    await waitForStatus(t.api, 'desk', 'up', (s) => s.state === 'up');

    // Jobs print in order: once a later job is out, the first would have been printed again by now
    // if it were still pending. It is not.
    unwrap(await t.api.testPrint({ printerId: 'desk' }));
    await sim.waitForJobs(2);
    await dm.idle();
    dm.kick();
    await dm.idle();
    expect(sim.jobs.filter((j) => j.text.includes(visitId))).toHaveLength(1);
    expect(sim.jobs).toHaveLength(2);
    expect(sim.jobs[1]!.text).toContain('Printer test page');
    expect((await jobOf(t, job.id)).attempts).toBe(done.attempts);
  });

  it('does not print when the paper is out, says so, and prints once the paper is back', async () => {
    const t = station();
    const sim = await simulator();
    unwrap(await t.api.configureDevice({ config: tcpPrinter('desk', sim.port) }));
    const dm = manager(t);
    const visitId = await checkedOutVisit(t, memberOf('fr').id);
    sim.setPaperOut(true);
    const job = unwrap(await t.api.printReceipt({ visitId }));
    const status = await waitForStatus(t.api, 'desk', 'paper out', (s) => s.paperOut === true);
    expect(status.counts.errors).toBeGreaterThanOrEqual(1);
    const queued = await waitFor(async () => {
      const j = await jobOf(t, job.id);
      return j.attempts >= 1 && j.state === 'queued' ? j : undefined;
    }, 'a failed attempt');
    expect(queued.lastError).toMatch(/out of paper/);
    expect(sim.jobs).toHaveLength(0);

    sim.setPaperOut(false);
    const [printed] = await sim.waitForJobs(1);
    expect(printed!.text).toContain(visitId);
    await dm.idle();
    expect(await jobOf(t, job.id)).toMatchObject({ state: 'printed', printedOn: 'desk' });
    await waitForStatus(t.api, 'desk', 'paper back', (s) => s.paperOut === false);
    expect(sim.jobs).toHaveLength(1);
  });

  it('sends the job to the fallback printer when its own is out of paper', async () => {
    const t = station();
    const own = await simulator();
    const fallback = await simulator();
    unwrap(await t.api.configureDevice({ config: tcpPrinter('backup', fallback.port) }));
    unwrap(await t.api.configureDevice({ config: tcpPrinter('desk', own.port, { fallbackId: 'backup' }) }));
    const dm = manager(t);
    const visitId = await checkedOutVisit(t, memberOf('nl').id);
    own.setPaperOut(true);

    const job = unwrap(await t.api.printReceipt({ visitId, printerId: 'desk' }));
    expect(job.printerId).toBe('desk');
    const [printed] = await fallback.waitForJobs(1);
    await dm.idle();
    expect(printed!.text).toContain(visitId);
    expectPrinted(printed!.text, 'Bezoekbewijs');
    expect(own.jobs).toHaveLength(0);
    expect(await jobOf(t, job.id)).toMatchObject({ state: 'printed', printerId: 'desk', printedOn: 'backup' });
    expect(await deviceStatus(t.api, 'desk')).toMatchObject({ paperOut: true });
    expect(await deviceStatus(t.api, 'backup')).toMatchObject({ state: 'up', counts: { jobs: 1 } });

    // Paper back in the first printer: the job is not printed again there.
    own.setPaperOut(false);
    await waitForStatus(t.api, 'desk', 'paper back', (s) => s.paperOut === false);
    await dm.idle();
    expect(own.jobs).toHaveLength(0);
    expect(fallback.jobs).toHaveLength(1);
  });

  it('sends the job to the fallback printer when its own is offline', async () => {
    const t = station();
    const own = await simulator();
    const fallback = await simulator();
    unwrap(await t.api.configureDevice({ config: tcpPrinter('backup', fallback.port) }));
    unwrap(await t.api.configureDevice({ config: tcpPrinter('desk', own.port, { fallbackId: 'backup' }) }));
    manager(t);
    await own.goOffline();
    const visitId = await checkedOutVisit(t, memberOf('de').id);
    const job = unwrap(await t.api.printReceipt({ visitId, printerId: 'desk' }));
    await fallback.waitForJobs(1);
    await waitFor(async () => (await jobOf(t, job.id)).printedOn === 'backup', 'the job printed on the fallback');
    expect(own.jobs).toHaveLength(0);
  });
});

describe('print jobs kept in the station database', () => {
  it('prints, with a new device manager, a job queued while no device manager ran, after a restart', async () => {
    const first = station();
    const sim = await simulator();
    unwrap(await first.api.configureDevice({ config: tcpPrinter('desk', sim.port) }));
    const visitId = await checkedOutVisit(first, memberOf('en').id);
    const job = unwrap(await first.api.printReceipt({ visitId }));
    expect(job.state).toBe('queued');
    first.close();
    stations = stations.filter((s) => s !== first);

    const second = station({ dataDir: first.dataDir, data: null });
    expect(await jobOf(second, job.id)).toMatchObject({ state: 'queued', attempts: 0 });
    const dm = manager(second);
    const [printed] = await sim.waitForJobs(1);
    await dm.idle();
    expect(printed!.text).toContain(visitId);
    expect(await jobOf(second, job.id)).toMatchObject({ state: 'printed', printedOn: 'desk', attempts: 1 });
    expect(sim.jobs).toHaveLength(1);
  });

  it('reprints a receipt as a new job with the very same document, marked as a duplicate', async () => {
    const t = station();
    const sim = await simulator();
    unwrap(await t.api.configureDevice({ config: tcpPrinter('desk', sim.port) }));
    const dm = manager(t);
    const visitId = await checkedOutVisit(t, memberOf('fr').id);
    const original = unwrap(await t.api.printReceipt({ visitId }));
    await sim.waitForJobs(1);
    await dm.idle();

    const again = unwrap(await t.api.reprint({ jobId: original.id }));
    expect(again.id).not.toBe(original.id);
    expect(again).toMatchObject({ kind: 'receipt', visitId, reprintOf: original.id, state: 'queued' });
    await sim.waitForJobs(2);
    // A reprint of the reprint still points at the original.
    const third = unwrap(await t.api.reprint({ jobId: again.id }));
    expect(third.reprintOf).toBe(original.id);
    await sim.waitForJobs(3);
    await dm.idle();
    // The same receipt, number included, with DUPLICATA under its number: nothing else changes.
    const first = sim.jobs[0]!.text;
    expect(first).not.toContain('DUPLICATA');
    expect(first).toMatch(/Reçu n° bxl-louise-[0-9A-F]{6}-000001/);
    for (const reprinted of [sim.jobs[1]!.text, sim.jobs[2]!.text]) {
      expect(reprinted).toMatch(/^\s*DUPLICATA\s*$/m);
      expect(reprinted.replace(/^[ \t]*DUPLICATA[ \t]*\n/m, '')).toBe(first);
    }
    const jobs = unwrap(await t.api.printJobs({ visitId }));
    expect(jobs).toHaveLength(3);
    expect(jobs.every((j) => j.state === 'printed')).toBe(true);
  });
});

describe('other transports', () => {
  it('prints on a serial printer over a pty pair', async () => {
    const t = station();
    const dir = tempFolder('escale-pty-');
    const pty = new PtyPair(path.join(dir, 'printer'), path.join(dir, 'printer-sim'));
    await pty.plug();
    cleanups.push(() => pty.unplug());
    const { SerialPort } = await import('serialport');
    const port = new SerialPort({ path: pty.simulatorSide, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    port.on('error', () => undefined);
    cleanups.push(() => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())));
    const sim = new PrinterSimulator();
    sim.attach(port);

    unwrap(await t.api.configureDevice({ config: { id: 'serial', kind: 'printer', name: 'Serial printer', connection: { type: 'serial', path: pty.deviceSide, baudRate: 19200 } } }));
    const dm = manager(t);
    const member = memberOf('de');
    const visitId = await checkedOutVisit(t, member.id);
    const job = unwrap(await t.api.printReceipt({ visitId }));
    const [printed] = await sim.waitForJobs(1);
    await dm.idle();
    expectPrinted(printed!.text, RECEIPTS.de.total);
    expectPrinted(printed!.text, `${member.firstName} ${member.lastName}`);
    expect(await jobOf(t, job.id)).toMatchObject({ state: 'printed', printedOn: 'serial' });
    expect(sim.jobs).toHaveLength(1);
  });

  it('prints to a device file (here a regular file standing for /dev/usb/lp0, allowed from the command line)', async () => {
    const t = station();
    const file = path.join(tempFolder('escale-lp-'), 'lp0');
    fs.writeFileSync(file, '');
    unwrap(await t.api.allowPrinterFile({ path: file }));
    unwrap(await t.api.configureDevice({ config: { id: 'lp', kind: 'printer', name: 'USB printer', connection: { type: 'file', path: file } } }));
    const dm = manager(t);
    const visitId = await checkedOutVisit(t, memberOf('nl').id);
    const job = unwrap(await t.api.printReceipt({ visitId }));
    await waitFor(async () => (await jobOf(t, job.id)).state === 'printed', 'the job printed');
    await dm.idle();
    const jobs: DecodedJob[] = [];
    new EscPosDecoder({ paperOut: false }, () => undefined, (j) => jobs.push(j)).push(new Uint8Array(fs.readFileSync(file)));
    expect(jobs).toHaveLength(1);
    expectPrinted(jobs[0]!.text, RECEIPTS.nl.total);
    expect(jobs[0]!.text).toContain(visitId);
    // A file cannot say whether there is paper.
    expect((await deviceStatus(t.api, 'lp')).paperOut).toBeUndefined();
  });

  it('never writes a file that is neither a printer device nor allowed: refused when configured, and again when the path is swapped for a link', async () => {
    const t = station();
    const home = tempFolder('escale-home-');
    const startup = path.join(home, '.bashrc');
    fs.writeFileSync(startup, '# a shell start-up file\n');
    const refused = await t.api.configureDevice({ config: { id: 'evil', kind: 'printer', name: 'Printer', connection: { type: 'file', path: startup } } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'config.connection.path' } });
    // Nor a file that does not exist yet (a printer never creates one), nor a relative path.
    for (const p of [path.join(home, 'new-file'), 'relative/lp0'])
      expect(await t.api.configureDevice({ config: { id: 'evil', kind: 'printer', name: 'Printer', connection: { type: 'file', path: p } } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(fs.existsSync(path.join(home, 'new-file'))).toBe(false);

    // An allowed file, configured, then swapped for a link to the start-up file: the printer resolves
    // the path at every open, finds it no longer allowed, and writes nothing.
    const lp = path.join(home, 'lp0');
    fs.writeFileSync(lp, '');
    unwrap(await t.api.allowPrinterFile({ path: lp }));
    unwrap(await t.api.configureDevice({ config: { id: 'lp', kind: 'printer', name: 'USB printer', connection: { type: 'file', path: lp } } }));
    fs.rmSync(lp);
    fs.symlinkSync(startup, lp);
    const dm = manager(t);
    const visitId = await checkedOutVisit(t, memberOf('fr').id);
    const job = unwrap(await t.api.printReceipt({ visitId }));
    await waitFor(async () => (await deviceStatus(t.api, 'lp')).state === 'down', 'the printer reported down');
    await dm.idle();
    expect((await jobOf(t, job.id)).state).not.toBe('printed');
    expect((await deviceStatus(t.api, 'lp')).lastError).toMatch(/not a printer's device node/);
    expect(fs.readFileSync(startup, 'utf8')).toBe('# a shell start-up file\n');
    // Taken off the allow-list: the path is refused again.
    expect(unwrap(await t.api.allowPrinterFile({ path: lp, remove: true })).paths).toEqual([]);
  });
});
