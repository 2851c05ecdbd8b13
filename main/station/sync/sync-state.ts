// The running sync clients' state, kept in the station's database (migration 011) so that any
// process tells the truth about it: each client writes its own row through the SyncStatePort;
// syncStatus in a process without a client of its own reads them back, and believes one online
// only while it is alive — its heartbeat fresh and, on the same machine, its process still there.
import os from 'node:os';
import { iso, sql, writeTransaction, type StationContext } from '../context.js';
import { SYNC_STATE_STALE_MS, type SyncReporter } from '../../../common/sync/status.js';
import type { SyncState } from '../ports.js';

interface Row {
  pid: number;
  host: string;
  hub_url: string;
  online: 0 | 1;
  last_success_at: string | null;
  last_error: string | null;
  started_at: string;
  seen_at: string;
  stopped_at: string | null;
}

export function writeSyncState(ctx: StationContext, state: SyncState): void {
  const nowMs = ctx.clock.now();
  const now = iso(nowMs);
  writeTransaction(ctx, () => {
    if (state.stopped) {
      sql(ctx.db, 'UPDATE sync_state SET online = 0, last_success_at = COALESCE(?, last_success_at), last_error = ?, seen_at = ?, stopped_at = ? WHERE client_id = ?').run(
        state.lastSuccessAt ?? null,
        state.lastError ?? null,
        now,
        now,
        state.clientId,
      );
      return;
    }
    // A new client inherits the station's last success (it is the station's, not the run's) …
    sql(
      ctx.db,
      `INSERT INTO sync_state (client_id, pid, host, hub_url, online, last_success_at, last_error, started_at, seen_at, stopped_at)
       VALUES (@clientId, @pid, @host, @hubUrl, @online, COALESCE(@lastSuccessAt, (SELECT MAX(last_success_at) FROM sync_state)), @lastError, @startedAt, @now, NULL)
       ON CONFLICT(client_id) DO UPDATE SET hub_url = excluded.hub_url, online = excluded.online,
         last_success_at = COALESCE(@lastSuccessAt, sync_state.last_success_at), last_error = excluded.last_error, seen_at = excluded.seen_at`,
    ).run({
      clientId: state.clientId,
      pid: process.pid,
      host: os.hostname(),
      hubUrl: state.hubUrl,
      online: state.online ? 1 : 0,
      lastSuccessAt: state.lastSuccessAt ?? null,
      lastError: state.lastError ?? null,
      startedAt: state.startedAt,
      now,
    });
    // … and the rows of clients that ended (stopped, or silent past the bound) go.
    sql(ctx.db, 'DELETE FROM sync_state WHERE client_id <> ? AND (stopped_at IS NOT NULL OR seen_at < ?)').run(state.clientId, iso(nowMs - SYNC_STATE_STALE_MS));
  });
}

/** Whether process `pid` of this machine still runs (a signal 0 tests it without sending one). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StoredSyncState {
  hubUrl: string;
  online: boolean;
  lastSuccessAt?: string;
  lastError?: string;
  reportedBy: SyncReporter;
}

/**
 * The sync state as the clients recorded it, judged now: the freshest running client's, else the
 * last one heard; the station's last success whichever client had it. Undefined when no client
 * ever ran here.
 */
export function readSyncState(ctx: StationContext): StoredSyncState | undefined {
  const rows = sql(ctx.db, 'SELECT * FROM sync_state ORDER BY seen_at DESC').all() as Row[];
  if (rows.length === 0) return undefined;
  const host = os.hostname();
  const judged = rows.map((row) => {
    const fresh = ctx.clock.now() - Date.parse(row.seen_at) <= SYNC_STATE_STALE_MS;
    const state: SyncReporter['state'] = row.stopped_at ? 'stopped' : fresh && (row.host !== host || processAlive(row.pid)) ? 'running' : 'gone';
    return { row, state };
  });
  const { row, state } = judged.find((j) => j.state === 'running') ?? judged[0]!;
  const lastSuccessAt = rows.map((r) => r.last_success_at).reduce<string | null>((a, b) => (b !== null && (a === null || b > a) ? b : a), null);
  return {
    hubUrl: row.hub_url,
    online: state === 'running' && row.online === 1,
    ...(lastSuccessAt ? { lastSuccessAt } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    reportedBy: { pid: row.pid, host: row.host, startedAt: row.started_at, seenAt: row.seen_at, state },
  };
}
