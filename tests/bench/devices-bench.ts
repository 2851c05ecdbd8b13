// The devices benchmark (npm run bench:devices): how fast a badge on a serial reader becomes a read
// and a tap, and how long a receipt takes to encode.
//
//   node dist/tests/bench/devices-bench.js [FRAMES]
//
// Real I/O throughout: a socat pty pair, the ReaderSimulator writing EM4100 frames on one side,
// serialport reading the other. Each frame is written in two parts: its first 15 bytes, then —
// the clock starts here — its last byte (ETX). Measured, each over FRAMES frames (default 1,000)
// of distinct UIDs, after a warm-up:
//   (a) last byte written → normalised read delivered (BadgeReader's onRead): the target, p99 ≤ 5 ms;
//       beside it, interleaved, the floor: the same frames read from another pty pair by a bare Node
//       tty stream (no serialport, no decoding), which shows what the kernel and socat cost alone;
//   (b) last byte written → tap committed (DeviceManager's onTap, after the station's durable
//       SQLite commit), with (c) the tap's own time inside it, so (b) ≈ (a) + (c);
//   (d) encodeEscPos of a 10-line receipt, mean and p99 over 1,000 encodings;
//   (e) a card placed on a PC/SC reader → normalised read delivered (PcscReader's onRead): the real
//       pcscd (started here if it is not running), Debian's vsmartcard-vpcd virtual reader and a
//       virtual NFC card connecting to it, CARDS placements (default 100); and (f) the same for a
//       Belgian eID's identity (select, chunked READ BINARY, TLV), 20 placements. Both include
//       pcscd's own polling of the reader driver, which dominates them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import tty from 'node:tty';
import { em4100Frame } from '../../common/readers/framing.js';
import type { BadgeRead } from '../../common/readers/read.js';
import type { PrintDocument } from '../../common/documents/print-documents.js';
import { readerConfigSchema } from '../../common/devices.js';
import { buildDemoData, DEMO_SITE_ID } from '../../resources/demo/generate-demo-data.js';
import { DeviceManager } from '../../main/hardware/device-manager.js';
import { encodeEscPos } from '../../main/hardware/printers/escpos.js';
import { BadgeReader, type ByteReaderConfig } from '../../main/hardware/readers/badge-reader.js';
import { openSerialPort } from '../../main/hardware/readers/sources.js';
import { ReaderSimulator } from '../../demo/sim/reader-sim.js';
import { openStation, type Station } from '../../main/station/station.js';
import { hashPin } from '../../main/station/staff/pin.js';
import { PcscReader } from '../../main/hardware/readers/pcsc/pcsc-reader.js';
import { ensurePcscd } from '../support/pcscd.js';
import { VirtualCard, VPCD_READERS, eidCard, identityFile, nfcCard } from '../support/virtual-card.js';

const FRAMES = Number(process.argv[2] ?? 1000);
const WARM_UP = 50;
const ENCODINGS = 1000;
const TARGET_P99_MS = 5;
const CARDS = Number(process.argv[3] ?? 100);
const EID_CARDS = 20;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

interface Stats {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}
function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: mean(sorted), max: sorted[sorted.length - 1]! };
}

/** Something to wait for once: resolved by whoever calls `resolve`. */
function signal<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const distinctUid = (i: number) => (0x0a00000000 + i * 7919).toString(16).toUpperCase().padStart(10, '0');

/**
 * Writes frame i in two parts and returns the time the last byte was handed to the pty; `arrived`
 * resolves with the time the consumer saw the result.
 */
async function sendFrame(sim: ReaderSimulator, uid: string): Promise<number> {
  const frame = em4100Frame(uid);
  await sim.write(frame.subarray(0, frame.length - 1));
  // Let the head reach the reader first, so the clock measures the last byte alone.
  await new Promise((r) => setImmediate(r));
  const t0 = performance.now();
  await sim.write(frame.subarray(frame.length - 1));
  return t0;
}

/**
 * (a) and its floor, interleaved frame by frame so both see the same load: a BadgeReader on one pty
 * pair, and on another a bare Node tty stream (libuv reading the pty directly, no serialport, no
 * decoding) — what socat and the kernel cost by themselves.
 */
async function readerDelivered(dir: string): Promise<{ reader: number[]; floor: number[] }> {
  const sim = await new ReaderSimulator(path.join(dir, 'reader-a'), path.join(dir, 'reader-a-sim'), 'em4100').start();
  const floorSim = await new ReaderSimulator(path.join(dir, 'floor'), path.join(dir, 'floor-sim'), 'em4100').start();
  let pending = signal<{ at: number; read: BadgeRead }>();
  const config = readerConfigSchema.parse({ id: 'bench', kind: 'reader', name: 'Bench reader', connection: { type: 'serial', path: sim.devicePath, framing: 'em4100' } }) as ByteReaderConfig;
  const reader = new BadgeReader(config, {
    openSerial: openSerialPort,
    openHid: () => Promise.reject(new Error('no HID here')),
    onRead: (read) => pending.resolve({ at: performance.now(), read }),
  });
  reader.start();
  while (!reader.status.isUp) await new Promise((r) => setTimeout(r, 5));

  let floorPending = signal<number>();
  const floorStream = new tty.ReadStream(fs.openSync(floorSim.devicePath, fs.constants.O_RDWR | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK));
  floorStream.setRawMode(true);
  floorStream.on('data', (chunk: Buffer) => {
    if (chunk[chunk.length - 1] === 0x03) floorPending.resolve(performance.now());
  });

  const samples: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < WARM_UP + FRAMES; i++) {
    pending = signal();
    const uid = distinctUid(i);
    const t0 = await sendFrame(sim, uid);
    const { at, read } = await pending.promise;
    if (read.uid !== uid) throw new Error(`frame ${i}: read ${read.uid}, sent ${uid}`);
    floorPending = signal();
    const f0 = await sendFrame(floorSim, uid);
    const f1 = await floorPending.promise;
    if (i >= WARM_UP) {
      samples.push(at - t0);
      floor.push(f1 - f0);
    }
  }
  await reader.stop();
  floorStream.destroy();
  await sim.stop();
  await floorSim.stop();
  return { reader: samples, floor };
}

async function tapCommitted(dir: string): Promise<{ total: number[]; tap: number[]; outcomes: Record<string, number> }> {
  const station: Station = openStation({ dataDir: path.join(dir, 'station'), init: { siteId: DEMO_SITE_ID, settings: { tapWindowMs: 0 } } });
  const data = buildDemoData(hashPin);
  station.handlers.importReferenceData({ data, source: 'demo data' });
  // Active members' cards, taken in turn: each frame differs from the one before, and each tap
  // checks someone in or out — a durable write, as at a real reception.
  const members = new Map(data.members.map((m) => [m.id, m]));
  const cards = data.badges.filter((b) => b.kind === 'rfid' && b.status === 'active' && members.get(b.memberId)?.status === 'active').map((b) => b.uid);

  // The tap's own time, measured inside the station's handler.
  const tapTimes: number[] = [];
  const handlers = station.handlers as { tap: (input: Parameters<Station['handlers']['tap']>[0]) => ReturnType<Station['handlers']['tap']> };
  const tap = handlers.tap;
  handlers.tap = (input) => {
    const s = performance.now();
    try {
      return tap(input);
    } finally {
      tapTimes.push(performance.now() - s);
    }
  };

  const sim = await new ReaderSimulator(path.join(dir, 'reader-b'), path.join(dir, 'reader-b-sim'), 'em4100').start();
  station.handlers.configureDevice({ config: readerConfigSchema.parse({ id: 'desk', kind: 'reader', name: 'Desk reader', connection: { type: 'serial', path: sim.devicePath, framing: 'em4100' } }) });
  let pending = signal<{ at: number; read: BadgeRead; outcome: string }>();
  const dm = new DeviceManager({
    station,
    onTap: (read, result) => pending.resolve({ at: performance.now(), read, outcome: result.ok ? result.value.outcome : result.error.code }),
  });
  dm.start();
  while (!dm.reader('desk')?.status.isUp) await new Promise((r) => setTimeout(r, 5));

  const total: number[] = [];
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < WARM_UP + FRAMES; i++) {
    pending = signal();
    const uid = cards[i % cards.length]!;
    const t0 = await sendFrame(sim, uid);
    const { at, read, outcome } = await pending.promise;
    if (read.uid !== uid) throw new Error(`frame ${i}: read ${read.uid}, sent ${uid}`);
    if (i >= WARM_UP) {
      total.push(at - t0);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
  }
  await dm.stop();
  await sim.stop();
  station.close();
  return { total, tap: tapTimes.slice(WARM_UP), outcomes };
}

/** (e) and (f): card placed on the virtual PC/SC reader → read (or identity) delivered. */
async function pcscDelivered(): Promise<{ uid: number[]; eid: number[] }> {
  const pcscd = await ensurePcscd();
  let pending = signal<number>();
  const config = readerConfigSchema.parse({ id: 'bench-pcsc', kind: 'reader', name: 'Bench PC/SC', repeatWindowMs: 0, connection: { type: 'pcsc', readers: [VPCD_READERS[35963]] } });
  if (config.connection.type !== 'pcsc') throw new Error('not a PC/SC configuration');
  const reader = new PcscReader({ ...config, connection: config.connection }, {
    onRead: () => pending.resolve(performance.now()),
    onIdentity: (read) => (read.ok ? pending.resolve(performance.now()) : console.error(`eID not read: ${read.problem}: ${read.detail}`)),
  });
  reader.start();
  try {
    while (!reader.status.isUp) await new Promise((r) => setTimeout(r, 10));
    const place = async (card: Parameters<typeof VirtualCard.insert>[0]): Promise<number> => {
      pending = signal();
      const t0 = performance.now();
      const c = await VirtualCard.insert(card);
      const at = await pending.promise;
      const removals = reader.status.counts.removals ?? 0;
      await c.remove();
      // The next card must be a new insertion for pcscd: wait until it saw this one go.
      while ((reader.status.counts.removals ?? 0) === removals) await new Promise((r) => setTimeout(r, 5));
      return at - t0;
    };
    const uid: number[] = [];
    for (let i = 0; i < 5 + CARDS; i++) {
      const ms = await place(nfcCard((0x04a1b2c3d4e5 + i).toString(16).toUpperCase().padStart(14, '0')));
      if (i >= 5) uid.push(ms);
    }
    const file = identityFile({ cardNumber: '592123456789', nationalNumber: '85073003328', birthDate: '30 JUL  1985', lastName: 'Peeters', firstNames: 'Anna Maria', nationality: 'Belg' }, 300);
    const eid: number[] = [];
    for (let i = 0; i < EID_CARDS; i++) eid.push(await place(eidCard(file)));
    return { uid, eid };
  } finally {
    await reader.stop();
    await pcscd.close();
  }
}

function receiptDocument(): PrintDocument {
  const services: [string, string, number, number, number][] = [
    ['Poste de travail (heure)', 'hour', 135, 500, 2100],
    ['Salle de réunion (heure)', 'hour', 60, 2500, 2100],
    ['Café', 'item', 3, 200, 2100],
    ['Sandwich à emporter', 'item', 1, 500, 600],
    ['Impression N/B (page)', 'page', 24, 10, 2100],
    ['Impression couleur (page)', 'page', 6, 45, 2100],
    ['Parking (journée)', 'day', 1, 1000, 2100],
    ['Café', 'item', 1, 200, 2100],
    ['Café', 'item', -1, 200, 2100],
    ['Poste de travail (demi-journée)', 'half_day', 1, 1800, 2100],
  ];
  const lines = services.map(([name, unit, billedQuantity, unitPriceCents, vatRateBp], i) => {
    const netCents = Math.round((unit === 'hour' ? billedQuantity / 60 : billedQuantity) * unitPriceCents);
    const vatCents = Math.round((netCents * vatRateBp) / 10_000);
    return { name, unit, billedQuantity, unitPriceCents, vatRateBp, netCents, vatCents, grossCents: netCents + vatCents, void: i === 8 };
  });
  const sum = (k: 'netCents' | 'vatCents' | 'grossCents') => lines.reduce((a, l) => a + l[k], 0);
  return {
    kind: 'receipt',
    language: 'fr',
    timeZone: 'Europe/Brussels',
    site: { name: 'Escale Bruxelles Louise', stars: 2 },
    person: { name: 'Amélie Lefèvre', company: 'Atelier Lumière SRL' },
    visitId: '01937a4e-8c2b-7d3e-9f10-2a4b6c8d0e1f',
    checkedInAt: '2026-11-24T08:00:00.000Z',
    checkedOutAt: '2026-11-24T16:15:00.000Z',
    lines,
    totals: { netCents: sum('netCents'), vatCents: sum('vatCents'), grossCents: sum('grossCents') },
  };
}

function receiptEncoding(): { times: number[]; bytes: number } {
  const doc = receiptDocument();
  let bytes = 0;
  for (let i = 0; i < 100; i++) bytes = encodeEscPos(doc).length; // warm-up
  const times: number[] = [];
  for (let i = 0; i < ENCODINGS; i++) {
    const s = performance.now();
    encodeEscPos(doc);
    times.push(performance.now() - s);
  }
  return { times, bytes };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escale-devices-bench-'));
  try {
    console.log(`Escale devices benchmark — node ${process.version}, ${os.cpus().length} cores, ${FRAMES} frames of distinct UIDs (after ${WARM_UP} warm-up), ${ENCODINGS} encodings`);
    const delivered = await readerDelivered(dir);
    const read = stats(delivered.reader);
    const floor = stats(delivered.floor);
    const tap = await tapCommitted(dir);
    const committed = stats(tap.total);
    const tapOnly = stats(tap.tap);
    const encoding = receiptEncoding();
    const pcsc = await pcscDelivered();
    const pcscUid = stats(pcsc.uid);
    const pcscEid = stats(pcsc.eid);
    const enc = stats(encoding.times);
    const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');

    const ms = (v: number) => `${v.toFixed(3)} ms`;
    const row = (name: string, x: Stats, target = '', result = '') => [name, String(x.n), ms(x.p50), ms(x.p99), ms(x.mean), ms(x.max), target, result];
    const rows: string[][] = [
      ['measure', 'n', 'p50', 'p99', 'mean', 'max', 'target', 'result'],
      row('(a) last byte → read delivered (BadgeReader onRead)', read, `p99 ≤ ${TARGET_P99_MS} ms`, read.p99 <= TARGET_P99_MS ? 'PASS' : 'MISS'),
      row('    floor: pty + socat, bare Node tty stream', floor),
      row('(b) last byte → tap committed (DeviceManager onTap)', committed, '(none)', committed.p99 <= TARGET_P99_MS ? `≤ ${TARGET_P99_MS} ms` : `> ${TARGET_P99_MS} ms`),
      row('(c)   of which the tap and its durable commit', tapOnly),
      row(`(d) encodeEscPos, receipt of 10 lines (${encoding.bytes} bytes)`, enc),
      row('(e) card placed on PC/SC reader → read delivered (vpcd)', pcscUid),
      row('(f) eID placed on PC/SC reader → identity delivered', pcscEid),
    ];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    const line = (cells: string[]) => cells.map((cell, c) => (c >= 1 && c <= 5 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
    console.log('');
    console.log(line(rows[0]!));
    console.log(line(widths.map((w) => '-'.repeat(w))));
    for (const r of rows.slice(1)) console.log(line(r));
    console.log('');
    console.log(`taps in (b): ${Object.entries(tap.outcomes).map(([k, v]) => `${v} ${k}`).join(', ')}; tap window 0, so every tap writes.`);
    console.log(`receipt encoding: mean ${ms(enc.mean)}, p99 ${ms(enc.p99)}.`);
    console.log(`PC/SC: card placed → read delivered p50 ${ms(pcscUid.p50)}, p99 ${ms(pcscUid.p99)} (${pcscUid.n} cards); eID → identity p50 ${ms(pcscEid.p50)}, p99 ${ms(pcscEid.p99)} (${pcscEid.n}). pcscd polls the vpcd driver for presence, which sets the floor.`);
    console.log(`load average ${load} (${os.cpus().length} cores: other work on the machine skews the tails).`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
