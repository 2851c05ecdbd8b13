// The station API's handlers, one file per capability beside its domain code (visits/handlers.ts,
// guests/handlers.ts…), composed here into one table. Each takes what it needs of HandlerDeps:
// the station's context, the running device manager's and sync client's hooks, the clock.
import type { PrintJob } from '../../common/devices.js';
import type { ParsedInput, StationMethod, StationOutputs } from '../../common/station-api.js';
import type { SyncStatus } from '../../common/sync/status.js';
import type { DeviceStatus } from '../../common/devices.js';
import { localDate } from '../../common/time.js';
import { iso, requireSite, type StationContext } from './context.js';
import { openShift } from './staff/shifts.js';
import { visitsHandlers } from './visits/handlers.js';
import { guestsHandlers } from './guests/handlers.js';
import { membersHandlers } from './members/handlers.js';
import { consumptionHandlers } from './consumption/handlers.js';
import { staffHandlers } from './staff/handlers.js';
import { figuresHandlers } from './queries/figures-handlers.js';
import { devicesHandlers } from './devices/handlers.js';
import { syncHandlers } from './sync/handlers.js';
import { referenceHandlers } from './reference/handlers.js';
import { cardReadsHandlers } from './badges/card-reads.js';
import { kioskHandlers } from './kiosk/handlers.js';
import { paymentsHandlers } from './payments/handlers.js';
import { tillHandlers } from './till/handlers.js';

export type Handlers = { [M in StationMethod]: (input: ParsedInput<M>) => StationOutputs[M] };

/** The handlers of the methods whose outputs `O` lists (a capability's). */
export type HandlersOf<O> = { [M in keyof O & StationMethod]: (input: ParsedInput<M>) => StationOutputs[M] };

/** What a running device manager offers the station: live status, and being told of changes. */
export interface DeviceHooks {
  statuses(): DeviceStatus[];
  /** Device configuration changed: reopen what changed. */
  configChanged(): void;
  /** A print job was queued. */
  jobQueued(): void;
}

/**
 * What a running sync client offers the station: its live status. (It needs no telling of new
 * events: it listens to the outbox's onAppended, which fires after each commit that appended.)
 */
export interface SyncHooks {
  status(): SyncStatus;
}

export interface HandlerDeps {
  ctx: StationContext;
  devices: { hooks: DeviceHooks | undefined };
  sync: { hooks: SyncHooks | undefined };
  now(): number;
  /** The station's local day, in the site's time zone. */
  today(): string;
  /** Tells the device manager a job was queued, and gives the job back. */
  queued(job: PrintJob): PrintJob;
  /** A desk action's shift must be open (when one is given: the command line may give none). */
  checkShift(shiftId: string | undefined): void;
  /** The hub this station syncs with, as configured. */
  hubConfig(): { url: string; credential: string } | undefined;
}

export function hubConfigOf(ctx: StationContext): { url: string; credential: string } | undefined {
  const get = (key: string) => (ctx.db.prepare('SELECT value FROM station_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  const url = get('hub_url');
  const credential = get('hub_credential');
  return url && credential ? { url, credential } : undefined;
}

export function handlersFor(ctx: StationContext, devices: HandlerDeps['devices'], sync: HandlerDeps['sync']): Handlers {
  const now = () => ctx.clock.now();
  const deps: HandlerDeps = {
    ctx,
    devices,
    sync,
    now,
    today: () => localDate(iso(now()), requireSite(ctx).timeZone),
    queued: (job) => {
      devices.hooks?.jobQueued();
      return job;
    },
    checkShift: (shiftId) => {
      if (shiftId !== undefined) openShift(ctx, shiftId);
    },
    hubConfig: () => hubConfigOf(ctx),
  };
  return {
    ...visitsHandlers(deps),
    ...guestsHandlers(deps),
    ...membersHandlers(deps),
    ...consumptionHandlers(deps),
    ...staffHandlers(deps),
    ...figuresHandlers(deps),
    ...devicesHandlers(deps),
    ...syncHandlers(deps),
    ...referenceHandlers(deps),
    ...cardReadsHandlers(deps),
    ...kioskHandlers(deps),
    ...paymentsHandlers(deps),
    ...tillHandlers(deps),
  };
}
