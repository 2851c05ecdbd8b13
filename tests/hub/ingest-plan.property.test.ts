// The ingest planner alone (server/store/ingest-plan.ts), against a store kept in memory and built
// only from its plans: random uploads of two sites' streams — resends, a seq or an event twice in a
// batch, other content at a seq, ids clashing across seqs and sites, invalid events, gaps, new
// epochs, visits and guests of the other site — and after each upload the rules of the sync
// protocol (../shared/BRIEF.md) hold. Every upload is sent twice: the second must change nothing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ingestReads, planIngest, type IngestPlan, type IngestSnapshot, type NewEventRow } from '../../server/store/ingest-plan.js';
import { sameEvent } from '../../server/store/same-event.js';
import { createdBy, namedBy } from '../../server/store/site-references.js';
import type { IngestContext, IngestItem, IngestResult } from '../../server/store/store.js';
import type { StationEvent, Stream } from '../../common/events.js';

const SITES = ['bxl-louise', 'gent-zuid'] as const;
const EPOCHS = ['epoch-1', 'epoch-2'] as const;
const T0 = Date.parse('2026-11-24T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

// ---- a store in memory, changed only by plans ------------------------------------------------

interface Row extends NewEventRow {
  siteId: string;
  epoch: string;
}

class ModelStore {
  /** Streams in the order they were created, with their acked seq. */
  readonly streams: { siteId: string; epoch: string; acked: number }[] = [];
  /** Rows by stream key, then seq: the unique (site, epoch, seq). */
  readonly rows = new Map<string, Map<number, Row>>();
  /** Rows by event id: the unique id. */
  readonly ids = new Map<string, Row>();
  readonly quarantine: { siteId: string; epoch: string; seq: number; raw: string; reason: string }[] = [];
  readonly alerts: { kind: string; siteId: string; detail: string }[] = [];
  readonly overlaps: { memberId: string; visitA: string; siteA: string; visitB: string; siteB: string }[] = [];
  readonly owners = new Map<string, string>();
  readonly openVisits = new Map<string, { memberId: string; siteId: string; checkedInAt: string }>();
  readonly purges: { guestId: string; at: string }[] = [];

  stream(siteId: string, epoch: string) {
    return this.streams.find((s) => s.siteId === siteId && s.epoch === epoch);
  }

  rowsOf(siteId: string, epoch: string): Map<number, Row> {
    const key = `${siteId}/${epoch}`;
    let rows = this.rows.get(key);
    if (!rows) this.rows.set(key, (rows = new Map()));
    return rows;
  }

  /** What a store reads for an upload, as both stores read it: the rows at the batch's seqs first, then what ingestReads names. */
  snapshot(siteId: string, epoch: string, items: readonly IngestItem[]): IngestSnapshot {
    const rows = this.rowsOf(siteId, epoch);
    const atSeqs = [...new Set(items.map((i) => i.seq))].flatMap((seq) => (rows.has(seq) ? [rows.get(seq)!] : []));
    const reads = ingestReads(items, atSeqs);
    return {
      streams: this.streams.filter((s) => s.siteId === siteId).map((s) => ({ epoch: s.epoch, acked_seq: s.acked })),
      atSeqs,
      byId: reads.ids.flatMap((id) => {
        const r = this.ids.get(id);
        return r ? [{ id, site_id: r.siteId, epoch: r.epoch, seq: r.seq }] : [];
      }),
      owners: (['visit', 'line', 'guest', 'member'] as const).flatMap((kind) =>
        reads.references[kind].flatMap((id) => {
          const owner = this.owners.get(`${kind}:${id}`);
          return owner === undefined ? [] : [{ kind, id, site_id: owner, network: false }];
        }),
      ),
      openElsewhere: [...this.openVisits]
        .filter(([, v]) => reads.members.includes(v.memberId) && v.siteId !== siteId)
        .sort(([a, x], [b, y]) => (x.checkedInAt < y.checkedInAt ? -1 : x.checkedInAt > y.checkedInAt ? 1 : a < b ? -1 : a > b ? 1 : 0))
        .map(([visitId, v]) => ({ visit_id: visitId, member_id: v.memberId, site_id: v.siteId })),
      quarantined: this.quarantine.filter((q) => q.siteId === siteId && q.epoch === epoch && reads.quarantineSeqs.includes(q.seq)),
    };
  }

  /** Applies a plan as a store does; throws where a database's unique constraints would. */
  apply(siteId: string, epoch: string, plan: IngestPlan): IngestResult {
    if (plan.newStream) {
      if (this.stream(siteId, epoch)) throw new Error(`stream ${siteId}/${epoch} created twice`);
      this.streams.push({ siteId, epoch, acked: 0 });
    }
    const rows = this.rowsOf(siteId, epoch);
    for (const r of plan.events) {
      if (rows.has(r.seq)) throw new Error(`seq ${r.seq} of ${siteId}/${epoch} stored twice`);
      if (this.ids.has(r.id)) throw new Error(`event id ${r.id} stored twice`);
      const row = { ...r, siteId, epoch };
      rows.set(r.seq, row);
      this.ids.set(r.id, row);
    }
    for (const o of plan.owners) {
      const key = `${o.kind}:${o.id}`;
      if (this.owners.has(key)) throw new Error(`${key} given an owner twice`);
      this.owners.set(key, siteId);
    }
    for (const x of plan.quarantines) this.quarantine.push({ siteId, epoch, seq: x.seq, raw: x.raw, reason: x.reason });
    for (const a of plan.alerts) this.alerts.push({ ...a, siteId });
    for (const o of plan.overlaps) this.overlaps.push({ ...o, siteB: siteId });
    for (const v of plan.openVisits.close) this.openVisits.delete(v);
    for (const v of plan.openVisits.open) if (!this.openVisits.has(v.visitId)) this.openVisits.set(v.visitId, { memberId: v.memberId, siteId, checkedInAt: v.checkedInAt });
    this.purges.push(...plan.guestPurges);
    // The store's part of the watermark: on over the stored seqs after what the plan saw.
    let acked = plan.ackedThrough;
    while (rows.has(acked + 1)) acked++;
    this.stream(siteId, epoch)!.acked = acked;
    return { ...plan.result, ackedSeq: acked };
  }

  ingest(siteId: string, stream: Stream, items: readonly IngestItem[], ctx: IngestContext): { plan: IngestPlan; result: IngestResult } {
    const plan = planIngest({ siteId, stream, items, ctx, snapshot: this.snapshot(siteId, stream.epoch, items) });
    return { plan, result: this.apply(siteId, stream.epoch, plan) };
  }

  /** Everything the store holds, to compare before and after a resend. */
  dump(): string {
    return JSON.stringify({
      streams: this.streams,
      rows: [...this.rows].map(([k, m]) => [k, [...m.values()]]),
      quarantine: this.quarantine,
      alerts: this.alerts,
      overlaps: this.overlaps,
      owners: [...this.owners],
      openVisits: [...this.openVisits],
      purges: this.purges,
    });
  }
}

// ---- stations' streams and uploads ----------------------------------------------------------

/**
 * What an event of a station's outbox is, before it is made one. `foreign`: it names the other
 * site's visit or guest; `legacy`: a visit open at the hub from before owners were kept (no owner).
 */
type Spec =
  | { t: 'shift'; staff: number }
  | { t: 'in'; member: number; visit: number; foreign: boolean; atOtherSite: boolean }
  | { t: 'out'; visit: number; foreign: boolean; legacy: boolean }
  | { t: 'reg'; guest: number; foreign: boolean }
  | { t: 'purge'; guest: number; foreign: boolean };

const specArb: fc.Arbitrary<Spec> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('shift' as const), staff: fc.nat(2) }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('in' as const), member: fc.nat(2), visit: fc.nat(3), foreign: fc.boolean(), atOtherSite: fc.nat(9).map((n) => n === 0) }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('out' as const), visit: fc.nat(3), foreign: fc.boolean(), legacy: fc.nat(3).map((n) => n === 0) }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('reg' as const), guest: fc.nat(2), foreign: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('purge' as const), guest: fc.nat(2), foreign: fc.boolean() }), weight: 1 },
);

function makeEvent(siteId: string, epoch: string, seq: number, spec: Spec, id: string): StationEvent {
  const other = SITES.find((s) => s !== siteId)!;
  const owner = (foreign: boolean) => (foreign ? other : siteId);
  const at = iso(T0 + seq * 1000);
  const base = { id, stream: { siteId, epoch }, seq, wallTime: at, hlc: `${String(T0 + seq * 1000).padStart(15, '0')}:000000` };
  const visitId = (n: number, foreign: boolean) => `visit-${owner(foreign)}-${n}`;
  const guestId = (n: number, foreign: boolean) => `guest-${owner(foreign)}-${n}`;
  switch (spec.t) {
    case 'shift':
      return { ...base, type: 'shift.started', payload: { shiftId: `shift-${seq}`, staffId: `staff-${spec.staff}`, at } };
    case 'in':
      return {
        ...base,
        type: 'visit.checked_in',
        payload: { visitId: visitId(spec.visit, spec.foreign), siteId: spec.atOtherSite ? other : siteId, person: { kind: 'member', memberId: `m-${spec.member}` }, at, by: 'badge' },
      };
    case 'out':
      return { ...base, type: 'visit.checked_out', payload: { visitId: spec.legacy ? `legacy-${spec.visit}` : visitId(spec.visit, spec.foreign), at, by: 'badge', durationMinutes: 60 } };
    case 'reg':
      return {
        ...base,
        type: 'guest.registered',
        payload: { guestId: guestId(spec.guest, spec.foreign), firstName: 'Gaston', lastName: 'Lagaffe', consentAt: at, retentionUntil: '2026-12-31' },
      };
    case 'purge':
      return { ...base, type: 'guest.purged', payload: { guestId: guestId(spec.guest, spec.foreign), retentionUntil: '2026-12-31', at } };
  }
}

/** How an upload departs from a plain slice of the outbox, at a position of the batch. */
type Twist =
  | { kind: 'other-content'; pos: number; variant: number; sameId: boolean }
  | { kind: 'id-clash'; pos: number; site: number; epoch: number; seq: number }
  | { kind: 'invalid'; pos: number; withId: boolean }
  | { kind: 'drop'; pos: number }
  | { kind: 'twice'; pos: number };

const twistArb: fc.Arbitrary<Twist> = fc.oneof(
  fc.record({ kind: fc.constant('other-content' as const), pos: fc.nat(9), variant: fc.nat(1), sameId: fc.boolean() }),
  fc.record({ kind: fc.constant('id-clash' as const), pos: fc.nat(9), site: fc.nat(1), epoch: fc.nat(1), seq: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('invalid' as const), pos: fc.nat(9), withId: fc.boolean() }),
  fc.record({ kind: fc.constant('drop' as const), pos: fc.nat(9) }),
  fc.record({ kind: fc.constant('twice' as const), pos: fc.nat(9) }),
);

interface Upload {
  site: number;
  epoch: number;
  /** The seq before the batch's first; 'next': the stream's acked seq, as a station resumes. */
  from: number | 'next';
  length: number;
  twists: Twist[];
}

const uploadArb: fc.Arbitrary<Upload> = fc.record({
  site: fc.nat(1),
  epoch: fc.constantFrom(0, 0, 0, 1),
  from: fc.oneof(fc.constant('next' as const), fc.nat(11)),
  length: fc.integer({ min: 1, max: 8 }),
  twists: fc.array(twistArb, { maxLength: 3 }),
});

const scenarioArb = fc.record({
  /** Visits open at the hub from before owners were kept: legacy-N, a member's, at a site. */
  legacy: fc.array(fc.record({ member: fc.nat(2), site: fc.nat(1) }), { maxLength: 4 }),
  outboxes: fc.array(fc.array(specArb, { minLength: 12, maxLength: 12 }), { minLength: 4, maxLength: 4 }),
  uploads: fc.array(uploadArb, { minLength: 1, maxLength: 14 }),
});

type Scenario = { legacy: { member: number; site: number }[]; outboxes: Spec[][]; uploads: Upload[] };

/** A store holding only the scenario's legacy open visits. */
function storeOf(s: Scenario): ModelStore {
  const model = new ModelStore();
  s.legacy.forEach((v, n) => model.openVisits.set(`legacy-${n}`, { memberId: `m-${v.member}`, siteId: SITES[v.site]!, checkedInAt: iso(T0 - 3_600_000 + n) }));
  return model;
}

const eventIdOf = (site: number, epoch: number, seq: number) => `ev-${site}-${epoch}-${seq}`;

function outboxEvent(s: Scenario, site: number, epoch: number, seq: number): StationEvent {
  return makeEvent(SITES[site]!, EPOCHS[epoch]!, seq, s.outboxes[site * 2 + epoch]![seq - 1]!, eventIdOf(site, epoch, seq));
}

function itemsOf(s: Scenario, u: Upload, model: ModelStore): IngestItem[] {
  const from = u.from === 'next' ? (model.stream(SITES[u.site]!, EPOCHS[u.epoch]!)?.acked ?? 0) : u.from;
  const seqs = Array.from({ length: u.length }, (_, i) => from + 1 + i).filter((seq) => seq <= 12);
  const items: IngestItem[] = seqs.map((seq) => ({ kind: 'valid', seq, event: outboxEvent(s, u.site, u.epoch, seq) }));
  for (const t of u.twists) {
    if (items.length === 0) break;
    const pos = t.pos % items.length;
    const item = items[pos]!;
    const seq = item.seq;
    const original = outboxEvent(s, u.site, u.epoch, seq);
    switch (t.kind) {
      case 'other-content': {
        const spec: Spec = { t: 'shift', staff: 10 + t.variant };
        const id = t.sameId ? original.id : `alt-${u.site}-${u.epoch}-${seq}-${t.variant}`;
        items[pos] = { kind: 'valid', seq, event: makeEvent(SITES[u.site]!, EPOCHS[u.epoch]!, seq, spec, id) };
        break;
      }
      case 'id-clash':
        items[pos] = { kind: 'valid', seq, event: { ...original, id: eventIdOf(t.site, t.epoch, t.seq) } };
        break;
      case 'invalid':
        items[pos] = { kind: 'invalid', seq, ...(t.withId ? { id: original.id } : {}), reason: 'payload: expected an object', raw: JSON.stringify({ seq, id: original.id, type: 'nonsense' }) };
        break;
      case 'drop':
        items.splice(pos, 1);
        break;
      case 'twice':
        items.splice(pos + 1, 0, item);
        break;
    }
  }
  return items;
}

// ---- the rules --------------------------------------------------------------------------------

/** The events a plan stores as accepted, each the first item it was made from. */
function acceptedEvents(plan: IngestPlan, items: readonly IngestItem[]): StationEvent[] {
  return plan.events
    .filter((r) => r.status === 'accepted')
    .map((r) => {
      const item = items.find((i) => i.kind === 'valid' && i.event.id === r.id && i.seq === r.seq && i.event.type === r.type && JSON.stringify(i.event.payload) === r.payload);
      if (!item || item.kind !== 'valid') throw new Error(`accepted row ${r.id} is none of the upload's events`);
      return item.event;
    });
}

const rawOf = (i: IngestItem) => (i.kind === 'valid' ? JSON.stringify(i.event) : i.raw);

/** The highest seq up to which every seq of the stream is stored. */
function contiguous(rows: Map<number, unknown>): number {
  let n = 0;
  while (rows.has(n + 1)) n++;
  return n;
}

/**
 * What the answer must say of each item, read from what the store holds after the upload: an item
 * is the event stored at its seq (a resend, or stored now), refused (that event, stored as
 * rejected), or quarantined (something else is stored there). An invalid event refused now is
 * answered with its id, refused again without (as the store contract has it).
 */
function expectedAnswer(model: ModelStore, heldBefore: ReadonlySet<number>, siteId: string, epoch: string, items: readonly IngestItem[]) {
  const rows = model.rowsOf(siteId, epoch);
  const rejected: IngestResult['rejected'] = [];
  const quarantined: IngestResult['quarantined'] = [];
  const held = new Set(heldBefore);
  for (const item of items) {
    const row = rows.get(item.seq);
    if (!row) throw new Error(`seq ${item.seq} of the upload is not stored after it`);
    const storedNow = !held.has(item.seq);
    held.add(item.seq);
    const firstReason = () => model.quarantine.find((q) => q.siteId === siteId && q.epoch === epoch && q.seq === item.seq && q.raw === rawOf(item))?.reason;
    if (item.kind === 'valid') {
      if (sameEvent(row, item.event)) {
        if (row.status === 'rejected') rejected.push({ seq: item.seq, id: item.event.id, reason: row.reason! });
      } else quarantined.push({ seq: item.seq, id: item.event.id, reason: firstReason() ?? '(no quarantine row)' });
    } else if (row.status === 'rejected') rejected.push({ seq: item.seq, ...(storedNow && item.id ? { id: item.id } : {}), reason: row.reason ?? item.reason });
    else quarantined.push({ seq: item.seq, ...(item.id ? { id: item.id } : {}), reason: firstReason() ?? '(no quarantine row)' });
  }
  return { rejected, quarantined };
}

function checkUpload(model: ModelStore, before: ModelStore | undefined, siteId: string, stream: Stream, items: readonly IngestItem[], plan: IngestPlan, result: IngestResult, ackedBefore: number) {
  const rows = model.rowsOf(siteId, stream.epoch);
  // The acked seq never goes back, and is the highest contiguous stored seq.
  expect(result.ackedSeq).toBeGreaterThanOrEqual(ackedBefore);
  expect(result.ackedSeq).toBe(contiguous(rows));
  // The plan takes the watermark as far as the batch shows it; the store carries it on only from a
  // seq the snapshot did not hold (stored before, outside the batch: past a former gap).
  expect(plan.ackedThrough).toBeGreaterThanOrEqual(ackedBefore);
  if (result.ackedSeq > plan.ackedThrough) {
    expect(items.some((i) => i.seq === plan.ackedThrough + 1)).toBe(false);
    expect(before?.rowsOf(siteId, stream.epoch).has(plan.ackedThrough + 1)).toBe(true);
  }
  // The answer lists exactly the batch's refused and quarantined seqs, with their reasons.
  const heldBefore = new Set(before?.rowsOf(siteId, stream.epoch).keys());
  expect({ rejected: result.rejected, quarantined: result.quarantined }).toEqual(expectedAnswer(model, heldBefore, siteId, stream.epoch, items));
  // Quarantined and alerted once per distinct (stream, seq, content).
  const keys = model.quarantine.map((q) => `${q.siteId}/${q.epoch}/${q.seq}/${q.raw}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(model.alerts.filter((a) => a.kind === 'quarantine')).toHaveLength(model.quarantine.length);
  expect(plan.alerts.filter((a) => a.kind === 'quarantine')).toHaveLength(plan.quarantines.length);
  // Nothing the site accepted now creates or names another site's visit or guest (members roam only when the network holds them: none here).
  const owners = before?.owners ?? new Map<string, string>();
  const createdNow = new Map<string, string>();
  for (const event of acceptedEvents(plan, items)) {
    const made = createdBy(event);
    for (const ref of [...(made ? [made] : []), ...namedBy(event)]) {
      const owner = owners.get(`${ref.kind}:${ref.id}`) ?? createdNow.get(`${ref.kind}:${ref.id}`);
      if (owner !== undefined) expect(owner).toBe(siteId);
    }
    if (event.type === 'visit.checked_in') expect(event.payload.siteId).toBe(siteId);
    if (made && !owners.has(`${made.kind}:${made.id}`)) createdNow.set(`${made.kind}:${made.id}`, siteId);
  }
  // Overlap cases name a visit of the member that was open at another site.
  for (const o of plan.overlaps) {
    const open = before?.openVisits.get(o.visitA);
    expect(open).toMatchObject({ memberId: o.memberId, siteId: o.siteA });
    expect(o.siteA).not.toBe(siteId);
  }
}

function runScenario(s: Scenario): void {
  const model = storeOf(s);
  let at = T0;
  for (const u of s.uploads) {
    const siteId = SITES[u.site]!;
    const stream: Stream = { siteId, epoch: EPOCHS[u.epoch]! };
    const items = itemsOf(s, u, model);
    const ctx: IngestContext = { receivedAt: iso((at += 1000)), clockOffsetMs: 0, flags: [] };
    const ackedBefore = model.stream(siteId, stream.epoch)?.acked ?? 0;
    const hadStreams = model.streams.filter((x) => x.siteId === siteId).map((x) => x.epoch);
    const before = structuredCloneModel(model);

    const { plan, result } = model.ingest(siteId, stream, items, ctx);
    checkUpload(model, before, siteId, stream, items, plan, result, ackedBefore);
    // A new epoch of a known site is reported and alerted, once.
    if (!before.stream(siteId, stream.epoch) && hadStreams.length > 0) {
      expect(result.newEpochOf).toEqual(hadStreams);
      expect(plan.alerts[0]).toMatchObject({ kind: 'epoch_change' });
    } else expect(result.newEpochOf).toBeUndefined();

    // A resend changes nothing and gets the same answer.
    const held = model.dump();
    const again = model.ingest(siteId, stream, items, { ...ctx, receivedAt: iso((at += 1000)) });
    expect(again.plan.events).toEqual([]);
    expect(again.plan.quarantines).toEqual([]);
    expect(again.plan.alerts).toEqual([]);
    expect(again.plan.overlaps).toEqual([]);
    expect(again.plan.owners).toEqual([]);
    expect(again.plan.guestPurges).toEqual([]);
    expect(again.plan.newStream).toBe(false);
    expect(model.dump()).toBe(held);
    expect(again.result.quarantined).toEqual(result.quarantined);
    expect(again.result).toEqual({
      ackedSeq: result.ackedSeq,
      ...expectedAnswer(model, new Set(model.rowsOf(siteId, stream.epoch).keys()), siteId, stream.epoch, items),
    });
    expect(again.result.rejected.map(({ seq, reason }) => ({ seq, reason }))).toEqual(result.rejected.map(({ seq, reason }) => ({ seq, reason })));
  }
}

/** A copy of the model's state before an upload (what the checks compare with). */
function structuredCloneModel(m: ModelStore): ModelStore {
  const copy = new ModelStore();
  copy.streams.push(...m.streams.map((s) => ({ ...s })));
  for (const [k, rows] of m.rows) copy.rows.set(k, new Map(rows));
  for (const [k, v] of m.ids) copy.ids.set(k, v);
  copy.quarantine.push(...m.quarantine);
  copy.alerts.push(...m.alerts);
  copy.overlaps.push(...m.overlaps);
  for (const [k, v] of m.owners) copy.owners.set(k, v);
  for (const [k, v] of m.openVisits) copy.openVisits.set(k, { ...v });
  copy.purges.push(...m.purges);
  return copy;
}

describe('ingest planner (property)', () => {
  it('over random uploads: the ack is the highest contiguous seq and never goes back, each seq and id stored once, the answer names exactly the refused and quarantined items, a quarantine is recorded and alerted once per content, no other site is named, and a resend changes nothing', () => {
    fc.assert(fc.property(scenarioArb, (s) => runScenario(s)), { numRuns: 200 });
  });

  it('open visits and guest purges follow the accepted events: a member at two sites opens a case; a purge is planned once per guest, at its first time', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const model = storeOf(s);
        for (const u of s.uploads) {
          const siteId = SITES[u.site]!;
          const items = itemsOf(s, u, model);
          const before = structuredCloneModel(model);
          const { plan } = model.ingest(siteId, { siteId, epoch: EPOCHS[u.epoch]! }, items, { receivedAt: iso(T0), clockOffsetMs: 0, flags: [] });
          const accepted = acceptedEvents(plan, items);
          // Purges: the first time of each guest an accepted guest.purged names.
          const firsts = new Map<string, string>();
          for (const e of accepted) if (e.type === 'guest.purged' && !firsts.has(e.payload.guestId)) firsts.set(e.payload.guestId, e.payload.at);
          expect(plan.guestPurges).toEqual([...firsts].map(([guestId, at]) => ({ guestId, at })));
          // Overlaps: each accepted check-in of a member, against their visits open elsewhere and not closed earlier in the batch.
          const open = new Map([...before.openVisits].filter(([, v]) => v.siteId !== siteId));
          const expected: { memberId: string; visitA: string; siteA: string; visitB: string }[] = [];
          for (const e of accepted) {
            if (e.type === 'visit.checked_out') open.delete(e.payload.visitId);
            if (e.type === 'visit.checked_in' && e.payload.person.kind === 'member') {
              const memberId = e.payload.person.memberId;
              const mine = [...open].filter(([, v]) => v.memberId === memberId).sort(([a, x], [b, y]) => (x.checkedInAt < y.checkedInAt ? -1 : x.checkedInAt > y.checkedInAt ? 1 : a < b ? -1 : 1));
              for (const [visitId, v] of mine) expected.push({ memberId, visitA: visitId, siteA: v.siteId, visitB: e.payload.visitId });
            }
          }
          expect(plan.overlaps).toEqual(expected);
          expect(plan.alerts.filter((a) => a.kind === 'overlap')).toHaveLength(expected.length);
          // The projection: a visit is open after the upload iff its last accepted event opened it (or it was open and nothing closed it).
          for (const e of accepted) {
            if (e.type !== 'visit.checked_in' && e.type !== 'visit.checked_out') continue;
            const last = [...accepted].reverse().find((x) => (x.type === 'visit.checked_in' || x.type === 'visit.checked_out') && x.payload.visitId === e.payload.visitId)!;
            expect(model.openVisits.has(e.payload.visitId)).toBe(last.type === 'visit.checked_in' && (last.payload.person.kind === 'member'));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
