// What the device tests share: a device's status through the station API (and waiting for one:
// tests/support/wait.ts), and temporary folders that are removed afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DeviceStatus } from '../../common/devices.js';
import type { StationApi } from '../../common/station-api.js';
import { unwrap } from '../support/ledger.js';
import { waitFor } from '../support/wait.js';

export async function deviceStatus(api: StationApi, id: string): Promise<DeviceStatus> {
  const status = unwrap(await api.devices({})).find((d) => d.id === id);
  if (!status) throw new Error(`no device "${id}" in the station's device list`);
  return status;
}

/** Waits until the device's status satisfies `check`, and returns that status. */
export function waitForStatus(api: StationApi, id: string, what: string, check: (s: DeviceStatus) => boolean, timeoutMs?: number): Promise<DeviceStatus> {
  return waitFor(
    async () => {
      const s = await deviceStatus(api, id);
      return check(s) ? s : undefined;
    },
    `${id}: ${what}`,
    timeoutMs === undefined ? {} : { timeoutMs },
  );
}

const made: string[] = [];
/** A temporary folder for pty links, job files…, removed by removeTempDirs(). */
export function tempFolder(prefix = 'escale-dev-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Resolves after `ms`: only to pace what a simulated device sends, never to wait for a result. */
export const pace = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
