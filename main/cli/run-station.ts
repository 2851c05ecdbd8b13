// `escale-station run` and `serve`: the station as a long-running service — its readers tap, its
// printers print, it syncs with the hub, visits left open are closed at closing time — and, with
// `serve`, the local host that gives browsers the kiosk and reception pages. Until SIGINT/SIGTERM.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Station } from '../station/station.js';
import { callStation } from '../station/api.js';
import { DeviceManager } from '../devices/device-manager.js';
import type { ChildLauncher } from '../devices/child-process.js';
import { SyncClient } from '../sync/sync-client.js';
import { startLocalHost, type LocalHost } from '../host/local-host.js';
import type { HostMessage } from '../../common/host-protocol.js';
import { AccessGate } from '../station/access/gate.js';
import { createRateLimitedLog } from '../../common/log/rate-limited-log.js';
import type { HostKeys } from '../host/host-keys.js';

/** How often a running station purges guests past their retention date. */
export const GUEST_PURGE_INTERVAL_MS = 60 * 60_000;

export interface ServeOptions {
  port: number;
  host?: string;
  /** The kiosk and desk keys (host-keys.ts): from the environment or the data folder, never argv. */
  keys: HostKeys;
  /** Required beyond the loopback. */
  tls?: { cert: Buffer | string; key: Buffer | string };
  lanNames?: string[];
  rendererDir?: string;
}

/** dist/renderer, beside the compiled main/. */
export const DEFAULT_RENDERER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../renderer');

export interface RunningStation {
  /** The access gate of this station's windows (the local host's pages, or the Electron windows). */
  gate: AccessGate;
  devices: DeviceManager;
  sync: SyncClient | undefined;
  host: LocalHost | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the station's services. `listen` hears what the pages hear (taps from the readers,
 * changes): the Electron shell forwards it to its windows.
 */
export async function startStationServices(
  station: Station,
  out: (line: string) => void,
  serve?: ServeOptions,
  listen?: (message: HostMessage) => void,
  /** How watched children (the PC/SC binding's) are started: the Electron shell's utilityProcess. */
  launchChild?: ChildLauncher,
): Promise<RunningStation> {
  let host: LocalHost | undefined;
  const gate = new AccessGate(station, { log: out });
  station.attachLog(out);
  for (const line of station.permissionsTightened) out(`data folder: ${line}`);
  const notify = (message: HostMessage) => {
    host?.broadcast(message);
    listen?.(message);
  };
  const devices = new DeviceManager({
    station,
    log: out,
    ...(launchChild ? { pcsc: { launchChild } } : {}),
    onTap: (read, result) => {
      out(JSON.stringify({ read, result: result.ok ? result.value.outcome : result.error.code }));
      notify({ kind: 'tap', read, result });
    },
    onIdentity: (read) => {
      // Names stay out of the log: the guest has not consented yet (nothing else is on the read).
      out(read.ok ? `eID read on ${read.source} (${read.reader}): the guest form is filled` : `eID on ${read.source} (${read.reader}) not read: ${read.problem}: ${read.detail}`);
      notify({ kind: 'identity', read });
    },
  });
  devices.start();
  await devices.checkPrinters();
  for (const s of devices.statuses()) out(`${s.kind} ${s.id} (${s.name}): ${s.state}${s.lastError ? ` — ${s.lastError}` : ''}`);
  const hub = station.hubConfig();
  const sync = hub ? new SyncClient({ station, ...hub, log: out }) : undefined;
  sync?.start();
  const autoClose = setInterval(() => {
    const r = callStation(station, 'autoClose', {});
    if (r.ok && r.value.closed.length > 0) {
      out(`auto-closed ${r.value.closed.length} visits at closing time`);
      notify({ kind: 'changed', what: 'visits' });
    }
  }, 60_000);
  autoClose.unref();
  // Guests' personal data goes once their retention date has passed: at start (a station that was
  // off for days catches up at once), then every hour (retention dates are days).
  const purgeGuests = () => {
    const r = callStation(station, 'purgeGuests', {});
    if (!r.ok) out(`guest purge failed: ${r.error.message}`);
    else if (r.value.purged.length > 0) {
      out(`purged the personal data of ${r.value.purged.length} guests past their retention date`);
      notify({ kind: 'changed', what: 'visits' });
    }
  };
  purgeGuests();
  const guestPurge = setInterval(purgeGuests, GUEST_PURGE_INTERVAL_MS);
  guestPurge.unref();
  if (serve) {
    host = await startLocalHost({
      station,
      rendererDir: serve.rendererDir ?? DEFAULT_RENDERER_DIR,
      port: serve.port,
      gate,
      keys: serve.keys,
      ...(serve.host ? { host: serve.host } : {}),
      ...(serve.tls ? { tls: serve.tls } : {}),
      ...(serve.lanNames ? { lanNames: serve.lanNames } : {}),
      log: out,
    });
    // Where the pages are, for `escale-station pair` in another process.
    station.localHost.record(host.url);
  }
  out(`station ${station.siteId} running${hub ? `, syncing with ${hub.url}` : ' (no hub configured)'}`);
  return {
    gate,
    devices,
    sync,
    host,
    stop: async () => {
      clearInterval(autoClose);
      clearInterval(guestPurge);
      await host?.close();
      gate.close();
      await sync?.stop();
      await devices.stop();
      station.attachLog(undefined);
    },
  };
}

export async function runStation(station: Station, out: (line: string) => void, serve?: ServeOptions): Promise<number> {
  // The last resort: a fault no error boundary caught (a library's callback that threw) is logged,
  // rate-limited, and the station keeps serving its kiosk and desk rather than stopping at the desk.
  const faults = createRateLimitedLog({ now: Date.now, sink: out });
  const uncaught = (e: unknown) => faults.note(`uncaught ${(e as Error)?.name}`, `uncaught exception (the station keeps running): ${(e as Error)?.stack ?? String(e)}`);
  const unhandled = (e: unknown) => faults.note(`unhandled ${(e as Error)?.name}`, `unhandled rejection (the station keeps running): ${(e as Error)?.stack ?? String(e)}`);
  process.on('uncaughtException', uncaught);
  process.on('unhandledRejection', unhandled);
  const summaries = setInterval(() => faults.flush(), 60_000);
  summaries.unref();
  try {
    return await runUntilStopped(station, out, serve);
  } finally {
    clearInterval(summaries);
    faults.flush(true);
    process.off('uncaughtException', uncaught);
    process.off('unhandledRejection', unhandled);
  }
}

async function runUntilStopped(station: Station, out: (line: string) => void, serve?: ServeOptions): Promise<number> {
  const running = await startStationServices(station, out, serve);
  // The address only: a browser is paired with escale-station pair, never by a key in an address.
  if (running.host) out(`READY ${running.host.url}`);
  out('Ctrl-C to stop');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
  out('stopped');
  return 0;
}

/** Tries once to print what is queued, without opening the readers (the CLI's `print`). */
export async function deliverOnce(station: Station): Promise<void> {
  const devices = new DeviceManager({ station, readers: false });
  devices.start();
  await devices.idle();
  await devices.stop();
}
