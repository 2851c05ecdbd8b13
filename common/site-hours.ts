// Whether a site is open at an instant, by its opening hours in its own time zone: the desk shows
// a calm notice when the centre is closed, and a check-in after hours says so to the visitor.
import { WEEKDAYS, type Site } from './reference-data.js';
import { addDays, localParts, zonedToUtcMs } from './time.js';

export type OpeningNow =
  | { open: true; closesAt: string }
  /** opensAt: the next opening within a week (absent when the site has no opening hours). */
  | { open: false; opensAt?: string };

export function openingAt(site: Pick<Site, 'openingHours' | 'timeZone'>, instantMs: number): OpeningNow {
  const local = localParts(instantMs, site.timeZone);
  const today = site.openingHours[local.weekday];
  if (today && local.time >= today.open && local.time < today.close)
    return { open: true, closesAt: new Date(zonedToUtcMs(local.date, today.close, site.timeZone)).toISOString() };
  const start = WEEKDAYS.indexOf(local.weekday);
  for (let d = 0; d <= 7; d++) {
    const hours = site.openingHours[WEEKDAYS[(start + d) % 7]!];
    if (!hours || (d === 0 && local.time >= hours.open)) continue;
    return { open: false, opensAt: new Date(zonedToUtcMs(addDays(local.date, d), hours.open, site.timeZone)).toISOString() };
  }
  return { open: false };
}
