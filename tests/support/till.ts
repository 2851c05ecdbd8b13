// A desk's till for tests that take cash (issue 16): cash needs an open till, opened by a signed-in
// clerk with a float.
import type { Shift, StationApi, TillState } from '../../common/station-api.js';
import { DEMO_STAFF } from '../../resources/demo/generate-demo-data.js';
import { unwrap } from './ledger.js';

/** Signs `staffId` in (their demo PIN) and opens the station's till with `floatCents`. */
export async function openDeskTill(api: StationApi, options: { staffId?: string; pin?: string; floatCents?: number } = {}): Promise<{ shift: Shift; till: TillState }> {
  const staffId = options.staffId ?? 'joris';
  const pin = options.pin ?? DEMO_STAFF.find((s) => s.id === staffId)!.pin;
  const shift = unwrap(await api.staffSignIn({ staffId, pin }));
  const till = unwrap(await api.openTill({ floatCents: options.floatCents ?? 10_000, shiftId: shift.shiftId }));
  return { shift, till };
}
