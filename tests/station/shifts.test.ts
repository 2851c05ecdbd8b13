// Staff shifts: sign in with a PIN (slow salted hash, lockout after 5 failures for 5 minutes),
// sign out; staff actions carry their shift and are refused under an ended one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../common/result.js';
import { verifyPin } from '../../main/station/staff/pin.js';
import { demoBadges, DEMO_STAFF, openTestStation, type TestStation } from '../support/station-fixture.js';
import { failure, lastPosition, ledgerProblems, outboxEvents, typesAfter, unwrap } from '../support/ledger.js';
import { contextOf } from '../../main/station/context.js';

let t: TestStation;
const db = () => contextOf(t.station).db;
const members = demoBadges().active.map((b) => b.memberId);

beforeAll(() => {
  t = openTestStation();
});
afterAll(() => {
  expect(ledgerProblems(db())).toEqual([]);
  t?.close();
});

describe('staff PINs', () => {
  it('stores PINs as salted scrypt hashes only', () => {
    const rows = db().prepare('SELECT id, pin_hash FROM staff ORDER BY id').all() as { id: string; pin_hash: string }[];
    expect(rows.map((r) => r.id)).toEqual(['amelie', 'joris']);
    for (const r of rows) {
      expect(r.pin_hash).toMatch(/^scrypt\$16384\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
      const pin = DEMO_STAFF.find((s) => s.id === r.id)!.pin;
      expect(r.pin_hash).not.toContain(pin);
      expect(verifyPin(pin, r.pin_hash)).toBe(true);
      expect(verifyPin('0000', r.pin_hash)).toBe(false);
    }
    const [a, b] = rows;
    expect(a!.pin_hash.split('$')[4]).not.toBe(b!.pin_hash.split('$')[4]);
  });
});

describe('sign-in and sign-out', () => {
  it('signs amelie in with her PIN; signing in again returns the same open shift', async () => {
    const pos = lastPosition(db());
    const shift = unwrap(await t.api.staffSignIn({ staffId: 'amelie', pin: '2468' }));
    expect(shift).toMatchObject({ staffId: 'amelie', staffName: 'Amélie Dupont', startedAt: new Date(t.clock.now()).toISOString() });
    expect(shift.endedAt).toBeUndefined();
    expect(typesAfter(db(), pos)).toEqual(['shift.started']);
    expect(outboxEvents(db(), pos)[0]!.payload).toEqual({ shiftId: shift.shiftId, staffId: 'amelie', at: shift.startedAt });
    t.clock.advance(60_000);
    expect(unwrap(await t.api.staffSignIn({ staffId: 'amelie', pin: '2468' })).shiftId).toBe(shift.shiftId);
    expect(typesAfter(db(), pos)).toEqual(['shift.started']);
    unwrap(await t.api.staffSignOut({ shiftId: shift.shiftId }));
  });

  it('counts wrong PINs down, locks after 5 for 5 minutes even against the right PIN, then lets the right PIN in', async () => {
    const pos = lastPosition(db());
    for (let left = 4; left >= 1; left--) {
      const e = failure(await t.api.staffSignIn({ staffId: 'joris', pin: '9999' }), 'PIN_INVALID');
      expect(e.message).toContain(`${left} attempt${left === 1 ? '' : 's'} left`);
    }
    failure(await t.api.staffSignIn({ staffId: 'joris', pin: '9999' }), 'PIN_LOCKED');
    // Locked: the right PIN is refused too, and another clerk is not affected.
    const locked = failure(await t.api.staffSignIn({ staffId: 'joris', pin: '1357' }), 'PIN_LOCKED');
    expect(locked.message).toMatch(/locked/);
    const amelie = unwrap(await t.api.staffSignIn({ staffId: 'amelie', pin: '2468' }));
    t.clock.advance(5 * 60_000 - 1000);
    failure(await t.api.staffSignIn({ staffId: 'joris', pin: '1357' }), 'PIN_LOCKED');
    t.clock.advance(1000);
    const shift = unwrap(await t.api.staffSignIn({ staffId: 'joris', pin: '1357' }));
    expect(shift.staffId).toBe('joris');
    // Wrong PINs leave no event; only the two shifts started.
    expect(typesAfter(db(), pos)).toEqual(['shift.started', 'shift.started']);
    // A success clears the count: the next wrong PIN again leaves 4 attempts.
    unwrap(await t.api.staffSignOut({ shiftId: shift.shiftId }));
    expect(failure(await t.api.staffSignIn({ staffId: 'joris', pin: '1111' }), 'PIN_INVALID').message).toContain('4 attempts left');
    unwrap(await t.api.staffSignIn({ staffId: 'joris', pin: '1357' }));
    unwrap(await t.api.staffSignOut({ shiftId: amelie.shiftId }));
  });

  it('refuses an unknown clerk and a malformed PIN', async () => {
    failure(await t.api.staffSignIn({ staffId: 'nobody', pin: '1234' }), 'NOT_FOUND');
    failure(await t.api.staffSignIn({ staffId: 'amelie', pin: '12a4' }), 'INVALID_INPUT');
    failure(await t.api.staffSignIn({ staffId: 'amelie', pin: '123' }), 'INVALID_INPUT');
  });

  it('signs out once: the shift ends with an event, a second sign-out is refused', async () => {
    const shift = unwrap(await t.api.staffSignIn({ staffId: 'amelie', pin: '2468' }));
    t.clock.advance(8 * 3600_000);
    const pos = lastPosition(db());
    const ended = unwrap(await t.api.staffSignOut({ shiftId: shift.shiftId }));
    expect(ended).toMatchObject({ shiftId: shift.shiftId, staffId: 'amelie', endedAt: new Date(t.clock.now()).toISOString() });
    expect(typesAfter(db(), pos)).toEqual(['shift.ended']);
    failure(await t.api.staffSignOut({ shiftId: shift.shiftId }), 'REFUSED');
    failure(await t.api.staffSignOut({ shiftId: '0192f0c4-0000-7000-8000-000000000000' }), 'NOT_FOUND');
    expect(typesAfter(db(), pos)).toEqual(['shift.ended']);
  });
});

describe('actions under a shift', () => {
  it('records the shift of each staff action in its event', async () => {
    const shift = unwrap(await t.api.staffSignIn({ staffId: 'amelie', pin: '2468' }));
    const shiftId = shift.shiftId;
    const pos = lastPosition(db());
    const v = unwrap(await t.api.checkIn({ memberId: members[0]!, shiftId }));
    const c = unwrap(await t.api.addConsumption({ visitId: v.visitId, serviceCode: 'coffee', quantity: 1, shiftId }));
    unwrap(await t.api.voidConsumption({ consumptionId: c.id, reason: 'spilt', shiftId }));
    unwrap(await t.api.assignBadge({ memberId: members[0]!, uid: 'SHIFT-BADGE-1', shiftId }));
    const g = unwrap(await t.api.registerGuest({ firstName: 'Guest', lastName: 'Of Shift', consent: true, shiftId }));
    t.clock.advance(30 * 60_000);
    unwrap(await t.api.checkOut({ visitId: v.visitId, shiftId }));
    unwrap(await t.api.voidVisit({ visitId: g.visitId, reason: 'left at once', shiftId }));
    const events = outboxEvents(db(), pos);
    const withoutShift = events.filter((e) => e.type !== 'guest.registered' && (e.payload as { shiftId?: string }).shiftId !== shiftId);
    expect(withoutShift.map((e) => e.type)).toEqual([]);
    expect(events.map((e) => e.type)).toEqual([
      'visit.checked_in',
      'consumption.recorded',
      'consumption.voided',
      'badge.assigned',
      'guest.registered',
      'visit.checked_in',
      'visit.checked_out',
      'consumption.recorded',
      'visit.voided',
    ]);
    unwrap(await t.api.staffSignOut({ shiftId }));
  });

  it('refuses every staff action under an ended shift, and under an unknown one, recording nothing', async () => {
    const shift = unwrap(await t.api.staffSignIn({ staffId: 'joris', pin: '1357' }));
    const live = unwrap(await t.api.checkIn({ memberId: members[1]!, shiftId: shift.shiftId }));
    const line = unwrap(await t.api.addConsumption({ visitId: live.visitId, serviceCode: 'coffee', quantity: 1, shiftId: shift.shiftId }));
    unwrap(await t.api.staffSignOut({ shiftId: shift.shiftId }));
    const pos = lastPosition(db());
    for (const shiftId of [shift.shiftId, '0192f0c4-0000-7000-8000-000000000001']) {
      const code = shiftId === shift.shiftId ? 'REFUSED' : 'NOT_FOUND';
      const results: Result<unknown>[] = [
        await t.api.checkIn({ memberId: members[2]!, shiftId }),
        await t.api.checkOut({ visitId: live.visitId, shiftId }),
        await t.api.registerGuest({ firstName: 'A', lastName: 'B', consent: true, shiftId }),
        await t.api.assignBadge({ memberId: members[2]!, uid: 'LATE-BADGE', shiftId }),
        await t.api.addConsumption({ visitId: live.visitId, serviceCode: 'coffee', quantity: 1, shiftId }),
        await t.api.voidConsumption({ consumptionId: line.id, reason: 'too late', shiftId }),
        await t.api.voidVisit({ visitId: live.visitId, reason: 'too late', shiftId }),
      ];
      for (const r of results) {
        const e = failure(r, code);
        if (code === 'REFUSED') expect(e.message).toMatch(/Sign in again/);
      }
    }
    expect(typesAfter(db(), pos)).toEqual([]);
    expect(unwrap(await t.api.onSite({})).map((e) => e.visitId)).toContain(live.visitId);
  });
});
