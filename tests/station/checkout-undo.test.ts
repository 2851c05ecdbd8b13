// A check-out undone the same day (issue 15): the check-out's lines voided with the reason, the
// visit on site again, its undo and event appended in one transaction (nothing updated in place),
// and the visit billed again for its whole time at its next check-out. Refused on another day,
// after closing time, when the member has checked in again, and for a visit still open.
import { describe, expect, it } from 'vitest';
import { openTestStation } from '../support/station-fixture.js';
import { brussels, failure, unwrap } from '../support/ledger.js';
import { contextOf } from '../../main/station/context.js';
import { demoReferenceData } from '../support/station-fixture.js';

const data = demoReferenceData();
const quotaPayers = new Set((data.quotas ?? []).map((q) => q.payerId));
const passHolders = new Set((data.subscriptions ?? []).map((s) => s.memberId));
const [member, other] = data.members.filter((m) => m.status === 'active' && !quotaPayers.has(m.payerId) && !passHolders.has(m.id));

const events = (t: ReturnType<typeof openTestStation>) =>
  (contextOf(t.station).db.prepare('SELECT type, payload FROM outbox ORDER BY seq').all() as { type: string; payload: string }[]).map((e) => ({ type: e.type, payload: JSON.parse(e.payload) as Record<string, unknown> }));

describe('undoing a check-out', () => {
  it('voids what it charged, puts the visit on site again, and bills the whole visit at the next check-out', async () => {
    const t = openTestStation({ now: brussels('2026-11-24', '09:00') });
    const visit = unwrap(await t.api.checkIn({ memberId: member!.id }));
    t.clock.set(brussels('2026-11-24', '11:00'));
    const out = unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    const first = out.lines.find((l) => l.source === 'checkout')!;
    expect(first.coverage).toEqual({ kind: 'payg' });
    t.clock.set(brussels('2026-11-24', '11:10'));
    const before = events(t).length;

    const undone = unwrap(await t.api.undoCheckOut({ visitId: visit.visitId, reason: 'came back from lunch' }));
    expect(undone.checkedOutAt).toBeUndefined();
    expect(undone.totals.grossCents).toBe(0);
    expect(undone.lines.find((l) => l.source === 'void')).toMatchObject({ voidsId: first.id, reason: 'came back from lunch', grossCents: -first.grossCents });
    expect(unwrap(await t.api.onSite({})).map((e) => e.visitId)).toEqual([visit.visitId]);
    expect(events(t).slice(before).map((e) => e.type)).toEqual(['consumption.voided', 'visit.checkout_undone']);
    expect(events(t).at(-1)!.payload).toMatchObject({ visitId: visit.visitId, checkedOutAt: out.checkedOutAt, reason: 'came back from lunch' });

    // The next check-out bills 09:00–12:30 once, as if the first had not happened.
    t.clock.set(brussels('2026-11-24', '12:30'));
    const again = unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    expect(again.checkedOutAt).toBe(new Date(brussels('2026-11-24', '12:30')).toISOString());
    expect(again.durationMinutes).toBe(210);
    const live = again.lines.filter((l) => l.source === 'checkout' && !l.voidedBy);
    expect(live).toHaveLength(1);
    expect(live[0]!.quantity).toBe(210);
    expect(again.totals.grossCents).toBe(live[0]!.grossCents);
    // A reference visit checked in and out at the same times costs the same.
    const ref = openTestStation({ now: brussels('2026-11-24', '09:00') });
    const v2 = unwrap(await ref.api.checkIn({ memberId: member!.id }));
    ref.clock.set(brussels('2026-11-24', '12:30'));
    expect(unwrap(await ref.api.checkOut({ visitId: v2.visitId })).totals).toEqual(again.totals);
    // The day's figures count the visit once, with its one charge.
    const figures = unwrap(await t.api.dayFigures({}));
    expect(figures.totals).toEqual(again.totals);
    // Append-only: the first check-out and its undo are still there.
    const db = contextOf(t.station).db;
    expect(db.prepare('SELECT COUNT(*) AS n FROM visit_checkout WHERE visit_id = ?').get(visit.visitId)).toEqual({ n: 2 });
    expect(db.prepare('SELECT reason FROM visit_checkout_undo WHERE visit_id = ?').all(visit.visitId)).toEqual([{ reason: 'came back from lunch' }]);
    ref.close();
    t.close();
  });

  it('refuses an open visit, no reason, another day, after closing time, and a member checked in again', async () => {
    const t = openTestStation({ now: brussels('2026-11-24', '09:00') });
    const visit = unwrap(await t.api.checkIn({ memberId: member!.id }));
    failure(await t.api.undoCheckOut({ visitId: visit.visitId, reason: 'by mistake' }), 'CONFLICT');
    t.clock.set(brussels('2026-11-24', '10:00'));
    unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    failure(await t.api.undoCheckOut({ visitId: visit.visitId, reason: '' }), 'INVALID_INPUT');
    // Checked in again since: that visit is the one on site.
    const again = unwrap(await t.api.checkIn({ memberId: member!.id }));
    failure(await t.api.undoCheckOut({ visitId: visit.visitId, reason: 'by mistake' }), 'CONFLICT');
    unwrap(await t.api.voidVisit({ visitId: again.visitId, reason: 'checked in twice' }));
    // The next day: too late.
    t.clock.set(brussels('2026-11-25', '09:00'));
    failure(await t.api.undoCheckOut({ visitId: visit.visitId, reason: 'by mistake' }), 'REFUSED');
    // After the closing time of the visit's day, the same day.
    const late = unwrap(await t.api.checkIn({ memberId: other!.id }));
    t.clock.set(brussels('2026-11-25', '10:00'));
    unwrap(await t.api.checkOut({ visitId: late.visitId }));
    t.clock.set(brussels('2026-11-25', '23:30'));
    failure(await t.api.undoCheckOut({ visitId: late.visitId, reason: 'by mistake' }), 'REFUSED');
    expect(unwrap(await t.api.onSite({}))).toEqual([]);
    t.close();
  });
});
