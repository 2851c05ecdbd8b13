// Opens a station on its data folder: its database (migrated, checked), its stream (site and install
// epoch), its ports (ports.ts) and the handlers of every station API method (handlers.ts, one file
// per capability), which api.ts wraps with validation and Results.
import type { Database } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { newId } from '../../common/ids.js';
import { WalScrubber } from '../../common/sqlite-wal.js';
import { type Clock, systemClock } from './clock.js';
import { iso, loadSite, registerContext, type StationContext, type StationSettings } from './context.js';
import { StationFailure, toStationFailure } from './errors.js';
import { DATABASE_FILE, openStationDatabase } from './database/open.js';
import { startupIntegrityCheck, fullIntegrityCheck } from './database/integrity.js';
import { BACKUP_MARKER, backupTo } from './database/backup.js';
import { recordDeviceHealth, type DeviceHealthChange, type DeviceHealthOutcome } from './devices/health.js';
import { handlersFor, hubConfigOf, type DeviceHooks, type Handlers, type SyncHooks } from './handlers.js';
import { deviceConfigPort, identityOf, localHostRecord, outboxPort, pairingPort, printQueuePort, referenceSink, syncStatePort } from './station-ports.js';
import type { DeviceConfigPort, LocalHostRecord, OutboxPort, PairingPort, PrintQueuePort, ReferenceSink, StationIdentity, SyncStatePort } from './ports.js';

export type { DeviceHooks, Handlers, SyncHooks };

export const DEFAULT_SETTINGS: StationSettings = { tapWindowMs: 3000, workspaceService: 'desk_hour', guestRetentionDays: 30, kioskAmountMs: 0 };

export interface OpenStationOptions {
  dataDir: string;
  clock?: Clock;
  /** Creates the station for this site when the data folder is new (escale-station init). */
  init?: { siteId: string; settings?: Partial<StationSettings> };
  /** Overrides of the stored settings for this run (tests, benchmarks). */
  settings?: Partial<StationSettings>;
  /** See OpenDatabaseOptions.maxPageCount. */
  maxPageCount?: number;
}

/**
 * An open station: who it is, its API handlers, and the ports (ports.ts) through which what runs
 * beside it — the sync client, the device manager, the local host — reaches it. It hands out no
 * database: the core's own modules reach its context through contextOf (context.ts), and a lint
 * rule keeps everyone else on the ports.
 */
export interface Station extends StationIdentity {
  readonly outbox: OutboxPort;
  readonly reference: ReferenceSink;
  readonly printQueue: PrintQueuePort;
  readonly deviceConfigs: DeviceConfigPort;
  readonly pairing: PairingPort;
  readonly localHost: LocalHostRecord;
  /** Where the running sync client keeps its state for other processes (sync-status beside run). */
  readonly syncState: SyncStatePort;
  /** Connects the running sync client. */
  attachSync(hooks: SyncHooks | undefined): void;
  /** Where the station's own maintenance reports (a WAL still held by a reader after a purge…): the running station's log. */
  attachLog(log: ((line: string) => void) | undefined): void;
  /** Folders and files of the station's whose looser modes were tightened (or could not be) when it opened, for its log. */
  readonly permissionsTightened: readonly string[];
  /** The hub this station syncs with, as configured (escale-station hub). */
  hubConfig(): { url: string; credential: string } | undefined;
  /** Connects the running device manager (the app, the local host, `escale-station run`). */
  attachDevices(hooks: DeviceHooks | undefined): void;
  /**
   * The device manager's hook for device health: a device's health changed in memory; the station
   * appends device.monitored, device.fault or device.recovered when that is news (see health.ts).
   */
  reportDeviceHealth(change: DeviceHealthChange): DeviceHealthOutcome;
  readonly handlers: Handlers;
  /** Set when this database was a backup opened as a live station: the epoch it replaced. */
  readonly previousEpoch: string | undefined;
  backup(destination: string): Promise<{ file: string; bytes: number }>;
  integrityCheck(): { ok: boolean; problems: string[] };
  close(): void;
}

const SETTING_KEYS: Record<keyof StationSettings, string> = {
  tapWindowMs: 'tap_window_ms',
  workspaceService: 'workspace_service',
  guestRetentionDays: 'guest_retention_days',
  kioskAmountMs: 'kiosk_amount_ms',
};

function readMeta(db: Database): Map<string, string> {
  return new Map((db.prepare('SELECT key, value FROM station_meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
}

export function openStation(options: OpenStationOptions): Station {
  const clock = options.clock ?? systemClock;
  // Without init, a folder holding no station stays untouched: no empty database is left behind.
  if (!options.init && !fs.existsSync(path.join(options.dataDir, DATABASE_FILE)))
    throw new StationFailure('NOT_CONFIGURED', `${options.dataDir} holds no station yet. Create it with: escale-station init --data ${options.dataDir} --site SITE_ID`);
  const permissionsTightened: string[] = [];
  const db = openStationDatabase(options.dataDir, {
    ...(options.maxPageCount === undefined ? {} : { maxPageCount: options.maxPageCount }),
    tightened: (what) => void permissionsTightened.push(what),
  });
  try {
    startupIntegrityCheck(db);
    let previousEpoch: string | undefined;
    const setMeta = db.prepare('INSERT OR REPLACE INTO station_meta (key, value) VALUES (?, ?)');
    db.transaction(() => {
      const meta = readMeta(db);
      if (!meta.has('site_id')) {
        if (!options.init)
          throw new StationFailure('NOT_CONFIGURED', `${options.dataDir} holds no station yet. Create it with: escale-station init --data ${options.dataDir} --site SITE_ID`);
        setMeta.run('site_id', options.init.siteId);
        setMeta.run('created_at', iso(clock.now()));
        const settings = { ...DEFAULT_SETTINGS, ...options.init.settings };
        for (const [k, column] of Object.entries(SETTING_KEYS)) setMeta.run(column, String(settings[k as keyof StationSettings]));
      } else if (options.init && options.init.siteId !== meta.get('site_id')) {
        throw new StationFailure('CONFLICT', `${options.dataDir} already holds the station of site "${meta.get('site_id')}", not "${options.init.siteId}".`);
      }
      // A new install epoch for a new database, and for a backup opened as a live database.
      if (!meta.has('epoch') || meta.has(BACKUP_MARKER)) {
        previousEpoch = meta.get('epoch');
        setMeta.run('epoch', newId());
        if (previousEpoch) setMeta.run('previous_epoch', previousEpoch);
        db.prepare('DELETE FROM station_meta WHERE key = ?').run(BACKUP_MARKER);
      }
    }).immediate();
    const meta = readMeta(db);
    const siteId = meta.get('site_id')!;
    const settings: StationSettings = {
      tapWindowMs: Number(meta.get(SETTING_KEYS.tapWindowMs) ?? DEFAULT_SETTINGS.tapWindowMs),
      workspaceService: meta.get(SETTING_KEYS.workspaceService) ?? DEFAULT_SETTINGS.workspaceService,
      guestRetentionDays: Number(meta.get(SETTING_KEYS.guestRetentionDays) ?? DEFAULT_SETTINGS.guestRetentionDays),
      kioskAmountMs: Number(meta.get(SETTING_KEYS.kioskAmountMs) ?? DEFAULT_SETTINGS.kioskAmountMs),
      ...options.settings,
    };
    const scrubber = new WalScrubber(db);
    const ctx: StationContext = { db, clock, siteId, epoch: meta.get('epoch')!, settings, site: loadSite(db, siteId), scrubber };
    const devices: { hooks: DeviceHooks | undefined } = { hooks: undefined };
    const sync: { hooks: SyncHooks | undefined } = { hooks: undefined };
    const station: Station = {
      ...identityOf(ctx),
      outbox: outboxPort(ctx),
      reference: referenceSink(ctx),
      printQueue: printQueuePort(ctx),
      deviceConfigs: deviceConfigPort(ctx),
      pairing: pairingPort(ctx),
      localHost: localHostRecord(ctx),
      syncState: syncStatePort(ctx),
      attachSync: (hooks) => {
        sync.hooks = hooks;
      },
      attachLog: (log) => scrubber.setLog(log),
      permissionsTightened,
      hubConfig: () => hubConfigOf(ctx),
      attachDevices: (hooks) => {
        devices.hooks = hooks;
      },
      reportDeviceHealth: (change) => recordDeviceHealth(ctx, change),
      handlers: handlersFor(ctx, devices, sync),
      previousEpoch,
      backup: (destination) => backupTo(db, destination),
      integrityCheck: () => fullIntegrityCheck(db),
      close: () => {
        // A truncation still waiting for a reader gets its last try; closing the last connection
        // then checkpoints and removes the WAL anyway.
        scrubber.stop();
        db.close();
      },
    };
    registerContext(station, ctx);
    return station;
  } catch (e) {
    db.close();
    throw toStationFailure(e);
  }
}
