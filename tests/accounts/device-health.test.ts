// Device health from the reception to the site's evaluation: a station whose device manager runs a
// serial badge reader on a real pty (socat) and an ESC/POS printer simulator on TCP 127.0.0.1. The
// reader is unplugged (and retried, and reopened by a configuration change) and plugged in again;
// the printer runs out of paper while a receipt waits, and gets paper back; a job that can never
// print is given up on. The outbox holds one event per transition, not per retry; synced to a real
// hub, the evaluation counts them by the site's local day.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../common/events.js';
import { evaluationSchema } from '../../common/accounts/reports.js';
import { DeviceManager } from '../../main/hardware/device-manager.js';
import { PrinterSimulator } from '../../demo/sim/printer-sim.js';
import { ReaderSimulator } from '../../demo/sim/reader-sim.js';
import type { SyncClient } from '../../main/sync/sync-client.js';
import { createAccounts } from '../../server/accounts/index.js';
import { unwrap } from '../support/ledger.js';
import { expectSameEvents, outboxRows, startSync, startTestHub, stopTestHubStores, storedEvents, type TestHub } from '../support/hub-fixture.js';
import { DEMO_SITE_ID, demoBadges, openTestStation, type TestStation } from '../support/station-fixture.js';
import { removeTempDirs, tempFolder, waitForStatus } from '../devices/device-support.js';
import { waitFor } from '../support/wait.js';
import { contextOf } from '../../main/station/context.js';

const DEVICE_TYPES = ['device.monitored', 'device.fault', 'device.recovered', 'print.failed'];
type DeviceEvent = { type: string; payload: Record<string, unknown> };

let hub: TestHub;
let t: TestStation;
let reader: ReaderSimulator;
let printer: PrinterSimulator;
let dm: DeviceManager;
let sync: SyncClient | undefined;
let receiptJobId: string;

/** The device events in the station's outbox, in order. */
const deviceEvents = (): DeviceEvent[] =>
  outboxRows(contextOf(t.station).db)
    .filter((e) => DEVICE_TYPES.includes(e.type))
    .map((e) => ({ type: e.type, payload: e.payload as Record<string, unknown> }));
/** Each device event as its type and what it is about: the device, or the print job. */
const summary = () => deviceEvents().map((e) => `${e.type} ${String(e.type === 'print.failed' ? e.payload.jobId : e.payload.deviceId)}`);

beforeAll(async () => {
  hub = await startTestHub();
  const dir = tempFolder('escale-pty-');
  reader = await new ReaderSimulator(path.join(dir, 'reader'), path.join(dir, 'reader-sim'), 'em4100').start();
  printer = await new PrinterSimulator({ outDir: tempFolder('escale-jobs-') }).start();
  // Tuesday 24 November 2026, 09:00 in Brussels, on the station's manual clock: the events' times.
  t = openTestStation({ now: '2026-11-24T08:00:00.000Z' });
  // Printers checked every 100 ms, so paper coming back is seen at once.
  dm = new DeviceManager({ station: t.station, healthIntervalMs: 100, printer: { connectTimeoutMs: 2000, jobTimeoutMs: 5000 } });
  dm.start();
}, 60_000);

afterAll(async () => {
  await sync?.stop();
  await dm?.stop();
  await reader?.stop();
  await printer?.stop();
  t?.close();
  await hub?.close();
  await stopTestHubStores();
  removeTempDirs();
});

describe('device health at the station', () => {
  it('reports a reader once when first seen working, once when unplugged however often it is retried or reopened, once when back', async () => {
    unwrap(await t.api.configureDevice({ config: { id: 'desk', kind: 'reader', name: 'Reception reader', connection: { type: 'serial', path: reader.devicePath, framing: 'em4100' } } }));
    await waitForStatus(t.api, 'desk', 'up', (s) => s.state === 'up');
    expect(summary()).toEqual(['device.monitored desk']);
    expect(deviceEvents()[0]!.payload).toEqual({ deviceId: 'desk', kind: 'reader', connection: 'serial', at: '2026-11-24T08:00:00.000Z' });

    await reader.unplug();
    await waitForStatus(t.api, 'desk', 'down', (s) => s.state === 'down');
    t.clock.advance(40 * 60_000);
    // Reopened with backoff while unplugged: every attempt fails, none is a new fault.
    await waitForStatus(t.api, 'desk', 'three failed opens', (s) => (s.counts.errors ?? 0) >= 3);
    // A printer added meanwhile reopens every device: the reader is found down again, still no new fault.
    unwrap(await t.api.configureDevice({ config: { id: 'till', kind: 'printer', name: 'Till printer', connection: { type: 'tcp', host: '127.0.0.1', port: printer.port } } }));
    await waitForStatus(t.api, 'till', 'up', (s) => s.state === 'up');
    await waitForStatus(t.api, 'desk', 'down after the reload', (s) => s.state === 'down' && (s.counts.errors ?? 0) >= 2);
    expect(summary()).toEqual(['device.monitored desk', 'device.fault desk', 'device.monitored till']);
    const fault = deviceEvents()[1]!.payload;
    expect(fault).toMatchObject({ deviceId: 'desk', kind: 'reader', connection: 'serial', at: '2026-11-24T08:00:00.000Z' });
    expect(typeof fault.reason === 'string' && fault.reason.length > 0 && fault.reason.length <= 200).toBe(true);

    await reader.replug();
    await waitForStatus(t.api, 'desk', 'up again', (s) => s.state === 'up', 30_000);
    expect(summary()).toEqual(['device.monitored desk', 'device.fault desk', 'device.monitored till', 'device.recovered desk']);
    expect(deviceEvents()[3]!.payload).toEqual({ deviceId: 'desk', kind: 'reader', at: '2026-11-24T08:40:00.000Z', downMinutes: 40 });
  });

  it('reports a printer out of paper once while a receipt waits through its retries, and back once the paper is', async () => {
    const memberId = demoBadges().active[0]!.memberId;
    const visit = unwrap(await t.api.checkIn({ memberId }));
    t.clock.advance(60 * 60_000);
    unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    printer.setPaperOut(true);
    const job = unwrap(await t.api.printReceipt({ visitId: visit.visitId, printerId: 'till' }));
    receiptJobId = job.id;
    await waitFor(async () => {
      const j = unwrap(await t.api.printJobs({ limit: 10 })).find((x) => x.id === job.id);
      return j !== undefined && j.attempts >= 2 && j.state === 'queued';
    }, 'two failed attempts');
    expect(summary().slice(4)).toEqual(['device.fault till']);
    expect(deviceEvents()[4]!.payload).toEqual({
      deviceId: 'till', kind: 'printer', connection: 'tcp', roles: ['receipt', 'badge'], reason: 'Till printer is out of paper', at: '2026-11-24T09:40:00.000Z',
    });

    t.clock.advance(15 * 60_000);
    printer.setPaperOut(false);
    await printer.waitForJobs(1);
    await waitForStatus(t.api, 'till', 'paper back', (s) => s.paperOut === false && s.state === 'up');
    expect(summary().slice(4)).toEqual(['device.fault till', 'device.recovered till']);
    expect(deviceEvents()[5]!.payload).toEqual({ deviceId: 'till', kind: 'printer', at: '2026-11-24T09:55:00.000Z', downMinutes: 15 });
  });

  it('reports a job given up on as print.failed, once; a printer never seen working reports no fault', async () => {
    // A label printer that cannot be reached at all (nothing listens on port 1): never worked, so no fault.
    unwrap(await t.api.configureDevice({ config: { id: 'labels', kind: 'printer', name: 'Label printer', language: 'zpl', roles: ['badge'], connection: { type: 'tcp', host: '127.0.0.1', port: 1 } } }));
    await waitForStatus(t.api, 'labels', 'down', (s) => s.state === 'down');
    // The receipt reprinted on it: a label printer cannot print receipts, so the job ends failed.
    const again = unwrap(await t.api.reprint({ jobId: receiptJobId, printerId: 'labels' }));
    await waitFor(async () => unwrap(await t.api.printJobs({ limit: 10 })).find((x) => x.id === again.id)?.state === 'failed', 'the job failed');
    dm.kick();
    await dm.idle();
    expect(summary().slice(6)).toEqual([`print.failed ${again.id}`]);
    expect(deviceEvents()[6]!.payload).toEqual({ jobId: again.id, kind: 'receipt', deviceId: 'labels', reason: 'the printer cannot print receipts', at: '2026-11-24T09:55:00.000Z' });
    // The reload for the label printer reopened the reader and the till printer: working as before, nothing new.
    await waitForStatus(t.api, 'desk', 'up', (s) => s.state === 'up');
    await waitForStatus(t.api, 'till', 'up', (s) => s.state === 'up');
    expect(deviceEvents()).toHaveLength(7);
  });

  it('appends nothing for a device removed or disabled by the clerk, and forgets its health', async () => {
    const other = openTestStation({ now: '2026-11-24T08:00:00.000Z' });
    try {
      const config = { id: 'door', kind: 'reader' as const, name: 'Door reader', connection: { type: 'serial' as const, path: '/dev/ttyESCALE9', framing: 'em4100' as const } };
      const report = (health: 'working' | 'broken') => other.station.reportDeviceHealth({ deviceId: 'door', kind: 'reader', health, reason: 'gone' });
      expect(report('broken')).toBe('not_configured');
      unwrap(await other.api.configureDevice({ config }));
      expect([report('working'), report('working'), report('broken'), report('broken'), report('working')]).toEqual(['monitored', 'unchanged', 'fault', 'unchanged', 'recovered']);
      // A printer's report about a reader's id is not that device.
      expect(other.station.reportDeviceHealth({ deviceId: 'door', kind: 'printer', health: 'broken' })).toBe('not_configured');
      expect(report('broken')).toBe('fault');
      unwrap(await other.api.configureDevice({ config: { ...config, enabled: false } }));
      expect(report('working')).toBe('not_configured');
      // Enabled again: its health starts afresh (no recovery for a period the clerk took it out of service).
      unwrap(await other.api.configureDevice({ config }));
      expect(report('working')).toBe('monitored');
      unwrap(await other.api.removeDevice({ id: 'door' }));
      expect(report('broken')).toBe('not_configured');
      expect(contextOf(other.station).db.prepare('SELECT COUNT(*) AS n FROM device_health').get()).toEqual({ n: 0 });
      const types = outboxRows(contextOf(other.station).db).filter((e) => DEVICE_TYPES.includes(e.type)).map((e) => e.type);
      expect(types).toEqual(['device.monitored', 'device.fault', 'device.recovered', 'device.fault', 'device.monitored']);
    } finally {
      other.close();
    }
  });
});

describe('device health at the hub', () => {
  it('holds the device events as the station appended them, and counts them in the site’s evaluation', async () => {
    const { credential } = await hub.enroll(DEMO_SITE_ID);
    sync = startSync(t.station, { url: hub.url, credential });
    expect(await sync.drained(30_000)).toBe(true);
    expectSameEvents(await storedEvents(hub.store, DEMO_SITE_ID), outboxRows(contextOf(t.station).db));

    const accounts = createAccounts(hub.store, { now: () => Date.parse('2026-11-30T12:00:00.000Z') });
    const november = evaluationSchema.parse(await accounts.evaluation(DEMO_SITE_ID, '2026-11', '2026-11'));
    // From the raw events: faults by kind, failed jobs, and the minutes of the down periods that ended.
    const events = deviceEvents();
    const count = (type: string, kind?: string) => events.filter((e) => e.type === type && (kind === undefined || e.payload.kind === kind)).length;
    const down = events.filter((e) => e.type === 'device.recovered').reduce((n, e) => n + (e.payload as EventPayload<'device.recovered'>).downMinutes, 0);
    const expected = { readerFaults: count('device.fault', 'reader'), printerFaults: count('device.fault', 'printer'), printJobsFailed: count('print.failed'), downMinutes: down };
    expect(expected).toEqual({ readerFaults: 1, printerFaults: 1, printJobsFailed: 1, downMinutes: 55 });
    expect(november.devices).toEqual({ ...expected, reported: true, reportedSince: '2026-11-24' });
    expect(november.months).toEqual([expect.objectContaining({ period: '2026-11', ...expected })]);

    // Before the station reported its devices: not known, rather than no fault.
    const october = await accounts.evaluation(DEMO_SITE_ID, '2026-10', '2026-10');
    expect(october.devices).toEqual({ readerFaults: 0, printerFaults: 0, printJobsFailed: 0, downMinutes: 0, reported: false, reportedSince: '2026-11-24' });
    // Another site, whose station never sent a device event.
    const otherSite = (await hub.store.listReference('site')).map((s) => (s as { id: string }).id).find((id) => id !== DEMO_SITE_ID)!;
    expect((await accounts.evaluation(otherSite, '2026-11', '2026-11')).devices).toEqual({ readerFaults: 0, printerFaults: 0, printJobsFailed: 0, downMinutes: 0, reported: false });
  });
});
