// Bad input at the hub, from raw socket.io clients and from a station with a bug: no or garbage
// handshake, wrong or revoked credentials, oversized batches, wrong types, another site's stream,
// events without seq, an invalid event among valid ones, the same seq with different content, a
// replayed credential. Each is refused with a clear error and logged (the first of each kind: the
// rest are counted, see tests/hub/hostile-input.test.ts); nothing is stored that should not be
// (events counted before and after).
import { io, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENTS_UPLOAD, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, PROTOCOL_VERSION, REFERENCE_PULL, STREAM_STATUS } from '../../common/sync/protocol.js';
import { unwrap } from '../support/ledger.js';
import { openTestStation, type TestStation } from '../support/station-fixture.js';
import { activeUids, appendRawEvent, expectSameEvents, outboxRows, startSync, startTestHub, storedEvents, tapMany, type ComparableEvent, type TestHub } from '../support/hub-fixture.js';
import { waitFor } from '../support/wait.js';
import { contextOf } from '../../main/station/context.js';

const SITE = 'bxl-louise';
const cleanups: (() => unknown)[] = [];
let hub: TestHub;
let credential: string;
let stationId: string;
beforeEach(async () => {
  hub = await startTestHub();
  cleanups.push(() => hub.close());
  ({ credential, stationId } = await hub.enroll(SITE));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type ConnectError = Error & { data?: { code?: string } };

/**
 * A raw connection with this handshake auth; resolves connected, or with the refusal, or with
 * the reason the hub closed the connection before any answer (a handshake socket.io cannot parse).
 */
async function connect(auth: unknown): Promise<{ socket: Socket; error?: ConnectError; closed?: string }> {
  const socket = io(hub.url, { transports: ['websocket'], reconnection: false, forceNew: true, ...(auth === undefined ? {} : { auth: auth as object }) });
  cleanups.push(() => socket.close());
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (error: ConnectError) => resolve({ socket, error }));
    // A refusal closes the connection too, just before connect_error: let that one win.
    socket.io.once('close', (closed) => setImmediate(() => resolve({ socket, closed })));
  });
}

const station = async () => {
  const { socket, error } = await connect({ credential, protocol: PROTOCOL_VERSION });
  if (error) throw error;
  return socket;
};

interface Ack {
  ok: boolean;
  error?: { code: string; message: string };
  ackedSeq?: number;
  rejected?: { seq: number; id?: string; reason: string }[];
  quarantined?: { seq: number; id?: string; reason: string }[];
}

const send = (socket: Socket, event: string, ...args: unknown[]) => socket.timeout(10_000).emitWithAck(event, ...args) as Promise<Ack>;

/** A station with `taps` taps, and its events as they go on the wire. */
function tapped(taps: number): { t: TestStation; events: (Omit<ComparableEvent, 'siteId' | 'epoch'> & { stream: { siteId: string; epoch: string } })[] } {
  const t = openTestStation();
  cleanups.push(() => t.close());
  tapMany(t, activeUids(), taps);
  const events = outboxRows(contextOf(t.station).db).map(({ siteId, epoch, ...e }) => ({ ...e, stream: { siteId, epoch } }));
  return { t, events };
}

const batch = (events: { stream: { siteId: string; epoch: string } }[], extra: Record<string, unknown> = {}) => ({
  batchId: 'b1',
  stream: events[0]!.stream,
  events,
  sentAt: new Date().toISOString(),
  ...extra,
});

const refusedLog = (code: string) => hub.logs.filter((l) => l.includes(code));

describe('the handshake', () => {
  it('no handshake, a garbage one, the wrong protocol, a wrong secret and an unknown station are refused with a code and a reason, and logged', async () => {
    const wrongSecret = credential.replace(/_([A-Za-z0-9_-]{32,64})$/, (_, s: string) => `_${s.slice(0, -4)}AAAA`);
    const cases: [unknown, string][] = [
      [undefined, 'BAD_HANDSHAKE'],
      [{ credential: 'nope', protocol: PROTOCOL_VERSION }, 'BAD_HANDSHAKE'],
      [{ credential: 42 }, 'BAD_HANDSHAKE'],
      [{ credential, protocol: PROTOCOL_VERSION + 1 }, 'BAD_HANDSHAKE'],
      [{ credential: wrongSecret, protocol: PROTOCOL_VERSION }, 'BAD_CREDENTIAL'],
      [{ credential: credential.replace(stationId, 'nobody-here'), protocol: PROTOCOL_VERSION }, 'BAD_CREDENTIAL'],
    ];
    for (const [auth, code] of cases) {
      const { socket, error } = await connect(auth);
      expect(error?.data?.code, JSON.stringify(auth)).toBe(code);
      expect(error!.message.length).toBeGreaterThan(10);
      expect(socket.connected).toBe(false);
    }
    // Each kind once, with its code: more of a kind within a minute are only counted.
    const codes = [...new Set(cases.map(([, code]) => code))];
    expect(refusedLog('refused a connection')).toHaveLength(codes.length);
    for (const code of codes) expect(refusedLog(`refused a connection`).filter((l) => l.includes(code))).toHaveLength(1);
    // Not even an object: socket.io cannot parse the handshake and the hub closes the connection.
    const garbage = await connect('not an object');
    expect(garbage.closed).toBe('transport close');
    expect(garbage.socket.connected).toBe(false);
    expect(refusedLog('refused a socket.io packet: INVALID_PACKET')).toHaveLength(1);
    expect(await hub.store.countEvents()).toBe(0);
  });

  it('a revoked station: its live connection is closed, new ones are refused, and nothing more is stored', async () => {
    const { t, events } = tapped(10);
    const client = startSync(t.station, { url: hub.url, credential });
    cleanups.push(() => client.stop());
    expect(await client.drained(20_000)).toBe(true);
    const raw = await station();
    const closed = new Promise<string>((resolve) => raw.once('disconnect', resolve));
    const before = await hub.store.countEvents();

    await hub.admin('POST', `stations/${stationId}/revoke`);
    expect(await closed).toBe('io server disconnect');
    await waitFor(() => !client.status().online, 'the station to be disconnected');
    const again = await connect({ credential, protocol: PROTOCOL_VERSION });
    expect(again.error?.data?.code).toBe('REVOKED');
    expect(again.error?.message).toContain(stationId);
    // The station keeps working and queues; its client is refused and says why.
    tapMany(t, activeUids(), 5);
    await waitFor(() => client.status().lastError?.startsWith('REVOKED') === true, 'the refusal in the sync status');
    expect(unwrap(await t.api.syncStatus({}))).toMatchObject({ online: false, backlog: expect.any(Number) });
    expect(unwrap(await t.api.syncStatus({})).backlog).toBeGreaterThan(0);
    expect(await hub.store.countEvents()).toBe(before);
    expect(before).toBe(events.length);
    expect((await hub.store.listStations()).find((s) => s.id === stationId)?.revokedAt).toBeDefined();
  });
});

describe('uploads refused whole', () => {
  it(`more than ${MAX_BATCH_EVENTS} events, or more than ${MAX_BATCH_BYTES} bytes, is TOO_LARGE; a message past the transport's cap closes the connection; nothing stored`, async () => {
    const { events } = tapped(400);
    expect(events.length).toBeGreaterThan(MAX_BATCH_EVENTS);
    const socket = await station();
    const tooMany = await send(socket, EVENTS_UPLOAD, batch(events.slice(0, MAX_BATCH_EVENTS + 1)));
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    expect(tooMany.error!.message).toContain(String(MAX_BATCH_EVENTS));

    // 200 padded events: over the protocol's limit, under the transport's.
    const base = Buffer.byteLength(JSON.stringify(events.slice(0, 200)));
    const pad = Math.ceil((MAX_BATCH_BYTES + 20_000 - base) / 200);
    const padded = events.slice(0, 200).map((e) => ({ ...e, payload: { ...(e.payload as object), padding: 'x'.repeat(pad) } }));
    const size = Buffer.byteLength(JSON.stringify(padded));
    expect(size).toBeGreaterThan(MAX_BATCH_BYTES);
    expect(size).toBeLessThan(MAX_BATCH_BYTES + 64 * 1024);
    const tooBig = await send(socket, EVENTS_UPLOAD, batch(padded));
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    expect(tooBig.error!.message).toContain(String(size));
    // The second TOO_LARGE of the station within a minute is only counted.
    expect(refusedLog('upload refused: TOO_LARGE')).toHaveLength(1);

    // Three megabytes in one message: the hub's transport closes the connection.
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const huge = events.slice(0, 300).map((e) => ({ ...e, payload: { ...(e.payload as object), padding: 'x'.repeat(10_000) } }));
    await expect(send(socket, EVENTS_UPLOAD, batch(huge))).rejects.toThrow();
    expect(await closed).toMatch(/transport (close|error)/);
    expect(await hub.store.countEvents()).toBe(0);
    // The hub serves the next connection as usual.
    const next = await station();
    expect(await send(next, EVENTS_UPLOAD, batch(events.slice(0, 10)))).toMatchObject({ ok: true, ackedSeq: 10 });
  });

  it('wrong types are INVALID_BATCH (or INVALID_REQUEST) with the field at fault; a message without an ack is ignored', async () => {
    const { events } = tapped(5);
    const socket = await station();
    const good = batch(events);
    const cases: [unknown, RegExp][] = [
      ['a string', /\(top\)/],
      [42, /\(top\)/],
      [null, /\(top\)/],
      [{}, /batchId/],
      [{ ...good, events: 'not a list' }, /events/],
      [{ ...good, events: [] }, /events/],
      [{ ...good, batchId: 7 }, /batchId/],
      [{ ...good, stream: { siteId: SITE } }, /stream\.epoch/],
      [{ ...good, stream: 'bxl-louise' }, /stream/],
      [{ ...good, sentAt: 'yesterday' }, /sentAt/],
    ];
    for (const [raw, field] of cases) {
      const ack = await send(socket, EVENTS_UPLOAD, raw);
      expect(ack, JSON.stringify(raw)).toMatchObject({ ok: false, error: { code: 'INVALID_BATCH' } });
      expect(ack.error!.message).toMatch(field);
    }
    expect(refusedLog('upload refused: INVALID_BATCH')).toHaveLength(1);
    // Without an ack function the hub cannot answer: it does nothing, and stays up.
    socket.emit(EVENTS_UPLOAD, good);
    expect(await send(socket, STREAM_STATUS, { stream: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await send(socket, REFERENCE_PULL, { cursor: -1, limit: 10 ** 6 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await send(socket, STREAM_STATUS, { stream: good.stream })).toMatchObject({ ok: true, ackedSeq: 0 });
    expect(await hub.store.countEvents()).toBe(0);
  });

  it("another site's stream is FORBIDDEN_STREAM (upload and status); an event of another stream inside a batch is rejected", async () => {
    const { events } = tapped(5);
    const socket = await station();
    const other = events.map((e) => ({ ...e, stream: { ...e.stream, siteId: 'gent-zuid' } }));
    const ack = await send(socket, EVENTS_UPLOAD, batch(other));
    expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_STREAM' } });
    expect(ack.error!.message).toContain('gent-zuid');
    expect(await send(socket, STREAM_STATUS, { stream: other[0]!.stream })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_STREAM' } });
    expect(refusedLog('upload refused: FORBIDDEN_STREAM')).toHaveLength(1);
    expect(await hub.store.countEvents()).toBe(0);

    // Own stream on the batch, another site's on one event: that event is rejected, not stored as gent-zuid's.
    const mixed = [events[0]!, { ...events[1]!, stream: { ...events[1]!.stream, siteId: 'gent-zuid' } }, events[2]!];
    const partly = await send(socket, EVENTS_UPLOAD, batch(mixed));
    expect(partly).toMatchObject({ ok: true, ackedSeq: 3, rejected: [{ seq: 2, reason: expect.stringContaining('another stream') }] });
    expect(await hub.store.countEvents('gent-zuid')).toBe(0);
  });

  it('events without a seq refuse the whole batch, valid ones included', async () => {
    const { events } = tapped(5);
    const socket = await station();
    const { seq: _seq, ...noSeq } = events[2]!;
    for (const bad of [noSeq, { ...events[2]!, seq: 'three' }, { ...events[2]!, seq: 0 }, { ...events[2]!, seq: 2.5 }, null]) {
      const ack = await send(socket, EVENTS_UPLOAD, batch([events[0]!, events[1]!, bad as never, events[3]!]));
      expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID_BATCH', message: expect.stringContaining('seq') } });
    }
    expect(await hub.store.countEvents()).toBe(0);
  });
});

describe('events refused one by one', () => {
  it('an invalid event among valid ones is rejected with a reason, the rest accepted, the watermark passes it, and the station shows it', async () => {
    const t = openTestStation();
    cleanups.push(() => t.close());
    tapMany(t, activeUids(), 5);
    // A station bug: an event the hub's schema refuses, then more valid ones after it.
    const bad = appendRawEvent(t, 'visit.checked_in', { visitId: 'not-a-uuid', siteId: SITE });
    tapMany(t, activeUids(), 5);
    const outbox = outboxRows(contextOf(t.station).db);
    const client = startSync(t.station, { url: hub.url, credential }, { batchSize: 4 });
    cleanups.push(() => client.stop());
    expect(await client.drained(20_000)).toBe(true);

    const stored = await storedEvents(hub.store, SITE);
    expect(stored).toHaveLength(outbox.length);
    const rejected = stored.filter((e) => e.status === 'rejected');
    expect(rejected).toEqual([expect.objectContaining({ seq: bad.seq, id: bad.id, reason: expect.stringMatching(/payload\.visitId/) })]);
    expectSameEvents(
      stored.filter((e) => e.status === 'accepted'),
      outbox.filter((e) => e.seq !== bad.seq),
    );
    expect((await hub.store.listStreams(SITE))[0]!.ackedSeq).toBe(outbox.length);
    const status = unwrap(await t.api.syncStatus({}));
    expect(status.backlog).toBe(0);
    expect(status.problems).toEqual([expect.objectContaining({ kind: 'rejected', seq: bad.seq, eventId: bad.id, epoch: contextOf(t.station).epoch, reason: expect.stringMatching(/visitId/) })]);
  });

  it('the same seq with different content is quarantined and alerted; the stored event stays; the queue moves on', async () => {
    const { events } = tapped(6);
    const socket = await station();
    expect(await send(socket, EVENTS_UPLOAD, batch(events.slice(0, 3)))).toMatchObject({ ok: true, ackedSeq: 3 });
    const before = await storedEvents(hub.store, SITE);
    const forged = { ...events[1]!, payload: { ...(events[1]!.payload as object), at: new Date(0).toISOString() } };
    const ack = await send(socket, EVENTS_UPLOAD, batch([forged, ...events.slice(3)]));
    expect(ack).toMatchObject({ ok: true, ackedSeq: events.length, quarantined: [{ seq: 2, id: forged.id, reason: expect.stringContaining('different content') }] });
    // The resend of what is stored is no problem: same content, nothing quarantined.
    expect(await send(socket, EVENTS_UPLOAD, batch(events))).toMatchObject({ ok: true, ackedSeq: events.length, quarantined: [], rejected: [] });
    expect(await hub.store.listQuarantine(10)).toEqual([expect.objectContaining({ siteId: SITE, seq: 2, eventId: forged.id })]);
    expect((await hub.store.listAlerts(10)).filter((a) => a.kind === 'quarantine')).toHaveLength(1);
    const after = await storedEvents(hub.store, SITE);
    expect(after.slice(0, 3)).toEqual(before);
    expect(after).toHaveLength(events.length);
  });

  it('an event id reused at another seq is quarantined, and the watermark still passes that seq', async () => {
    const { events } = tapped(4);
    const socket = await station();
    const reused = { ...events[2]!, id: events[0]!.id };
    const ack = await send(socket, EVENTS_UPLOAD, batch([events[0]!, events[1]!, reused, events[3]!]));
    expect(ack).toMatchObject({ ok: true, ackedSeq: 4, quarantined: [{ seq: 3, reason: expect.stringContaining('already stored') }] });
    expect((await storedEvents(hub.store, SITE)).filter((e) => e.status === 'accepted').map((e) => e.seq)).toEqual([1, 2, 4]);
  });
});

describe('a replayed credential', () => {
  it('a second connection with the same credential replaces the first (logged), writes only its own site, stores nothing twice; the station takes its place back', async () => {
    const { t, events } = tapped(20);
    const client = startSync(t.station, { url: hub.url, credential });
    cleanups.push(() => client.stop());
    expect(await client.drained(20_000)).toBe(true);
    const count = await hub.store.countEvents();
    expect(count).toBe(events.length);

    const replay = await station();
    const replaced = hub.logs.filter((l) => l.includes('a new connection replaces'));
    expect(replaced).toHaveLength(1);
    expect(await send(replay, EVENTS_UPLOAD, batch(events.map((e) => ({ ...e, stream: { ...e.stream, siteId: 'gent-zuid' } }))))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_STREAM' } });
    // Replaying what the station sent: acknowledged, nothing stored twice.
    expect(await send(replay, EVENTS_UPLOAD, batch(events))).toMatchObject({ ok: true, ackedSeq: events.length, rejected: [], quarantined: [] });
    expect(await hub.store.countEvents()).toBe(count);

    // The station, disconnected by the hub, comes back by itself, and the replay is the one out.
    const out = new Promise<string>((resolve) => replay.once('disconnect', resolve));
    expect(await out).toBe('io server disconnect');
    await waitFor(() => client.status().online, 'the station back online');
    tapMany(t, activeUids(), 3);
    expect(await client.drained(20_000)).toBe(true);
    expectSameEvents(await storedEvents(hub.store, SITE), outboxRows(contextOf(t.station).db));
  });
});
