// A site's figures over a run of months: what the network looks at to decide whether a center on
// trial stays (its one-year evaluation) and what any center's operator watches: visits, distinct
// members, the roaming share, hours hosted, revenue, staffed reception against opening hours,
// visits closed automatically (nobody checked them out), how well its station syncs, and how its
// badge readers and printers held up (faults, minutes down, print jobs given up on), and how its
// desk's tills balanced at their close.
import type { Evaluation, Period, TillFigures } from '../../common/accounts/reports.js';
import type { Site, Weekday } from '../../common/reference-data.js';
import { addDays, localDate, zonedToUtcMs } from '../../common/time.js';
import type { Ledger } from './ledger.js';
import { firstDay, lastDay, periodOf, periodsBetween } from './period.js';
import type { HubPricedLine } from './pricing.js';
import type { AccountsReference } from './reference.js';
import type { HubStore } from '../store/store.js';

const OPEN_SHIFT_CAP_MS = 12 * 3_600_000;

const WEEKDAY_OF_UTC_DAY: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const weekdayOf = (date: string): Weekday => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return WEEKDAY_OF_UTC_DAY[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
};

/** The site's opening intervals (UTC ms) for each local day from `from` to `until`, both included. */
export function openingIntervals(site: Pick<Site, 'openingHours' | 'timeZone'>, from: string, until: string): [number, number][] {
  const out: [number, number][] = [];
  for (let day = from; day <= until; day = addDays(day, 1)) {
    const hours = site.openingHours[weekdayOf(day)];
    if (hours) out.push([zonedToUtcMs(day, hours.open, site.timeZone), zonedToUtcMs(day, hours.close, site.timeZone)]);
  }
  return out;
}

/** Merges overlapping intervals (two clerks at once staff one reception). */
function union(intervals: [number, number][]): [number, number][] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function overlapMinutes(a: [number, number][], b: [number, number][]): number {
  let i = 0;
  let j = 0;
  let ms = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (hi > lo) ms += hi - lo;
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return Math.floor(ms / 60_000);
}

interface DeviceCounts {
  readerFaults: number;
  printerFaults: number;
  printJobsFailed: number;
  downMinutes: number;
}

/**
 * The site's device health over the range, from its stations' device events by their local day.
 * Whether it reports at all comes from its first device event ever (the ledger holds only the
 * range's), so a site whose devices never failed since still shows as reporting.
 */
function deviceHealth(
  site: Site,
  ledger: Ledger,
  inRange: (day: string) => boolean,
  months: Map<string, DeviceCounts>,
  lastDate: string,
  firstEventAt: string | undefined,
): Evaluation['devices'] {
  const devices: DeviceCounts = { readerFaults: 0, printerFaults: 0, printJobsFailed: 0, downMinutes: 0 };
  for (const d of ledger.devices) {
    const day = localDate(d.at, site.timeZone);
    if (d.siteId !== site.id || !inRange(day)) continue;
    for (const counts of [devices, months.get(periodOf(day))]) {
      if (!counts) continue;
      if (d.type === 'device.fault') counts[d.kind === 'reader' ? 'readerFaults' : 'printerFaults']++;
      else if (d.type === 'print.failed') counts.printJobsFailed++;
      else if (d.type === 'device.recovered') counts.downMinutes += d.downMinutes;
    }
  }
  const since = firstEventAt === undefined ? undefined : localDate(firstEventAt, site.timeZone);
  return { ...devices, reported: since !== undefined && since <= lastDate, ...(since !== undefined ? { reportedSince: since } : {}) };
}

const noTills = (): TillFigures => ({ closed: 0, withDifference: 0, shortfallCents: 0, surplusCents: 0 });

/** The site's tills closed in the range, by the local day of their close, and per month. */
function tillFigures(site: Site, ledger: Ledger, inRange: (day: string) => boolean, months: Map<string, { tills: TillFigures }>): TillFigures {
  const all = noTills();
  for (const t of ledger.tills) {
    if (t.siteId !== site.id) continue;
    const day = localDate(t.at, site.timeZone);
    if (!inRange(day)) continue;
    for (const f of [all, months.get(periodOf(day))?.tills]) {
      if (!f) continue;
      f.closed++;
      if (t.differenceCents !== 0) f.withDifference++;
      if (t.differenceCents < 0) f.shortfallCents -= t.differenceCents;
      else f.surplusCents += t.differenceCents;
    }
  }
  return all;
}

export interface EvaluationInput {
  site: Site;
  from: Period;
  until: Period;
  ledger: Ledger;
  lines: readonly HubPricedLine[];
  nowMs: number;
  store: HubStore;
}

export async function buildEvaluation(input: EvaluationInput, ref: AccountsReference): Promise<Evaluation> {
  const { site, from, until, ledger, nowMs, store } = input;
  const firstDate = firstDay(from);
  // Opening hours count up to today: a month still running is not held against the site.
  const today = localDate(new Date(nowMs).toISOString(), site.timeZone);
  const lastDate = lastDay(until) < today ? lastDay(until) : today;
  const inRange = (day: string) => day >= firstDate && day <= lastDate;
  const months = new Map(
    periodsBetween(from, until).map((p) => [p, { period: p, visits: 0, hostedMinutes: 0, revenueNetCents: 0, readerFaults: 0, printerFaults: 0, printJobsFailed: 0, downMinutes: 0, tills: noTills() }]),
  );
  let visits = 0;
  let memberVisits = 0;
  let roaming = 0;
  let hosted = 0;
  let autoClosed = 0;
  const members = new Set<string>();
  for (const v of ledger.visits.values()) {
    if (v.siteId !== site.id || v.voided) continue;
    const day = localDate(v.checkedInAt, site.timeZone);
    if (!inRange(day)) continue;
    visits++;
    const month = months.get(periodOf(day));
    if (month) month.visits++;
    if (v.memberId) {
      memberVisits++;
      members.add(v.memberId);
      const home = ref.members.get(v.memberId)?.homeSiteId;
      if (home !== undefined && home !== site.id) roaming++;
    }
    if (v.durationMinutes !== undefined) {
      hosted += v.durationMinutes;
      if (month) month.hostedMinutes += v.durationMinutes;
    }
    if (v.checkedOutBy === 'auto') autoClosed++;
  }
  let revenue = 0;
  for (const l of input.lines) {
    if (l.siteId !== site.id || !inRange(l.localDate)) continue;
    revenue += l.netCents;
    const month = months.get(l.period);
    if (month) month.revenueNetCents += l.netCents;
  }
  // Today's opening counts only up to now, as the shifts do.
  const opening = lastDate >= firstDate
    ? union(openingIntervals(site, firstDate, lastDate).map(([a, b]): [number, number] => [a, Math.min(b, nowMs)]))
    : [];
  const rangeStart = zonedToUtcMs(firstDate, '00:00', site.timeZone);
  const rangeEnd = Math.min(nowMs, zonedToUtcMs(addDays(lastDate, 1), '00:00', site.timeZone));
  const shifts = union(
    ledger.shifts
      .filter((s) => s.siteId === site.id)
      // A shift never signed out counts at most 12 hours: a clerk who forgot to sign out did not
      // staff the reception for the months since.
      .map((s): [number, number] => {
        const start = Date.parse(s.startedAt);
        const end = s.endedAt ? Date.parse(s.endedAt) : Math.min(nowMs, start + OPEN_SHIFT_CAP_MS);
        return [Math.max(rangeStart, start), Math.min(rangeEnd, end)];
      }),
  );
  const openingMinutes = opening.reduce((n, [a, b]) => n + Math.floor((b - a) / 60_000), 0);
  const staffedMinutes = overlapMinutes(opening, shifts);
  const streams = await store.listStreams(site.id);
  const [rejected, quarantine, alerts] = await Promise.all([
    store.listEvents({ siteId: site.id, status: 'rejected', limit: 100_000 }),
    store.listQuarantine(100_000),
    store.listAlerts(100_000),
  ]);
  const lastSeen = streams.map((s) => s.lastSeen).sort().pop();
  const watermark = streams.map((s) => s.caughtUpAt).filter((x): x is string => x !== undefined).sort().pop();
  return {
    siteId: site.id,
    siteName: site.name,
    from,
    until,
    membership: site.membership.status,
    ...(site.membership.status === 'trial' ? { trialUntil: site.membership.trialUntil } : {}),
    visits,
    memberVisits,
    guestVisits: visits - memberVisits,
    distinctMembers: members.size,
    roamingShareBp: memberVisits === 0 ? 0 : Math.round((roaming * 10_000) / memberVisits),
    hostedMinutes: hosted,
    revenueNetCents: revenue,
    openingMinutes,
    staffedMinutes,
    staffedShareBp: openingMinutes === 0 ? 0 : Math.round((staffedMinutes * 10_000) / openingMinutes),
    autoClosedVisits: autoClosed,
    tills: tillFigures(site, ledger, inRange, months),
    sync: {
      streams: streams.length,
      ...(lastSeen ? { lastSeen } : {}),
      ...(watermark ? { watermark } : {}),
      rejectedEvents: rejected.length,
      quarantinedEvents: quarantine.filter((q) => q.siteId === site.id).length,
      epochChanges: alerts.filter((a) => a.siteId === site.id && a.kind === 'epoch_change').length,
      clockSkewAlerts: alerts.filter((a) => a.siteId === site.id && a.kind === 'clock_skew').length,
    },
    devices: deviceHealth(site, ledger, inRange, months, lastDate, await store.firstDeviceEventAt(site.id)),
    months: [...months.values()],
  };
}
