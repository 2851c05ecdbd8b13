// Opens a station on its data folder and offers every operation of the station API as a plain
// synchronous function over parsed input. api.ts wraps these with validation and Results.
import type { Database } from 'better-sqlite3';
import { newId } from '../../common/ids.js';
import type { ParsedInput, StationMethod, StationOutputs } from '../../common/station-api.js';
import { localDate } from '../../common/time.js';
import { type Clock, systemClock } from './clock.js';
import { iso, loadSite, registerContext, requireSite, sql, writeTransaction, type StationContext, type StationSettings } from './context.js';
import { StationFailure, toStationFailure } from './errors.js';
import { DATABASE_FILE, openStationDatabase } from './database/open.js';
import fs from 'node:fs';
import path from 'node:path';
import { startupIntegrityCheck, fullIntegrityCheck } from './database/integrity.js';
import { BACKUP_MARKER, backupTo } from './database/backup.js';
import { listEvents } from './outbox/outbox.js';
import { importReferenceData, parseReferenceData } from './reference/import.js';
import { tap } from './visits/tap.js';
import { autoCloseDue, checkInMember, checkOutVisit, voidVisit } from './visits/lifecycle.js';
import { checkedOutDetail, consumptionLines, findVisit, memberRef, personOf, visitDetail, visitSummary } from './visits/read.js';
import { recordConsumption, voidConsumption } from './consumption/record.js';
import { registerGuest } from './guests/register.js';
import { purgeDueGuests } from './guests/purge.js';
import { assignBadge } from './badges/assign.js';
import { listSignUps, printWelcome, signUpMember } from './signups/sign-up.js';
import { openShift, signIn, signOut, unlockStaff } from './staff/shifts.js';
import { allowPrinterFile } from './devices/printer-files.js';
import { search } from './queries/search.js';
import { searchKey } from './queries/search-key.js';
import { dayFigures, dayVisits, memberVisits, onSite } from './queries/figures.js';
import { listDeviceConfigs, removeDeviceConfig, saveDeviceConfig } from './devices/config-store.js';
import { recordDeviceHealth, type DeviceHealthChange, type DeviceHealthOutcome } from './devices/health.js';
import { badgeDocument, enqueuePrint, listJobs, receiptDocument, reprint } from './devices/print-jobs.js';
import type { DeviceStatus, PrintJob } from '../../common/devices.js';
import type { SyncStatus } from '../../common/sync/status.js';
import { parseCredential } from '../../common/sync/protocol.js';
import { backlog, syncProblems } from './sync/outbox-sync.js';
import { deviceConfigPort, identityOf, localHostRecord, outboxPort, pairingPort, printQueuePort, referenceSink } from './station-ports.js';
import type { DeviceConfigPort, LocalHostRecord, OutboxPort, PairingPort, PrintQueuePort, ReferenceSink, StationIdentity } from './ports.js';
import { WalScrubber } from '../../common/sqlite-wal.js';

export const DEFAULT_SETTINGS: StationSettings = { tapWindowMs: 3000, workspaceService: 'desk_hour', guestRetentionDays: 30 };

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

export type Handlers = { [M in StationMethod]: (input: ParsedInput<M>) => StationOutputs[M] };

/** What a running device manager offers the station: live status, and being told of changes. */
export interface DeviceHooks {
  statuses(): DeviceStatus[];
  /** Device configuration changed: reopen what changed. */
  configChanged(): void;
  /** A print job was queued. */
  jobQueued(): void;
}

/** What a running sync client offers the station. */
export interface SyncHooks {
  status(): SyncStatus;
  kick(): void;
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
      attachSync: (hooks) => {
        sync.hooks = hooks;
      },
      attachLog: (log) => scrubber.setLog(log),
      permissionsTightened,
      hubConfig: () => hubConfig(ctx),
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

function hubConfig(ctx: StationContext): { url: string; credential: string } | undefined {
  const get = (key: string) => (ctx.db.prepare('SELECT value FROM station_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  const url = get('hub_url');
  const credential = get('hub_credential');
  return url && credential ? { url, credential } : undefined;
}

function checkShift(ctx: StationContext, shiftId: string | undefined): void {
  if (shiftId !== undefined) openShift(ctx, shiftId);
}

function handlersFor(ctx: StationContext, devices: { hooks: DeviceHooks | undefined }, sync: { hooks: SyncHooks | undefined }): Handlers {
  const queued = (job: PrintJob): PrintJob => {
    devices.hooks?.jobQueued();
    return job;
  };
  const now = () => ctx.clock.now();
  const today = () => localDate(iso(now()), requireSite(ctx).timeZone);
  return {
    tap: ({ uid, at }) => tap(ctx, uid, at ? Date.parse(at) : now()),
    search: ({ query, limit }) => search(ctx, query, limit),
    checkIn: ({ memberId, shiftId }) =>
      writeTransaction(ctx, () => {
        checkShift(ctx, shiftId);
        const member = memberRef(ctx, memberId);
        // Staff cannot override a network block: the member is refused as at the reader.
        const status = sql(ctx.db, 'SELECT status, blocked_reason FROM member WHERE id = ?').get(memberId) as { status: string; blocked_reason: string | null };
        if (status.status === 'blocked')
          throw new StationFailure('REFUSED', `${member.firstName} ${member.lastName} cannot be checked in: ${status.blocked_reason ?? 'this membership is suspended.'}`);
        autoCloseDue(ctx, now());
        return visitSummary(ctx, checkInMember(ctx, { memberId: member.id, atMs: now(), by: 'staff', shiftId }));
      }),
    checkOut: ({ visitId, shiftId }) =>
      writeTransaction(ctx, () => {
        checkShift(ctx, shiftId);
        const visit = findVisit(ctx, visitId);
        if (visit.checked_out_at === null && visit.void_reason === null && autoCloseDue(ctx, now(), visitId).length > 0)
          return visitDetail(ctx, findVisit(ctx, visitId));
        return checkedOutDetail(ctx, checkOutVisit(ctx, visit, now(), 'staff', shiftId));
      }),
    registerGuest: (input) =>
      writeTransaction(ctx, () => {
        checkShift(ctx, input.shiftId);
        return visitSummary(ctx, registerGuest(ctx, input));
      }),
    assignBadge: ({ memberId, uid, kind, shiftId }) =>
      writeTransaction(ctx, () => {
        checkShift(ctx, shiftId);
        return assignBadge(ctx, memberId, uid, kind, shiftId);
      }),
    signUpMember: (input) => {
      const result = writeTransaction(ctx, () => {
        checkShift(ctx, input.shiftId);
        return signUpMember(ctx, input);
      });
      if (!input.printWelcome) return result;
      // The slip is queued after the sign-up is committed: a missing printer never undoes a sign-up.
      try {
        const job = writeTransaction(ctx, () => printWelcome(ctx, result.signUp.memberId, undefined, result.visit?.visitId));
        devices.hooks?.jobQueued();
        return { ...result, welcomePrint: job };
      } catch (e) {
        const error = toStationFailure(e).toError();
        return { ...result, welcomePrintError: { code: error.code, message: error.message } };
      }
    },
    signUps: ({ limit }) => listSignUps(ctx, limit),
    companies: ({ query, limit }) => {
      // A network has tens to hundreds of companies: filtered here, with the search's folding.
      const rows = sql(ctx.db, "SELECT id, name, vat_number FROM payer WHERE kind = 'company' ORDER BY name, id").all() as { id: string; name: string; vat_number: string | null }[];
      const q = searchKey(query);
      return rows
        .filter((r) => q === '' || searchKey(`${r.name} ${r.id} ${r.vat_number ?? ''}`).includes(q))
        .slice(0, limit)
        .map((r) => ({ id: r.id, name: r.name, ...(r.vat_number ? { vatNumber: r.vat_number } : {}) }));
    },
    printWelcome: ({ memberId, printerId }) => queued(writeTransaction(ctx, () => printWelcome(ctx, memberId, printerId))),
    addConsumption: ({ visitId, serviceCode, quantity, at, shiftId }) =>
      writeTransaction(ctx, () => {
        checkShift(ctx, shiftId);
        const visit = findVisit(ctx, visitId);
        if (visit.void_reason !== null) throw new StationFailure('REFUSED', 'This visit was voided; nothing can be added to it.');
        const atMs = at ? Date.parse(at) : now();
        if (atMs < Date.parse(visit.checked_in_at)) throw new StationFailure('INVALID_INPUT', `at: ${at} is before the visit began (${visit.checked_in_at}).`);
        const id = recordConsumption(ctx, { visit, serviceCode, quantity, atMs, source: 'staff', shiftId });
        return consumptionLines(ctx, 'c.id = ?', id, personOf(ctx, visit).language)[0]!;
      }),
    voidConsumption: ({ consumptionId, reason, shiftId }) =>
      writeTransaction(ctx, () => {
        checkShift(ctx, shiftId);
        const id = voidConsumption(ctx, consumptionId, reason, shiftId);
        const line = consumptionLines(ctx, 'c.id = ?', id, 'en')[0]!;
        const visit = findVisit(ctx, (sql(ctx.db, 'SELECT visit_id FROM consumption WHERE id = ?').get(id) as { visit_id: string }).visit_id);
        return consumptionLines(ctx, 'c.id = ?', id, personOf(ctx, visit).language)[0] ?? line;
      }),
    voidVisit: ({ visitId, reason, shiftId }) =>
      writeTransaction(ctx, () => {
        checkShift(ctx, shiftId);
        return visitDetail(ctx, voidVisit(ctx, visitId, reason, shiftId));
      }),
    autoClose: () => writeTransaction(ctx, () => ({ closed: autoCloseDue(ctx, now()).map((v) => visitSummary(ctx, v)) })),
    purgeGuests: () => {
      const result = writeTransaction(ctx, () => purgeDueGuests(ctx, now()));
      // Committed: now the old pages holding the names leave the WAL too.
      if (result.purged.length > 0) ctx.scrubber.request('guest purge');
      return result;
    },
    staffSignIn: ({ staffId, pin }) => signIn(ctx, staffId, pin),
    staffSignOut: ({ shiftId }) => signOut(ctx, shiftId),
    // Sessions belong to the windows' connections (access/gate.ts answers this there); the
    // command line has none.
    staffSession: () => ({}),
    unlockStaff: ({ staffId, shiftId }) => unlockStaff(ctx, staffId, shiftId ? openShift(ctx, shiftId).staffId : 'operator'),
    allowPrinterFile: ({ path: target, remove }) => allowPrinterFile(ctx, target, remove),
    staff: () =>
      (sql(ctx.db, 'SELECT s.id, s.name, l.locked_until FROM staff s LEFT JOIN staff_lockout l ON l.staff_id = s.id ORDER BY s.name, s.id').all() as { id: string; name: string; locked_until: string | null }[]).map(
        (r) => ({ id: r.id, name: r.name, ...(r.locked_until !== null && Date.parse(r.locked_until) > now() ? { locked: true as const } : {}) }),
      ),
    services: ({ language }) => {
      const site = requireSite(ctx);
      const version = sql(ctx.db, 'SELECT id FROM tariff_version WHERE effective_from <= ? ORDER BY effective_from DESC LIMIT 1').get(today()) as { id: string } | undefined;
      if (!version) throw new StationFailure('NOT_CONFIGURED', `No tariff is in force on ${today()}. Import the network's tariff.`);
      const rows = sql(
        ctx.db,
        `SELECT s.code, s.names, s.unit, s.category, p.unit_price_cents, p.vat_rate_bp FROM service s
         JOIN tariff_price p ON p.service_code = s.code AND p.tariff_version_id = ? AND p.stars = ? ORDER BY s.category, s.code`,
      ).all(version.id, site.stars) as { code: string; names: string; unit: StationOutputs['services'][number]['unit']; category: StationOutputs['services'][number]['category']; unit_price_cents: number; vat_rate_bp: number }[];
      return rows.map((r) => ({
        code: r.code,
        name: (JSON.parse(r.names) as Record<string, string>)[language] ?? r.code,
        unit: r.unit,
        category: r.category,
        unitPriceCents: r.unit_price_cents,
        vatRateBp: r.vat_rate_bp,
      }));
    },
    // The evacuation list never shows a visit past its closing time.
    onSite: () => {
      writeTransaction(ctx, () => autoCloseDue(ctx, now()));
      return onSite(ctx);
    },
    // Like the evacuation list: visits past their closing time count as auto-closed, not on site.
    dayVisits: ({ date }) => {
      writeTransaction(ctx, () => autoCloseDue(ctx, now()));
      return dayVisits(ctx, date ?? today());
    },
    dayFigures: ({ date }) => {
      writeTransaction(ctx, () => autoCloseDue(ctx, now()));
      return dayFigures(ctx, date ?? today());
    },
    visitDetail: ({ visitId }) => visitDetail(ctx, findVisit(ctx, visitId)),
    memberVisits: ({ memberId, limit }) => {
      memberRef(ctx, memberId);
      return memberVisits(ctx, memberId, limit);
    },
    siteProfile: () => requireSite(ctx),
    events: ({ afterPosition, limit }) => listEvents(ctx.db, afterPosition, limit),
    importReferenceData: ({ data, source }) => {
      const parsed = parseReferenceData(data, source ?? 'The reference data');
      const site = parsed.sites.find((s) => s.id === ctx.siteId);
      if (site) {
        const missing = parsed.tariffs.filter((t) => !t.prices.some((p) => p.serviceCode === ctx.settings.workspaceService && p.stars === site.stars));
        if (missing.length > 0)
          throw new StationFailure(
            'REFERENCE_DATA_INVALID',
            `${source ?? 'The reference data'} was refused, nothing was imported: tariff ${missing[0]!.id} has no price for the workspace service "${ctx.settings.workspaceService}" at ${site.stars} stars.`,
          );
      }
      const summary = importReferenceData(ctx, parsed, now());
      ctx.site = loadSite(ctx.db, ctx.siteId);
      // A file from the hub may carry erased members: once written, their old pages leave the WAL too.
      if (parsed.members.some((m) => m.erasedAt !== undefined)) ctx.scrubber.request('member erasure');
      return summary;
    },
    devices: () =>
      devices.hooks?.statuses() ??
      // No device manager runs in this process (the CLI): the configuration, state unknown.
      listDeviceConfigs(ctx).map((d) => ({ id: d.id, kind: d.kind, name: d.name, enabled: d.enabled, state: d.enabled ? 'unknown' : 'disabled', counts: {} })),
    deviceConfigs: () => listDeviceConfigs(ctx),
    configureDevice: ({ config }) => {
      const saved = writeTransaction(ctx, () => saveDeviceConfig(ctx, config));
      devices.hooks?.configChanged();
      return saved;
    },
    removeDevice: ({ id }) => {
      const removed = writeTransaction(ctx, () => removeDeviceConfig(ctx, id));
      devices.hooks?.configChanged();
      return removed;
    },
    printReceipt: ({ visitId, printerId }) =>
      queued(writeTransaction(ctx, () => enqueuePrint(ctx, 'receipt', receiptDocument(ctx, visitId), { visitId, ...(printerId ? { printerId } : {}) }))),
    printBadge: ({ visitId, printerId }) =>
      queued(writeTransaction(ctx, () => enqueuePrint(ctx, 'badge', badgeDocument(ctx, visitId), { visitId, ...(printerId ? { printerId } : {}) }))),
    testPrint: ({ printerId }) =>
      queued(
        writeTransaction(ctx, () => {
          const site = requireSite(ctx);
          const printer = listDeviceConfigs(ctx).find((d) => d.id === printerId);
          if (!printer) throw new StationFailure('NOT_FOUND', `No printer "${printerId}" at this station.`);
          return enqueuePrint(ctx, 'test', { kind: 'test', language: 'en', printerName: printer.name, at: iso(now()), timeZone: site.timeZone }, { printerId });
        }),
      ),
    reprint: ({ jobId, printerId }) => queued(writeTransaction(ctx, () => reprint(ctx, jobId, printerId))),
    printJobs: ({ visitId, limit }) => listJobs(ctx, visitId, limit),
    syncStatus: () => {
      if (sync.hooks) return sync.hooks.status();
      // No sync client runs in this process: what the database knows.
      const b = backlog(ctx);
      const hub = hubConfig(ctx);
      return {
        configured: hub !== undefined,
        ...(hub ? { hubUrl: hub.url } : {}),
        online: false,
        backlog: b.events,
        ...(b.oldestWallTime ? { oldestUnsyncedAt: b.oldestWallTime, oldestUnsyncedAgeMs: Math.max(0, now() - Date.parse(b.oldestWallTime)) } : {}),
        problems: syncProblems(ctx, 100),
      };
    },
    configureHub: ({ url, credential }) => {
      writeTransaction(ctx, () => {
        const set = ctx.db.prepare('INSERT OR REPLACE INTO station_meta (key, value) VALUES (?, ?)');
        set.run('hub_url', url);
        set.run('hub_credential', credential);
      });
      return { url, stationId: parseCredential(credential)!.stationId };
    },
  };
}
