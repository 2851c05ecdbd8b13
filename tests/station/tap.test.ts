import { afterEach, describe, expect, it } from 'vitest';
import { demoBadges, openTestStation, type TestStation } from '../support/station-fixture.js';

let t: TestStation;
afterEach(() => t?.close());

describe('tap', () => {
  it('checks a member in, ignores a second tap inside the window, then checks out with the workspace priced', async () => {
    t = openTestStation();
    const badge = demoBadges().active[0]!;
    const first = await t.api.tap({ uid: badge.uid });
    expect(first.ok && first.value.outcome).toBe('checked_in');
    t.clock.advance(1500);
    const again = await t.api.tap({ uid: badge.uid });
    expect(again.ok && again.value.outcome).toBe('already_done');
    t.clock.advance(2 * 3600_000);
    const out = await t.api.tap({ uid: badge.uid });
    if (!out.ok || out.value.outcome !== 'checked_out') throw new Error(JSON.stringify(out));
    expect(out.value.visit.lines).toHaveLength(1);
    // 2 h 00 min 1.5 s → 121 minutes → billed 135 minutes at 5.00 €/h (2 stars) = 11.25 € net.
    expect(out.value.visit.lines[0]).toMatchObject({ serviceCode: 'desk_hour', quantity: 121, billedQuantity: 135, netCents: 1125, vatCents: 236 });
  });
});
