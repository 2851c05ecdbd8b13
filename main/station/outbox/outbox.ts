// The outbox: every change appends its event here inside the change's own transaction, so a
// change and its event are committed together or not at all. seq is gap-free per stream
// (site + install epoch) because it is taken inside the write transaction and never reused.
import type { Database } from 'better-sqlite3';
import { newId } from '../../../common/ids.js';
import { eventPayloadSchemas, type EventPayload, type EventType, type StationEvent } from '../../../common/events.js';
import { nextHlc } from './hlc.js';
import { sql } from '../context.js';

export interface StreamContext {
  db: Database;
  siteId: string;
  epoch: string;
  /** Told that an event was appended (the station wakes its uploader once the transaction is over). */
  onAppend?: () => void;
}

interface LastRow {
  epoch: string;
  seq: number;
  hlc: string;
}

export function appendEvent<T extends EventType>(ctx: StreamContext, type: T, payload: EventPayload<T>, wallMs: number): StationEvent {
  // Parsing our own payload catches a programming error before it becomes a fact the hub rejects.
  const parsed = eventPayloadSchemas[type].parse(payload) as EventPayload<T>;
  const last = sql(ctx.db, 'SELECT epoch, seq, hlc FROM outbox ORDER BY position DESC LIMIT 1').get() as LastRow | undefined;
  const seq = last && last.epoch === ctx.epoch ? last.seq + 1 : 1;
  const hlc = nextHlc(last?.hlc, wallMs);
  const event = {
    id: newId(),
    stream: { siteId: ctx.siteId, epoch: ctx.epoch },
    seq,
    type,
    payload: parsed,
    wallTime: new Date(wallMs).toISOString(),
    hlc,
  } as StationEvent;
  sql(ctx.db, 'INSERT INTO outbox (id, site_id, epoch, seq, type, payload, wall_time, hlc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(event.id, ctx.siteId, ctx.epoch, seq, type, JSON.stringify(parsed), event.wallTime, hlc);
  ctx.onAppend?.();
  return event;
}

interface OutboxRow {
  id: string;
  site_id: string;
  epoch: string;
  seq: number;
  type: EventType;
  payload: string;
  wall_time: string;
  hlc: string;
}

export function listEvents(db: Database, afterPosition: number, limit: number): (StationEvent & { position: number })[] {
  const rows = db
    .prepare('SELECT position, id, site_id, epoch, seq, type, payload, wall_time, hlc FROM outbox WHERE position > ? ORDER BY position LIMIT ?')
    .all(afterPosition, limit) as (OutboxRow & { position: number })[];
  return rows.map((r) => ({
    position: r.position,
    id: r.id,
    stream: { siteId: r.site_id, epoch: r.epoch },
    seq: r.seq,
    type: r.type,
    payload: JSON.parse(r.payload),
    wallTime: r.wall_time,
    hlc: r.hlc,
  })) as (StationEvent & { position: number })[];
}
