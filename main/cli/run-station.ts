// `escale-station run`: the station as a long-running service without windows — its readers tap,
// its printers print, visits left open are closed at closing time — until SIGINT or SIGTERM.
import type { Station } from '../station/station.js';
import { callStation } from '../station/api.js';
import { DeviceManager } from '../devices/device-manager.js';
import { SyncClient } from '../sync/sync-client.js';

export async function runStation(station: Station, out: (line: string) => void): Promise<number> {
  const devices = new DeviceManager({
    station,
    log: out,
    onTap: (read, result) => out(JSON.stringify({ read, result })),
  });
  devices.start();
  await devices.checkPrinters();
  for (const s of devices.statuses()) out(`${s.kind} ${s.id} (${s.name}): ${s.state}${s.lastError ? ` — ${s.lastError}` : ''}`);
  const autoClose = setInterval(() => {
    const r = callStation(station, 'autoClose', {});
    if (r.ok && r.value.closed.length > 0) out(`auto-closed ${r.value.closed.length} visits at closing time`);
  }, 60_000);
  const hub = station.hubConfig();
  const sync = hub ? new SyncClient({ station, ...hub, log: out }) : undefined;
  sync?.start();
  out(`station ${station.ctx.siteId} running${hub ? `, syncing with ${hub.url}` : ' (no hub configured)'}; Ctrl-C to stop`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(autoClose);
  await sync?.stop();
  await devices.stop();
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
