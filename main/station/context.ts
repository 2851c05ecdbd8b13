// What every station operation needs: the database, the clock, the stream it writes, the site
// it serves (cached; refreshed when reference data is imported) and its settings.
import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { Clock } from './clock.js';
import { localParts } from '../../common/time.js';
import type { WalScrubber } from '../../common/sqlite-wal.js';
import type { OpeningHours, Site } from '../../common/reference-data.js';
import { StationFailure, toStationFailure } from './errors.js';

export interface StationSettings {
  /** A second tap of the same badge within this window does nothing. */
  tapWindowMs: number;
  /** The hourly workspace service charged when a visit ends. */
  workspaceService: string;
  /** How long a guest's personal data is kept when the clerk gives no date. */
  guestRetentionDays: number;
  /**
   * How long the kiosk shows a check-out's amounts to the person (ms); 0: never on the public
   * screen (the default: the statement tells them).
   */
  kioskAmountMs: number;
}

export interface StationContext {
  db: Database;
  clock: Clock;
  siteId: string;
  epoch: string;
  settings: StationSettings;
  site: Site | undefined;
  /**
   * Truncates the WAL once a transaction that erased personal data (a guest purge, a member's
   * erasure) has committed, so no old page of it stays in the -wal file: call `request` after the commit.
   */
  scrubber: WalScrubber;
  /** Told that an event was appended to the outbox (see outbox.ts). */
  onAppend?: () => void;
}

const contexts = new WeakMap<object, StationContext>();

/** Ties a station to its context (openStation does it once). */
export function registerContext(station: object, ctx: StationContext): void {
  contexts.set(station, ctx);
}

/**
 * A station's context: for the station core's own modules (main/station/) and the tests that look
 * into its ledger — a lint rule keeps the rest of the app on the station's ports.
 */
export function contextOf(station: object): StationContext {
  const ctx = contexts.get(station);
  if (!ctx) throw new Error('not a station opened by openStation');
  return ctx;
}

const statements = new WeakMap<Database, Map<string, Statement>>();

/** A prepared statement, prepared once per connection: the tap path runs the same few queries. */
export function sql(db: Database, text: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let s = cache.get(text);
  if (!s) cache.set(text, (s = db.prepare(text)));
  return s;
}

const runners = new WeakMap<Database, Transaction<(fn: () => unknown) => unknown>>();

/** Runs `fn` in one IMMEDIATE transaction: all of it is committed, or none of it. */
export function writeTransaction<T>(ctx: StationContext, fn: () => T): T {
  // One wrapper per connection: better-sqlite3 builds four closures for each db.transaction(),
  // which the tap path would otherwise pay on every tap.
  let run = runners.get(ctx.db);
  if (!run) runners.set(ctx.db, (run = ctx.db.transaction((f: () => unknown) => f())));
  try {
    return run.immediate(fn) as T;
  } catch (e) {
    throw toStationFailure(e);
  }
}

/** A stored instant as the site's clock reads it (HH:MM), for a sentence a clerk reads. */
export function siteClock(ctx: StationContext, iso: string): string {
  return localParts(Date.parse(iso), ctx.site?.timeZone ?? 'Europe/Brussels').time;
}

export function requireSite(ctx: StationContext): Site {
  if (!ctx.site)
    throw new StationFailure('NOT_CONFIGURED', `This station has no reference data for its site "${ctx.siteId}" yet. Import it first (escale-station import).`).saying('noSiteData');
  return ctx.site;
}

interface SiteRow {
  id: string;
  name: string;
  region: Site['region'];
  stars: number;
  time_zone: string;
  opening_hours: string;
  membership: string;
  badge_formats: string | null;
  legal_name: string | null;
  address: string | null;
  vat_number: string | null;
}

export function loadSite(db: Database, siteId: string): Site | undefined {
  const row = db.prepare('SELECT * FROM site WHERE id = ?').get(siteId) as SiteRow | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    region: row.region,
    stars: row.stars,
    timeZone: row.time_zone,
    openingHours: JSON.parse(row.opening_hours) as OpeningHours,
    membership: JSON.parse(row.membership) as Site['membership'],
    ...(row.badge_formats ? { badgeFormats: JSON.parse(row.badge_formats) as NonNullable<Site['badgeFormats']> } : {}),
    ...(row.legal_name ? { legalName: row.legal_name } : {}),
    ...(row.address ? { address: JSON.parse(row.address) as NonNullable<Site['address']> } : {}),
    ...(row.vat_number ? { vatNumber: row.vat_number } : {}),
  };
}

export const iso = (ms: number): string => new Date(ms).toISOString();
