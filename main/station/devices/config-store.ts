// Device configuration, kept in the station database so it survives restarts and is the same for
// the app, the local host and the CLI.
import { deviceConfigSchema, type DeviceConfig } from '../../../common/devices.js';
import { StationFailure } from '../errors.js';
import { iso, sql, type StationContext } from '../context.js';
import { forgetDeviceHealth } from './health.js';
import { checkDeviceConnection } from './printer-files.js';

export function listDeviceConfigs(ctx: StationContext): DeviceConfig[] {
  return (sql(ctx.db, 'SELECT config FROM device ORDER BY kind, id').all() as { config: string }[]).map((r) => deviceConfigSchema.parse(JSON.parse(r.config)));
}

export function saveDeviceConfig(ctx: StationContext, config: DeviceConfig): DeviceConfig {
  checkDeviceConnection(ctx, config.connection);
  if (config.kind === 'printer' && config.fallbackId !== undefined) {
    if (config.fallbackId === config.id) throw new StationFailure('INVALID_INPUT', 'fallbackId: a printer cannot be its own fallback.').saying('printerOwnFallback');
    const fallback = sql(ctx.db, "SELECT kind FROM device WHERE id = ?").get(config.fallbackId) as { kind: string } | undefined;
    if (fallback?.kind !== 'printer') throw new StationFailure('NOT_FOUND', `fallbackId: there is no printer "${config.fallbackId}"; configure it first.`).saying('fallbackUnknown');
  }
  const existing = sql(ctx.db, 'SELECT kind FROM device WHERE id = ?').get(config.id) as { kind: string } | undefined;
  if (existing && existing.kind !== config.kind)
    throw new StationFailure('CONFLICT', `"${config.id}" is already a ${existing.kind}; choose another id or remove it first.`).saying('deviceIdTaken');
  sql(ctx.db, 'INSERT INTO device (id, kind, config, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at').run(
    config.id,
    config.kind,
    JSON.stringify(config),
    iso(ctx.clock.now()),
  );
  // Disabled by the clerk: out of service, not down. Its health starts afresh when it is enabled again.
  if (!config.enabled) forgetDeviceHealth(ctx, config.id);
  return config;
}

export function removeDeviceConfig(ctx: StationContext, id: string): { id: string } {
  const usedAsFallback = listDeviceConfigs(ctx).find((d) => d.kind === 'printer' && d.fallbackId === id);
  if (usedAsFallback) throw new StationFailure('CONFLICT', `"${id}" is the fallback of printer "${usedAsFallback.id}"; change that printer first.`).saying('deviceIsFallback');
  const info = sql(ctx.db, 'DELETE FROM device WHERE id = ?').run(id);
  if (info.changes === 0) throw new StationFailure('NOT_FOUND', `No device "${id}" at this station.`).saying('deviceUnknown');
  // A removed device reports nothing more, not even the end of a down period.
  forgetDeviceHealth(ctx, id);
  return { id };
}
