// The contract of the hub's store (server/store/store.ts), one suite for every implementation:
// sqlite-store.test.ts and postgres-store.test.ts register it with their own factory. It holds the
// rules of the sync protocol that keep money right (../shared/BRIEF.md, "Sync protocol"): idempotent
// ingest, an ack of the highest contiguous seq that never goes back, quarantine, rejected events,
// epochs, overlap cases, reference data by cursor with tombstones and snapshots, and what two hub
// processes on one database must not break.
import { afterEach, describe, expect, it } from 'vitest';
import { eraseSignedUp, eventPayloadSchemas, stationEventSchema, type EventPayload, type StationEvent, type Stream } from '../../common/events.js';
import { newId } from '../../common/ids.js';
import type { AccountingEvent, HubStore, IngestContext, IngestItem, IngestResult } from '../../server/store/store.js';

export interface StoreFactory {
  /** A new, empty store. */
  open(): Promise<HubStore>;
  /** Another store on the database of `store`: what a second hub process would open. */
  openAnother(store: HubStore): Promise<HubStore>;
  /** Runs SQL (valid in both dialects) on the database of `store`, from outside the store: an older hub's database is made so. */
  exec(store: HubStore, sql: string): Promise<void>;
}

export const SITE_A = 'bxl-louise';
export const SITE_B = 'gent-zuid';
const T0 = Date.parse('2026-11-24T08:00:00.000Z');

const isoAt = (ms: number) => new Date(ms).toISOString();
/** Hybrid logical clock stamp: 15-digit milliseconds, ":", 6-digit counter. */
export const hlcAt = (ms: number, counter = 0) => `${String(ms).padStart(15, '0')}:${String(counter).padStart(6, '0')}`;

/** A station's stream: builds valid events (parsed with the wire schema) with gap-free seqs. */
export class TestStream {
  readonly stream: Stream;
  constructor(
    readonly siteId: string,
    epoch: string = newId(),
  ) {
    this.stream = { siteId, epoch };
  }

  event<T extends StationEvent['type']>(seq: number, type: T, payload: Extract<StationEvent, { type: T }>['payload']): StationEvent {
    const ms = T0 + seq * 1000;
    return stationEventSchema.parse({ id: newId(), stream: this.stream, seq, type, payload, wallTime: isoAt(ms), hlc: hlcAt(ms, seq % 7) });
  }

  shift(seq: number): StationEvent {
    return this.event(seq, 'shift.started', { shiftId: newId(), staffId: 'amelie', at: isoAt(T0 + seq * 1000) });
  }

  /** Plain events for seqs from..to. */
  shifts(from: number, to: number): StationEvent[] {
    return Array.from({ length: to - from + 1 }, (_, i) => this.shift(from + i));
  }

  checkIn(seq: number, memberId: string, visitId = newId()): StationEvent {
    return this.event(seq, 'visit.checked_in', { visitId, siteId: this.siteId, person: { kind: 'member', memberId }, at: isoAt(T0 + seq * 1000), by: 'badge' });
  }

  guestCheckIn(seq: number, visitId = newId()): StationEvent {
    return this.event(seq, 'visit.checked_in', { visitId, siteId: this.siteId, person: { kind: 'guest', guestId: newId() }, at: isoAt(T0 + seq * 1000), by: 'staff' });
  }

  checkOut(seq: number, visitId: string): StationEvent {
    return this.event(seq, 'visit.checked_out', { visitId, at: isoAt(T0 + seq * 1000), by: 'badge', durationMinutes: 60 });
  }

  coffee(seq: number, visitId = newId()): StationEvent {
    return this.event(seq, 'consumption.recorded', {
      consumptionId: newId(),
      visitId,
      memberId: 'm-0001',
      serviceCode: 'coffee',
      quantity: 1,
      billedQuantity: 1,
      tariffVersionId: 't-2026',
      stars: 2,
      unitPriceCents: 250,
      vatRateBp: 600,
      netCents: 250,
      vatCents: 15,
      grossCents: 265,
      capApplied: false,
      localDate: '2026-11-24',
      at: isoAt(T0 + seq * 1000),
      source: 'staff',
    });
  }
}

export const valid = (e: StationEvent, flags?: string[]): IngestItem => ({ kind: 'valid', seq: e.seq, event: e, ...(flags ? { flags } : {}) });
export const invalid = (seq: number, reason: string, id?: string): IngestItem => ({ kind: 'invalid', seq, ...(id ? { id } : {}), reason, raw: JSON.stringify({ seq, id, type: 'nonsense' }) });

export const ctxAt = (ms = T0, extra: Partial<IngestContext> = {}): IngestContext => ({ receivedAt: isoAt(ms), clockOffsetMs: 0, flags: [], ...extra });

export function ingest(store: HubStore, s: TestStream, batch: (StationEvent | IngestItem)[], ctx: IngestContext = ctxAt()): Promise<IngestResult> {
  const items = batch.map((x) => ('kind' in x && (x.kind === 'valid' || x.kind === 'invalid') ? (x as IngestItem) : valid(x as StationEvent)));
  return store.ingest(s.siteId, s.stream, items, ctx);
}

const seqsOf = async (store: HubStore, s: TestStream) => (await store.listEvents({ siteId: s.siteId, epoch: s.stream.epoch, limit: 100_000 })).map((e) => e.seq);

export function hubStoreContract(name: string, factory: () => StoreFactory): void {
  describe(`HubStore contract: ${name}`, () => {
    const opened: HubStore[] = [];
    const open = async () => {
      const store = await factory().open();
      opened.push(store);
      return store;
    };
    const another = async (store: HubStore) => {
      const other = await factory().openAnother(store);
      opened.push(other);
      return other;
    };
    afterEach(async () => {
      for (const s of opened.splice(0).reverse()) await s.close();
    });

    describe('stations', () => {
      it('enrolls, finds, lists and revokes stations', async () => {
        const store = await open();
        const at = isoAt(T0);
        await store.enrollStation({ id: 'gent-zuid-desk', siteId: SITE_B, name: 'Desk', secretHash: 'b'.repeat(64), enrolledAt: at });
        await store.enrollStation({ id: 'bxl-louise-reception', siteId: SITE_A, name: 'Reception', secretHash: 'a'.repeat(64), enrolledAt: at });
        expect(await store.findStation('bxl-louise-reception')).toEqual({ id: 'bxl-louise-reception', siteId: SITE_A, name: 'Reception', secretHash: 'a'.repeat(64), enrolledAt: at });
        expect(await store.findStation('nobody')).toBeUndefined();
        expect((await store.listStations()).map((s) => s.id)).toEqual(['bxl-louise-reception', 'gent-zuid-desk']);
        await expect(store.enrollStation({ id: 'gent-zuid-desk', siteId: SITE_B, name: 'Again', secretHash: 'c'.repeat(64), enrolledAt: at })).rejects.toThrow();

        const later = isoAt(T0 + 60_000);
        expect(await store.revokeStation('gent-zuid-desk', later)).toBe(true);
        expect(await store.revokeStation('gent-zuid-desk', isoAt(T0 + 120_000))).toBe(false);
        expect(await store.revokeStation('nobody', later)).toBe(false);
        expect((await store.findStation('gent-zuid-desk'))?.revokedAt).toBe(later);
        expect((await store.findStation('bxl-louise-reception'))?.revokedAt).toBeUndefined();
      });
    });

    describe('ingest', () => {
      it('stores a valid batch and acks its highest seq', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const events = [s.shift(1), s.checkIn(2, 'm-0001'), s.coffee(3)];
        const r = await ingest(store, s, events, ctxAt(T0 + 5_000, { clockOffsetMs: -1234 }));
        expect(r).toEqual({ ackedSeq: 3, rejected: [], quarantined: [] });
        expect(await store.streamAckedSeq(s.stream)).toBe(3);
        expect(await store.countEvents(SITE_A)).toBe(3);
        expect(await store.countEvents(SITE_B)).toBe(0);
        const stored = await store.listEvents({ siteId: SITE_A, limit: 10 });
        expect(stored).toEqual(
          events.map((e) => ({
            id: e.id,
            siteId: SITE_A,
            epoch: s.stream.epoch,
            seq: e.seq,
            type: e.type,
            status: 'accepted',
            payload: e.payload,
            wallTime: e.wallTime,
            hlc: e.hlc,
            receivedAt: isoAt(T0 + 5_000),
            clockOffsetMs: -1234,
            flags: [],
          })),
        );
        expect(await store.listEvents({ siteId: SITE_A, epoch: s.stream.epoch, afterSeq: 1, limit: 1 })).toEqual([stored[1]]);
        expect(await store.listStreams(SITE_A)).toEqual([
          { siteId: SITE_A, epoch: s.stream.epoch, ackedSeq: 3, firstSeen: isoAt(T0 + 5_000), lastSeen: isoAt(T0 + 5_000), lastClockOffsetMs: -1234 },
        ]);
        expect(await store.streamAckedSeq({ siteId: SITE_B, epoch: newId() })).toBe(0);
      });

      it('keeps the station flags of the upload and of each event', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const [a, b] = [s.shift(1), s.shift(2)];
        await ingest(store, s, [valid(a!), valid(b!, ['future_time'])], ctxAt(T0, { clockOffsetMs: 3 * 86_400_000, flags: ['clock_skew'] }));
        const stored = await store.listEvents({ siteId: SITE_A, limit: 10 });
        expect(stored.map((e) => e.flags)).toEqual([['clock_skew'], ['clock_skew', 'future_time']]);
        expect(stored.map((e) => e.clockOffsetMs)).toEqual([3 * 86_400_000, 3 * 86_400_000]);
      });

      it('a resent batch stores nothing twice and gets the same ack', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const events = s.shifts(1, 5);
        const first = await ingest(store, s, events);
        const again = await ingest(store, s, events, ctxAt(T0 + 60_000));
        expect(again).toEqual(first);
        expect(again.ackedSeq).toBe(5);
        expect(await store.countEvents()).toBe(5);
        expect(await store.listQuarantine(10)).toEqual([]);
        expect(await store.listAlerts(10)).toEqual([]);
        // A resend overlapping the stored seqs and bringing new ones.
        const more = [...events.slice(3), ...s.shifts(6, 8)];
        expect((await ingest(store, s, more)).ackedSeq).toBe(8);
        expect(await seqsOf(store, s)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        // The first receipt time stays.
        expect((await store.listEvents({ siteId: SITE_A, limit: 1 }))[0]!.receivedAt).toBe(isoAt(T0));
      });

      it('events past a gap are kept but do not move the watermark until the gap is filled', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const [e1, e2, e3, e4] = s.shifts(1, 4);
        expect((await ingest(store, s, [e1!, e2!, e4!])).ackedSeq).toBe(2);
        expect(await seqsOf(store, s)).toEqual([1, 2, 4]);
        expect(await store.streamAckedSeq(s.stream)).toBe(2);
        expect((await ingest(store, s, [e3!])).ackedSeq).toBe(4);
        expect(await store.streamAckedSeq(s.stream)).toBe(4);
        expect(await store.countEvents()).toBe(4);
      });

      it('the same seq with different content is quarantined and alerted; the original stays, the ack is unaffected', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const events = s.shifts(1, 3);
        await ingest(store, s, events);
        const impostor = s.coffee(2);
        const r = await ingest(store, s, [impostor], ctxAt(T0 + 1_000));
        expect(r.ackedSeq).toBe(3);
        expect(r.quarantined).toEqual([{ seq: 2, id: impostor.id, reason: expect.stringMatching(/same seq/) }]);
        expect(r.rejected).toEqual([]);
        const stored = await store.listEvents({ siteId: SITE_A, limit: 10 });
        expect(stored.map((e) => e.id)).toEqual(events.map((e) => e.id));
        expect(stored[1]!.payload).toEqual(events[1]!.payload);
        const q = await store.listQuarantine(10);
        expect(q).toEqual([
          { id: expect.any(Number), siteId: SITE_A, epoch: s.stream.epoch, seq: 2, eventId: impostor.id, reason: r.quarantined[0]!.reason, raw: JSON.stringify(impostor), receivedAt: isoAt(T0 + 1_000) },
        ]);
        expect((await store.listAlerts(10)).map((a) => [a.kind, a.siteId])).toEqual([['quarantine', SITE_A]]);
        // The same seq with the same payload text but another hlc is different content too.
        const sameButLater = { ...events[2]!, hlc: hlcAt(T0, 999) } as StationEvent;
        expect((await ingest(store, s, [sameButLater])).quarantined.map((x) => x.seq)).toEqual([3]);
        // Resending the quarantined upload reports it again, and records (and alerts) it once.
        const resent = await ingest(store, s, [impostor], ctxAt(T0 + 2_000));
        expect(resent).toEqual(r);
        expect(await store.listQuarantine(10)).toHaveLength(2);
        expect(await store.listAlerts(10)).toHaveLength(2);
        expect(await store.countEvents()).toBe(3);
      });

      it('an invalid event is stored as rejected with its reason, counts for the watermark and never blocks the stream', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const rawId = newId();
        const r = await ingest(store, s, [s.shift(1), invalid(2, 'payload.at: Invalid ISO datetime', rawId), s.shift(3)]);
        expect(r.ackedSeq).toBe(3);
        expect(r.rejected).toEqual([{ seq: 2, id: rawId, reason: 'payload.at: Invalid ISO datetime' }]);
        expect(r.quarantined).toEqual([]);
        const stored = await store.listEvents({ siteId: SITE_A, limit: 10 });
        expect(stored.map((e) => [e.seq, e.status])).toEqual([
          [1, 'accepted'],
          [2, 'rejected'],
          [3, 'accepted'],
        ]);
        expect(stored[1]).toMatchObject({ id: rawId, reason: 'payload.at: Invalid ISO datetime', payload: invalid(2, '', rawId).kind === 'invalid' ? JSON.stringify({ seq: 2, id: rawId, type: 'nonsense' }) : '' });
        // Resent: rejected again, stored once.
        const again = await ingest(store, s, [invalid(2, 'payload.at: Invalid ISO datetime', rawId)]);
        expect(again).toEqual({ ackedSeq: 3, rejected: [{ seq: 2, reason: 'payload.at: Invalid ISO datetime' }], quarantined: [] });
        expect(await store.countEvents()).toBe(3);
        // An invalid event without an id, or with an id already taken, still takes its seq.
        const r2 = await ingest(store, s, [invalid(4, 'no id'), invalid(5, 'taken id', rawId)]);
        expect(r2.ackedSeq).toBe(5);
        expect(await seqsOf(store, s)).toEqual([1, 2, 3, 4, 5]);
        // An invalid event for a seq that holds an accepted event is quarantined.
        const r3 = await ingest(store, s, [invalid(1, 'garbled resend')]);
        expect(r3.quarantined).toEqual([{ seq: 1, reason: expect.stringMatching(/garbled resend/) }]);
        expect(r3.ackedSeq).toBe(5);
      });

      it('the same event id at another seq is quarantined; its seq is taken so the stream is not blocked', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const events = s.shifts(1, 2);
        await ingest(store, s, events);
        const copy = { ...events[0]!, seq: 3 } as StationEvent;
        const fourth = s.shift(4);
        const r = await ingest(store, s, [copy, fourth]);
        expect(r.quarantined).toEqual([{ seq: 3, id: copy.id, reason: expect.stringMatching(/already stored as seq 1/) }]);
        // "Every seq up to ackedSeq is committed at the hub (accepted, rejected or quarantined)".
        expect(r.ackedSeq).toBe(4);
        const stored = await store.listEvents({ siteId: SITE_A, limit: 10 });
        expect(stored.filter((e) => e.id === copy.id)).toEqual([expect.objectContaining({ seq: 1, payload: events[0]!.payload })]);
        expect(stored.find((e) => e.seq === 3)).toMatchObject({ status: 'rejected' });
        expect(await store.listQuarantine(10)).toEqual([expect.objectContaining({ seq: 3, eventId: copy.id })]);
        // Resent: reported again, recorded once.
        expect(await ingest(store, s, [copy, fourth])).toMatchObject({ ackedSeq: 4, quarantined: r.quarantined });
        expect(await store.listQuarantine(10)).toHaveLength(1);
        expect((await store.listAlerts(10)).filter((a) => a.kind === 'quarantine')).toHaveLength(1);
        // Another stream reusing the id: quarantined there too.
        const other = new TestStream(SITE_B);
        const stolen = { ...events[1]!, stream: other.stream, seq: 1 } as StationEvent;
        const r2 = await ingest(store, other, [stolen, other.shift(2)]);
        expect(r2).toMatchObject({ ackedSeq: 2, quarantined: [{ seq: 1, id: stolen.id }] });
        // Within one batch: the second use of an id is the clash.
        const t = new TestStream(SITE_A);
        const e = t.shift(1);
        const r3 = await ingest(store, t, [e, { ...e, seq: 2 } as StationEvent]);
        expect(r3).toMatchObject({ ackedSeq: 2, quarantined: [{ seq: 2, id: e.id }] });
      });

      it('a new epoch for a site that had one is reported and alerted; each epoch has its own watermark', async () => {
        const store = await open();
        const before = new TestStream(SITE_A);
        expect((await ingest(store, before, before.shifts(1, 3))).newEpochOf).toBeUndefined();
        // Another site's first stream is no epoch change.
        const b = new TestStream(SITE_B);
        expect((await ingest(store, b, b.shifts(1, 1))).newEpochOf).toBeUndefined();
        const restored = new TestStream(SITE_A);
        const r = await ingest(store, restored, restored.shifts(1, 2), ctxAt(T0 + 3_600_000));
        expect(r.newEpochOf).toEqual([before.stream.epoch]);
        expect(r.ackedSeq).toBe(2);
        const alerts = await store.listAlerts(10);
        expect(alerts).toEqual([{ id: expect.any(Number), kind: 'epoch_change', siteId: SITE_A, detail: expect.stringContaining(restored.stream.epoch), at: isoAt(T0 + 3_600_000) }]);
        expect(alerts[0]!.detail).toContain(before.stream.epoch);
        // Only the first upload of the new epoch reports it.
        expect((await ingest(store, restored, restored.shifts(3, 3))).newEpochOf).toBeUndefined();
        expect(await store.streamAckedSeq(before.stream)).toBe(3);
        expect(await store.streamAckedSeq(restored.stream)).toBe(3);
        expect((await store.listStreams(SITE_A)).map((x) => x.epoch)).toEqual([before.stream.epoch, restored.stream.epoch]);
        expect((await store.listStreams()).map((x) => x.siteId)).toEqual([SITE_A, SITE_A, SITE_B]);
        // A third epoch lists both earlier ones.
        const third = new TestStream(SITE_A);
        expect((await ingest(store, third, third.shifts(1, 1), ctxAt(T0 + 7_200_000))).newEpochOf).toEqual([before.stream.epoch, restored.stream.epoch]);
      });

      it("lists a site's earlier epochs oldest first, whatever their names", async () => {
        const store = await open();
        // The first epoch's name sorts after the second's.
        const [later, earlier] = [newId(), newId()].sort().reverse() as [string, string];
        const [b, a, c] = [later, earlier, newId()].map((epoch) => new TestStream(SITE_A, epoch)) as [TestStream, TestStream, TestStream];
        await ingest(store, b, b.shifts(1, 1), ctxAt(T0));
        await ingest(store, a, a.shifts(1, 1), ctxAt(T0 + 1000));
        expect((await ingest(store, c, c.shifts(1, 1), ctxAt(T0 + 2000))).newEpochOf).toEqual([later, earlier]);
        expect((await store.listAlerts(10)).at(-1)!.detail).toContain(`after ${later}, ${earlier}`);
      });

      it('the watermark never goes back', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const events = s.shifts(1, 6);
        expect((await ingest(store, s, events.slice(0, 5))).ackedSeq).toBe(5);
        expect((await ingest(store, s, events.slice(0, 2))).ackedSeq).toBe(5);
        expect((await ingest(store, s, [s.shift(9)])).ackedSeq).toBe(5);
        expect((await ingest(store, s, [invalid(8, 'bad')])).ackedSeq).toBe(5);
        expect((await ingest(store, s, [s.coffee(3)])).ackedSeq).toBe(5);
        expect(await store.streamAckedSeq(s.stream)).toBe(5);
        // Filling the gap jumps over everything stored past it.
        const r = await ingest(store, s, [events[5]!, s.shift(7)]);
        expect(r.ackedSeq).toBe(9);
        expect((await store.listStreams(SITE_A))[0]!.ackedSeq).toBe(9);
      });

      it('a member with open visits at two sites becomes an overlap case, alerted', async () => {
        const store = await open();
        const a = new TestStream(SITE_A);
        const b = new TestStream(SITE_B);
        const visitA = newId();
        const visitB = newId();
        await ingest(store, a, [a.checkIn(1, 'm-0001', visitA), a.guestCheckIn(2)]);
        expect(await store.listOverlaps(10)).toEqual([]);
        await ingest(store, b, [b.checkIn(1, 'm-0001', visitB)], ctxAt(T0 + 60_000));
        expect(await store.listOverlaps(10)).toEqual([{ id: expect.any(Number), memberId: 'm-0001', visitA, siteA: SITE_A, visitB, siteB: SITE_B, detectedAt: isoAt(T0 + 60_000) }]);
        expect(await store.listAlerts(10)).toEqual([{ id: expect.any(Number), kind: 'overlap', siteId: SITE_B, detail: expect.stringContaining('m-0001'), at: isoAt(T0 + 60_000) }]);
        // Both visits are kept: conflicts are facts, not overwrites.
        expect(await store.countEvents()).toBe(3);
        // Checked out at both: a new visit at A is no case; nor a second visit at the same site,
        // nor another member, nor a guest.
        await ingest(store, a, [a.checkOut(3, visitA)]);
        await ingest(store, b, [b.checkOut(2, visitB), b.checkIn(3, 'm-0002')]);
        await ingest(store, a, [a.checkIn(4, 'm-0001'), a.checkIn(5, 'm-0001'), a.guestCheckIn(6)]);
        expect(await store.listOverlaps(10)).toHaveLength(1);
        // A visit opened and closed within one upload is not open any more.
        const brief = newId();
        await ingest(store, b, [b.checkIn(4, 'm-0003', brief), b.checkOut(5, brief)]);
        await ingest(store, a, [a.checkIn(7, 'm-0003')]);
        expect(await store.listOverlaps(10)).toHaveLength(1);
        // Open at B (m-0002), then at A in an upload that closes another visit first: a case.
        await ingest(store, a, [a.shift(8), a.checkIn(9, 'm-0002')]);
        expect((await store.listOverlaps(10)).map((o) => [o.memberId, o.siteA, o.siteB])).toEqual([
          ['m-0001', SITE_A, SITE_B],
          ['m-0002', SITE_B, SITE_A],
        ]);
      });
    });

    describe('reference data', () => {
      const site = (id: string, stars = 2) => ({ id, stars });
      const put = (store: HubStore, entity: 'site' | 'member' | 'badge', key: string, data: unknown, at = isoAt(T0)) => store.putReference([{ entity, key, data }], at);

      it('putReference gives increasing cursors; a tombstone hides the entity', async () => {
        const store = await open();
        expect(await store.putReference([], isoAt(T0))).toBe(0);
        const c1 = await store.putReference(
          [
            { entity: 'site', key: SITE_A, data: site(SITE_A) },
            { entity: 'member', key: 'm-0001', data: { id: 'm-0001', status: 'active' } },
            { entity: 'badge', key: '04A1B2C3', data: { uid: '04A1B2C3', memberId: 'm-0001', status: 'active' } },
          ],
          isoAt(T0),
        );
        expect(c1).toBe(3);
        const c2 = await put(store, 'badge', '04A1B2C3', { uid: '04A1B2C3', memberId: 'm-0001', status: 'lost' });
        expect(c2).toBe(4);
        expect(await store.getReference('badge', '04A1B2C3')).toEqual({ uid: '04A1B2C3', memberId: 'm-0001', status: 'lost' });
        expect(await store.getReference('badge', 'nope')).toBeUndefined();
        const c3 = await put(store, 'member', 'm-0001', null);
        expect(c3).toBe(5);
        expect(await store.getReference('member', 'm-0001')).toBeNull();
        expect(await store.listReference('member')).toEqual([]);
        expect(await store.putReference([], isoAt(T0))).toBe(5);
        // A key changed twice in one call: the last change wins, every change takes a cursor.
        const c4 = await store.putReference(
          [
            { entity: 'site', key: SITE_B, data: site(SITE_B, 1) },
            { entity: 'site', key: SITE_B, data: site(SITE_B, 3) },
          ],
          isoAt(T0),
        );
        expect(c4).toBe(7);
        expect(await store.listReference('site')).toEqual([site(SITE_A), site(SITE_B, 3)]);
        const page = await store.referencePage(5, false, 100);
        expect(page.changes).toEqual([{ entity: 'site', key: SITE_B, data: site(SITE_B, 3), cursor: 7 }]);
        expect(page.cursor).toBe(7);
      });

      it('referencePage returns the changes after a cursor, tombstones included, page by page', async () => {
        const store = await open();
        await store.putReference(
          ['a', 'b', 'c', 'd'].map((k) => ({ entity: 'member' as const, key: k, data: { id: k } })),
          isoAt(T0),
        );
        const stationCursor = 4;
        await put(store, 'member', 'b', null); // 5
        await put(store, 'member', 'c', { id: 'c', status: 'blocked' }); // 6
        await put(store, 'site', SITE_A, site(SITE_A)); // 7
        const p1 = await store.referencePage(stationCursor, false, 2);
        expect(p1).toEqual({
          changes: [
            { entity: 'member', key: 'b', data: null, cursor: 5 },
            { entity: 'member', key: 'c', data: { id: 'c', status: 'blocked' }, cursor: 6 },
          ],
          cursor: 6,
          snapshot: false,
          more: true,
        });
        const p2 = await store.referencePage(p1.cursor, false, 2);
        expect(p2).toEqual({ changes: [{ entity: 'site', key: SITE_A, data: site(SITE_A), cursor: 7 }], cursor: 7, snapshot: false, more: false });
        expect(await store.referencePage(7, false, 2)).toEqual({ changes: [], cursor: 7, snapshot: false, more: false });
        // No cursor: everything alive, as a snapshot.
        const all = await store.referencePage(null, false, 100);
        expect(all.snapshot).toBe(true);
        expect(all.changes.map((c) => c.key)).toEqual(['a', 'd', 'c', SITE_A]);
        expect(all.cursor).toBe(7);
      });

      it('after compaction an old cursor gets a full snapshot of the live entities, without tombstones, page by page', async () => {
        const store = await open();
        const old = isoAt(Date.parse('2026-01-05T00:00:00.000Z'));
        const recent = isoAt(Date.parse('2026-06-01T00:00:00.000Z'));
        await store.putReference(
          [
            { entity: 'site', key: SITE_A, data: site(SITE_A) },
            { entity: 'site', key: SITE_B, data: site(SITE_B) },
            { entity: 'member', key: 'm-1', data: { id: 'm-1' } },
            { entity: 'member', key: 'm-2', data: { id: 'm-2' } },
            { entity: 'member', key: 'm-3', data: { id: 'm-3' } },
          ],
          old,
        ); // 1..5
        const staleStation = 5;
        await put(store, 'member', 'm-2', null, old); // 6: a tombstone the stale station never saw
        await put(store, 'member', 'm-3', { id: 'm-3', status: 'blocked' }, old); // 7
        const upToDate = 7;
        await put(store, 'member', 'm-1', null, recent); // 8: a recent tombstone
        await put(store, 'badge', 'B1', { uid: 'B1', memberId: 'm-3' }, recent); // 9

        expect(await store.compactReference('2026-03-01T00:00:00.000Z')).toEqual({ removed: 1, minCursor: 7 });
        expect(await store.getReference('member', 'm-2')).toBeUndefined();
        expect(await store.getReference('member', 'm-1')).toBeNull();

        // The stale station: a snapshot of everything alive, however old, in pages.
        const pages = [];
        let page = await store.referencePage(staleStation, false, 1);
        pages.push(page);
        while (page.more) {
          page = await store.referencePage(page.cursor, true, 1);
          pages.push(page);
        }
        expect(pages.every((p) => p.snapshot)).toBe(true);
        expect(pages.map((p) => p.more)).toEqual([true, true, true, false]);
        const changes = pages.flatMap((p) => p.changes);
        expect(changes.every((c) => c.data !== null)).toBe(true);
        expect(changes.map((c) => `${c.entity}/${c.key}`).sort()).toEqual(['badge/B1', `site/${SITE_A}`, `site/${SITE_B}`, 'member/m-3'].sort());
        expect(page.cursor).toBe(9);

        // A station that saw the compacted tombstone still gets changes, the recent tombstone too.
        const p = await store.referencePage(upToDate, false, 100);
        expect(p).toEqual({
          changes: [
            { entity: 'member', key: 'm-1', data: null, cursor: 8 },
            { entity: 'badge', key: 'B1', data: { uid: 'B1', memberId: 'm-3' }, cursor: 9 },
          ],
          cursor: 9,
          snapshot: false,
          more: false,
        });
        // Compacting again removes nothing more; the limit stays.
        expect(await store.compactReference('2026-03-01T00:00:00.000Z')).toEqual({ removed: 0, minCursor: 7 });
        expect(await store.compactReference('2026-07-01T00:00:00.000Z')).toEqual({ removed: 1, minCursor: 9 });
        expect((await store.referencePage(upToDate, false, 100)).snapshot).toBe(true);
        expect((await store.referencePage(9, false, 100)).snapshot).toBe(false);
      });
    });

    describe('accounts', () => {
      it('keeps a stream watermark that never moves back; an unknown stream is known from it only when its site has none', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        await ingest(store, s, s.shifts(1, 2));
        await store.markCaughtUp(s.stream, '2026-11-24T10:00:00.000Z');
        await store.markCaughtUp(s.stream, '2026-11-24T09:00:00.000Z');
        // A new epoch of a known site: left to its first upload (which raises the epoch-change alert).
        const restored = new TestStream(SITE_A);
        await store.markCaughtUp(restored.stream, '2026-11-24T11:00:00.000Z');
        expect((await store.listStreams()).map((x) => [x.siteId, x.epoch, x.ackedSeq, x.caughtUpAt])).toEqual([[SITE_A, s.stream.epoch, 2, '2026-11-24T10:00:00.000Z']]);
        // A new site's station that has written nothing yet: known, nothing acked, its watermark kept.
        const fresh = new TestStream(SITE_B);
        await store.markCaughtUp(fresh.stream, '2026-11-24T10:00:00.000Z');
        await store.markCaughtUp(fresh.stream, '2026-11-24T10:30:00.000Z');
        await store.markCaughtUp(new TestStream(SITE_B).stream, '2026-11-24T10:45:00.000Z');
        expect((await store.listStreams(SITE_B)).map((x) => [x.epoch, x.ackedSeq, x.caughtUpAt])).toEqual([[fresh.stream.epoch, 0, '2026-11-24T10:30:00.000Z']]);
        expect(await store.streamAckedSeq(fresh.stream)).toBe(0);
        // Its first upload continues that stream, with no epoch-change alert.
        expect((await ingest(store, fresh, fresh.shifts(1, 2))).ackedSeq).toBe(2);
        expect(await store.listAlerts(10)).toEqual([]);
        // And the restored epoch of site A, on its first upload, is alerted as before.
        await ingest(store, restored, restored.shifts(1, 1));
        expect((await store.listAlerts(10)).map((a) => [a.kind, a.siteId])).toEqual([['epoch_change', SITE_A]]);
      });

      it('hands over the accepted events of some types in a wall-time window', async () => {
        const store = await open();
        const a = new TestStream(SITE_A);
        const b = new TestStream(SITE_B);
        const visit = newId();
        await ingest(store, a, [a.checkIn(1, 'm-0001', visit), a.coffee(2, visit), a.shift(3), a.checkOut(10, visit)]);
        await ingest(store, b, [b.coffee(1), b.coffee(5)]);
        const from = isoAt(T0 + 2000);
        const to = isoAt(T0 + 10_000);
        const got: AccountingEvent[] = [];
        expect(await store.accountingEvents({ types: ['consumption.recorded', 'visit.checked_out'], wallFrom: from, wallTo: to }, (e) => got.push(e))).toBe(2);
        const at = (e: AccountingEvent) => (e.payload as { at: string }).at;
        expect(got.map((e) => [e.siteId, e.type, at(e)]).sort((x, y) => (x[2]! < y[2]! ? -1 : 1))).toEqual([
          [SITE_A, 'consumption.recorded', isoAt(T0 + 2000)],
          [SITE_B, 'consumption.recorded', isoAt(T0 + 5000)],
        ]);
        expect((got.find((e) => e.siteId === SITE_A)!.payload as { visitId: string }).visitId).toBe(visit);
        expect(await store.accountingEvents({ types: [], wallFrom: from, wallTo: to }, (e) => got.push(e))).toBe(0);
      });

      it("finds a site's first device-health event, whatever came before it, and nothing for a site that sent none", async () => {
        const store = await open();
        const a = new TestStream(SITE_A);
        const b = new TestStream(SITE_B);
        const at = (seq: number) => isoAt(T0 + seq * 1000);
        await ingest(store, a, [
          ...a.shifts(1, 3),
          a.event(4, 'print.failed', { jobId: newId(), kind: 'receipt', deviceId: 'till', reason: 'the printer was removed', at: at(4) }),
          a.event(5, 'device.fault', { deviceId: 'desk', kind: 'reader', connection: 'serial', reason: 'unplugged', at: at(5) }),
        ]);
        // Every stream of the site counts: here another epoch holds the earliest.
        const a2 = new TestStream(SITE_A);
        await ingest(store, a2, [a2.event(1, 'device.monitored', { deviceId: 'desk', kind: 'reader', connection: 'serial', at: at(1) })]);
        await ingest(store, b, b.shifts(1, 2));
        expect(await store.firstDeviceEventAt(SITE_A)).toBe(at(1));
        expect(await store.firstDeviceEventAt(SITE_B)).toBeUndefined();
        await ingest(store, b, [b.event(3, 'device.recovered', { deviceId: 'till', kind: 'printer', at: at(3), downMinutes: 12 })]);
        expect(await store.firstDeviceEventAt(SITE_B)).toBe(at(3));
      });

      it('stores a closed period once: a second close of the same month changes nothing', async () => {
        const store = await open();
        expect(await store.saveClosedPeriod({ period: '2026-10', closedAt: '2026-11-04T12:00:00.000Z', data: { statements: [1, 2] } })).toBe(true);
        expect(await store.saveClosedPeriod({ period: '2026-10', closedAt: '2026-11-05T12:00:00.000Z', data: { statements: [] } })).toBe(false);
        expect(await store.getClosedPeriod('2026-10')).toEqual({ period: '2026-10', closedAt: '2026-11-04T12:00:00.000Z', data: { statements: [1, 2] } });
        expect(await store.getClosedPeriod('2026-11')).toBeUndefined();
        expect(await store.listClosedPeriods()).toEqual([{ period: '2026-10', closedAt: '2026-11-04T12:00:00.000Z' }]);
      });
    });

    describe('two hub processes on one database', () => {
      it('overlapping batches of one stream ingested at once store each event once, with the right ack', async () => {
        const one = await open();
        const two = await another(one);
        for (let round = 0; round < 4; round++) {
          const s = new TestStream(SITE_A);
          const events = s.shifts(1, 450);
          const [r1, r2] = await Promise.all([ingest(one, s, events.slice(0, 300)), ingest(two, s, events.slice(149))]);
          expect(Math.max(r1.ackedSeq, r2.ackedSeq)).toBe(450);
          expect(r1.quarantined).toEqual([]);
          expect(r2.quarantined).toEqual([]);
          expect(await seqsOf(one, s)).toEqual(events.map((e) => e.seq));
          expect(await two.streamAckedSeq(s.stream)).toBe(450);
        }
        expect(await one.countEvents()).toBe(4 * 450);
        expect(await two.listQuarantine(10)).toEqual([]);
        // Only the second round's and later streams of the site are new epochs: one alert each.
        expect((await one.listAlerts(10)).map((a) => a.kind)).toEqual(['epoch_change', 'epoch_change', 'epoch_change']);
      });

      it('one member checked in at two sites at once, through two processes, makes one overlap case', async () => {
        const one = await open();
        const two = await another(one);
        const a = new TestStream(SITE_A);
        const b = new TestStream(SITE_B);
        for (let i = 1; i <= 6; i++) {
          const member = `m-${i}`;
          await Promise.all([ingest(one, a, [a.shift(2 * i - 1), a.checkIn(2 * i, member)]), ingest(two, b, [b.shift(2 * i - 1), b.checkIn(2 * i, member)])]);
        }
        const cases = await one.listOverlaps(100);
        expect(cases.map((c) => c.memberId)).toEqual(['m-1', 'm-2', 'm-3', 'm-4', 'm-5', 'm-6']);
      });

      it('two sites creating the same visit id at once, through two processes: one owns it, the other is refused', async () => {
        const one = await open();
        const two = await another(one);
        const a = new TestStream(SITE_A);
        const b = new TestStream(SITE_B);
        for (let i = 1; i <= 8; i++) {
          const visit = newId();
          const [ra, rb] = await Promise.all([ingest(one, a, [a.checkIn(i, 'm-0001', visit)]), ingest(two, b, [b.checkIn(i, 'm-0002', visit)])]);
          expect([ra.ackedSeq, rb.ackedSeq]).toEqual([i, i]);
          const refused = [...ra.rejected, ...rb.rejected];
          expect(refused, `round ${i}`).toHaveLength(1);
          expect(refused[0]!.reason).toMatch(new RegExp(`^creates visit ${visit}, already a visit of site (${SITE_A}|${SITE_B})`));
        }
      });

      it('a reader following the cursor misses no change while two processes write reference data', async () => {
        const one = await open();
        const two = await another(one);
        const reader = await another(one);
        const written: string[] = [];
        const writer = async (store: HubStore, name: string) => {
          for (let i = 0; i < 60; i++) {
            const key = `${name}-${i}`;
            await store.putReference([{ entity: 'member', key, data: { id: key } }], isoAt(T0));
            written.push(key);
          }
        };
        const seen = new Set<string>();
        let cursor = 0;
        let done = false;
        const cursors: number[] = [];
        const follow = async () => {
          const page = await reader.referencePage(cursor, false, 1000);
          expect(page.snapshot).toBe(false);
          for (const c of page.changes) {
            expect(c.cursor).toBeGreaterThan(cursor);
            seen.add(c.key);
          }
          cursors.push(page.cursor);
          cursor = page.cursor;
        };
        const following = (async () => {
          while (!done) await follow();
        })();
        await Promise.all([writer(one, 'one'), writer(two, 'two')]);
        done = true;
        await following;
        await follow();
        expect(cursor).toBe(120);
        expect([...seen].sort()).toEqual([...written].sort());
        expect(cursors).toEqual([...cursors].sort((x, y) => x - y));
      });
    });

    describe('references across sites', () => {
      // A station may only name visits, lines, guests and members of its own site (BRIEF, "Who may do
      // what"): another site's are refused as ordinary rejected events, never blocking the stream.
      const voidOf = (s: TestStream, seq: number, line: StationEvent, visitId = newId()) =>
        s.event(seq, 'consumption.voided', {
          consumptionId: newId(), voidsConsumptionId: idOf(line, 'consumptionId'), visitId, netCents: -250, vatCents: -15, grossCents: -265, reason: 'wrong key', at: isoAt(T0 + seq * 1000),
        });
      const guestOf = (s: TestStream, seq: number, guestId = newId(), hostMemberId?: string) =>
        s.event(seq, 'guest.registered', { guestId, firstName: 'Gaston', lastName: 'Lagaffe', ...(hostMemberId ? { hostMemberId } : {}), consentAt: isoAt(T0), retentionUntil: '2026-12-31' });
      const purgeOf = (s: TestStream, seq: number, guestId: string) => s.event(seq, 'guest.purged', { guestId, retentionUntil: '2026-12-31', at: isoAt(T0 + seq * 1000) });
      const signUpOf = (s: TestStream, seq: number, memberId = `m-${newId()}`) =>
        s.event(seq, 'member.signed_up', {
          memberId,
          siteId: s.siteId,
          person: { firstName: 'Lucie', lastName: 'Verbeke', email: 'lucie@example.be', language: 'nl' },
          payer: { kind: 'company', payerId: 'p-acme' },
          consent: { termsVersion: 'terms-1', privacyVersion: 'privacy-1', acceptedAt: isoAt(T0) },
          signedUpOn: '2026-11-24',
          at: isoAt(T0 + seq * 1000),
        });
      const badgeFor = (s: TestStream, seq: number, memberId: string) => s.event(seq, 'badge.assigned', { uid: `04${String(seq).padStart(8, '0')}`, memberId, kind: 'rfid', at: isoAt(T0 + seq * 1000) });
      const idOf = (e: StationEvent, field: string) => (e.payload as unknown as Record<string, string>)[field]!;
      const statusOf = async (store: HubStore, e: StationEvent) => {
        const stored = (await store.listEvents({ limit: 1000 })).find((x) => x.id === e.id)!;
        return { status: stored.status, ...(stored.reason ? { reason: stored.reason } : {}) };
      };
      const rejectedAs = (e: StationEvent, reason: string) => ({ seq: e.seq, id: e.id, reason });
      /** A guest's registration kept until a day before the tests' hub clock. */
      const expiredRegistration = (s: TestStream, seq: number, guestId: string, firstName: string, lastName: string) =>
        s.event(seq, 'guest.registered', { guestId, firstName, lastName, consentAt: isoAt(T0), retentionUntil: '2026-11-20' });

      it("refuses a void of another site's consumption line; the line stays unvoided and the stream goes on", async () => {
        const store = await open();
        const a = new TestStream(SITE_A);
        const b = new TestStream(SITE_B);
        const visit = newId();
        const line = a.coffee(2, visit);
        await ingest(store, a, [a.checkIn(1, 'm-0001', visit), line]);
        const forged = voidOf(b, 2, line);
        const r = await ingest(store, b, [b.shift(1), forged, b.shift(3)]);
        const reason = `names consumption line ${idOf(line, 'consumptionId')} of site ${SITE_A}, not of this site (${SITE_B})`;
        expect(r).toEqual({ ackedSeq: 3, rejected: [rejectedAs(forged, reason)], quarantined: [] });
        // Kept as it came, for the operator: its type, payload and times, rejected with the reason.
        expect((await store.listEvents({ siteId: SITE_B, status: 'rejected', limit: 10 })).map((e) => [e.id, e.type, e.payload, e.wallTime, e.reason])).toEqual([
          [forged.id, 'consumption.voided', forged.payload, forged.wallTime, reason],
        ]);
        const voids: AccountingEvent[] = [];
        await store.accountingEvents({ types: ['consumption.voided'], wallFrom: isoAt(T0), wallTo: isoAt(T0 + 86_400_000) }, (e) => voids.push(e));
        expect(voids).toEqual([]);
        expect(await store.listQuarantine(10)).toEqual([]);
        // The owning site voids its own line, in a later upload, and a void of that void is its too.
        const own = voidOf(a, 3, line, visit);
        expect(await ingest(store, a, [own, voidOf(a, 4, own, visit)])).toEqual({ ackedSeq: 4, rejected: [], quarantined: [] });
        // Nor may another site void that compensating line.
        const again = voidOf(b, 4, own);
        expect((await ingest(store, b, [again])).rejected).toEqual([rejectedAs(again, `names consumption line ${idOf(own, 'consumptionId')} of site ${SITE_A}, not of this site (${SITE_B})`)]);
      });

      it("refuses a purge of another site's guest: the registration keeps its data until its own site purges it", async () => {
        const store = await open();
        const a = new TestStream(SITE_A);
        const b = new TestStream(SITE_B);
        const registration = guestOf(a, 1);
        const guestId = idOf(registration, 'guestId');
        await ingest(store, a, [registration]);
        const forged = purgeOf(b, 1, guestId);
        expect((await ingest(store, b, [forged])).rejected).toEqual([rejectedAs(forged, `names guest ${guestId} of site ${SITE_A}, not of this site (${SITE_B})`)]);
        const [stored] = await store.listEvents({ siteId: SITE_A, limit: 10 });
        expect(stored!.payload).toMatchObject({ firstName: 'Gaston', lastName: 'Lagaffe' });
        // Nor may another site check the guest in, nor bill a line to them.
        const checkIn = b.event(2, 'visit.checked_in', { visitId: newId(), siteId: SITE_B, person: { kind: 'guest', guestId }, at: isoAt(T0), by: 'staff' });
        const line = b.event(3, 'consumption.recorded', { ...(b.coffee(3).payload as EventPayload<'consumption.recorded'>), memberId: undefined, guestId });
        expect((await ingest(store, b, [checkIn, line])).rejected.map((x) => x.reason)).toEqual([
          `names guest ${guestId} of site ${SITE_A}, not of this site (${SITE_B})`,
          `names guest ${guestId} of site ${SITE_A}, not of this site (${SITE_B})`,
        ]);
        // Its own site purges it.
        expect((await ingest(store, a, [purgeOf(a, 2, guestId)])).rejected).toEqual([]);
        expect((await store.listEvents({ siteId: SITE_A, limit: 10 }))[0]!.payload).not.toHaveProperty('lastName');
      });

      it("refuses a check-out or a void of another site's visit, which stays open there", async () => {
        const store = await open();
        const a = new TestStream(SITE_A);
        const b = new TestStream(SITE_B);
        const visit = newId();
        await ingest(store, a, [a.checkIn(1, 'm-0001', visit)]);
        const checkOut = b.checkOut(1, visit);
        const voided = b.event(2, 'visit.voided', { visitId: visit, reason: 'duplicate', at: isoAt(T0 + 2000) });
        const reason = `names visit ${visit} of site ${SITE_A}, not of this site (${SITE_B})`;
        expect(await ingest(store, b, [checkOut, voided])).toEqual({ ackedSeq: 2, rejected: [rejectedAs(checkOut, reason), rejectedAs(voided, reason)], quarantined: [] });
        // Still open at A: the member checking in at B is an overlap case.
        await ingest(store, b, [b.checkIn(3, 'm-0001')]);
        expect((await store.listOverlaps(10)).map((o) => [o.visitA, o.siteA, o.siteB])).toEqual([[visit, SITE_A, SITE_B]]);
        // Nor may another site bill a line to that visit.
        const line = b.coffee(4, visit);
        expect((await ingest(store, b, [line])).rejected).toEqual([rejectedAs(line, reason)]);
      });

      it('refuses a check-in that says it happened at another site, and opens no visit', async () => {
        const store = await open();
        const b = new TestStream(SITE_B);
        const elsewhere = b.event(1, 'visit.checked_in', { visitId: newId(), siteId: SITE_A, person: { kind: 'member', memberId: 'm-0001' }, at: isoAt(T0 + 1000), by: 'badge' });
        expect(await ingest(store, b, [elsewhere])).toEqual({ ackedSeq: 1, rejected: [rejectedAs(elsewhere, `records a visit at site ${SITE_A}, not at this site (${SITE_B})`)], quarantined: [] });
        // No visit opened at A: the member checking in there overlaps nothing.
        const a = new TestStream(SITE_A);
        await ingest(store, a, [a.checkIn(1, 'm-0001')]);
        expect(await store.listOverlaps(10)).toEqual([]);
      });

      it("refuses an event that creates an id another site created: a visit, a line, a guest, a member", async () => {
        const store = await open();
        const a = new TestStream(SITE_A);
        const b = new TestStream(SITE_B);
        const visit = newId();
        const line = a.coffee(2, visit);
        const guest = guestOf(a, 3);
        const member = signUpOf(a, 4);
        await ingest(store, a, [a.checkIn(1, 'm-0001', visit), line, guest, member]);
        const sameVisit = b.checkIn(1, 'm-0002', visit);
        const sameLine = b.event(2, 'consumption.recorded', { ...(b.coffee(2).payload as EventPayload<'consumption.recorded'>), consumptionId: idOf(line, 'consumptionId') });
        const sameGuest = guestOf(b, 3, idOf(guest, 'guestId'));
        const sameMember = signUpOf(b, 4, idOf(member, 'memberId'));
        const r = await ingest(store, b, [sameVisit, sameLine, sameGuest, sameMember]);
        expect(r.ackedSeq).toBe(4);
        expect(r.rejected.map((x) => x.reason)).toEqual([
          `creates visit ${visit}, already a visit of site ${SITE_A}, not of this site (${SITE_B})`,
          `creates consumption line ${idOf(line, 'consumptionId')}, already a consumption line of site ${SITE_A}, not of this site (${SITE_B})`,
          `creates guest ${idOf(guest, 'guestId')}, already a guest of site ${SITE_A}, not of this site (${SITE_B})`,
          `creates member ${idOf(member, 'memberId')}, already a member of site ${SITE_A}, not of this site (${SITE_B})`,
        ]);
        // A refused sign-up is no sign-up to decide, and a refused check-in opened no visit at B.
        expect((await store.pendingSignups(10)).map((e) => e.id)).toEqual([member.id]);
        await ingest(store, a, [a.checkIn(5, 'm-0002')]);
        expect(await store.listOverlaps(10)).toEqual([]);
        // The same site creating its own id again is no clash (a guest registered again).
        expect((await ingest(store, a, [guestOf(a, 6, idOf(guest, 'guestId'))])).rejected).toEqual([]);
      });

      it('refuses naming a provisional member of another site; a member confirmed into the network roams, a deleted one does not', async () => {
        const store = await open();
        const a = new TestStream(SITE_A);
        const b = new TestStream(SITE_B);
        const signUp = signUpOf(a, 1);
        const memberId = idOf(signUp, 'memberId');
        await ingest(store, a, [signUp]);
        const reason = `names member ${memberId} of site ${SITE_A} (signed up there, not yet a network member), not of this site (${SITE_B})`;
        const line = b.coffee(4);
        const forged = [b.checkIn(1, memberId), badgeFor(b, 2, memberId), guestOf(b, 3, newId(), memberId), { ...line, payload: { ...line.payload, memberId } } as StationEvent];
        expect(await ingest(store, b, forged)).toEqual({ ackedSeq: 4, rejected: forged.map((e) => rejectedAs(e, reason)), quarantined: [] });
        // Its own site names it freely.
        expect((await ingest(store, a, [a.checkIn(2, memberId), badgeFor(a, 3, memberId)])).rejected).toEqual([]);

        // Confirmed into the network's reference data (as the hub decides a sign-up): every site may name them.
        await store.putReference([{ entity: 'member', key: memberId, data: { id: memberId, status: 'active', homeSiteId: SITE_A } }], isoAt(T0));
        const roaming = b.checkIn(5, memberId);
        expect(await ingest(store, b, [roaming, badgeFor(b, 6, memberId)])).toEqual({ ackedSeq: 6, rejected: [], quarantined: [] });
        expect(await statusOf(store, roaming)).toEqual({ status: 'accepted' });
        // Deleted from it (a tombstone): a member of their signing site again.
        await store.putReference([{ entity: 'member', key: memberId, data: null }], isoAt(T0));
        expect((await ingest(store, b, [b.checkIn(7, memberId)])).rejected.map((x) => x.reason)).toEqual([reason]);
        // A member the network holds who signed up nowhere (made by an operator), or an id unknown everywhere: accepted as ever.
        await store.putReference([{ entity: 'member', key: 'm0004', data: { id: 'm0004', status: 'active' } }], isoAt(T0));
        expect((await ingest(store, b, [b.checkIn(8, 'm0004'), b.checkIn(9, 'm-nobody-knows'), b.checkOut(10, newId())])).rejected).toEqual([]);
      });

      it('accepts what an upload names after creating it earlier in the same upload; a refused creation creates nothing', async () => {
        const store = await open();
        const a = new TestStream(SITE_A);
        const b = new TestStream(SITE_B);
        const visit = newId();
        const guest = guestOf(b, 1);
        const signUp = signUpOf(b, 2);
        const line = b.coffee(4, visit);
        const batch = [
          guest,
          signUp,
          b.checkIn(3, idOf(signUp, 'memberId'), visit),
          line,
          voidOf(b, 5, line, visit),
          // The same guest registered again by their own site, in the same upload.
          guestOf(b, 6, idOf(guest, 'guestId')),
          purgeOf(b, 7, idOf(guest, 'guestId')),
          b.checkOut(8, visit),
        ];
        expect(await ingest(store, b, batch)).toEqual({ ackedSeq: 8, rejected: [], quarantined: [] });
        // Owned by B from then on.
        const forged = a.checkOut(1, visit);
        expect((await ingest(store, a, [forged])).rejected).toEqual([rejectedAs(forged, `names visit ${visit} of site ${SITE_B}, not of this site (${SITE_A})`)]);

        // A check-in refused for reusing B's visit id leaves it B's: A's check-out of it in the same upload is refused too.
        const stolen = a.checkIn(2, 'm-0001', visit);
        const closing = a.checkOut(3, visit);
        expect((await ingest(store, a, [stolen, closing])).rejected.map((x) => x.seq)).toEqual([2, 3]);
      });

      it('a resend is recognised as a resend: a refused event is refused again, stored once; an accepted one is not judged again', async () => {
        const store = await open();
        const a = new TestStream(SITE_A);
        const b = new TestStream(SITE_B);
        const visit = newId();
        const line = a.coffee(2, visit);
        await ingest(store, a, [a.checkIn(1, 'm-0001', visit), line]);
        const forged = voidOf(b, 2, line);
        const batch = [b.shift(1), forged, b.shift(3)];
        const first = await ingest(store, b, batch);
        expect(first.rejected).toHaveLength(1);
        // Its ack lost, the station sends the batch again.
        expect(await ingest(store, b, batch, ctxAt(T0 + 60_000))).toEqual(first);
        expect(await store.countEvents(SITE_B)).toBe(3);
        expect(await store.listQuarantine(10)).toEqual([]);
        // Another event at that seq is still a different event.
        expect((await ingest(store, b, [b.shift(2)])).quarantined.map((x) => x.seq)).toEqual([2]);

        // B checks a guest in under an id nobody owns yet (accepted); A then registers that guest id.
        const guestId = newId();
        const early = b.event(4, 'visit.checked_in', { visitId: newId(), siteId: SITE_B, person: { kind: 'guest', guestId }, at: isoAt(T0), by: 'staff' });
        expect((await ingest(store, b, [early])).rejected).toEqual([]);
        expect((await ingest(store, a, [guestOf(a, 3, guestId)])).rejected).toEqual([]);
        // B's resend of its check-in is the event stored, accepted then: not judged again.
        expect(await ingest(store, b, [early], ctxAt(T0 + 120_000))).toEqual({ ackedSeq: 4, rejected: [], quarantined: [] });
        expect(await statusOf(store, early)).toEqual({ status: 'accepted' });
      });

      it("purges a refused registration's personal data at its retention date like any other; its resend is refused again", async () => {
        const store = await open();
        const a = new TestStream(SITE_A);
        const b = new TestStream(SITE_B);
        const guestId = newId();
        await ingest(store, a, [expiredRegistration(a, 1, guestId, 'Gaston', 'Lagaffe')]);
        const reused = expiredRegistration(b, 1, guestId, 'Nora', 'Nachtwacht');
        expect((await ingest(store, b, [reused])).rejected.map((x) => x.seq)).toEqual([1]);
        expect((await store.purgeGuests({ retentionBefore: '2026-11-25' }, isoAt(T0 + 86_400_000))).guestIds).toEqual([guestId]);
        expect(JSON.stringify(await store.listEvents({ limit: 10 }))).not.toMatch(/Gaston|Lagaffe|Nora|Nachtwacht/);
        // The station, not purged yet, resends it: the same event, refused again.
        expect(await ingest(store, b, [reused])).toMatchObject({ ackedSeq: 1, rejected: [{ seq: 1, id: reused.id }], quarantined: [] });
      });

      // A hub database made before the owners were kept is filled from its events by migration 003:
      // tests/hub/migrations.test.ts, on databases made with the old code's schema.
    });

    describe('privacy', () => {
      const registered = (s: TestStream, seq: number, guestId: string, retentionUntil: string, names = { firstName: 'Gaston', lastName: 'Lagaffe' }) =>
        s.event(seq, 'guest.registered', { guestId, ...names, company: 'Spirou SA', email: 'gaston@example.be', nationality: 'Luxembourgeoise', hostMemberId: 'm-0001', consentAt: isoAt(T0), retentionUntil });
      const payloadOf = async (store: HubStore, id: string) => (await store.listEvents({ limit: 1000 })).find((e) => e.id === id)!.payload;

      it('purges the registrations past their retention date, keeping the anonymous facts; a second run finds nothing', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const [g1, g2, g3] = [newId(), newId(), newId()];
        const r1 = registered(s, 1, g1, '2026-11-20');
        const r2 = registered(s, 2, g2, '2026-11-24');
        const r3 = registered(s, 3, g3, '2026-11-30');
        await ingest(store, s, [r1, r2, r3, s.shift(4)]);
        const at = isoAt(T0 + 86_400_000);
        expect((await store.purgeGuests({ retentionBefore: '2026-11-25' }, at)).guestIds.sort()).toEqual([g1, g2].sort());
        expect(await payloadOf(store, r1.id)).toEqual({ guestId: g1, hostMemberId: 'm-0001', consentAt: isoAt(T0), retentionUntil: '2026-11-20', purgedAt: at });
        const named = (await store.listEvents({ limit: 1000 })).filter((e) => /Lagaffe|Spirou|gaston@|Luxembourgeoise/.test(JSON.stringify(e.payload)));
        expect(named.map((e) => e.id)).toEqual([r3.id]);
        expect(await payloadOf(store, r3.id)).toMatchObject({ firstName: 'Gaston', lastName: 'Lagaffe', email: 'gaston@example.be', nationality: 'Luxembourgeoise' });
        expect((await store.purgeGuests({ retentionBefore: '2026-11-25' }, isoAt(T0 + 2 * 86_400_000))).guestIds).toEqual([]);
        expect(await payloadOf(store, r1.id)).toMatchObject({ purgedAt: at });
        // By guest id, whatever the date.
        expect((await store.purgeGuests({ guestIds: [g3, newId()] }, at)).guestIds).toEqual([g3]);
        expect(await payloadOf(store, r3.id)).not.toHaveProperty('lastName');
        expect(await payloadOf(store, r3.id)).not.toHaveProperty('nationality');
      });

      it('treats a resend of a purged registration, in either form, as the same event; another name at that seq is quarantined', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const g = newId();
        const original = registered(s, 1, g, '2026-11-20');
        await ingest(store, s, [original]);
        await store.purgeGuests({ retentionBefore: '2026-11-25' }, isoAt(T0 + 86_400_000));
        // The station had not purged yet: it resends the original.
        let r = await ingest(store, s, [original]);
        expect(r).toMatchObject({ ackedSeq: 1, quarantined: [], rejected: [] });
        // The station purged (at another time) and resends its purged form.
        const purgedForm = stationEventSchema.parse({ ...original, payload: { guestId: g, hostMemberId: 'm-0001', consentAt: isoAt(T0), retentionUntil: '2026-11-20', purgedAt: isoAt(T0 + 5_000) } });
        r = await ingest(store, s, [purgedForm]);
        expect(r).toMatchObject({ ackedSeq: 1, quarantined: [], rejected: [] });
        // Other anonymous facts at the same seq are a different event.
        const other = stationEventSchema.parse({ ...original, payload: { ...original.payload, retentionUntil: '2026-12-31' } });
        r = await ingest(store, s, [other]);
        expect(r.quarantined.map((q) => q.seq)).toEqual([1]);
        expect(await store.countEvents()).toBe(1);

        // Before any purge, two registrations that differ only by name are two different events.
        const t = new TestStream(SITE_B);
        const first = registered(t, 1, newId(), '2026-11-20');
        await ingest(store, t, [first]);
        const renamed = stationEventSchema.parse({ ...first, payload: { ...first.payload, lastName: 'Autre' } });
        expect((await ingest(store, t, [renamed])).quarantined.map((q) => q.seq)).toEqual([1]);
        // Nor by nationality alone: it is part of what the guest gave, not a detail to merge over.
        const otherNationality = stationEventSchema.parse({ ...first, payload: { ...first.payload, nationality: 'Belge' } });
        expect((await ingest(store, t, [otherNationality])).quarantined.map((q) => q.seq)).toEqual([1]);
      });

      it('purges a registration when it ingests guest.purged (same batch or later), with the station’s purge time', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const [g1, g2] = [newId(), newId()];
        const r1 = registered(s, 1, g1, '2026-11-30');
        const r2 = registered(s, 2, g2, '2026-11-30');
        const purgedAt = isoAt(T0 + 60_000);
        await ingest(store, s, [r1, r2, s.event(3, 'guest.purged', { guestId: g1, retentionUntil: '2026-11-30', at: purgedAt })]);
        expect(await payloadOf(store, r1.id)).toEqual({ guestId: g1, hostMemberId: 'm-0001', consentAt: isoAt(T0), retentionUntil: '2026-11-30', purgedAt });
        expect(await payloadOf(store, r2.id)).toMatchObject({ lastName: 'Lagaffe' });
        await ingest(store, s, [s.event(4, 'guest.purged', { guestId: g2, retentionUntil: '2026-11-30', at: isoAt(T0 + 120_000) })]);
        expect(await payloadOf(store, r2.id)).toEqual({ guestId: g2, hostMemberId: 'm-0001', consentAt: isoAt(T0), retentionUntil: '2026-11-30', purgedAt: isoAt(T0 + 120_000) });
        expect((await store.listStreams())[0]!.ackedSeq).toBe(4);
      });

      it('a guest.purged reaches what its own batch stored: the registration, and a quarantined copy of it, whatever their order; two purges of one guest take the first time', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const g = newId();
        const r = registered(s, 1, g, '2026-11-30');
        await ingest(store, s, [r]);
        // Another name at seq 1 (quarantined), then the purge, then a registration of another guest purged before it is stored.
        const impostor = stationEventSchema.parse({ ...r, id: newId(), payload: { ...r.payload, firstName: 'Gastounet' } });
        const h = newId();
        const [first, second] = [isoAt(T0 + 60_000), isoAt(T0 + 120_000)];
        const late = registered(s, 4, h, '2026-11-30', { firstName: 'Nora', lastName: 'Nachtwacht' });
        const result = await ingest(store, s, [
          impostor,
          s.event(2, 'guest.purged', { guestId: g, retentionUntil: '2026-11-30', at: first }),
          s.event(3, 'guest.purged', { guestId: h, retentionUntil: '2026-11-30', at: first }),
          late,
          s.event(5, 'guest.purged', { guestId: g, retentionUntil: '2026-11-30', at: second }),
        ]);
        expect(result).toMatchObject({ ackedSeq: 5, rejected: [], quarantined: [{ seq: 1 }] });
        expect(await payloadOf(store, r.id)).toEqual({ guestId: g, hostMemberId: 'm-0001', consentAt: isoAt(T0), retentionUntil: '2026-11-30', purgedAt: first });
        expect(await payloadOf(store, late.id)).toEqual({ guestId: h, hostMemberId: 'm-0001', consentAt: isoAt(T0), retentionUntil: '2026-11-30', purgedAt: first });
        const [q] = await store.listQuarantine(10);
        expect(q!.raw).not.toMatch(/Gastounet|Lagaffe/);
        expect(JSON.parse(q!.raw).payload).toMatchObject({ guestId: g, purgedAt: first });
      });

      it("a guest's rejected and quarantined copies go with their purge: parsed ones to the purged form, others replaced by a notice; by id, by date, and at guest.purged", async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const [g1, g2, g3] = [newId(), newId(), newId()];
        const accepted = registered(s, 1, g1, '2026-11-30');
        // The same seq again with another name: quarantined, its raw text kept.
        const impostor = stationEventSchema.parse({ ...accepted, id: newId(), payload: { ...accepted.payload, firstName: 'Gastounet' } });
        // Refused by the schema (a consent time that is none), and cut at 10,000 characters: raw texts only.
        const badConsent = JSON.stringify({ ...registered(s, 2, g1, '2026-11-30'), payload: { ...registered(s, 2, g1, '2026-11-30').payload, consentAt: 'yesterday' } });
        const cut = JSON.stringify(registered(s, 3, g1, '2026-11-30')).slice(0, JSON.stringify(registered(s, 3, g1, '2026-11-30')).indexOf('Spirou') + 6);
        const others = JSON.stringify(registered(s, 4, g2, '2026-11-30', { firstName: 'Nora', lastName: 'Nachtwacht' }));
        // Only ever rejected (another stream's event in this upload), its retention date past.
        const strayDue = JSON.stringify(registered(new TestStream(SITE_B), 5, g3, '2026-11-20', { firstName: 'Marsupilami', lastName: 'Palombie' }));
        const rejected = (seq: number, raw: string): IngestItem => ({ kind: 'invalid', seq, reason: 'refused', raw });
        await ingest(store, s, [accepted, rejected(2, badConsent), rejected(3, cut), rejected(4, others), rejected(5, strayDue)]);
        await ingest(store, s, [impostor]);
        const texts = async () => [
          ...(await store.listQuarantine(100)).map((q) => q.raw),
          ...(await store.listEvents({ status: 'rejected', limit: 100 })).map((e) => e.payload as string),
        ];
        expect((await texts()).filter((t) => t.includes('Lagaffe'))).toHaveLength(3);
        expect((await store.heldGuests([g1, g2, g3, newId()])).sort()).toEqual([g1, g2, g3].sort());

        const at = isoAt(T0 + 86_400_000);
        expect((await store.purgeGuests({ guestIds: [g1] }, at)).guestIds).toEqual([g1]);
        const after = await texts();
        expect(after.filter((t) => /Lagaffe|Gastounet/.test(t))).toEqual([]);
        // The quarantined copy parses: purged as the stored one is, its other fields kept.
        const [q] = await store.listQuarantine(10);
        expect(JSON.parse(q!.raw)).toEqual({ ...JSON.parse(JSON.stringify(impostor)), payload: { guestId: g1, hostMemberId: 'm-0001', consentAt: isoAt(T0), retentionUntil: '2026-11-30', purgedAt: at } });
        // The refused and the cut ones: a notice naming no one.
        const rejectedNow = await store.listEvents({ status: 'rejected', limit: 10 });
        for (const seq of [2, 3]) expect(JSON.parse(rejectedNow.find((e) => e.seq === seq)!.payload as string)).toMatchObject({ redacted: expect.stringContaining(`guest ${g1} purged at ${at}`) });
        // Another guest's copy is theirs until their own purge; the stray one until its date.
        expect(after.filter((t) => t.includes('Nachtwacht'))).toHaveLength(1);
        expect((await store.heldGuests([g1, g2, g3])).sort()).toEqual([g2, g3].sort());
        expect((await store.purgeGuests({ retentionBefore: '2026-11-25' }, at)).guestIds).toEqual([]);
        expect((await texts()).filter((t) => /Marsupilami|Palombie/.test(t))).toEqual([]);
        await ingest(store, s, [s.event(6, 'guest.purged', { guestId: g2, retentionUntil: '2026-11-30', at })]);
        expect((await texts()).filter((t) => /Nora|Nachtwacht/.test(t))).toEqual([]);
        expect(await store.heldGuests([g1, g2, g3])).toEqual([]);
      });

      it("lists a member's events: check-ins, their check-outs, priced lines and voids, badge assignments — nobody else's", async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const visit = newId();
        const line = s.coffee(2, visit); // memberId m-0001
        const lineId = (line.payload as { consumptionId: string }).consumptionId;
        const events = [
          s.checkIn(1, 'm-0001', visit),
          line,
          s.event(3, 'consumption.voided', { consumptionId: newId(), voidsConsumptionId: lineId, visitId: visit, netCents: -250, vatCents: -15, grossCents: -265, reason: 'wrong key', at: isoAt(T0 + 3000) }),
          s.checkOut(4, visit),
          s.checkIn(5, 'm-0002'),
          s.event(6, 'badge.assigned', { uid: '00AA11BB22', memberId: 'm-0001', kind: 'rfid', at: isoAt(T0 + 6000) }),
          s.shift(7),
        ];
        await ingest(store, s, events);
        const mine = await store.memberEvents('m-0001');
        expect(mine.map((e) => e.seq)).toEqual([1, 2, 3, 4, 6]);
        expect(mine.map((e) => e.type)).toEqual(['visit.checked_in', 'consumption.recorded', 'consumption.voided', 'visit.checked_out', 'badge.assigned']);
        expect((await store.memberEvents('m-0002')).map((e) => e.seq)).toEqual([5]);
        expect(await store.memberEvents('nobody')).toEqual([]);
      });

      it('records an erasure: the reference changes and the audit entry together, listed by member', async () => {
        const store = await open();
        const at = isoAt(T0);
        await store.putReference([{ entity: 'member', key: 'm-0001', data: { id: 'm-0001', firstName: 'Anna' } }], at);
        const later = isoAt(T0 + 60_000);
        const audit = await store.recordErasure(
          [
            { entity: 'member', key: 'm-0001', data: { id: 'm-0001', firstName: 'Erased' } },
            { entity: 'badge', key: 'B1', data: { uid: 'B1', status: 'revoked' } },
          ],
          { memberId: 'm-0001', by: 'ops-7', reason: 'art. 17 request 2026-118' },
          later,
          () => undefined,
        );
        expect(audit).toMatchObject({ memberId: 'm-0001', by: 'ops-7', reason: 'art. 17 request 2026-118', at: later, cursor: 3 });
        expect(await store.getReference('member', 'm-0001')).toEqual({ id: 'm-0001', firstName: 'Erased' });
        const page = await store.referencePage(1, false, 100);
        expect(page.changes.map((c) => `${c.entity}:${c.key}:${c.cursor}`)).toEqual(['member:m-0001:2', 'badge:B1:3']);
        expect(await store.listErasures({ memberId: 'm-0001', limit: 10 })).toEqual([audit]);
        expect(await store.listErasures({ memberId: 'm-0002', limit: 10 })).toEqual([]);
        expect(await store.listErasures({ limit: 10 })).toEqual([audit]);
      });
    });

    describe('sign-ups (agent sale)', () => {
      const signedUp = (s: TestStream, seq: number, memberId = `m-${newId()}`) =>
        s.event(seq, 'member.signed_up', {
          memberId,
          siteId: s.siteId,
          person: { firstName: 'Lucie', lastName: 'Verbeke', email: 'lucie@example.be', language: 'nl' },
          payer: { kind: 'company', payerId: 'p-acme' },
          consent: { termsVersion: 'terms-1', privacyVersion: 'privacy-1', acceptedAt: isoAt(T0) },
          badge: { uid: '04A1B2C3D4', kind: 'rfid' },
          signedUpOn: '2026-11-24',
          at: isoAt(T0 + seq * 1000),
        });

      it('lists uploaded sign-ups until decided; a decision is recorded once, with its reference changes in the same transaction', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const first = signedUp(s, 2);
        const second = signedUp(s, 3);
        await ingest(store, s, [s.shift(1), first, second, s.checkIn(4, (first.payload as { memberId: string }).memberId)]);
        const memberOf = (e: StationEvent) => (e.payload as { memberId: string }).memberId;
        expect((await store.pendingSignups(10)).map((e) => e.id)).toEqual([first.id, second.id]);
        expect((await store.pendingSignups(1)).map((e) => e.id)).toEqual([first.id]);

        const at = isoAt(T0 + 60_000);
        const record = { memberId: memberOf(first), siteId: SITE_A, eventId: first.id, state: 'confirmed' as const, payload: first.payload, decidedAt: at };
        const changes = [
          { entity: 'member' as const, key: memberOf(first), data: { id: memberOf(first), agentSiteId: SITE_A, signedUpOn: '2026-11-24' } },
          { entity: 'signup' as const, key: `${SITE_A}/${memberOf(first)}`, data: { memberId: memberOf(first), siteId: SITE_A, outcome: 'confirmed', decidedAt: at } },
        ];
        expect(await store.recordSignup(record, changes, at)).toBe(true);
        expect(await store.getReference('member', memberOf(first))).toEqual(changes[0]!.data);
        // Decided again (a second hub process, or a restart that re-read it): nothing written.
        expect(await store.recordSignup({ ...record, state: 'refused', reason: 'payer_blocked' }, [{ entity: 'member', key: memberOf(first), data: null }], isoAt(T0 + 120_000))).toBe(false);
        expect(await store.getReference('member', memberOf(first))).toEqual(changes[0]!.data);
        expect(await store.getSignup(memberOf(first))).toEqual(record);
        expect((await store.pendingSignups(10)).map((e) => e.id)).toEqual([second.id]);

        // A store opened again (a restarted hub) sees the same: decided stays decided.
        const other = await another(store);
        expect((await other.pendingSignups(10)).map((e) => e.id)).toEqual([second.id]);
        const caseRecord = { memberId: memberOf(second), siteId: SITE_A, eventId: second.id, state: 'duplicate_case' as const, duplicateOf: 'm0004', detail: 'the same e-mail address', payload: second.payload, decidedAt: at };
        expect(await other.recordSignup(caseRecord, [], at)).toBe(true);
        expect(await store.pendingSignups(10)).toEqual([]);
        expect(await store.listSignups({ state: 'duplicate_case', limit: 10 })).toEqual([caseRecord]);
        expect((await store.listSignups({ siteId: SITE_A, limit: 10 })).map((r) => r.memberId)).toEqual([memberOf(first), memberOf(second)].sort());
        expect(await store.listSignups({ siteId: SITE_B, limit: 10 })).toEqual([]);
      });

      it("an erasure erases the member's sign-up and those merged into them, events and decisions alike, and no other", async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const M = `m-${newId()}`;
        const own = signedUp(s, 1, M);
        const merged = signedUp(s, 2);
        const other = signedUp(s, 3);
        await ingest(store, s, [own, merged, other]);
        const memberOf = (e: StationEvent) => (e.payload as { memberId: string }).memberId;
        const at = isoAt(T0 + 60_000);
        await store.recordSignup({ memberId: M, siteId: SITE_A, eventId: own.id, state: 'confirmed', payload: own.payload, decidedAt: at }, [], at);
        await store.recordSignup({ memberId: memberOf(merged), siteId: SITE_A, eventId: merged.id, state: 'duplicate_case', duplicateOf: M, payload: merged.payload, decidedAt: at }, [], at);
        await store.resolveSignup(memberOf(merged), { state: 'merged', mergedInto: M, resolvedBy: 'ops-7' }, [], at);
        await store.recordSignup({ memberId: memberOf(other), siteId: SITE_A, eventId: other.id, state: 'confirmed', payload: other.payload, decidedAt: at }, [], at);

        // A stand-in for the hub's erased form: the store only finds the rows and writes what it is given.
        const erase = (p: unknown) => ({ ...(p as object), person: { firstName: 'Erased', lastName: 'ERASED-1', email: 'erased-1@erased.invalid', language: 'nl' } });
        await store.recordErasure([], { memberId: M, by: 'ops-7', reason: 'art. 17 request' }, isoAt(T0 + 120_000), erase);

        const firstNames = async () =>
          Object.fromEntries((await store.listEvents({ siteId: SITE_A, limit: 10 })).map((e) => [(e.payload as { memberId: string }).memberId, (e.payload as { person: { firstName: string } }).person.firstName]));
        expect(await firstNames()).toEqual({ [M]: 'Erased', [memberOf(merged)]: 'Erased', [memberOf(other)]: 'Lucie' });
        for (const [id, name] of [[M, 'Erased'], [memberOf(merged), 'Erased'], [memberOf(other), 'Lucie']] as const)
          expect(((await store.getSignup(id))!.payload as { person: { firstName: string } }).person.firstName).toBe(name);
        // What is left of the erased ones is what the eraser gave, the rest of the payload as it was.
        expect((await store.getSignup(M))!.payload).toEqual({ ...own.payload, person: { firstName: 'Erased', lastName: 'ERASED-1', email: 'erased-1@erased.invalid', language: 'nl' } });
      });

      it("an erasure reaches the member's rejected and quarantined sign-up copies; another member's, and a line naming them, stay", async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const M = `m-${newId()}`;
        const own = signedUp(s, 1, M);
        // Another sign-up for M at the same seq: quarantined. A copy the schema refused: rejected.
        const impostor = stationEventSchema.parse({ ...own, id: newId(), payload: { ...own.payload, person: { firstName: 'Luciette', lastName: 'Verbeke', email: 'luciette@example.be', language: 'nl' } } });
        const refused = JSON.stringify({ ...signedUp(s, 2, M), payload: { ...signedUp(s, 2, M).payload, person: { firstName: 'Lucie', lastName: 'Verbeke', email: 'nope', language: 'nl' } } });
        const someoneElse = JSON.stringify({ ...signedUp(s, 3), payload: { ...signedUp(s, 3).payload, person: { firstName: 'Marc', lastName: 'Peeters', email: 'nope', language: 'fr' } } });
        const line = JSON.stringify({ ...s.coffee(4), payload: { ...s.coffee(4).payload, memberId: M, quantity: -1 } });
        const rejected = (seq: number, raw: string): IngestItem => ({ kind: 'invalid', seq, reason: 'refused', raw });
        await ingest(store, s, [own, rejected(2, refused), rejected(3, someoneElse), rejected(4, line)]);
        await ingest(store, s, [impostor]);
        const erase = (p: unknown) => {
          const parsed = eventPayloadSchemas['member.signed_up'].safeParse(p);
          return parsed.success ? eraseSignedUp(parsed.data, 'ERASED-0A1B2C3D4E', isoAt(T0 + 60_000), false) : undefined;
        };
        await store.recordErasure([], { memberId: M, by: 'ops-7', reason: 'art. 17 request' }, isoAt(T0 + 60_000), erase);
        const [q] = await store.listQuarantine(10);
        expect(JSON.parse(q!.raw).payload).toMatchObject({ memberId: M, person: { firstName: 'Erased', lastName: 'ERASED-0A1B2C3D4E' } });
        expect(q!.raw).not.toMatch(/Luciette|Verbeke/);
        const rejectedNow = await store.listEvents({ status: 'rejected', limit: 10 });
        const textAt = (seq: number) => rejectedNow.find((e) => e.seq === seq)!.payload as string;
        expect(JSON.parse(textAt(2))).toMatchObject({ redacted: expect.stringContaining(`member ${M} erased`) });
        expect(textAt(3)).toBe(someoneElse);
        expect(textAt(4)).toBe(line);
      });

      it('a station resending a sign-up the hub erased since is the same event; another sign-up at its seq is quarantined', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const e = signedUp(s, 1);
        await ingest(store, s, [e]);
        const memberId = (e.payload as { memberId: string }).memberId;
        const erase = (p: unknown) => eraseSignedUp(eventPayloadSchemas['member.signed_up'].parse(p), 'ERASED-0A1B2C3D4E', isoAt(T0 + 60_000), false);
        await store.recordErasure([], { memberId, by: 'ops-7', reason: 'art. 17 request' }, isoAt(T0 + 60_000), erase);
        // Its ack lost, the station sends the original again: acked, not quarantined, the erased copy kept.
        expect(await ingest(store, s, [e], ctxAt(T0 + 120_000))).toEqual({ ackedSeq: 1, rejected: [], quarantined: [] });
        const [stored] = await store.listEvents({ siteId: SITE_A, limit: 10 });
        expect(stored!.payload).toMatchObject({ person: { firstName: 'Erased', lastName: 'ERASED-0A1B2C3D4E' }, erasedAt: isoAt(T0 + 60_000) });
        // And the erased form the station makes once the erasure reaches it: the same event too.
        expect((await ingest(store, s, [{ ...e, payload: erase(e.payload) } as StationEvent], ctxAt(T0 + 180_000))).quarantined).toEqual([]);
        // Someone else's sign-up claiming the same id and seq is not the erased one.
        const other = { ...e, payload: { ...(e.payload as object), person: { firstName: 'Marc', lastName: 'Peeters', email: 'marc@example.be', language: 'fr' } } } as StationEvent;
        expect((await ingest(store, s, [other], ctxAt(T0 + 240_000))).quarantined.map((q) => q.seq)).toEqual([1]);
      });

      it('resolves a case once, with its reference changes; a decision that is no case is not resolved', async () => {
        const store = await open();
        const s = new TestStream(SITE_A);
        const e = signedUp(s, 1);
        await ingest(store, s, [e]);
        const memberId = (e.payload as { memberId: string }).memberId;
        const at = isoAt(T0 + 60_000);
        await store.recordSignup({ memberId, siteId: SITE_A, eventId: e.id, state: 'duplicate_case', duplicateOf: 'm0004', payload: e.payload, decidedAt: at }, [], at);
        const later = isoAt(T0 + 120_000);
        const merged = await store.resolveSignup(memberId, { state: 'merged', mergedInto: 'm0004', detail: 'merged into m0004', resolvedBy: 'ops-7' }, [{ entity: 'badge', key: '04A1B2C3D4', data: { uid: '04A1B2C3D4', memberId: 'm0004' } }], later);
        expect(merged).toMatchObject({ memberId, state: 'merged', mergedInto: 'm0004', duplicateOf: 'm0004', resolvedAt: later, resolvedBy: 'ops-7' });
        expect(await store.getReference('badge', '04A1B2C3D4')).toEqual({ uid: '04A1B2C3D4', memberId: 'm0004' });
        expect(await store.resolveSignup(memberId, { state: 'refused', reason: 'operator', resolvedBy: 'ops-8' }, [{ entity: 'badge', key: '04A1B2C3D4', data: null }], isoAt(T0 + 180_000))).toBeUndefined();
        expect(await store.getReference('badge', '04A1B2C3D4')).toEqual({ uid: '04A1B2C3D4', memberId: 'm0004' });
        expect(await store.resolveSignup('m-nobody', { state: 'confirmed', resolvedBy: 'ops-7' }, [], later)).toBeUndefined();
      });
    });
  });
}
