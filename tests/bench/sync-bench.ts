// The sync benchmark (npm run bench:sync): the hub and the station's sync client under load, on
// the SQLite store and, when it can run here, the PostgreSQL store; each figure beside its target.
//
//   node dist/tests/bench/sync-bench.js [FOLDER] [--store sqlite|postgres]
//
// FOLDER (default: $TMPDIR/escale-bench) holds the station backlog, built once through the
// station API and cached by schema and generator version, and this run's working files. The hub
// runs in a child process (this file, --hub), so its RSS is its own and its event loop is not the
// simulated stations'. What is measured, per store:
//   (a) a station backlog of 100,000 events drained to the hub on 127.0.0.1 by the real
//       SyncClient (events/s), beside the store's raw batched insert rate of the same events
//       (store.ingest, 500 a batch, on a fresh store, in this process, no network, no parsing);
//   (b) fan-in: 200 simulated stations, each enrolled on its own site with its own credential,
//       each a real socket.io-client connection speaking the upload protocol (stream status,
//       then batches of 500 from memory, each waiting for its ack, ack timeout and resend as the
//       SyncClient does): 500,000 events in all; hub events/s and p99 ack latency;
//   (c) the hub closed as `escale-hub serve` closes on SIGTERM and a new one started on the same
//       port and store, while every station holds 25 new events: seconds from the new hub
//       listening until all 200 have reconnected, pulled reference data and had those acked;
//   (d) the hub's RSS per connected station: (RSS with the 200 connected − RSS before) / 200,
//       both after a GC in the hub process;
//   (e) one online station (the drained one, the 200 connected and idle): a tap through the
//       station API → its events acked by the hub, p50/p99 over TAP_SAMPLES taps one after the
//       other — the uploader is woken by the tap's commit, not by a poll.
// PostgreSQL: $ESCALE_TEST_PG_URL, else a throwaway cluster (tests/support/postgres.ts) with fsync
// on; skipped, and said so, when PostgreSQL cannot be started here.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';
import { v7 } from 'uuid';
import { buildDemoData, DEMO_SITE_ID } from '../../resources/demo/generate-demo-data.js';
import type { ReferenceDataInput } from '../../common/reference-data.js';
import { stationEventSchema, type Stream } from '../../common/events.js';
import {
  EVENTS_UPLOAD,
  MAX_BATCH_EVENTS,
  PROTOCOL_VERSION,
  REFERENCE_PULL,
  STREAM_STATUS,
  referencePullAckSchema,
  streamStatusAckSchema,
  uploadAckSchema,
} from '../../common/sync/protocol.js';
import { priceLine } from '../../common/tariff/pricing.js';
import { ManualClock, systemClock } from '../../main/station/clock.js';
import { openStation } from '../../main/station/station.js';
import { createStationApi } from '../../main/station/api.js';
import { MIGRATIONS } from '../../main/station/database/migrations/index.js';
import { DATABASE_FILE } from '../../main/station/database/open.js';
import { nextHlc } from '../../main/station/outbox/hlc.js';
import { hashPin } from '../../main/station/staff/pin.js';
import { Backoff } from '../../main/hardware/backoff.js';
import { SyncClient } from '../../main/sync/sync-client.js';
import { syncProblems } from '../../main/station/sync/outbox-sync.js';
import { openStore } from '../../server/store/open-store.js';
import type { HubStore, IngestItem } from '../../server/store/store.js';
import { startHub } from '../../server/hub/hub-server.js';
import { startTestPostgres } from '../support/postgres.js';
import { importReference } from '../../server/hub/reference-admin.js';
import { enrollStation } from '../../server/hub/stations.js';
import { contextOf } from '../../main/station/context.js';

// ---- sizes and targets ----------------------------------------------------------------------

const BACKLOG_EVENTS = 100_000;
const STATIONS = 200;
const EVENTS_PER_STATION = 2_500;
/** Events each simulated station records while the hub restarts. */
const HELD_DURING_RESTART = 25;
const RATIO_TARGET = 0.3;
const FAN_IN_TARGET = 20_000;
/** Taps timed from the tap to the hub's ack (e), and the p50 they must meet on loopback. */
const TAP_SAMPLES = 300;
/** SYNC_BENCH_TRACE=1: (e) also prints the time of each outbox call and each round trip, to find where a tap's ack waits. */
const TRACE = process.env.SYNC_BENCH_TRACE === '1';
const TAP_ACK_P50_TARGET_MS = 20;
/** Bump when the backlog generator changes: the cache key. */
const GENERATOR_VERSION = 1;
/** The SyncClient's ack timeout and reconnection settings, which the simulated stations copy. */
const ACK_TIMEOUT_MS = 10_000;
const RECONNECT = { reconnection: true, reconnectionDelay: 500, reconnectionDelayMax: 30_000, randomizationFactor: 0.5, timeout: 10_000 } as const;
const RETRY_BACKOFF = { initialMs: 250, maxMs: 30_000 };
/** No phase may hang the run: each has a deadline. */
const PHASE_DEADLINE_MS = 240_000;

const here = fileURLToPath(import.meta.url);
const ms = (from: bigint, to = process.hrtime.bigint()) => Number(to - from) / 1e6;
const iso = (t: number) => new Date(t).toISOString();
const DAY = 86_400_000;

function percentile(samples: number[], p: number): number {
  const sorted = samples.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function withDeadline<T>(what: string, promise: Promise<T>, deadlineMs = PHASE_DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still not done after ${deadlineMs / 1000} s`)), deadlineMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// ---- the station backlog, built through the station API ---------------------------------------

/**
 * A station of the demo site whose outbox holds BACKLOG_EVENTS events, none synced: badge taps
 * through the station API (tap window 0, a manual clock 3 s a tap, round robin over 40 members,
 * so visits open and close, are priced, and some are closed at closing time). Only the build runs
 * with synchronous=OFF: durability is not what it measures. Wall times lie in the past two weeks,
 * as a backlog's do.
 */
async function buildBacklog(file: string): Promise<void> {
  const started = process.hrtime.bigint();
  const buildDir = fs.mkdtempSync(path.join(path.dirname(file), 'build-'));
  try {
    const clock = new ManualClock(Math.floor((Date.now() - 14 * DAY) / DAY) * DAY + 7 * 3_600_000);
    const station = openStation({ dataDir: buildDir, init: { siteId: DEMO_SITE_ID, settings: { tapWindowMs: 0 } }, clock });
    const api = createStationApi(station);
    const data = structuredClone(buildDemoData(hashPin));
    const imported = await api.importReferenceData({ data, source: 'bench data' });
    if (!imported.ok) throw new Error(`importing the demo data: ${imported.error.message}`);
    const db = contextOf(station).db;
    db.pragma('synchronous = OFF');
    const members = new Map(data.members.map((m) => [m.id, m]));
    const usable = data.badges.filter((b) => b.kind === 'rfid' && b.status === 'active' && members.get(b.memberId)?.status === 'active');
    const rotation = usable.slice(0, 40);
    const lastSeq = db.prepare('SELECT seq AS n FROM outbox ORDER BY position DESC LIMIT 1');
    const tap = async (uid: string) => {
      const r = await api.tap({ uid });
      if (!r.ok) throw new Error(`tap: ${r.error.message}`);
      if (r.value.outcome !== 'checked_in' && r.value.outcome !== 'checked_out') throw new Error(`tap: ${r.value.outcome}`);
    };
    // A tap writes 1 to 3 events (a check-out and its desk time; a visit closed at closing time,
    // its desk time and the new check-in): stop at most 3 short, then check in members never seen
    // yet, one event each.
    let taps = 0;
    while ((lastSeq.get() as { n: number }).n <= BACKLOG_EVENTS - 4) {
      clock.advance(3000);
      await tap(rotation[taps++ % rotation.length]!.uid);
    }
    for (let i = rotation.length; (lastSeq.get() as { n: number }).n < BACKLOG_EVENTS; i++) {
      clock.advance(3000);
      await tap(usable[i]!.uid);
      taps++;
    }
    const n = (lastSeq.get() as { n: number }).n;
    if (n !== BACKLOG_EVENTS) throw new Error(`the backlog has ${n} events, not ${BACKLOG_EVENTS}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    station.close();
    fs.renameSync(path.join(buildDir, DATABASE_FILE), file);
    console.log(`built a station backlog of ${n} events (${taps} taps) in ${(ms(started) / 1000).toFixed(1)} s → ${file}`);
  } finally {
    fs.rmSync(buildDir, { recursive: true, force: true });
  }
}

/** The backlog's events as the hub classifies them: parsed, valid, in seq order. */
function backlogItems(dataDir: string): { stream: Stream; items: IngestItem[] } {
  const station = openStation({ dataDir });
  try {
    const rows = contextOf(station).db.prepare('SELECT id, site_id, epoch, seq, type, payload, wall_time, hlc FROM outbox ORDER BY seq').all() as {
      id: string; site_id: string; epoch: string; seq: number; type: string; payload: string; wall_time: string; hlc: string;
    }[];
    const items = rows.map((r): IngestItem => {
      const event = stationEventSchema.parse({ id: r.id, stream: { siteId: r.site_id, epoch: r.epoch }, seq: r.seq, type: r.type, payload: JSON.parse(r.payload), wallTime: r.wall_time, hlc: r.hlc });
      return { kind: 'valid', seq: event.seq, event };
    });
    return { stream: { siteId: contextOf(station).siteId, epoch: contextOf(station).epoch }, items };
  } finally {
    station.close();
  }
}

// ---- the simulated stations' events -----------------------------------------------------------

const demo = buildDemoData(() => 'x');
const deskPrice = demo.tariffs[0]!.prices.find((p) => p.serviceCode === 'desk_hour' && p.stars === 2)!;
const coffeePrice = demo.tariffs[0]!.prices.find((p) => p.serviceCode === 'coffee' && p.stars === 2)!;

type WireEvent = { id: string; stream: Stream; seq: number; type: string; payload: Record<string, unknown>; wallTime: string; hlc: string };

/**
 * What a busy station of `stream.siteId` writes: members of its own checking in and out, priced
 * desk time at check-out and now and then a coffee. Every 100th event is parsed as the hub will.
 */
function stationEvents(stream: Stream, count: number, startMs: number): WireEvent[] {
  const events: WireEvent[] = [];
  let hlc: string | undefined;
  const push = (type: string, payload: Record<string, unknown>, at: number) => {
    hlc = nextHlc(hlc, at);
    const e: WireEvent = { id: v7({ msecs: at }), stream, seq: events.length + 1, type, payload, wallTime: iso(at), hlc };
    if (e.seq % 100 === 1) stationEventSchema.parse(e);
    events.push(e);
  };
  let t = startMs;
  for (let visit = 0; events.length < count; visit++) {
    const memberId = `${stream.siteId}-m${String(visit % 60).padStart(3, '0')}`;
    const visitId = v7({ msecs: t });
    const inAt = t;
    push('visit.checked_in', { visitId, siteId: stream.siteId, person: { kind: 'member', memberId, badgeUid: `B${visit % 60}X${stream.siteId}` }, at: iso(inAt), by: 'badge' }, inAt);
    const minutes = 20 + (visit % 7) * 11;
    const localDate = iso(inAt).slice(0, 10);
    const consume = (code: string, price: typeof deskPrice, quantity: number, at: number, source: 'checkout' | 'staff') => {
      const line = priceLine({ unit: code === 'desk_hour' ? 'hour' : 'item', quantity, price, chargedTodayCents: 0 });
      push('consumption.recorded', {
        consumptionId: v7({ msecs: at }), visitId, memberId, serviceCode: code, quantity, billedQuantity: line.billedQuantity, tariffVersionId: demo.tariffs[0]!.id,
        stars: 2, unitPriceCents: price.unitPriceCents, vatRateBp: price.vatRateBp, netCents: line.netCents, vatCents: line.vatCents, grossCents: line.grossCents,
        capApplied: line.capApplied, localDate, at: iso(at), source,
      }, at);
    };
    if (visit % 3 === 0) consume('coffee', coffeePrice, 1, inAt + 5 * 60_000, 'staff');
    const outAt = inAt + minutes * 60_000;
    push('visit.checked_out', { visitId, at: iso(outAt), by: 'badge', durationMinutes: minutes }, outAt);
    consume('desk_hour', deskPrice, minutes, outAt, 'checkout');
    t = outAt + 60_000;
  }
  if (t > Date.now()) throw new Error('the simulated events run into the future: start them earlier');
  return events.slice(0, count);
}

// ---- a simulated station: the SyncClient's protocol, events from memory ------------------------

interface Round {
  /** When the round (reference pull, stream status, uploads) found nothing left to send. */
  doneAt: bigint;
  reconnects: number;
}

class SimStation {
  socket: Socket | undefined;
  /** Events [0, available) are in the "outbox". */
  available = 0;
  acked = 0;
  pullWanted = true;
  busy = false;
  again = false;
  connects = 0;
  timeouts = 0;
  problems: string[] = [];
  /** Upload round trips in ms; an upload that timed out counts as ACK_TIMEOUT_MS. */
  ackLatencies: number[] = [];
  /** Why the connection dropped, how many times. */
  disconnects = new Map<string, number>();
  lastRound: Round | undefined;
  private waiters: (() => void)[] = [];
  private readonly retryBackoff = new Backoff(RETRY_BACKOFF);

  constructor(
    readonly url: string,
    readonly credential: string,
    readonly stream: Stream,
    readonly events: WireEvent[],
    /** The reference cursor the station holds: stations that already have the network's data. */
    public cursor: number | null,
  ) {}

  start(): void {
    const socket = connect(this.url, { transports: ['websocket'], auth: { credential: this.credential, protocol: PROTOCOL_VERSION }, forceNew: true, ...RECONNECT });
    this.socket = socket;
    socket.on('connect', () => {
      this.connects++;
      this.pullWanted = true;
      this.kick();
    });
    // As the SyncClient: after the hub ended the connection, or refused it, connect again later.
    socket.on('disconnect', (reason) => {
      this.disconnects.set(reason, (this.disconnects.get(reason) ?? 0) + 1);
      if (reason === 'io server disconnect') this.reconnectLater(socket);
    });
    socket.on('connect_error', (e: Error & { data?: { code?: string } }) => {
      if (e.data?.code) this.problems.push(`connect refused: ${e.data.code} ${e.message}`);
      if (!socket.active) this.reconnectLater(socket);
    });
  }

  private reconnectLater(socket: Socket): void {
    setTimeout(() => {
      if (this.socket === socket && !socket.connected && !socket.active) socket.connect();
    }, this.retryBackoff.next()).unref();
  }

  stop(): void {
    this.socket?.disconnect();
    this.socket = undefined;
  }

  /** Resolves after the next round that leaves nothing to send. */
  synced(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  kick(): void {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    void this.cycle().finally(() => {
      this.busy = false;
      if (this.again && this.socket?.connected) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async cycle(): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected) return;
    try {
      // On every connection: reference data by cursor, as the SyncClient pulls it.
      for (let more = this.pullWanted; more; ) {
        this.pullWanted = false;
        const ack = referencePullAckSchema.parse(await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(REFERENCE_PULL, { cursor: this.cursor, snapshot: false, limit: 1000 }));
        if (!ack.ok) throw new Error(`reference pull refused: ${ack.error.code}`);
        this.cursor = ack.cursor;
        more = ack.more;
      }
      if (this.available > this.acked) {
        const status = streamStatusAckSchema.parse(await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(STREAM_STATUS, { stream: this.stream }));
        if (!status.ok) throw new Error(`stream status refused: ${status.error.code}`);
        this.acked = status.ackedSeq;
        while (this.acked < this.available) {
          const batch = this.events.slice(this.acked, Math.min(this.available, this.acked + MAX_BATCH_EVENTS));
          const t0 = process.hrtime.bigint();
          const raw = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(EVENTS_UPLOAD, {
            batchId: `${this.stream.epoch}:${batch[0]!.seq}-${batch[batch.length - 1]!.seq}`,
            stream: this.stream,
            events: batch,
            sentAt: new Date().toISOString(),
          });
          this.ackLatencies.push(ms(t0));
          const ack = uploadAckSchema.parse(raw);
          if (!ack.ok) throw new Error(`upload refused: ${ack.error.code} ${ack.error.message}`);
          if (ack.rejected.length || ack.quarantined.length) this.problems.push(`${ack.rejected.length} rejected, ${ack.quarantined.length} quarantined: ${[...ack.rejected, ...ack.quarantined][0]!.reason}`);
          if (ack.ackedSeq <= this.acked) throw new Error(`the hub did not advance past ${this.acked}`);
          this.acked = ack.ackedSeq;
        }
      }
      this.lastRound = { doneAt: process.hrtime.bigint(), reconnects: this.connects };
      this.retryBackoff.reset();
      for (const w of this.waiters.splice(0)) w();
    } catch (e) {
      const message = (e as Error).message;
      if (/timed out/.test(message)) {
        this.timeouts++;
        this.ackLatencies.push(ACK_TIMEOUT_MS);
      }
      else if (socket.connected) this.problems.push(message);
      // As the SyncClient does: a lost ack means a fresh connection after a backoff, then a
      // resend from the hub's ack.
      if (socket.connected) {
        socket.disconnect();
        setTimeout(() => {
          if (this.socket === socket) socket.connect();
        }, this.retryBackoff.next()).unref();
      }
    }
  }
}

/**
 * socket.io-client's io() for the SyncClient, timing each request from emit to ack: what the
 * drain spends on the wire and at the hub, told apart from what it spends at the station.
 */
function timedEmits(onAck: (event: string, ms: number) => void): typeof connect {
  return ((url: string, opts: Parameters<typeof connect>[1]) => {
    const socket = connect(url, opts);
    // socket.timeout(ms) sets a flag and returns the socket itself: its emitWithAck is the one to time.
    const emitWithAck = socket.emitWithAck.bind(socket) as (event: string, ...args: unknown[]) => Promise<unknown>;
    (socket as unknown as { emitWithAck: typeof emitWithAck }).emitWithAck = async (event, ...args) => {
      const t0 = process.hrtime.bigint();
      try {
        return await emitWithAck(event, ...args);
      } finally {
        onAck(event, ms(t0));
      }
    };
    return socket;
  }) as typeof connect;
}

// ---- the hub in a child process ---------------------------------------------------------------

interface HubMemory {
  rss: number;
  /** The JS heap in use and the memory of Buffers (socket buffers), after GC. */
  heapUsed: number;
  arrayBuffers: number;
  sockets: number;
}
interface HubStats {
  /** Event-loop utilisation of the hub process since the previous stats: 1 = never idle. */
  elu: number;
  /** Sum of the durations of store.ingest calls, and their number, since the previous stats. */
  ingestMs: number;
  ingests: number;
  /** Sum of the times from an upload's handler starting (its message decoded) to its ack, and their number. */
  handlerMs: number;
  handled: number;
}
type HubReply =
  | { type: 'ready'; port: number }
  | ({ type: 'rss' } & HubMemory)
  | ({ type: 'stats' } & HubStats)
  | { type: 'closed' }
  | { type: 'error'; message: string };

class HubProcess {
  private replies: ((m: HubReply) => void)[] = [];
  exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    public port: number,
  ) {
    child.on('message', (m: HubReply) => this.replies.shift()?.(m));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(db: string, port: number, label: string): Promise<HubProcess> {
    const profile = process.env.SYNC_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SYNC_BENCH_PROFILE}`, `--cpu-prof-name=hub-${label}-${Date.now()}.cpuprofile`] : [];
    const child = fork(here, ['--hub', db, String(port)], { execArgv: ['--expose-gc', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const hub = new HubProcess(child, port);
    const ready = await withDeadline('starting the hub', Promise.race([hub.next(), hub.exited.then((code) => ({ type: 'error', message: `the hub exited (${code})` }) as HubReply)]), 60_000);
    if (ready.type !== 'ready') throw new Error(`the hub did not start: ${JSON.stringify(ready)}`);
    hub.port = ready.port;
    return hub;
  }

  private next(): Promise<HubReply> {
    return new Promise((resolve) => this.replies.push(resolve));
  }

  async stats(): Promise<HubStats> {
    const reply = this.next();
    this.child.send({ type: 'stats' });
    const m = await withDeadline('hub stats', reply, 30_000);
    if (m.type !== 'stats') throw new Error(`unexpected ${m.type}`);
    return m;
  }

  async rss(): Promise<HubMemory> {
    const reply = this.next();
    this.child.send({ type: 'rss' });
    const m = await withDeadline('hub RSS', reply, 30_000);
    if (m.type !== 'rss') throw new Error(`unexpected ${m.type}`);
    return m;
  }

  /** Closes the hub as `escale-hub serve` does on SIGTERM: hub.close(), store.close(), exit. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const reply = this.next();
    this.child.send({ type: 'close' });
    await withDeadline('closing the hub', Promise.race([reply, this.exited]), 60_000);
    await withDeadline('the hub exiting', this.exited, 30_000);
  }
}

async function hubChild(db: string, port: number): Promise<void> {
  const store = await openStore(db);
  // Time spent in the store, for the notes under the table.
  const ingest = store.ingest.bind(store);
  let ingestMs = 0;
  let ingests = 0;
  store.ingest = async (...args) => {
    const t0 = process.hrtime.bigint();
    try {
      return await ingest(...args);
    } finally {
      ingestMs += ms(t0);
      ingests++;
    }
  };
  let handlerMs = 0;
  let handled = 0;
  let elu = performance.eventLoopUtilization();
  const log = process.env.SYNC_BENCH_HUB_LOG ? (line: string) => process.stderr.write(`[hub] ${line}\n`) : undefined;
  const hub = await startHub({ store, port, ...(log ? { log } : {}) });
  const send = (m: HubReply) => process.send!(m);
  // Each upload from its handler's start to its ack (runs before the hub's own handler).
  hub.io.on('connection', (socket) =>
    socket.use((packet, next) => {
      const ack = packet[packet.length - 1] as unknown;
      if (packet[0] === EVENTS_UPLOAD && typeof ack === 'function') {
        const t0 = process.hrtime.bigint();
        packet[packet.length - 1] = (...answer: unknown[]) => {
          handlerMs += ms(t0);
          handled++;
          (ack as (...a: unknown[]) => void)(...answer);
        };
      }
      next();
    }),
  );
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= hub.close().then(() => store.close()));
  process.on('message', (m: { type: string }) => {
    if (m.type === 'rss') {
      // Two full GCs a moment apart, so what is measured is what is held, not garbage.
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      setTimeout(() => {
        gc?.();
        const mem = process.memoryUsage();
        send({ type: 'rss', rss: mem.rss, heapUsed: mem.heapUsed, arrayBuffers: mem.arrayBuffers, sockets: hub.io.of('/').sockets.size });
      }, 200);
    } else if (m.type === 'stats') {
      const now = performance.eventLoopUtilization();
      send({ type: 'stats', elu: performance.eventLoopUtilization(now, elu).utilization, ingestMs, ingests, handlerMs, handled });
      elu = now;
      ingestMs = 0;
      ingests = 0;
      handlerMs = 0;
      handled = 0;
    } else if (m.type === 'close') {
      void (async () => {
        await close();
        send({ type: 'closed' });
        process.disconnect();
      })();
    }
  });
  // The bench went away: close all the same.
  process.on('disconnect', () => void close());
  send({ type: 'ready', port: hub.port });
}

// ---- stores ---------------------------------------------------------------------------------

interface StoreTarget {
  kind: 'sqlite' | 'postgres';
  /** A --db value for a fresh, empty store. */
  fresh(name: string): Promise<string>;
  note: string;
  dispose(): Promise<void>;
}

function sqliteTarget(work: string): StoreTarget {
  return { kind: 'sqlite', fresh: async (name) => path.join(work, `${name}.sqlite`), note: 'SQLite: WAL, synchronous=FULL', dispose: async () => undefined };
}

/**
 * The PostgreSQL store on a server of tests/support/postgres.ts ($ESCALE_TEST_PG_URL, or a
 * throwaway cluster from the Debian packages), here with fsync and full-page writes on as a real
 * hub has them.
 */
async function postgresTarget(): Promise<StoreTarget | string> {
  if (!fs.existsSync(path.join(path.dirname(here), '../../server/store/postgres-store.js'))) return 'the PostgreSQL store (server/store/postgres-store.ts) is not there';
  const pg = await startTestPostgres({ settings: { fsync: 'on', full_page_writes: 'on' } });
  return {
    kind: 'postgres',
    note: process.env.ESCALE_TEST_PG_URL ? 'PostgreSQL at $ESCALE_TEST_PG_URL' : 'PostgreSQL 15, a throwaway cluster on 127.0.0.1 (fsync on, synchronous_commit on)',
    fresh: () => pg.newDatabase(),
    dispose: () => pg.stop(),
  };
}

// ---- one store's run ------------------------------------------------------------------------

interface Figures {
  store: string;
  tapAckP50: number;
  tapAckP99: number;
  note: string;
  rawRate: number;
  drainRate: number;
  drainSeconds: number;
  fanInRate: number;
  fanInSeconds: number;
  ackP50: number;
  ackP99: number;
  ackMax: number;
  timeouts: number;
  fanInDisconnects: string;
  restartSeconds: number;
  restartFromCloseSeconds: number;
  restarted: number;
  rssPerStationKb: number;
  heapPerStationKb: number;
  rssBeforeMb: number;
  rssConnectedMb: number;
  rssAfterMb: number;
  connectSeconds: number;
  drainStats: HubStats;
  /** The SyncClient's uploads during the drain, and the sum of their emit-to-ack times. */
  drainUploads: number;
  drainUploadMs: number;
  fanInStats: HubStats;
  checks: string[];
}

/** The hub's network: the demo reference data, plus one site per simulated station. */
function networkData(): ReferenceDataInput {
  // A copy: the demo data's arrays are shared between calls.
  const data = structuredClone(buildDemoData(hashPin));
  const hours = { open: '08:00', close: '19:00' };
  for (let i = 1; i <= STATIONS; i++) {
    data.sites.push({
      id: simSiteId(i),
      name: `Escale Bench ${i}`,
      region: (['brussels', 'wallonia', 'flanders'] as const)[i % 3]!,
      stars: ((i % 3) + 1) as 1 | 2 | 3,
      timeZone: 'Europe/Brussels',
      openingHours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours },
      membership: { status: 'confirmed' },
    });
  }
  return data;
}
const simSiteId = (i: number) => `bench-${String(i).padStart(3, '0')}`;

async function runStore(target: StoreTarget, backlogFile: string, work: string): Promise<Figures> {
  const checks: string[] = [];
  const at = new Date().toISOString();
  console.log(`\n== ${target.kind} store ==`);

  // (a, raw) the store's own batched insert rate of the backlog's events, on a fresh store.
  const dataDir = fs.mkdtempSync(path.join(work, `station-${target.kind}-`));
  fs.copyFileSync(backlogFile, path.join(dataDir, DATABASE_FILE));
  const { stream, items } = backlogItems(dataDir);
  let rawRate: number;
  {
    const store = await openStore(await target.fresh('raw'));
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < items.length; i += MAX_BATCH_EVENTS) {
      const result = await store.ingest(stream.siteId, stream, items.slice(i, i + MAX_BATCH_EVENTS), { receivedAt: new Date().toISOString(), clockOffsetMs: 0, flags: [] });
      if (result.ackedSeq !== Math.min(items.length, i + MAX_BATCH_EVENTS)) throw new Error(`raw ingest: acked ${result.ackedSeq} after ${i + MAX_BATCH_EVENTS}`);
    }
    const seconds = ms(t0) / 1000;
    rawRate = items.length / seconds;
    await store.close();
    console.log(`raw store.ingest: ${items.length} events in ${seconds.toFixed(2)} s`);
  }

  // The hub's store: the network, the draining station's credential and one per simulated station.
  const db = await target.fresh('hub');
  const credentials: string[] = [];
  let drainCredential: string;
  let referenceCursor: number;
  {
    const store: HubStore = await openStore(db);
    referenceCursor = (await importReference(store, networkData(), at)).cursor;
    drainCredential = (await enrollStation(store, DEMO_SITE_ID, 'bench drain', at)).credential;
    for (let i = 1; i <= STATIONS; i++) credentials.push((await enrollStation(store, simSiteId(i), 'reception', at)).credential);
    await store.close();
  }
  let hub = await HubProcess.start(db, 0, `${target.kind}-1`);
  const url = `http://127.0.0.1:${hub.port}`;
  let sims: SimStation[] = [];
  try {
    // (d) the hub's RSS with nobody connected, then with the 200 simulated stations connected
    // (each already holds the network's reference data and pulls by its cursor, as on every
    // connection; nothing to send yet).
    const before = await hub.rss();
    // A month offline: ~760 visits of 20 to 86 minutes each, all in the past.
    const startMs = Date.now() - 31 * DAY;
    sims = credentials.map((c, i) => {
      const s = { siteId: simSiteId(i + 1), epoch: v7() };
      return new SimStation(url, c, s, stationEvents(s, EVENTS_PER_STATION + HELD_DURING_RESTART, startMs), referenceCursor);
    });
    const connected = sims.map((s) => s.synced());
    const k0 = process.hrtime.bigint();
    for (const s of sims) s.start();
    await withDeadline('connecting 200 stations', Promise.all(connected));
    const connectSeconds = ms(k0) / 1000;
    const withStations = await hub.rss();
    if (withStations.sockets !== STATIONS) checks.push(`the hub counts ${withStations.sockets} connected stations, not ${STATIONS}`);

    // (a) the backlog drained by the real SyncClient, the 200 stations connected and idle.
    const station = openStation({ dataDir, clock: systemClock });
    const uploads: number[] = [];
    const sync = new SyncClient({ station, url, credential: drainCredential, connect: timedEmits((event, t) => event === EVENTS_UPLOAD && uploads.push(t)) });
    await hub.stats();
    const t0 = process.hrtime.bigint();
    sync.start();
    const drained = await withDeadline('draining the backlog', sync.drained(PHASE_DEADLINE_MS));
    const drainSeconds = ms(t0) / 1000;
    const drainStats = await hub.stats();
    const status = sync.status();
    await sync.stop();
    const problems = syncProblems(contextOf(station), 5);
    station.close();
    if (!drained || status.backlog !== 0) throw new Error(`the backlog was not drained: ${JSON.stringify(status)}`);
    if (problems.length) checks.push(`drain: ${problems.length} rejected or quarantined, e.g. ${problems[0]!.reason}`);
    const drainRate = BACKLOG_EVENTS / drainSeconds;
    const drainUploadMs = uploads.reduce((a, b) => a + b, 0);
    console.log(`drained ${BACKLOG_EVENTS} events through the SyncClient in ${drainSeconds.toFixed(2)} s`);

    // (e) the same station, online: a tap → its events acked by the hub.
    const { latencies: tapLatencies, events: tapEvents } = await withDeadline('timing taps to the hub’s ack', tapsToAck(dataDir, url, drainCredential));
    console.log(`tap → hub ack: ${TAP_SAMPLES} taps, p50 ${percentile(tapLatencies, 50).toFixed(1)} ms, p99 ${percentile(tapLatencies, 99).toFixed(1)} ms`);

    // (b) fan-in: every station has 2,500 events to send, all at once.
    const uploaded = sims.map((s) => s.synced());
    for (const s of sims) s.disconnects.clear();
    await hub.stats();
    const f0 = process.hrtime.bigint();
    for (const s of sims) {
      s.available = EVENTS_PER_STATION;
      s.kick();
    }
    await withDeadline('fan-in', Promise.all(uploaded));
    const fanInSeconds = ms(f0) / 1000;
    const fanInStats = await hub.stats();
    const fanInEvents = STATIONS * EVENTS_PER_STATION;
    const latencies = sims.flatMap((s) => s.ackLatencies);
    const timeouts = sims.reduce((sum, s) => sum + s.timeouts, 0);
    const dropped = new Map<string, number>();
    for (const s of sims) for (const [reason, count] of s.disconnects) dropped.set(reason, (dropped.get(reason) ?? 0) + count);
    console.log(`fan-in: ${fanInEvents} events from ${STATIONS} stations in ${fanInSeconds.toFixed(2)} s, ${latencies.length} uploads`);

    // (c) the hub restarts while each station records HELD_DURING_RESTART more events.
    const port = hub.port;
    const c0 = process.hrtime.bigint();
    await hub.close();
    for (const s of sims) s.available = EVENTS_PER_STATION + HELD_DURING_RESTART;
    const resynced = sims.map((s) => s.synced());
    hub = await HubProcess.start(db, port, `${target.kind}-2`);
    const c1 = process.hrtime.bigint();
    let restarted = 0;
    await withDeadline(
      'reconnecting after the restart',
      Promise.all(resynced.map((p) => p.then(() => restarted++))),
      120_000,
    ).catch((e: Error) => checks.push(`${e.message}: ${restarted} of ${STATIONS} stations synced again`));
    const lastDone = sims.reduce((m, s) => (s.lastRound && s.lastRound.doneAt > m ? s.lastRound.doneAt : m), c1);
    const restartSeconds = restarted === STATIONS ? ms(c1, lastDone) / 1000 : NaN;
    const restartFromCloseSeconds = restarted === STATIONS ? ms(c0, lastDone) / 1000 : NaN;
    console.log(`restart: ${restarted} of ${STATIONS} stations synced again, ${restartSeconds.toFixed(2)} s after the new hub listened (${restartFromCloseSeconds.toFixed(2)} s after the old one began closing)`);

    const after = await hub.rss();
    for (const s of sims) s.stop();
    sims.flatMap((s) => s.problems).slice(0, 3).forEach((p) => checks.push(`station: ${p}`));
    await hub.close();

    // Nothing lost, nothing twice: the store holds exactly what the stations sent.
    const store = await openStore(db);
    const expected = BACKLOG_EVENTS + tapEvents + STATIONS * (EVENTS_PER_STATION + HELD_DURING_RESTART);
    const count = await store.countEvents();
    const streams = await store.listStreams();
    const behind = streams.filter((s) => s.ackedSeq !== (s.siteId === DEMO_SITE_ID ? BACKLOG_EVENTS + tapEvents : EVENTS_PER_STATION + HELD_DURING_RESTART)).length;
    const quarantined = (await store.listQuarantine(10)).length;
    await store.close();
    if (count !== expected) checks.push(`the hub holds ${count} events, expected ${expected}`);
    if (behind) checks.push(`${behind} streams' watermarks are short of their last seq`);
    if (quarantined) checks.push(`${quarantined} events quarantined`);

    return {
      store: target.kind,
      note: target.note,
      rawRate,
      drainRate,
      drainSeconds,
      fanInRate: fanInEvents / fanInSeconds,
      fanInSeconds,
      ackP50: percentile(latencies, 50),
      ackP99: percentile(latencies, 99),
      ackMax: Math.max(...latencies),
      timeouts,
      fanInDisconnects: [...dropped].map(([reason, count]) => `${count} ${reason}`).join(', ') || 'none',
      restartSeconds,
      restartFromCloseSeconds,
      restarted,
      rssPerStationKb: (withStations.rss - before.rss) / STATIONS / 1024,
      heapPerStationKb: (withStations.heapUsed + withStations.arrayBuffers - before.heapUsed - before.arrayBuffers) / STATIONS / 1024,
      rssBeforeMb: before.rss / 1048576,
      rssConnectedMb: withStations.rss / 1048576,
      rssAfterMb: after.rss / 1048576,
      connectSeconds,
      drainStats,
      tapAckP50: percentile(tapLatencies, 50),
      tapAckP99: percentile(tapLatencies, 99),
      drainUploads: uploads.length,
      drainUploadMs,
      fanInStats,
      checks,
    };
  } finally {
    for (const s of sims) s.stop();
    await hub.close().catch(() => undefined);
    if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
  }
}

/**
 * (e): the drained station, opened again with its sync client online: TAP_SAMPLES taps one after the
 * other, each timed from the tap call to the hub's ack of the tap's last event (seen where the
 * station records acks). The station's own rotation of badges, as its backlog was built.
 */
async function tapsToAck(dataDir: string, url: string, credential: string): Promise<{ latencies: number[]; events: number }> {
  const station = openStation({ dataDir, clock: systemClock });
  const api = createStationApi(station);
  let waiting: { seq: number; resolve: () => void } | undefined;
  const outbox = station.outbox;
  const trace: Record<string, number[]> = {};
  const timed = <F extends (...a: never[]) => unknown>(name: string, f: F): F =>
    ((...a: Parameters<F>) => {
      const t0 = process.hrtime.bigint();
      try {
        return f(...a);
      } finally {
        (trace[name] ??= []).push(ms(t0));
      }
    }) as F;
  const tracedOutbox = TRACE ? (Object.fromEntries(Object.entries(outbox).map(([k, v]) => [k, typeof v === 'function' ? timed(`outbox.${k}`, v.bind(outbox)) : v])) as typeof outbox) : outbox;
  // The station as the sync client sees it, telling this benchmark of each ack it records.
  const watched = {
    ...station,
    outbox: {
      ...tracedOutbox,
      recordAck: (epoch: string, seq: number) => {
        const acked = outbox.recordAck(epoch, seq);
        if (waiting && acked >= waiting.seq) waiting.resolve();
        return acked;
      },
    },
  };
  const sync = new SyncClient({ station: watched, url, credential, ...(TRACE ? { connect: timedEmits((event, t) => (trace[event] ??= []).push(t)) } : {}) });
  try {
    sync.start();
    if (!(await sync.drained(60_000))) throw new Error('the tap station did not come online');
    for (const k of Object.keys(trace)) trace[k] = [];
    const headBefore = outbox.headSeq(outbox.epoch);
    const data = buildDemoData(hashPin);
    const members = new Map(data.members.map((m) => [m.id, m]));
    const badges = data.badges.filter((b) => b.kind === 'rfid' && b.status === 'active' && members.get(b.memberId)?.status === 'active');
    const latencies: number[] = [];
    for (let i = 0; i < TAP_SAMPLES; i++) {
      const t0 = process.hrtime.bigint();
      const acked = new Promise<void>((resolve) => (waiting = { seq: Number.POSITIVE_INFINITY, resolve }));
      const r = await timed('tap', () => api.tap({ uid: badges[i % badges.length]!.uid }))();
      if (!r.ok) throw new Error(`tap: ${r.error.message}`);
      const seq = outbox.headSeq(outbox.epoch);
      waiting!.seq = seq;
      // Acked already (the upload is fast): then resolve now.
      if (outbox.backlog().events === 0) waiting!.resolve();
      await acked;
      latencies.push(ms(t0));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (TRACE) for (const [k, v] of Object.entries(trace)) if (v.length) console.log(`(e) trace ${k}: ${v.length} calls, p50 ${percentile(v, 50).toFixed(2)} ms, p99 ${percentile(v, 99).toFixed(2)} ms`);
    return { latencies, events: outbox.headSeq(outbox.epoch) - headBefore };
  } finally {
    await sync.stop();
    station.close();
  }
}

function printTable(f: Figures): void {
  const n = (x: number, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : 'n/a');
  const ratio = f.drainRate / f.rawRate;
  const rows: [string, string, string, boolean | undefined][] = [
    ['(a) raw store.ingest, batches of 500 (events/s)', n(f.rawRate), '', undefined],
    [`(a) backlog of ${n(BACKLOG_EVENTS)} drained by the SyncClient (events/s)`, n(f.drainRate), '', undefined],
    ['(a) drain / raw insert', n(ratio, 2), `≥ ${RATIO_TARGET.toFixed(2)}`, ratio >= RATIO_TARGET],
    [`(b) fan-in, ${STATIONS} stations, ${n(STATIONS * EVENTS_PER_STATION)} events (events/s)`, n(f.fanInRate), f.store === 'sqlite' ? `≥ ${n(FAN_IN_TARGET)}` : '', f.store === 'sqlite' ? f.fanInRate >= FAN_IN_TARGET : undefined],
    ['(b) ack latency p99 (ms)', n(f.ackP99), '', undefined],
    [`(c) hub restart → all ${STATIONS} synced again (s)`, n(f.restartSeconds, 2), `all ${STATIONS} back`, f.restarted === STATIONS],
    ['(d) hub RSS per connected station (KB)', n(f.rssPerStationKb, 1), '', undefined],
    ['(e) tap → hub ack, one online station, p50 (ms)', n(f.tapAckP50, 1), `≤ ${TAP_ACK_P50_TARGET_MS}`, f.tapAckP50 <= TAP_ACK_P50_TARGET_MS],
    ['(e) tap → hub ack, p99 (ms)', n(f.tapAckP99, 1), '', undefined],
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => String(r[c]).length), ['figure', 'measured', 'target'][c]!.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i] ?? 0))).join('  ');
  console.log(`\n${f.store} store — ${f.note}`);
  // SQLite ingests one upload at a time; PostgreSQL ones overlap (a pool of connections).
  const inStore = (s: HubStats, seconds: number) =>
    s.ingestMs <= seconds * 1000
      ? `${n(s.ingestMs / 1000, 2)} s in store.ingest over ${s.ingests} uploads (${n(s.ingestMs / 10 / seconds)} % of the time)`
      : `${s.ingests} uploads, on average ${n(s.ingestMs / 1000 / seconds, 1)} of them in store.ingest at once`;
  const busy = (s: HubStats, seconds: number) => `hub event loop ${n(100 * s.elu)} % busy, ${inStore(s, seconds)}`;
  const perUpload = f.drainUploadMs / f.drainUploads;
  console.log(
    `(a) drain ${n(f.drainSeconds, 2)} s: ${busy(f.drainStats, f.drainSeconds)}; per upload ${n(perUpload, 1)} ms from emit to ack, ` +
      `of which ${n(f.drainStats.handlerMs / f.drainStats.handled, 1)} ms in the hub's upload handler (${n(f.drainStats.ingestMs / f.drainStats.ingests, 1)} ms of it in store.ingest), ` +
      `the rest encoding, sending and decoding; ${n((f.drainSeconds * 1000 - f.drainUploadMs) / f.drainUploads, 1)} ms at the station between acks (outbox read, ack recorded).\n` +
      `(b) fan-in ${n(f.fanInSeconds, 2)} s: ${busy(f.fanInStats, f.fanInSeconds)}; ack p50 ${n(f.ackP50)} ms, max ${n(f.ackMax)} ms, ` +
      `${f.timeouts} ack timeouts (counted as ${n(ACK_TIMEOUT_MS)} ms, then resent on a new connection as the SyncClient does); connections dropped: ${f.fanInDisconnects}.\n` +
      `(c) ${n(f.restartFromCloseSeconds, 2)} s from the old hub beginning to close; the ${STATIONS} stations first connected in ${n(f.connectSeconds, 2)} s.\n` +
      `(d) hub RSS ${n(f.rssBeforeMb, 1)} MB idle, ${n(f.rssConnectedMb, 1)} MB with ${STATIONS} connected, ${n(f.rssAfterMb, 1)} MB after the fan-in and restart ` +
      `(the hub in its own process, after GC); JS heap and buffers ${n(f.heapPerStationKb, 1)} KB per connected station.\n` +
      `Load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores: other work on the machine skews these figures.`,
  );
  for (const c of f.checks) console.log(`CHECK FAILED: ${c}`);
  console.log(line(['figure', 'measured', 'target', 'result']));
  console.log(line(widths.map((w) => '-'.repeat(w)).concat('------')));
  for (const [name, value, target, pass] of rows) console.log(line([name, value, target, pass === undefined ? '' : pass ? 'PASS' : 'MISS']));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const storeArg = args.indexOf('--store');
  const only = storeArg >= 0 ? args.splice(storeArg, 2)[1] : undefined;
  const folder = path.resolve(args[0] ?? path.join(os.tmpdir(), 'escale-bench'));
  fs.mkdirSync(folder, { recursive: true });
  const backlogFile = path.join(folder, `sync-backlog-schema${MIGRATIONS.length}-gen${GENERATOR_VERSION}-${BACKLOG_EVENTS}.sqlite`);
  if (!fs.existsSync(backlogFile)) {
    console.log(`building a station backlog of ${BACKLOG_EVENTS} events through the station API…`);
    await buildBacklog(backlogFile);
  } else {
    console.log(`using the cached station backlog ${backlogFile}`);
  }
  const work = fs.mkdtempSync(path.join(folder, 'sync-run-'));
  const results: Figures[] = [];
  const skipped: string[] = [];
  const failures: string[] = [];
  try {
    // Each store is set up just before its run and torn down right after, whatever happens.
    const targets: [string, () => Promise<StoreTarget | string>][] = [];
    if (!only || only === 'sqlite') targets.push(['sqlite', async () => sqliteTarget(work)]);
    if (!only || only === 'postgres') targets.push(['postgres', () => postgresTarget().catch((e: Error) => `PostgreSQL could not be started: ${e.message}`)]);
    for (const [kind, make] of targets) {
      const target = await make();
      if (typeof target === 'string') {
        skipped.push(target);
        continue;
      }
      try {
        results.push(await runStore(target, backlogFile, work));
      } catch (e) {
        console.error(e);
        failures.push(`${kind} store: ${(e as Error).message}`);
      } finally {
        await target.dispose();
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  for (const f of results) printTable(f);
  for (const s of skipped) console.log(`\npostgres store — skipped: ${s}`);
  for (const f of failures) console.log(`\nFAILED: ${f}`);
  const failed = failures.length > 0 || results.some((f) => f.checks.length > 0);
  process.exit(failed ? 1 : 0);
}

if (process.argv[2] === '--hub') {
  hubChild(process.argv[3]!, Number(process.argv[4])).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
