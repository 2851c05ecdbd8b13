// Device health as the network sees it: the device manager tells the station each time a device's
// health changes in memory (working ↔ broken), and the station turns the changes that matter into
// events, in the same transaction as the device_health row they move. The row makes it one fault
// per down period: retries, a restart or the devices reopened for a configuration change find the
// device already down and append nothing. Devices the clerk removed or disabled report nothing.
import { deviceConfigSchema, type DeviceConfig } from '../../../common/devices.js';
import { appendEvent } from '../outbox/outbox.js';
import { iso, sql, writeTransaction, type StationContext } from '../context.js';

export interface DeviceHealthChange {
  deviceId: string;
  kind: 'reader' | 'printer';
  health: 'working' | 'broken';
  /** Why it is broken: the device's error as the reception sees it. */
  reason?: string;
}

/** What the change became: an event appended, or nothing (and why, for the log and the tests). */
export type DeviceHealthOutcome = 'monitored' | 'fault' | 'recovered' | 'unchanged' | 'never_worked' | 'not_configured';

interface HealthRow {
  state: 'up' | 'down';
  since: string;
  fault_reported: 0 | 1;
}

/** Event reasons are short: a long error is cut, never refused. */
export const MAX_REASON = 200;
const shortReason = (reason: string | undefined): string => {
  const r = (reason ?? '').replace(/\s+/g, ' ').trim() || 'unknown error';
  return r.length <= MAX_REASON ? r : `${r.slice(0, MAX_REASON - 1)}…`;
};

function configOf(ctx: StationContext, id: string): DeviceConfig | undefined {
  const row = sql(ctx.db, 'SELECT config FROM device WHERE id = ?').get(id) as { config: string } | undefined;
  return row ? deviceConfigSchema.parse(JSON.parse(row.config)) : undefined;
}

/** What a device event says about the device itself, besides its id and kind. */
function described(config: DeviceConfig): { connection: DeviceConfig['connection']['type']; roles?: ('receipt' | 'badge')[] } {
  return { connection: config.connection.type, ...(config.kind === 'printer' ? { roles: config.roles } : {}) };
}

export function recordDeviceHealth(ctx: StationContext, change: DeviceHealthChange): DeviceHealthOutcome {
  return writeTransaction(ctx, () => {
    // Read inside the transaction: a device removed a moment ago reports nothing.
    const config = configOf(ctx, change.deviceId);
    if (!config || !config.enabled || config.kind !== change.kind) return 'not_configured';
    const row = sql(ctx.db, 'SELECT state, since, fault_reported FROM device_health WHERE device_id = ?').get(change.deviceId) as HealthRow | undefined;
    const nowMs = ctx.clock.now();
    const at = iso(nowMs);
    const base = { deviceId: config.id, kind: config.kind };
    const save = (state: 'up' | 'down', faultReported: boolean) =>
      sql(
        ctx.db,
        `INSERT INTO device_health (device_id, state, since, fault_reported) VALUES (?, ?, ?, ?)
         ON CONFLICT(device_id) DO UPDATE SET state = excluded.state, since = excluded.since, fault_reported = excluded.fault_reported`,
      ).run(config.id, state, at, faultReported ? 1 : 0);
    if (change.health === 'working') {
      if (row?.state === 'up') return 'unchanged';
      save('up', false);
      if (row?.state === 'down' && row.fault_reported === 1) {
        // On the station's clock, like the fault; a clock set back never makes it negative.
        const downMinutes = Math.max(0, Math.floor((nowMs - Date.parse(row.since)) / 60_000));
        appendEvent(ctx, 'device.recovered', { ...base, at, downMinutes }, nowMs);
        return 'recovered';
      }
      appendEvent(ctx, 'device.monitored', { ...base, ...described(config), at }, nowMs);
      return 'monitored';
    }
    if (row?.state === 'down') return 'unchanged';
    if (!row) {
      // Configured but never seen working (a wrong path or address): a setup problem, not a fault.
      save('down', false);
      return 'never_worked';
    }
    save('down', true);
    appendEvent(ctx, 'device.fault', { ...base, ...described(config), reason: shortReason(change.reason), at }, nowMs);
    return 'fault';
  });
}

/** The device was removed or disabled: what was known of its health goes, with no event. */
export function forgetDeviceHealth(ctx: StationContext, deviceId: string): void {
  sql(ctx.db, 'DELETE FROM device_health WHERE device_id = ?').run(deviceId);
}
