// Today's visits (or any local day's), the latest first, from the station's dayVisits.
import type { Result } from '../../../common/result.js';
import type { StationApi, VisitDetail } from '../../../common/station-api.js';

/** The visits that began on `day` (YYYY-MM-DD in the site's time zone), the latest first. */
export async function visitsOfDay(api: StationApi, day: string, _timeZone: string): Promise<Result<VisitDetail[]>> {
  return api.dayVisits({ date: day });
}
