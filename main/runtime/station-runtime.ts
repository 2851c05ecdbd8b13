// The station as a running service — its readers tap, its printers print, it syncs with the hub,
// visits left open are closed at closing time, guests purged after their retention date — and,
// with `serve`, the local host that gives browsers the kiosk and reception pages: the composition
// root that the command line (run.ts), the Electron shell and the demo start.
import path from 'node:path';
import { packageRoot } from '../package-root.js';
import type { Station } from '../station/station.js';
import { callStation } from '../station/api.js';
import { DeviceManager } from '../hardware/device-manager.js';
import type { ChildLauncher } from '../hardware/child-process.js';
import { SyncClient } from '../sync/sync-client.js';
import { startLocalHost, type LocalHost } from '../host/local-host.js';
import type { Result } from '../../common/result.js';
import { changesOf, type StationMethod, type TapResult } from '../../common/station-api.js';
import { Notifier, type StationNotice } from './notifier.js';
import type { Caller } from '../station/access/gate.js';
import { AccessGate } from '../station/access/gate.js';
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

/** The built renderer, dist/renderer in the package. */
export const DEFAULT_RENDERER_DIR = path.join(packageRoot(), 'dist/renderer');


export interface StationRuntime {
  /** The access gate of this station's windows (the local host's pages, or the Electron windows). */
  gate: AccessGate;
  /** What every window hears: taps, eID reads, what changed. */
  notifier: Notifier;
  /**
   * A window's call: through the gate, then told to every window it concerns (a tap typed into a
   * page, a change of visits, devices or the sync). Electron IPC and the local host both call here.
   */
  call(caller: Caller, method: unknown, input: unknown): Result<unknown>;
  devices: DeviceManager;
  sync: SyncClient | undefined;
  host: LocalHost | undefined;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  log: (line: string) => void;
  /** The local host, for browsers (escale-station serve); none in Electron and for `run`. */
  serve?: ServeOptions;
  /** How watched children (the PC/SC binding's) are started: the Electron shell's utilityProcess. */
  launchChild?: ChildLauncher;
}

/** The 'tap' notice for a tap made through the API (a keyboard-wedge reader typing into a page). */
export function tapNotice(method: string, input: unknown, result: Result<unknown>): StationNotice | undefined {
  if (method !== 'tap' || !result.ok) return undefined;
  const i = input as { uid: string; source?: string; at?: string };
  return { kind: 'tap', read: { uid: String(i.uid).trim(), source: i.source ?? 'keyboard', at: i.at ?? new Date().toISOString() }, result: result as Result<TapResult> };
}

/**
 * Starts a station's services around an open station — the one composition root the command line,
 * the Electron shell and the demo use: the access gate and the notifier, the device manager (readers
 * tap, printers print), the sync client, the housekeeping (visits left open closed at closing time,
 * guests purged after their retention date), and with `serve` the local host.
 */
export async function startStationRuntime(station: Station, options: RuntimeOptions): Promise<StationRuntime> {
  const out = options.log;
  const serve = options.serve;
  let host: LocalHost | undefined;
  const gate = new AccessGate(station, { log: out });
  const notifier = new Notifier();
  station.attachLog(out);
  for (const line of station.permissionsTightened) out(`data folder: ${line}`);
  const call = (caller: Caller, method: unknown, input: unknown): Result<unknown> => {
    const result = gate.call(caller, method, input);
    if (!result.ok || typeof method !== 'string') return result;
    const tapped = tapNotice(method, input, result);
    if (tapped) notifier.publish(tapped);
    else {
      const what = changesOf(method as StationMethod);
      if (what) notifier.publish({ kind: 'changed', what });
    }
    return result;
  };
  const devices = new DeviceManager({
    station,
    log: out,
    ...(options.launchChild ? { pcsc: { launchChild: options.launchChild } } : {}),
    onTap: (read, result) => {
      out(JSON.stringify({ read, result: result.ok ? result.value.outcome : result.error.code }));
      notifier.publish({ kind: 'tap', read, result });
    },
    divert: (read, reader) => {
      if (reader.place !== 'desk') return false;
      const claim = gate.cardReadClaim();
      if (!claim) return false;
      const owner = callStation(station, 'cardOwner', { uid: read.uid });
      // Not the tap: the form shows the number and whose card it is; a number the station refuses
      // is still shown, so the clerk sees what was read.
      notifier.publish({ kind: 'cardRead', claimId: claim.claimId, read, card: owner.ok ? owner.value : { uid: read.uid } });
      out(JSON.stringify({ read, result: 'for_form' }));
      return true;
    },
    onIdentity: (read) => {
      // Names stay out of the log: the guest has not consented yet (nothing else is on the read).
      out(read.ok ? `eID read on ${read.source} (${read.reader}): the guest form is filled` : `eID on ${read.source} (${read.reader}) not read: ${read.problem}: ${read.detail}`);
      notifier.publish({ kind: 'identity', read });
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
      notifier.publish({ kind: 'changed', what: 'visits' });
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
      notifier.publish({ kind: 'changed', what: 'visits' });
    }
  };
  purgeGuests();
  const guestPurge = setInterval(purgeGuests, GUEST_PURGE_INTERVAL_MS);
  guestPurge.unref();
  if (serve) {
    host = await startLocalHost({
      station,
      call,
      notifier,
      gate,
      rendererDir: serve.rendererDir ?? DEFAULT_RENDERER_DIR,
      port: serve.port,
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
    notifier,
    call,
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

