// The running sync client's state, kept in the station's database (migration 010) so that any
// process tells the truth about it: the client writes it through the SyncStatePort; syncStatus in a
// process without a client of its own reads it back, and believes it online only while the writer
// is alive — its heartbeat fresh and, on the same machine, its process still there.
import os from 'node:os';
import { iso, sql, type StationContext } from '../context.js';
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
  const now = iso(ctx.clock.now());
  // One autocommitted statement: nothing else is written with it, and a reader never waits on it.
  sql(
    ctx.db,
    `INSERT INTO sync_state (id, pid, host, hub_url, online, last_success_at, last_error, started_at, seen_at, stopped_at)
     VALUES (1, @pid, @host, @hubUrl, @online, @lastSuccessAt, @lastError, @startedAt, @now, @stoppedAt)
     ON CONFLICT(id) DO UPDATE SET pid = excluded.pid, host = excluded.host, hub_url = excluded.hub_url, online = excluded.online,
       last_success_at = excluded.last_success_at, last_error = excluded.last_error, started_at = excluded.started_at,
       seen_at = excluded.seen_at, stopped_at = excluded.stopped_at`,
  ).run({
    pid: process.pid,
    host: os.hostname(),
    hubUrl: state.hubUrl,
    online: state.online && !state.stopped ? 1 : 0,
    lastSuccessAt: state.lastSuccessAt ?? null,
    lastError: state.lastError ?? null,
    startedAt: state.startedAt,
    now,
    stoppedAt: state.stopped ? now : null,
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

/** The last sync state a client wrote, judged now; undefined when no client ever ran here. */
export function readSyncState(ctx: StationContext): StoredSyncState | undefined {
  const row = sql(ctx.db, 'SELECT * FROM sync_state WHERE id = 1').get() as Row | undefined;
  if (!row) return undefined;
  const fresh = ctx.clock.now() - Date.parse(row.seen_at) <= SYNC_STATE_STALE_MS;
  const sameMachine = row.host === os.hostname();
  const state: SyncReporter['state'] = row.stopped_at ? 'stopped' : fresh && (!sameMachine || processAlive(row.pid)) ? 'running' : 'gone';
  return {
    hubUrl: row.hub_url,
    online: state === 'running' && row.online === 1,
    ...(row.last_success_at ? { lastSuccessAt: row.last_success_at } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    reportedBy: { pid: row.pid, host: row.host, startedAt: row.started_at, seenAt: row.seen_at, state },
  };
}
