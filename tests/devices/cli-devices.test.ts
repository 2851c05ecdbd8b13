// `escale-station devices …` and `escale-station print …` on a station's data folder, run in this
// process (the CLI's main with its output captured: tests/support/cli.ts). The printer is the
// ESC/POS simulator listening in this test process, so the CLI's one-shot delivery really prints.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PrinterSimulator } from '../../demo/sim/printer-sim.js';
import { demoReferenceData, openTestStation } from '../support/station-fixture.js';
import { unwrap } from '../support/ledger.js';
import { stationJson } from '../support/cli.js';
import { removeTempDirs, tempFolder } from './device-support.js';

/** Runs the CLI with --json. Exit 2 is a bad command line: the usage on stderr, no JSON. */
const cli = (...args: string[]) => stationJson(args);

let sims: PrinterSimulator[] = [];
afterEach(async () => {
  for (const s of sims) await s.stop();
  sims = [];
  removeTempDirs();
});

const data = demoReferenceData();
const member = data.members.find((m) => m.language === 'fr' && m.status === 'active' && !m.payerId.startsWith('self-'))!;

/** A station's data folder with the demo data and one checked-out visit; closed before the CLI runs. */
async function stationFolder(): Promise<{ dataDir: string; visitId: string }> {
  const t = openTestStation({ dataDir: tempFolder('escale-cli-') });
  const visit = unwrap(await t.api.checkIn({ memberId: member.id }));
  t.clock.advance(90 * 60_000);
  unwrap(await t.api.checkOut({ visitId: visit.visitId }));
  t.close();
  return { dataDir: t.dataDir, visitId: visit.visitId };
}

async function simulator(): Promise<PrinterSimulator> {
  const sim = await new PrinterSimulator().start();
  sims.push(sim);
  return sim;
}

describe('escale-station devices', () => {
  it('configures a serial and a HID reader, lists them, and removes one', async () => {
    const { dataDir } = await stationFolder();
    const serial = await cli('devices', 'reader', '--data', dataDir, 'desk', '--serial', '/dev/ttyUSB0', '--framing', 'em4100', '--name', 'Reception desk');
    expect(serial.status).toBe(0);
    expect(serial.result).toEqual({
      ok: true,
      value: {
        id: 'desk',
        kind: 'reader',
        name: 'Reception desk',
        enabled: true,
        repeatWindowMs: 1500,
        place: 'desk',
        uidFormat: { input: 'hex', byteOrder: 'as-read', output: 'hex', wiegand: 'data24', case: 'upper', stripLeadingZeros: false },
        connection: { type: 'serial', path: '/dev/ttyUSB0', baudRate: 9600, framing: 'em4100', maxGapMs: 200 },
      },
    });

    const hid = await cli('devices', 'reader', '--data', dataDir, 'kiosk', '--hid', '072f:2200', '--raw', '--uid-format', '{"byteOrder":"reversed","output":"decimal"}');
    expect(hid.status).toBe(0);
    expect(hid.result.value).toMatchObject({
      id: 'kiosk',
      name: 'kiosk',
      uidFormat: { byteOrder: 'reversed', output: 'decimal' },
      connection: { type: 'hid', vendorId: 0x072f, productId: 0x2200, mode: 'raw' },
    });

    const list = await cli('devices', 'list', '--data', dataDir);
    expect(list.status).toBe(0);
    // No device manager runs in the CLI: configured, state unknown.
    expect(list.result.value).toEqual([
      { id: 'desk', kind: 'reader', name: 'Reception desk', enabled: true, state: 'unknown', counts: {} },
      { id: 'kiosk', kind: 'reader', name: 'kiosk', enabled: true, state: 'unknown', counts: {} },
    ]);

    const removed = await cli('devices', 'remove', '--data', dataDir, 'kiosk');
    expect(removed.result).toEqual({ ok: true, value: { id: 'kiosk' } });
    expect((await cli('devices', 'list', '--data', dataDir)).result.value.map((d: { id: string }) => d.id)).toEqual(['desk']);
    const again = await cli('devices', 'remove', '--data', dataDir, 'kiosk');
    expect(again.status).toBe(1);
    expect(again.result.error?.code).toBe('NOT_FOUND');
  });

  it('configures printers over TCP and a device file, with a fallback that cannot be removed while in use', async () => {
    const { dataDir } = await stationFolder();
    // A file printer is a printer's device node or a file the operator allowed: not plugged in
    // here, /dev/usb/lp0 is refused, as is any ordinary file until allowed (it must exist).
    const absent = await cli('devices', 'printer', '--data', dataDir, 'backup', '--file', '/dev/usb/lp0', '--roles', 'receipt');
    expect(absent.status).toBe(1);
    expect(absent.result.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^config\.connection\.path: \/dev\/usb\/lp0 does not exist/) });
    const lp = path.join(tempFolder('escale-lp-'), 'lp0');
    fs.writeFileSync(lp, '');
    const notAllowed = await cli('devices', 'printer', '--data', dataDir, 'backup', '--file', lp);
    expect(notAllowed.result.error?.message).toMatch(/nor a file allowed for printing.*escale-station devices allow-file/);
    expect((await cli('devices', 'allow-file', '--data', dataDir, lp)).result).toEqual({ ok: true, value: { paths: [fs.realpathSync(lp)] } });
    const file = await cli('devices', 'printer', '--data', dataDir, 'backup', '--file', lp, '--roles', 'receipt');
    expect(file.result.value).toMatchObject({ id: 'backup', kind: 'printer', language: 'escpos', roles: ['receipt'], connection: { type: 'file', path: lp } });
    const tcp = await cli('devices', 'printer', '--data', dataDir, 'desk', '--tcp', '192.168.1.50', '--fallback', 'backup');
    expect(tcp.status).toBe(0);
    expect(tcp.result.value).toMatchObject({ id: 'desk', columns: 42, roles: ['receipt', 'badge'], fallbackId: 'backup', connection: { type: 'tcp', host: '192.168.1.50', port: 9100 } });
    const zpl = await cli('devices', 'printer', '--data', dataDir, 'labels', '--tcp', '192.168.1.51:6101', '--zpl');
    expect(zpl.result.value).toMatchObject({ language: 'zpl', roles: ['badge'], connection: { port: 6101 } });

    const inUse = await cli('devices', 'remove', '--data', dataDir, 'backup');
    expect(inUse.status).toBe(1);
    expect(inUse.result.error?.code).toBe('CONFLICT');
    expect(inUse.result.error?.message).toMatch(/fallback of printer "desk"/);

    const noSuchFallback = await cli('devices', 'printer', '--data', dataDir, 'other', '--tcp', '10.0.0.9', '--fallback', 'nowhere');
    expect(noSuchFallback.status).toBe(1);
    expect(noSuchFallback.result.error?.code).toBe('NOT_FOUND');
  });

  it('configures the keyboard-wedge reader of the kiosk window and a HID keyboard reader with the layout each is set to', async () => {
    const { dataDir } = await stationFolder();
    const window = await cli('devices', 'reader', '--data', dataDir, 'kiosk-wedge', '--window', '--layout', 'azerty');
    expect(window.status).toBe(0);
    expect(window.result.value).toMatchObject({ id: 'kiosk-wedge', connection: { type: 'window', keyboardLayout: 'azerty' } });
    const hid = await cli('devices', 'reader', '--data', dataDir, 'desk', '--hid', '072f:2200', '--layout', 'qwertz');
    expect(hid.result.value).toMatchObject({ connection: { type: 'hid', mode: 'keyboard', keyboardLayout: 'qwertz' } });
    const plain = await cli('devices', 'reader', '--data', dataDir, 'door', '--hid', '072f:2201');
    expect(plain.result.value).toMatchObject({ connection: { keyboardLayout: 'qwerty' } });
    const bad = await cli('devices', 'reader', '--data', dataDir, 'other', '--window', '--layout', 'dvorak');
    expect(bad.status).toBe(1);
    expect(bad.result.error?.code).toBe('INVALID_INPUT');
    expect(bad.result.error?.message).toMatch(/keyboardLayout/);
  });

  it('refuses a bad configuration with what is wrong, and changes nothing', async () => {
    const { dataDir } = await stationFolder();
    // A command line missing what it needs: exit 2, the reason and the usage on stderr.
    const noFraming = await cli('devices', 'reader', '--data', dataDir, 'desk', '--serial', '/dev/ttyUSB0');
    expect(noFraming.status).toBe(2);
    expect(noFraming.stderr).toMatch(/--framing em4100\|line is needed/);
    const badHid = await cli('devices', 'reader', '--data', dataDir, 'desk', '--hid', 'zz:2200');
    expect(badHid.status).toBe(2);
    expect(badHid.stderr).toMatch(/16-bit hex id/);
    // A configuration the station refuses: exit 1, INVALID_INPUT naming the field.
    const badId = await cli('devices', 'reader', '--data', dataDir, 'Desk 1', '--serial', '/dev/ttyUSB0', '--framing', 'line');
    expect(badId.status).toBe(1);
    expect(badId.result.error?.code).toBe('INVALID_INPUT');
    expect(badId.result.error?.message).toMatch(/^config\.id/);
    const badFraming = await cli('devices', 'reader', '--data', dataDir, 'desk', '--serial', '/dev/ttyUSB0', '--framing', 'morse');
    expect(badFraming.status).toBe(1);
    expect(badFraming.result.error?.code).toBe('INVALID_INPUT');
    expect((await cli('devices', 'list', '--data', dataDir)).result.value).toEqual([]);
  });
});

describe('escale-station print', () => {
  it('prints a receipt at once on the configured printer, and lists the job', async () => {
    const { dataDir, visitId } = await stationFolder();
    const sim = await simulator();
    expect((await cli('devices', 'printer', '--data', dataDir, 'desk', '--tcp', `127.0.0.1:${sim.port}`)).status).toBe(0);

    const printed = await cli('print', 'receipt', '--data', dataDir, visitId);
    expect(printed.status).toBe(0);
    expect(printed.result.value).toMatchObject({ kind: 'receipt', visitId, printerId: 'desk', state: 'printed', printedOn: 'desk', attempts: 1 });
    expect(sim.jobs).toHaveLength(1);
    expect(sim.jobs[0]!.text).toContain(visitId);
    expect(sim.jobs[0]!.text).toMatch(/Total TTC/);
    expect(sim.jobs[0]!.text).toContain(`${member.firstName} ${member.lastName}`);

    const jobs = await cli('print', 'jobs', '--data', dataDir);
    expect(jobs.status).toBe(0);
    expect(jobs.result.value).toEqual([printed.result.value]);
    const byVisit = await cli('print', 'jobs', '--data', dataDir, '--visit', visitId);
    expect(byVisit.result.value).toHaveLength(1);
  });

  it('keeps a receipt queued when the printer is offline; a later command prints it, once', async () => {
    const { dataDir, visitId } = await stationFolder();
    const sim = await simulator();
    expect((await cli('devices', 'printer', '--data', dataDir, 'desk', '--tcp', `127.0.0.1:${sim.port}`)).status).toBe(0);
    await sim.goOffline();

    const queued = await cli('print', 'receipt', '--data', dataDir, visitId);
    expect(queued.status).toBe(0);
    expect(queued.result.value).toMatchObject({ state: 'queued', attempts: 1 });
    expect(queued.result.value.lastError).toMatch(/cannot be reached/);

    await sim.goOnline();
    // Printing a test page delivers the queue in order: the receipt first, then the test page.
    const test = await cli('print', 'test', '--data', dataDir, 'desk');
    expect(test.result.value).toMatchObject({ kind: 'test', state: 'printed' });
    expect(sim.jobs).toHaveLength(2);
    expect(sim.jobs[0]!.text).toContain(visitId);
    const jobs = (await cli('print', 'jobs', '--data', dataDir)).result.value as { kind: string; state: string }[];
    expect(jobs.map((j) => [j.kind, j.state]).sort()).toEqual([
      ['receipt', 'printed'],
      ['test', 'printed'],
    ]);
  });

  it('reprints a job, and refuses a receipt without a printer or for an unknown visit', async () => {
    const { dataDir, visitId } = await stationFolder();
    const none = await cli('print', 'receipt', '--data', dataDir, visitId);
    expect(none.status).toBe(1);
    expect(none.result.error?.code).toBe('NOT_CONFIGURED');

    const sim = await simulator();
    await cli('devices', 'printer', '--data', dataDir, 'desk', '--tcp', `127.0.0.1:${sim.port}`);
    const first = await cli('print', 'receipt', '--data', dataDir, visitId);
    const again = await cli('print', 'reprint', '--data', dataDir, first.result.value.id);
    expect(again.result.value).toMatchObject({ reprintOf: first.result.value.id, state: 'printed' });
    expect(sim.jobs).toHaveLength(2);
    // The same receipt, marked as a copy (its number unchanged).
    expect(sim.jobs[0]!.text).not.toContain('DUPLICATA');
    expect(sim.jobs[1]!.text.split('\n').filter((l) => l.trim() !== 'DUPLICATA')).toEqual(sim.jobs[0]!.text.split('\n'));
    expect(sim.jobs[1]!.text).toContain('DUPLICATA');

    const unknown = await cli('print', 'receipt', '--data', dataDir, '01890000-0000-7000-8000-000000000000');
    expect(unknown.status).toBe(1);
    expect(unknown.result.error?.code).toBe('NOT_FOUND');
  });
});
