// Instants are ISO-8601 UTC strings ("2026-11-28T09:15:00.000Z"); a site shows and reasons about
// them in its own time zone (Europe/Brussels by default). These helpers convert with Intl only,
// so they run the same in Node, the renderer and the hub, and follow daylight saving changes.
import type { Weekday } from './reference-data.js';

export const DEFAULT_TIME_ZONE = 'Europe/Brussels';

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

export interface LocalParts {
  date: string; // YYYY-MM-DD
  time: string; // HH:MM
  weekday: Weekday;
  offsetMinutes: number; // local minus UTC
}

function intlParts(instantMs: number, timeZone: string): LocalParts {
  const p: Record<string, string> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(instantMs))) p[part.type] = part.value;
  const date = `${p.year}-${p.month}-${p.day}`;
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  return {
    date,
    time: `${p.hour}:${p.minute}`,
    weekday: (p.weekday ?? 'Mon').toLowerCase().slice(0, 3) as Weekday,
    offsetMinutes: Math.round((asUtc - wholeSecond) / 60000),
  };
}

const WEEKDAY_OF_UTC_DAY: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const HOUR = 3_600_000;
const offsetCache = new Map<string, number>();

/**
 * The wall clock of `timeZone` at an instant. Intl's formatToParts is slow (tens of µs) and this
 * runs on every tap, so the zone's offset is asked once per UTC quarter-hour and the rest is
 * arithmetic: offsets change only at quarter-hour boundaries in every zone in use.
 */
export function localParts(instantMs: number, timeZone: string): LocalParts {
  const quarter = Math.floor(instantMs / (HOUR / 4));
  const key = `${timeZone}|${quarter}`;
  let offsetMinutes = offsetCache.get(key);
  if (offsetMinutes === undefined) {
    if (offsetCache.size > 10_000) offsetCache.clear();
    offsetMinutes = intlParts(quarter * (HOUR / 4), timeZone).offsetMinutes;
    offsetCache.set(key, offsetMinutes);
  }
  const wall = new Date(instantMs + offsetMinutes * 60_000);
  const iso = wall.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16), weekday: WEEKDAY_OF_UTC_DAY[wall.getUTCDay()]!, offsetMinutes };
}

/** localParts computed by Intl alone, for checking the fast path. */
export const localPartsByIntl = intlParts;

export const localDate = (iso: string, timeZone: string): string => localParts(Date.parse(iso), timeZone).date;

const zonedCache = new Map<string, number>();

/**
 * The instant at which the wall clock of `timeZone` shows `date` `time`. In the autumn hour that
 * occurs twice, the first one; in the spring hour that does not exist, the wall time one hour later.
 * Remembered: it costs several Intl calls, and every check-out asks for its day's closing time.
 */
export function zonedToUtcMs(date: string, time: string, timeZone: string): number {
  const key = `${date} ${time} ${timeZone}`;
  let ms = zonedCache.get(key);
  if (ms === undefined) {
    if (zonedCache.size >= 1000) zonedCache.clear();
    zonedCache.set(key, (ms = computeZonedToUtcMs(date, time, timeZone)));
  }
  return ms;
}

function computeZonedToUtcMs(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const naive = Date.UTC(y, m - 1, d, hh, mm);
  // The offsets in force a day before and a day after cover any daylight-saving change between.
  const before = localParts(naive - 86_400_000, timeZone).offsetMinutes;
  const after = localParts(naive + 86_400_000, timeZone).offsetMinutes;
  const candidates = [naive - before * 60000, naive - after * 60000].sort((a, b) => a - b);
  for (const t of candidates) {
    const lp = localParts(t, timeZone);
    if (lp.date === date && lp.time === time) return t;
  }
  // A wall time skipped by the spring change: the instant the clock jumped over it.
  return naive - before * 60000;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The UTC bounds [start, end) of a local day. */
export function localDayBounds(date: string, timeZone: string): { startMs: number; endMs: number } {
  return { startMs: zonedToUtcMs(date, '00:00', timeZone), endMs: zonedToUtcMs(addDays(date, 1), '00:00', timeZone) };
}

export const toIso = (ms: number): string => new Date(ms).toISOString();

/** "28/11/2026 09:15" in the site's time zone: what a clerk reads. */
const localFormats = new Map<string, Intl.DateTimeFormat>();
export function formatLocal(iso: string, timeZone: string, locale = 'fr-BE'): string {
  const key = `${locale}|${timeZone}`;
  let f = localFormats.get(key);
  if (!f) localFormats.set(key, (f = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'short', timeStyle: 'short' })));
  return f.format(new Date(iso));
}
