// What the station knows of its sync, all in its database: the hub's ack per stream, the backlog,
// and the events the hub rejected or quarantined.
import { sql, type StationContext } from '../context.js';
import type { SyncProblem } from '../../../common/sync/status.js';

export function ackedSeq(ctx: StationContext, epoch: string): number {
  return (sql(ctx.db, 'SELECT acked_seq FROM sync_stream WHERE epoch = ?').get(epoch) as { acked_seq: number } | undefined)?.acked_seq ?? 0;
}

/** Records the hub's answer to a stream status: the hub is the truth of what it holds. */
export function upsertAcked(ctx: StationContext, epoch: string, seq: number): void {
  ctx.db.prepare('INSERT INTO sync_stream (epoch, acked_seq, updated_at) VALUES (?, ?, ?) ON CONFLICT(epoch) DO UPDATE SET acked_seq = excluded.acked_seq, updated_at = excluded.updated_at').run(
    epoch, seq, new Date(ctx.clock.now()).toISOString(),
  );
}

/** Records an upload's ack; the local mark only goes up. */
export function recordAck(ctx: StationContext, epoch: string, seq: number): number {
  ctx.db.prepare('INSERT INTO sync_stream (epoch, acked_seq, updated_at) VALUES (?, ?, ?) ON CONFLICT(epoch) DO UPDATE SET acked_seq = MAX(acked_seq, excluded.acked_seq), updated_at = excluded.updated_at').run(
    epoch, seq, new Date(ctx.clock.now()).toISOString(),
  );
  return ackedSeq(ctx, epoch);
}

export function recordProblems(ctx: StationContext, epoch: string, rejected: { seq: number; id?: string | undefined; reason: string }[], quarantined: { seq: number; id?: string | undefined; reason: string }[]): void {
  const insert = ctx.db.prepare('INSERT OR IGNORE INTO sync_problem (epoch, seq, event_id, kind, reason, at) VALUES (?, ?, ?, ?, ?, ?)');
  const at = new Date(ctx.clock.now()).toISOString();
  for (const r of rejected) insert.run(epoch, r.seq, r.id ?? null, 'rejected', r.reason, at);
  for (const q of quarantined) insert.run(epoch, q.seq, q.id ?? null, 'quarantined', q.reason, at);
}

export function syncProblems(ctx: StationContext, limit: number): SyncProblem[] {
  return (ctx.db.prepare('SELECT epoch, seq, event_id, kind, reason, at FROM sync_problem ORDER BY at DESC LIMIT ?').all(limit) as {
    epoch: string; seq: number; event_id: string | null; kind: 'rejected' | 'quarantined'; reason: string; at: string;
  }[]).map((r) => ({ epoch: r.epoch, seq: r.seq, ...(r.event_id ? { eventId: r.event_id } : {}), kind: r.kind, reason: r.reason, at: r.at }));
}

/**
 * The streams (install epochs) the outbox holds, oldest first, each with its last seq: walked along
 * the (epoch, seq) index, a few lookups per stream whatever the outbox holds. (A GROUP BY over
 * the outbox read every row: 8 ms at 100,000 events, twice per upload.)
 */
function outboxStreams(ctx: StationContext): { epoch: string; first: number; last: number }[] {
  const nextEpoch = sql(ctx.db, 'SELECT epoch FROM outbox WHERE epoch > ? ORDER BY epoch LIMIT 1');
  const ends = sql(
    ctx.db,
    `SELECT (SELECT position FROM outbox WHERE epoch = @epoch ORDER BY seq LIMIT 1) AS first,
            (SELECT seq FROM outbox WHERE epoch = @epoch ORDER BY seq DESC LIMIT 1) AS last`,
  );
  const streams: { epoch: string; first: number; last: number }[] = [];
  for (let row = nextEpoch.get('') as { epoch: string } | undefined; row; row = nextEpoch.get(row.epoch) as { epoch: string } | undefined) {
    const { first, last } = ends.get({ epoch: row.epoch }) as { first: number; last: number };
    streams.push({ epoch: row.epoch, first, last });
  }
  return streams.sort((a, b) => a.first - b.first);
}

/**
 * Unsent events of every stream, oldest stream first. Cheap enough to run before every upload:
 * seq has no gap in a stream, so what waits is its last seq minus the hub's ack, and the oldest
 * waiting event is the one right after the ack — index lookups only, whatever the backlog.
 */
export function backlog(ctx: StationContext): { events: number; epochs: string[]; oldestWallTime?: string } {
  let events = 0;
  let oldest: string | undefined;
  const pending: string[] = [];
  const next = sql(ctx.db, 'SELECT wall_time FROM outbox WHERE epoch = ? AND seq = ?');
  for (const { epoch, last } of outboxStreams(ctx)) {
    const acked = ackedSeq(ctx, epoch);
    if (last > acked) {
      events += last - acked;
      pending.push(epoch);
      const first = next.get(epoch, acked + 1) as { wall_time: string } | undefined;
      if (first && (!oldest || first.wall_time < oldest)) oldest = first.wall_time;
    }
  }
  return { events, epochs: pending, ...(oldest ? { oldestWallTime: oldest } : {}) };
}

/** The last seq this station wrote on a stream (0: none yet). */
export function headSeq(ctx: StationContext, epoch: string): number {
  return (sql(ctx.db, 'SELECT COALESCE(MAX(seq), 0) AS n FROM outbox WHERE epoch = ?').get(epoch) as { n: number }).n;
}

interface OutboxRow {
  id: string;
  site_id: string;
  epoch: string;
  seq: number;
  type: string;
  payload: string;
  wall_time: string;
  hlc: string;
}

/** The next events to send after `acked`, at most `limit` of them and about `maxBytes` of JSON. */
export function unsentEvents(ctx: StationContext, epoch: string, acked: number, limit: number, maxBytes: number) {
  const rows = sql(ctx.db, 'SELECT id, site_id, epoch, seq, type, payload, wall_time, hlc FROM outbox WHERE epoch = ? AND seq > ? ORDER BY seq LIMIT ?').all(epoch, acked, limit) as OutboxRow[];
  const events: { id: string; stream: { siteId: string; epoch: string }; seq: number; type: string; payload: unknown; wallTime: string; hlc: string }[] = [];
  // Counted exactly as the hub counts them (the UTF-8 bytes of the events' JSON array): a batch
  // over the hub's limit would be refused whole, again and again.
  let bytes = 2;
  for (const r of rows) {
    const event = { id: r.id, stream: { siteId: r.site_id, epoch: r.epoch }, seq: r.seq, type: r.type, payload: JSON.parse(r.payload) as unknown, wallTime: r.wall_time, hlc: r.hlc };
    // The stored payload is the JSON.stringify of this very value, so the event's JSON is its
    // envelope's with the payload text in place of null: exact, without serialising it again.
    const envelope = JSON.stringify({ ...event, payload: null });
    bytes += Buffer.byteLength(envelope) - 4 + Buffer.byteLength(r.payload) + (events.length > 0 ? 1 : 0);
    if (events.length > 0 && bytes > maxBytes) break;
    events.push(event);
  }
  return events;
}
