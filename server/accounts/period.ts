// Billing periods are calendar months of the site's local time: a consumption belongs to the
// month of its local day; a period's end at a site is midnight starting the next month there.
import { zonedToUtcMs } from '../../common/time.js';
import { periodSchema, type Period } from '../../common/accounts/reports.js';

export function parsePeriod(text: string): Period {
  const parsed = periodSchema.safeParse(text);
  if (!parsed.success) throw new RangeError(`period "${text}": give a month as YYYY-MM, e.g. 2026-10`);
  return parsed.data;
}

export const periodOf = (localDate: string): Period => localDate.slice(0, 7);

export function nextPeriod(p: Period): Period {
  const [y, m] = p.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function previousPeriod(p: Period): Period {
  const [y, m] = p.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export const firstDay = (p: Period): string => `${p}-01`;
export const lastDay = (p: Period): string => {
  const [y, m] = p.split('-').map(Number) as [number, number];
  return `${p}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

/** The instant a period ends at a site: local midnight starting the next month. */
export const periodEndMs = (p: Period, timeZone: string): number => zonedToUtcMs(firstDay(nextPeriod(p)), '00:00', timeZone);
export const periodStartMs = (p: Period, timeZone: string): number => zonedToUtcMs(firstDay(p), '00:00', timeZone);

/** Months from `from` to `until`, both included. */
export function periodsBetween(from: Period, until: Period): Period[] {
  const out: Period[] = [];
  for (let p = from; p <= until && out.length < 240; p = nextPeriod(p)) out.push(p);
  return out;
}

/** Does a date range [from, until] (until open when absent) overlap a month? */
export const overlapsPeriod = (from: string, until: string | undefined, p: Period): boolean => from <= lastDay(p) && (until === undefined || until >= firstDay(p));
