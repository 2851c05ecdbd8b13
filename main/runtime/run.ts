// `escale-station run` and `serve`: the station runtime until SIGINT/SIGTERM, with a last resort for
// faults no error boundary caught; and `print`'s one-shot delivery of the print queue.
import type { Station } from '../station/station.js';
import { DeviceManager } from '../hardware/device-manager.js';
import { createRateLimitedLog } from '../../common/log/rate-limited-log.js';
import { startStationRuntime, type ServeOptions } from './station-runtime.js';

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
  const running = await startStationRuntime(station, { log: out, ...(serve ? { serve } : {}) });
  // The address only: a browser is paired with escale-station pair, never by a key in an address.
  if (running.host) out(`READY ${running.host.url}`);
  out('Ctrl-C to stop');
  // Signal handlers do not keep Node running: with no reader open and a hub that refused this
  // station (its retries wait on unref'd timers), the loop would empty and the process end on its
  // own with 13 (an unsettled top-level await) before any signal. This keeps it up until one.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(keepAlive);
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
