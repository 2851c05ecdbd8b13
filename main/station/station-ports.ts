// The station's ports (ports.ts), built over its context: what the sync client, the device manager
// and the local host are given instead of the database.
import type { StationWindow } from '../../common/station-access.js';
import { sql, type StationContext } from './context.js';
import type { DeviceConfigPort, LocalHostRecord, OutboxPort, PairingPort, PrintQueuePort, ReferenceSink, StationIdentity, SyncStatePort } from './ports.js';
import { writeSyncState } from './sync/sync-state.js';
import { backlog, headSeq, recordAck, recordProblems, syncProblems, unsentEvents, upsertAcked } from './sync/outbox-sync.js';
import { applyReferencePage, referenceCursor } from './sync/reference-sink.js';
import { markFailed, markPrinted, markPrinting, markRetry, pendingJobs } from './devices/print-jobs.js';
import { listDeviceConfigs } from './devices/config-store.js';
import { allowedPrinterFiles } from './devices/printer-files.js';
import { issuePairingTicket, redeemPairingTicket } from './access/pairing.js';

/**
 * The outbox port. `wake` is installed as the context's append hook: listeners are told once per
 * turn of the event loop in which events were appended — after the transaction, whichever way it
 * ended (a rolled-back append only costs the uploader a look).
 */
export function outboxPort(ctx: StationContext): OutboxPort {
  const listeners = new Set<() => void>();
  let scheduled = false;
  ctx.onAppend = () => {
    if (scheduled || listeners.size === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      for (const l of listeners) l();
    });
  };
  return {
    siteId: ctx.siteId,
    epoch: ctx.epoch,
    now: () => ctx.clock.now(),
    backlog: () => backlog(ctx),
    headSeq: (epoch) => headSeq(ctx, epoch),
    unsent: (epoch, afterSeq, limit, maxBytes) => unsentEvents(ctx, epoch, afterSeq, limit, maxBytes),
    setAcked: (epoch, seq) => upsertAcked(ctx, epoch, seq),
    recordAck: (epoch, seq) => recordAck(ctx, epoch, seq),
    recordProblems: (epoch, rejected, quarantined) => recordProblems(ctx, epoch, rejected, quarantined),
    problems: (limit) => syncProblems(ctx, limit),
    onAppended: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}


export const referenceSink = (ctx: StationContext): ReferenceSink => ({
  cursor: () => referenceCursor(ctx),
  apply: (page) => applyReferencePage(ctx, page),
});

export const printQueuePort = (ctx: StationContext): PrintQueuePort => ({
  pending: () => pendingJobs(ctx),
  printing: (id) => markPrinting(ctx, id),
  printed: (id, printerId) => markPrinted(ctx, id, printerId),
  retry: (id, message) => markRetry(ctx, id, message),
  failed: (id, message, reason) => markFailed(ctx, id, message, reason),
});

export const deviceConfigPort = (ctx: StationContext): DeviceConfigPort => ({
  list: () => listDeviceConfigs(ctx),
  allowedPrinterFiles: () => allowedPrinterFiles(ctx),
});

export const pairingPort = (ctx: StationContext): PairingPort => ({
  issue: (window: StationWindow, ttlMs?: number) => issuePairingTicket(ctx, window, ttlMs),
  redeem: (ticket) => redeemPairingTicket(ctx, ticket),
});

export const identityOf = (ctx: StationContext): StationIdentity => ({
  siteId: ctx.siteId,
  epoch: ctx.epoch,
  site: () => ctx.site,
  timeZone: () => ctx.site?.timeZone ?? 'Europe/Brussels',
});

export const localHostRecord = (ctx: StationContext): LocalHostRecord => ({
  record: (url) => void sql(ctx.db, "INSERT OR REPLACE INTO station_meta (key, value) VALUES ('host_url', ?)").run(url),
  address: () => (sql(ctx.db, "SELECT value FROM station_meta WHERE key = 'host_url'").get() as { value: string } | undefined)?.value,
});

export const syncStatePort = (ctx: StationContext): SyncStatePort => ({
  write: (state) => writeSyncState(ctx, state),
});
