// A model-based property test of the upload protocol over a faulty transport. The station is a
// real station database with the real SyncClient; the hub is the real hub on 127.0.0.1 over a
// SQLite file; between them, a transport the test controls: the SyncClient's socket factory
// returns a wrapper around a real socket.io connection that, request by request, delivers,
// loses the request, loses the ack (the hub committed, the station never heard), duplicates,
// holds a request to deliver it later and out of order, or breaks the connection mid-request.
// Random sequences of appends, upload attempts under faults, reconnects, drops, late deliveries
// and hub restarts (hub and store closed and reopened on the same file) run against a model.
// After every step: the hub holds exactly seqs 1..k of the station's stream, each equal to the
// station's event at that seq, none twice, its watermark is k and never went back, and the
// station never believes the hub holds more than it does. After a final fault-free sync, the
// hub holds every event.
import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../common/sync/protocol.js';
import { SyncClient } from '../../main/sync/sync-client.js';
import { ackedSeq } from '../../main/station/sync/outbox-sync.js';
import { openTestStation, type TestStation } from '../support/station-fixture.js';
import { activeUids, outboxRows, startTestHub, tapMany, type TestHub } from '../support/hub-fixture.js';
import { waitFor } from '../support/wait.js';
import { contextOf } from '../../main/station/context.js';

const SITE = 'bxl-louise';
const RUNS = 40;

type Fault = 'deliver' | 'lose-request' | 'lose-ack' | 'duplicate' | 'delay' | 'break-mid';
const timedOut = () => new Error('operation has timed out');

type Handler = (...args: unknown[]) => void;

/**
 * The station's side of the transport: what SyncClient uses of a socket.io-client Socket
 * (connected, active, on, timeout().emitWithAck, connect, disconnect), over a real connection
 * to the hub, with the faults of `plan` applied to successive requests.
 */
class FaultyTransport {
  connected = false;
  /** Faults for the next requests, in order; once empty, requests are delivered. */
  plan: Fault[] = [];
  /** Requests held back, to be delivered later (and out of order). */
  readonly held: { event: string; data: unknown }[] = [];
  inFlight = 0;
  private readonly handlers = new Map<string, Handler[]>();
  real!: Socket;

  constructor(
    private readonly url: () => string,
    private readonly credential: string,
  ) {}

  get active(): boolean {
    return true;
  }

  on(event: string, fn: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }

  /** The real connection to the hub (again, after a hub restart). */
  async open(): Promise<void> {
    this.real?.close();
    this.real = io(this.url(), { transports: ['websocket'], auth: { credential: this.credential, protocol: PROTOCOL_VERSION }, reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      this.real.once('connect', () => resolve());
      this.real.once('connect_error', reject);
    });
  }

  /** The station's connection comes (back) up: it syncs, as on any reconnect. */
  up(): void {
    if (this.connected) return;
    this.connected = true;
    this.fire('connect');
  }

  /** The station's connection breaks (the network, a hub restart). */
  down(reason = 'transport close'): void {
    if (!this.connected) return;
    this.connected = false;
    this.fire('disconnect', reason);
  }

  // The SyncClient's own disconnect (after a lost ack) and its later connect: reconnecting is
  // the model's decision (the Reconnect command), so connect() asks for nothing here.
  disconnect(): this {
    this.down('io client disconnect');
    return this;
  }

  connect(): this {
    return this;
  }

  close(): void {
    this.connected = false;
    this.real?.close();
  }

  private async deliver(event: string, data: unknown): Promise<unknown> {
    return this.real.timeout(10_000).emitWithAck(event, data);
  }

  /** Delivers what was held back, in the order given by `order` (a permutation seed). */
  async flush(seed: number): Promise<void> {
    const batch = this.held.splice(0);
    // A deterministic shuffle from the seed: late requests arrive in any order.
    let x = seed + 1;
    for (let i = batch.length - 1; i > 0; i--) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const j = x % (i + 1);
      [batch[i], batch[j]] = [batch[j]!, batch[i]!];
    }
    for (const r of batch) await this.deliver(r.event, r.data);
  }

  timeout(_ms: number) {
    return {
      emitWithAck: async (event: string, data: unknown): Promise<unknown> => {
        if (!this.connected) throw new Error('socket has been disconnected');
        this.inFlight++;
        try {
          const fault = this.plan.shift() ?? 'deliver';
          switch (fault) {
            case 'deliver':
              return await this.deliver(event, data);
            case 'lose-request':
              throw timedOut();
            case 'lose-ack':
              await this.deliver(event, data);
              throw timedOut();
            case 'duplicate': {
              const first = await this.deliver(event, data);
              await this.deliver(event, data);
              return first;
            }
            case 'delay':
              this.held.push({ event, data: structuredClone(data) });
              throw timedOut();
            case 'break-mid':
              await this.deliver(event, data);
              this.down();
              throw new Error('socket has been disconnected');
          }
        } finally {
          this.inFlight--;
        }
      },
    };
  }

  /** Resolves once the station has nothing in flight and starts nothing more. */
  async idle(): Promise<void> {
    for (let quiet = 0; quiet < 2; ) {
      await new Promise((r) => setTimeout(r, 0));
      quiet = this.inFlight === 0 ? quiet + 1 : 0;
    }
  }
}

interface Model {
  hubAcked: number;
  stationAcked: number;
}

interface Real {
  hub: TestHub;
  t: TestStation;
  transport: FaultyTransport;
  client: SyncClient;
}

/** What must hold after every step. */
async function checkInvariants(m: Model, r: Real): Promise<void> {
  const epoch = contextOf(r.t.station).epoch;
  const stored = await r.hub.store.listEvents({ siteId: SITE, epoch, limit: 1_000_000 });
  const outbox = outboxRows(contextOf(r.t.station).db);
  // Exactly seqs 1..k: prefix-closed, no gap, no duplicate.
  expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
  expect(new Set(stored.map((e) => e.id)).size).toBe(stored.length);
  expect(stored.length).toBeLessThanOrEqual(outbox.length);
  for (const e of stored) {
    const mine = outbox[e.seq - 1]!;
    expect(e.status).toBe('accepted');
    expect({ id: e.id, type: e.type, payload: e.payload, wallTime: e.wallTime, hlc: e.hlc }).toEqual({ id: mine.id, type: mine.type, payload: mine.payload, wallTime: mine.wallTime, hlc: mine.hlc });
  }
  const hubAcked = await r.hub.store.streamAckedSeq({ siteId: SITE, epoch });
  expect(hubAcked).toBe(stored.length);
  expect(hubAcked, 'the hub watermark went back').toBeGreaterThanOrEqual(m.hubAcked);
  const stationAcked = ackedSeq(contextOf(r.t.station), epoch);
  expect(stationAcked, 'the station believes the hub holds more than it does').toBeLessThanOrEqual(hubAcked);
  expect(stationAcked, "the station's ack went back").toBeGreaterThanOrEqual(m.stationAcked);
  expect(await r.hub.store.listQuarantine(1000)).toEqual([]);
  m.hubAcked = hubAcked;
  m.stationAcked = stationAcked;
}

type Cmd = fc.AsyncCommand<Model, Real>;
const uids = activeUids();

class Append implements Cmd {
  constructor(readonly taps: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    tapMany(r.t, uids, this.taps, 1_000);
    await checkInvariants(m, r);
  }
  toString = () => `append(${this.taps} taps)`;
}

class Upload implements Cmd {
  constructor(readonly faults: Fault[]) {}
  check = () => true;
  async run(m: Model, r: Real) {
    r.transport.plan = [...this.faults];
    r.client.kick();
    await r.transport.idle();
    r.transport.plan = [];
    await checkInvariants(m, r);
  }
  toString = () => `upload[${this.faults.join(',')}]`;
}

class Reconnect implements Cmd {
  constructor(readonly faults: Fault[]) {}
  check = () => true;
  async run(m: Model, r: Real) {
    r.transport.plan = [...this.faults];
    r.transport.up();
    await r.transport.idle();
    r.transport.plan = [];
    await checkInvariants(m, r);
  }
  toString = () => `reconnect[${this.faults.join(',')}]`;
}

class Drop implements Cmd {
  check = () => true;
  async run(m: Model, r: Real) {
    r.transport.down();
    await checkInvariants(m, r);
  }
  toString = () => 'drop';
}

class DeliverLate implements Cmd {
  constructor(readonly seed: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await r.transport.flush(this.seed);
    await checkInvariants(m, r);
  }
  toString = () => `deliver-late(${this.seed})`;
}

class HubRestart implements Cmd {
  check = () => true;
  async run(m: Model, r: Real) {
    await r.hub.restart();
    r.transport.down();
    await r.transport.open();
    await checkInvariants(m, r);
  }
  toString = () => 'hub-restart';
}

const fault = fc.constantFrom<Fault>('deliver', 'lose-request', 'lose-ack', 'duplicate', 'delay', 'break-mid');
const append = fc.integer({ min: 1, max: 25 }).map((n) => new Append(n));
const upload = fc.array(fault, { maxLength: 6 }).map((f) => new Upload(f));
// Appends and uploads come up most; fc.commands picks among these uniformly.
const commands = fc.commands(
  [
    append,
    append,
    upload,
    upload,
    upload,
    fc.array(fault, { maxLength: 4 }).map((f) => new Reconnect(f)),
    fc.array(fault, { maxLength: 4 }).map((f) => new Reconnect(f)),
    fc.constant(new Drop()),
    fc.nat({ max: 1_000_000 }).map((s) => new DeliverLate(s)),
    fc.constant(new HubRestart()),
  ],
  { maxCommands: 60, size: 'large' },
);

let hub: TestHub;
let credential: string;
beforeAll(async () => {
  hub = await startTestHub();
  ({ credential } = await hub.enroll(SITE));
});
afterAll(() => hub?.close());

describe('the upload protocol over a faulty transport', () => {
  it(`keeps the hub a gap-free, duplicate-free prefix of the station's stream, acks never going back, and converges (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const t = openTestStation({ settings: { tapWindowMs: 0 } });
        const transport = new FaultyTransport(() => hub.url, credential);
        await transport.open();
        // The real SyncClient, small batches, no polling: it syncs when told (kick) or on (re)connect.
        const client = new SyncClient({ station: t.station, url: hub.url, credential, connect: (() => transport) as never, batchSize: 7, otherWritersMs: 1e9, pullIntervalMs: 1e9, wakeOnAppend: false });
        client.start();
        const real: Real = { hub, t, transport, client };
        // Connected and up to date to begin with (the first pull brings the reference data).
        transport.up();
        await transport.idle();
        try {
          await fc.asyncModelRun(() => ({ model: { hubAcked: 0, stationAcked: 0 }, real }), cmds);
          // The faults stop: late requests arrive, the connection comes back, everything is there.
          await transport.flush(0);
          transport.plan = [];
          transport.up();
          expect(await client.drained(20_000)).toBe(true);
          const m = { hubAcked: 0, stationAcked: 0 };
          await checkInvariants(m, real);
          expect(m.hubAcked).toBe(outboxRows(contextOf(t.station).db).length);
        } finally {
          await client.stop();
          transport.close();
          t.close();
        }
      }),
      { numRuns: RUNS },
    );
    // Once the runs are over, the hub still answers a plain station (it was restarted many times).
    await waitFor(async () => (await fetch(`${hub.url}/health`)).ok, 'the hub');
  }, 300_000);
});
