// HID badge readers through an injected device opener: no virtual HID device can be made on these
// machines, so the test hands the device manager a report source it drives itself — what node-hid
// would hand it — and checks keyboard and raw modes, a device error, and the reopening.
import { afterEach, describe, expect, it } from 'vitest';
import type { BadgeRead } from '../../common/readers/read.js';
import { keyboardReportsFor } from '../../common/readers/hid-usage.js';
import type { UidFormatInput } from '../../common/readers/uid.js';
import type { Result } from '../../common/result.js';
import type { TapResult } from '../../common/station-api.js';
import { DeviceManager } from '../../main/hardware/device-manager.js';
import type { ByteSource, HidOpener } from '../../main/hardware/readers/sources.js';
import { demoBadges, openTestStation, type TestStation } from '../support/station-fixture.js';
import { unwrap } from '../support/ledger.js';
import { deviceStatus, waitForStatus } from './device-support.js';
import { waitFor } from '../support/wait.js';

/** One opened HID device, as node-hid's wrapper in sources.ts presents it. */
class FakeHidDevice implements ByteSource {
  private dataListeners: ((report: Uint8Array) => void)[] = [];
  private closeListeners: ((error?: Error) => void)[] = [];
  closed = false;

  onData(listener: (report: Uint8Array) => void): void {
    this.dataListeners.push(listener);
  }
  onClose(listener: (error?: Error) => void): void {
    this.closeListeners.push(listener);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  send(...reports: Uint8Array[]): void {
    for (const r of reports) for (const l of this.dataListeners) l(r);
  }
  /** node-hid's 'error' event: the device was unplugged or the driver failed. */
  fail(error: Error): void {
    this.closed = true;
    for (const l of this.closeListeners) l(error);
  }
}

/** A USB port the reader can be plugged into and pulled from. */
class FakeHidBus {
  plugged = true;
  readonly opened: FakeHidDevice[] = [];
  readonly attempts: { vendorId: number; productId: number }[] = [];
  readonly opener: HidOpener = async (vendorId, productId) => {
    this.attempts.push({ vendorId, productId });
    if (!this.plugged) throw new Error(`could not open HID device ${vendorId.toString(16)}:${productId.toString(16)}`);
    const d = new FakeHidDevice();
    this.opened.push(d);
    return d;
  };
  get device(): FakeHidDevice {
    const d = this.opened.at(-1);
    if (!d) throw new Error('no HID device opened yet');
    return d;
  }
}

interface Tap {
  read: BadgeRead;
  result: Result<TapResult>;
}

let t: TestStation | undefined;
let dm: DeviceManager | undefined;
afterEach(async () => {
  await dm?.stop();
  t?.close();
  dm = t = undefined;
});

const badges = demoBadges();
const cardA = badges.active[0]!.uid;
const cardB = badges.active[1]!.uid;
const VENDOR = 0x072f;
const PRODUCT = 0x2200;

async function setUp(mode: 'keyboard' | 'raw', extra: { reportOffset?: number; rawLength?: number; uidFormat?: UidFormatInput; keyboardLayout?: 'qwerty' | 'azerty' | 'qwertz' } = {}) {
  const bus = new FakeHidBus();
  t = openTestStation({ now: new Date().toISOString(), settings: { tapWindowMs: 0 } });
  const { uidFormat, ...connection } = extra;
  unwrap(
    await t.api.configureDevice({
      config: { id: 'usb', kind: 'reader', name: 'USB reader', ...(uidFormat ? { uidFormat } : {}), connection: { type: 'hid', vendorId: VENDOR, productId: PRODUCT, mode, ...connection } },
    }),
  );
  const taps: Tap[] = [];
  dm = new DeviceManager({ station: t.station, openHid: bus.opener, onTap: (read, result) => taps.push({ read, result }) });
  dm.start();
  await waitForStatus(t.api, 'usb', 'up', (s) => s.state === 'up');
  return { bus, taps, station: t };
}

const outcome = (tap: Tap | undefined): string | undefined => (!tap ? undefined : tap.result.ok ? tap.result.value.outcome : tap.result.error.code);

describe('HID reader, keyboard mode', () => {
  it('opens the device by vendor and product id and decodes its key reports into a tap', async () => {
    const { bus, taps, station } = await setUp('keyboard');
    expect(bus.attempts).toEqual([{ vendorId: VENDOR, productId: PRODUCT }]);
    // Reports are key positions: this machine's keyboard layout plays no part.
    bus.device.send(...keyboardReportsFor(cardA));
    expect(taps).toHaveLength(1);
    expect(taps[0]!.read).toMatchObject({ uid: cardA, source: 'usb' });
    expect(outcome(taps[0])).toBe('checked_in');
    expect(unwrap(await station.api.onSite({})).map((e) => e.person.id)).toEqual([badges.active[0]!.memberId]);
  });

  it('reads a lower-case number normalised, and a printed QR code as text', async () => {
    const first = await setUp('keyboard');
    first.bus.device.send(...keyboardReportsFor(cardB.toLowerCase()));
    expect(first.taps.map((x) => x.read.uid)).toEqual([cardB]);
    await dm!.stop();
    t!.close();

    const qr = await setUp('keyboard', { uidFormat: { input: 'text' } });
    qr.bus.device.send(...keyboardReportsFor('ESC-QR-M0010'));
    expect(qr.taps.map((x) => x.read.uid)).toEqual(['ESC-QR-M0010']);
    const value = unwrap(qr.taps[0]!.result);
    expect(value.outcome === 'checked_in' && value.visit.person.id).toBe('m0010');
  });

  it('reads a reader set to AZERTY by its own layout: 00137542AB taps its member; a window reader beside it opens nothing', async () => {
    const { bus, taps, station } = await setUp('keyboard', { keyboardLayout: 'azerty' });
    unwrap(await station.api.configureDevice({ config: { id: 'kiosk-wedge', kind: 'reader', name: 'Kiosk reader', connection: { type: 'window', keyboardLayout: 'azerty' } } }));
    // What an AZERTY reader presses for "00137542AB": the shifted digit row, its "A" at QWERTY's Q.
    bus.device.send(...keyboardReportsFor('))!#&%$@QB'));
    expect(taps.map((x) => x.read.uid)).toEqual(['00137542AB']);
    expect(outcome(taps[0])).toBe('checked_in');
    expect(unwrap(await station.api.devices({})).map((d) => d.id)).toEqual(['usb']);
  });

  it('skips a report id byte when configured to', async () => {
    const { bus, taps } = await setUp('keyboard', { reportOffset: 1 });
    bus.device.send(...keyboardReportsFor(cardA).map((r) => Uint8Array.from([0x01, ...r])));
    expect(taps.map((x) => x.read.uid)).toEqual([cardA]);
  });

  it('reads a badge presented twice in a row while held once, and two distinct badges twice', async () => {
    const { bus, taps, station } = await setUp('keyboard');
    bus.device.send(...keyboardReportsFor(cardA), ...keyboardReportsFor(cardA), ...keyboardReportsFor(cardB));
    expect(taps.map((x) => x.read.uid)).toEqual([cardA, cardB]);
    expect((await deviceStatus(station.api, 'usb')).counts).toMatchObject({ reads: 2, repeats: 1 });
  });
});

describe('HID reader, raw mode', () => {
  it('reads the UID bytes of the report, ignores empty reports, and counts a report too short', async () => {
    const { bus, taps, station } = await setUp('raw', { reportOffset: 1, rawLength: 5 });
    const bytes = cardA.match(/../g)!.map((h) => parseInt(h, 16));
    bus.device.send(Uint8Array.from([0x02, ...bytes, 0, 0]));
    bus.device.send(new Uint8Array(8)); // no card on the reader
    bus.device.send(Uint8Array.of(0x02, 0x13)); // cut short
    expect(taps.map((x) => x.read.uid)).toEqual([cardA]);
    expect(outcome(taps[0])).toBe('checked_in');
    expect((await deviceStatus(station.api, 'usb')).counts).toMatchObject({ reads: 1, discarded_noise: 1 });
  });

  it('normalises raw bytes with the reader’s format (least significant byte first)', async () => {
    const { bus, taps } = await setUp('raw', { rawLength: 5, uidFormat: { byteOrder: 'reversed' } });
    const bytes = cardB.match(/../g)!.map((h) => parseInt(h, 16)).reverse();
    bus.device.send(Uint8Array.from([...bytes, 0, 0, 0]));
    expect(taps.map((x) => x.read.uid)).toEqual([cardB]);
  });
});

describe('HID reader that fails', () => {
  it('is reported down when the device errors, reopened by itself once it is back, and reads again', async () => {
    const { bus, taps, station } = await setUp('keyboard');
    bus.device.send(...keyboardReportsFor(cardA));
    expect(taps).toHaveLength(1);

    bus.plugged = false;
    bus.device.fail(new Error('could not read from HID device'));
    const down = await waitForStatus(station.api, 'usb', 'down', (s) => s.state === 'down');
    expect(down.lastError).toBe('could not read from HID device');
    expect(down.downSince).toMatch(/^\d{4}-\d\d-\d\dT/);
    // While it is away, opening it is tried again and fails.
    await waitFor(() => bus.attempts.length >= 3, 'two failed reopen attempts');
    expect((await deviceStatus(station.api, 'usb')).state).toBe('down');

    bus.plugged = true;
    const up = await waitForStatus(station.api, 'usb', 'up again', (s) => s.state === 'up', 30_000);
    expect(up.downSince).toBeUndefined();
    expect(bus.opened).toHaveLength(2);
    bus.device.send(...keyboardReportsFor(cardB));
    expect(taps.map((x) => x.read.uid)).toEqual([cardA, cardB]);
    expect(taps.map(outcome)).toEqual(['checked_in', 'checked_in']);
  });

  it('does not join the keys typed before the error to those typed after the reopening', async () => {
    const { bus, taps, station } = await setUp('keyboard');
    const reports = keyboardReportsFor(cardA);
    bus.device.send(...reports.slice(0, 8)); // four digits, then the device fails
    bus.device.fail(new Error('device disconnected'));
    await waitForStatus(station.api, 'usb', 'up again', (s) => s.state === 'up' && (s.counts.opened ?? 0) === 2, 30_000);
    bus.device.send(...keyboardReportsFor(cardB));
    expect(taps.map((x) => x.read.uid)).toEqual([cardB]);
  });

  it('closes the device when the station stops', async () => {
    const { bus } = await setUp('keyboard');
    await dm!.stop();
    dm = undefined;
    expect(bus.device.closed).toBe(true);
  });
});
