// Today's visits, read from what the station already serves: its outbox, where every check-in is
// a "visit.checked_in" event, then each visit's detail. The station API has no "visits of a day"
// list; the outbox is append-only and ordered, so the first event of the day is found by a binary
// search over positions, and later loads read on from where the last one stopped.
import type { Result } from '../../../common/result.js';
import type { StationApi, VisitDetail } from '../../../common/station-api.js';
import { localDayBounds } from '../../../common/time.js';

const BATCH = 1000;
/** Queued reads keep their real time: a check-in of today may be written a little later. */
const MARGIN_MS = 3_600_000;

interface Cursor {
  day: string;
  afterPosition: number;
  visitIds: string[];
}
const cursors = new WeakMap<StationApi, Cursor>();

async function firstEventAfter(api: StationApi, afterPosition: number): Promise<Result<{ position: number; wallTime: string } | undefined>> {
  const r = await api.events({ afterPosition, limit: 1 });
  return r.ok ? { ok: true, value: r.value[0] } : r;
}

/** The position after which the events written since `fromMs` begin. */
async function positionBefore(api: StationApi, fromMs: number): Promise<Result<number>> {
  const isLate = async (p: number): Promise<Result<boolean>> => {
    const e = await firstEventAfter(api, p);
    return e.ok ? { ok: true, value: !e.value || Date.parse(e.value.wallTime) >= fromMs } : e;
  };
  let lo = 0;
  let hi = 1024;
  // Grow until the event after `hi` is late (or there is none), then halve.
  for (;;) {
    const late = await isLate(hi);
    if (!late.ok) return late;
    if (late.value) break;
    lo = hi;
    hi *= 2;
  }
  const first = await isLate(0);
  if (!first.ok) return first;
  if (first.value) return { ok: true, value: 0 };
  // Invariant: the event after lo is early, the one after hi is late.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const late = await isLate(mid);
    if (!late.ok) return late;
    if (late.value) hi = mid;
    else lo = mid;
  }
  return { ok: true, value: hi };
}

/** The visits that began on `day` (YYYY-MM-DD in `timeZone`), the latest first. */
export async function visitsOfDay(api: StationApi, day: string, timeZone: string): Promise<Result<VisitDetail[]>> {
  const { startMs, endMs } = localDayBounds(day, timeZone);
  let cursor = cursors.get(api);
  if (!cursor || cursor.day !== day) {
    const start = await positionBefore(api, startMs - MARGIN_MS);
    if (!start.ok) return start;
    cursor = { day, afterPosition: start.value, visitIds: [] };
    cursors.set(api, cursor);
  }
  for (;;) {
    const page = await api.events({ afterPosition: cursor.afterPosition, limit: BATCH });
    if (!page.ok) return page;
    for (const e of page.value) {
      cursor.afterPosition = e.position;
      if (e.type !== 'visit.checked_in') continue;
      const at = Date.parse(e.payload.at);
      if (at >= startMs && at < endMs && !cursor.visitIds.includes(e.payload.visitId)) cursor.visitIds.push(e.payload.visitId);
    }
    if (page.value.length < BATCH) break;
  }
  const details = await Promise.all(cursor.visitIds.map((visitId) => api.visitDetail({ visitId })));
  const visits: VisitDetail[] = [];
  for (const d of details) {
    if (!d.ok) return d;
    visits.push(d.value);
  }
  return { ok: true, value: visits.sort((a, b) => b.checkedInAt.localeCompare(a.checkedInAt)) };
}
