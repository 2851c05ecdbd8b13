// The exactly-once ingest rule (../shared/BRIEF.md, "Sync protocol"), written once for both stores.
// A pure function: from an upload's items and a snapshot of what the store holds that they touch,
// to a plan — the rows to insert, quarantines, alerts, overlap cases, open-visit changes, owners to
// record, guest purges, the watermark and the answer to the station. No I/O, no clock.
//
// A store ingests an upload in one transaction: it reads the snapshot (ingestReads says what, one
// query per kind, never one per event), calls planIngest, and applies the plan in that transaction
// (sqlite-store.ts, postgres-store.ts). Rules the planner relies on:
// - an item's seq is stored after the plan is applied, whatever it was: accepted, rejected, or the
//   stored row kept while the item is quarantined; so the acked seq passes every seq of the batch;
// - a quarantine row at a seq means an event is stored at that seq (events are never deleted), so
//   earlier quarantines of the same (seq, content) are found among the batch's stored seqs.
import { sameEvent } from './same-event.js';
import { SiteOwners, referencedIds, type OwnedKind, type OwnedRef } from './site-references.js';
import type { Alert, IngestContext, IngestItem, IngestResult } from './store.js';
import type { StationEvent, Stream } from '../../common/events.js';

/** An event row stored in the upload's stream, as the store read it (the columns a resend is recognised by). */
export interface StoredEventRow {
  id: string;
  seq: number;
  type: string;
  status: 'accepted' | 'rejected';
  reason: string | null;
  payload: string;
  wall_time: string | null;
  hlc: string | null;
}

/** Where an event id is stored. */
export interface StoredIdRow {
  id: string;
  site_id: string;
  epoch: string;
  seq: number;
}

/** What the store holds that an upload touches: rows as the stores read them. */
export interface IngestSnapshot {
  /** The uploading site's streams, oldest first (first_seen, epoch): the upload's own, and its other epochs. */
  streams: { epoch: string; acked_seq: number }[];
  /**
   * The rows stored in the upload's stream at the batch's seqs. Rows at other seqs of the stream may
   * come too (a range read): they are true, and only carry the watermark further.
   */
  atSeqs: StoredEventRow[];
  /**
   * Where the events stored under the ids of ingestReads().ids are. A store that leaves out the ids
   * of valid events (PostgreSQL's first attempt) must have its insert refuse a stored id, and plan
   * again with them.
   */
  byId: StoredIdRow[];
  /** The owners of ingestReads().references (site-references.ts); `network`: a member the network's reference data holds. */
  owners: { kind: OwnedKind; id: string; site_id: string; network: boolean }[];
  /** The open visits at other sites than the uploader of ingestReads().members, oldest first (checked_in_at, visit_id). */
  openElsewhere: { visit_id: string; member_id: string; site_id: string }[];
  /** The quarantine rows recorded in the upload's stream at ingestReads().quarantineSeqs, oldest first. */
  quarantined: { seq: number; raw: string; reason: string }[];
}

export interface IngestPlanInput {
  siteId: string;
  stream: Stream;
  items: readonly IngestItem[];
  ctx: IngestContext;
  snapshot: IngestSnapshot;
}

/** A row to insert into the event table; site, epoch, received_at and clock_offset_ms are the upload's. */
export interface NewEventRow extends StoredEventRow {
  /** The flags as JSON text. */
  flags: string;
}

export interface PlannedQuarantine {
  seq: number;
  eventId?: string;
  reason: string;
  raw: string;
}

/** An overlap case; site B is the uploader, detected at the upload's receivedAt. */
export interface PlannedOverlap {
  memberId: string;
  visitA: string;
  siteA: string;
  visitB: string;
}

export interface IngestPlan {
  /** The upload's stream is new: the store creates its row (acked 0, first and last seen at receivedAt). */
  newStream: boolean;
  /** Rows to insert, in the items' order (accepted, rejected, and the rejected rows taking a clashing id's seq). */
  events: NewEventRow[];
  /** Ids the accepted events created that had no owner (site-references.ts), in order: the uploader's now. */
  owners: OwnedRef[];
  /** Quarantines to record, in order, each also alerted (a quarantine recorded before is in neither). */
  quarantines: PlannedQuarantine[];
  /** Alerts to record, in order, all at the upload's receivedAt. */
  alerts: { kind: Alert['kind']; detail: string }[];
  overlaps: PlannedOverlap[];
  /**
   * The hub's projection of who is on site (open_visit), net of the batch: delete `close`, then
   * insert `open` where no row has the visit id (a visit open already stays as it was).
   */
  openVisits: { close: string[]; open: { visitId: string; memberId: string; checkedInAt: string }[] };
  /**
   * Guests the batch's accepted guest.purged events erase, with the station's purge time (the first
   * one for a guest): applied in the ingest's transaction, after every other write of the plan, so
   * a registration or a copy the same batch stored is reached too.
   */
  guestPurges: { guestId: string; at: string }[];
  /**
   * Every seq up to `ackedThrough` is stored once the plan is applied. The store carries it on over
   * the stored seqs that follow (events kept past a gap, beyond what the snapshot holds), then
   * answers that as `result.ackedSeq` and records it with the stream's last_seen.
   */
  ackedThrough: number;
  /** The answer to the station, but for its ackedSeq (see ackedThrough). */
  result: IngestResult;
}

/** What a store reads for an upload, given the items and the rows stored at their seqs. */
export interface IngestReads {
  /** Ids of the items whose seq holds nothing: where else an event with that id is stored. */
  ids: string[];
  /** The ids those items' events create or name, by kind: their owners (site-references.ts). */
  references: Record<OwnedKind, string[]>;
  /** The members those items check in: their open visits at other sites. */
  members: string[];
  /** The batch's seqs that hold an event already: quarantines recorded there before. */
  quarantineSeqs: number[];
}

/** The members an upload checks in (PostgreSQL locks them before it reads anything). */
export function checkedInMembers(items: readonly IngestItem[]): string[] {
  const members = new Set<string>();
  for (const i of items) if (i.kind === 'valid' && i.event.type === 'visit.checked_in' && i.event.payload.person.kind === 'member') members.add(i.event.payload.person.memberId);
  return [...members];
}

/** What to read after the rows at the batch's seqs: one query per kind, each skipped when empty. */
export function ingestReads(items: readonly IngestItem[], atSeqs: readonly { seq: number }[]): IngestReads {
  const stored = new Set<number>();
  for (const r of atSeqs) stored.add(r.seq);
  const ids = new Set<string>();
  const events: StationEvent[] = [];
  const quarantineSeqs = new Set<number>();
  for (const i of items) {
    if (stored.has(i.seq)) {
      quarantineSeqs.add(i.seq);
      continue;
    }
    if (i.kind === 'valid') {
      ids.add(i.event.id);
      events.push(i.event);
    } else if (i.id !== undefined) ids.add(i.id);
  }
  const newItems = items.filter((i) => i.kind === 'valid' && !stored.has(i.seq));
  return { ids: [...ids], references: referencedIds(events), members: checkedInMembers(newItems), quarantineSeqs: [...quarantineSeqs] };
}

const NO_ID = {};

/** The ingest decision: what to write, and what to answer. */
export function planIngest({ siteId, stream, items, ctx, snapshot }: IngestPlanInput): IngestPlan {
  const { epoch } = stream;
  const result: IngestResult = { ackedSeq: 0, rejected: [], quarantined: [] };
  const alerts: IngestPlan['alerts'] = [];

  // A stream new to a site that had another: a station database recreated or restored.
  const own = snapshot.streams.find((s) => s.epoch === epoch);
  if (!own) {
    const others = snapshot.streams.map((s) => s.epoch);
    if (others.length > 0) {
      result.newEpochOf = others;
      alerts.push({ kind: 'epoch_change', detail: `new install epoch ${epoch} after ${others.join(', ')}: a station database was recreated or restored` });
    }
  }

  // What each seq of the stream holds, and where each id is: the snapshot, then every row the plan
  // inserts, so a seq or an id met again later in the batch is found as stored.
  const atSeq = new Map<number, StoredEventRow>();
  for (const r of snapshot.atSeqs) atSeq.set(r.seq, r);
  const byId = new Map<string, { site_id: string; epoch: string; seq: number }>();
  for (const r of snapshot.byId) byId.set(r.id, r);
  for (const r of snapshot.atSeqs) byId.set(r.id, { site_id: siteId, epoch, seq: r.seq });
  /** Quarantines recorded for a (seq, raw) — before, or earlier in the batch — with the first one's reason. */
  const quarantinedBefore = new Map<string, string>();
  for (const r of snapshot.quarantined) {
    const key = `${r.seq}\u0000${r.raw}`;
    if (!quarantinedBefore.has(key)) quarantinedBefore.set(key, r.reason);
  }
  const owners = new SiteOwners();
  for (const r of snapshot.owners) owners.known(r.kind, r.id, r.site_id, r.network);
  const elsewhere = new Map<string, { visit_id: string; site_id: string }[]>();
  for (const o of snapshot.openElsewhere) {
    const list = elsewhere.get(o.member_id);
    if (list) list.push(o);
    else elsewhere.set(o.member_id, [o]);
  }

  const events: NewEventRow[] = [];
  const created: OwnedRef[] = [];
  const quarantines: PlannedQuarantine[] = [];
  const overlaps: PlannedOverlap[] = [];
  /** Net effect on open_visit, by visit id (see IngestPlan.openVisits). */
  const visitOps = new Map<string, { close: boolean; open?: { memberId: string; checkedInAt: string } }>();
  /** Visits the batch closed: an open visit elsewhere closed by it no longer overlaps. */
  const closed = new Set<string>();
  const guestPurges = new Map<string, string>();
  const baseFlags = JSON.stringify(ctx.flags);

  const insert = (row: NewEventRow) => {
    events.push(row);
    atSeq.set(row.seq, row);
    byId.set(row.id, { site_id: siteId, epoch, seq: row.seq });
  };
  const quarantine = (seq: number, eventId: string | undefined, reason: string, raw: string) => {
    const id = eventId ? { id: eventId } : NO_ID;
    const key = `${seq}\u0000${raw}`;
    const before = quarantinedBefore.get(key);
    // The same content quarantined at the same seq before: a resend, reported again, not recorded (nor alerted) twice.
    if (before !== undefined) {
      result.quarantined.push({ seq, ...id, reason: before });
      return;
    }
    quarantinedBefore.set(key, reason);
    quarantines.push({ seq, ...(eventId ? { eventId } : {}), reason, raw });
    alerts.push({ kind: 'quarantine', detail: `seq ${seq} of ${epoch}: ${reason}` });
    result.quarantined.push({ seq, ...id, reason });
  };
  /** Keeps the hub's view of who is on site where, and opens a case when a member is at two sites. */
  const project = (e: StationEvent) => {
    if (e.type === 'visit.checked_in' && e.payload.person.kind === 'member') {
      const memberId = e.payload.person.memberId;
      for (const o of elsewhere.get(memberId) ?? []) {
        if (closed.has(o.visit_id)) continue;
        overlaps.push({ memberId, visitA: o.visit_id, siteA: o.site_id, visitB: e.payload.visitId });
        alerts.push({ kind: 'overlap', detail: `member ${memberId} checked in at ${siteId} while on site at ${o.site_id}` });
      }
      const op = visitOps.get(e.payload.visitId);
      // Inserted only where no row has the visit: one open already (or opened earlier in the batch) stays as it is.
      if (!op) visitOps.set(e.payload.visitId, { close: false, open: { memberId, checkedInAt: e.payload.at } });
      else if (!op.open) op.open = { memberId, checkedInAt: e.payload.at };
    } else if (e.type === 'visit.checked_out' || e.type === 'visit.voided') {
      visitOps.set(e.payload.visitId, { close: true });
      closed.add(e.payload.visitId);
    } else if (e.type === 'visit.checkout_undone' && e.payload.memberId && e.payload.checkedInAt) {
      // On site here again since the check-in: closed first if this batch closed it, then opened.
      const op = visitOps.get(e.payload.visitId);
      visitOps.set(e.payload.visitId, { close: op?.close ?? false, open: { memberId: e.payload.memberId, checkedInAt: e.payload.checkedInAt } });
      closed.delete(e.payload.visitId);
    } else if (e.type === 'guest.purged') {
      // The station erased the guest's data: so does the hub, in the same transaction as the event.
      if (!guestPurges.has(e.payload.guestId)) guestPurges.set(e.payload.guestId, e.payload.at);
    }
  };

  for (const item of items) {
    const existing = atSeq.get(item.seq);
    if (item.kind === 'valid') {
      const e = item.event;
      if (existing) {
        if (sameEvent(existing, e)) {
          if (existing.status === 'accepted') continue; // a resend: already stored
          // A resend of an event refused for naming another site's: refused again, as it was judged then.
          result.rejected.push({ seq: item.seq, id: e.id, reason: existing.reason! });
          continue;
        }
        quarantine(item.seq, e.id, 'the same seq arrived again with different content', JSON.stringify(e));
        continue;
      }
      const clash = byId.get(e.id);
      if (clash) {
        const reason = `event id already stored as seq ${clash.seq} of ${clash.site_id}/${clash.epoch}`;
        const raw = JSON.stringify(e);
        quarantine(item.seq, e.id, reason, raw);
        // The seq is taken (the watermark passes it; a later different event there is quarantined too).
        insert({ id: `rejected:${siteId}:${epoch}:${item.seq}`, seq: item.seq, type: 'rejected', status: 'rejected', reason: `quarantined: ${reason}`, payload: JSON.stringify(raw), wall_time: null, hlc: null, flags: baseFlags });
        continue;
      }
      const flags = item.flags?.length ? JSON.stringify([...ctx.flags, ...item.flags]) : baseFlags;
      const refused = owners.reasonToReject(siteId, e);
      if (refused) {
        // Kept as it came (its type, payload and times), so a resend is recognised; never projected.
        insert({ id: e.id, seq: item.seq, type: e.type, status: 'rejected', reason: refused, payload: JSON.stringify(e.payload), wall_time: e.wallTime, hlc: e.hlc, flags });
        result.rejected.push({ seq: item.seq, id: e.id, reason: refused });
        continue;
      }
      insert({ id: e.id, seq: item.seq, type: e.type, status: 'accepted', reason: null, payload: JSON.stringify(e.payload), wall_time: e.wallTime, hlc: e.hlc, flags });
      const made = owners.accepted(siteId, e);
      if (made) created.push(made);
      project(e);
    } else {
      if (existing) {
        if (existing.status === 'rejected') result.rejected.push({ seq: item.seq, reason: existing.reason ?? item.reason });
        else quarantine(item.seq, item.id, `an invalid event arrived for a stored seq: ${item.reason}`, item.raw);
        continue;
      }
      const id = item.id && !byId.has(item.id) ? item.id : `rejected:${siteId}:${epoch}:${item.seq}`;
      insert({ id, seq: item.seq, type: 'rejected', status: 'rejected', reason: item.reason, payload: JSON.stringify(item.raw), wall_time: null, hlc: null, flags: baseFlags });
      result.rejected.push({ seq: item.seq, ...(item.id ? { id: item.id } : {}), reason: item.reason });
    }
  }

  // The watermark: every seq up to it is stored. Events past a gap are kept but do not move it.
  let ackedThrough = own?.acked_seq ?? 0;
  while (atSeq.has(ackedThrough + 1)) ackedThrough++;
  result.ackedSeq = ackedThrough;

  const close: string[] = [];
  const open: IngestPlan['openVisits']['open'] = [];
  for (const [visitId, op] of visitOps) {
    if (op.close) close.push(visitId);
    if (op.open) open.push({ visitId, ...op.open });
  }
  return {
    newStream: !own,
    events,
    owners: created,
    quarantines,
    alerts,
    overlaps,
    openVisits: { close, open },
    guestPurges: [...guestPurges].map(([guestId, at]) => ({ guestId, at })),
    ackedThrough,
    result,
  };
}
