// Staff shifts: a reception clerk signs in with a PIN and out at the end of duty. Shifts are the
// site's proof of staffed reception. Repeated wrong PINs lock the account for a while.
import { newId } from '../../../common/ids.js';
import type { Shift } from '../../../common/station-api.js';
import { StationFailure } from '../errors.js';
import { iso, sql, writeTransaction, type StationContext } from '../context.js';
import { appendEvent } from '../outbox/outbox.js';
import { verifyPin } from './pin.js';

export const MAX_PIN_FAILURES = 5;
export const LOCKOUT_MS = 5 * 60_000;

interface ShiftRow {
  id: string;
  staff_id: string;
  name: string;
  started_at: string;
  ended_at: string | null;
}

const SHIFT_SELECT = 'SELECT s.id, s.staff_id, t.name, s.started_at, s.ended_at FROM staff_shift s JOIN staff t ON t.id = s.staff_id';

function toShift(r: ShiftRow): Shift {
  const s: Shift = { shiftId: r.id, staffId: r.staff_id, staffName: r.name, startedAt: r.started_at };
  if (r.ended_at) s.endedAt = r.ended_at;
  return s;
}

export function signIn(ctx: StationContext, staffId: string, pin: string): Shift {
  const staff = sql(ctx.db, 'SELECT id, pin_hash FROM staff WHERE id = ?').get(staffId) as { id: string; pin_hash: string } | undefined;
  if (!staff) throw new StationFailure('NOT_FOUND', `No reception staff "${staffId}" at this site.`);
  const nowMs = ctx.clock.now();
  const lock = sql(ctx.db, 'SELECT failed_attempts, locked_until FROM staff_lockout WHERE staff_id = ?').get(staffId) as
    | { failed_attempts: number; locked_until: string | null }
    | undefined;
  if (lock?.locked_until && Date.parse(lock.locked_until) > nowMs)
    throw new StationFailure('PIN_LOCKED', `Too many wrong PINs: sign-in is locked until ${lock.locked_until.slice(11, 16)} UTC.`);
  // The slow hash runs outside the write transaction so it never holds the database lock.
  const good = verifyPin(pin, staff.pin_hash);
  return writeTransaction(ctx, () => {
    if (!good) {
      const failures = (lock?.locked_until ? 0 : (lock?.failed_attempts ?? 0)) + 1;
      const lockedUntil = failures >= MAX_PIN_FAILURES ? iso(nowMs + LOCKOUT_MS) : null;
      sql(ctx.db, 'INSERT OR REPLACE INTO staff_lockout (staff_id, failed_attempts, locked_until) VALUES (?, ?, ?)').run(staffId, failures, lockedUntil);
      return null;
    }
    sql(ctx.db, 'DELETE FROM staff_lockout WHERE staff_id = ?').run(staffId);
    const open = sql(ctx.db, `${SHIFT_SELECT} WHERE s.staff_id = ? AND s.ended_at IS NULL`).get(staffId) as ShiftRow | undefined;
    if (open) return toShift(open);
    const id = newId();
    sql(ctx.db, 'INSERT INTO staff_shift (id, staff_id, started_at) VALUES (?, ?, ?)').run(id, staffId, iso(nowMs));
    appendEvent(ctx, 'shift.started', { shiftId: id, staffId, at: iso(nowMs) }, nowMs);
    return toShift(sql(ctx.db, `${SHIFT_SELECT} WHERE s.id = ?`).get(id) as ShiftRow);
  }) ?? failPin(ctx, staffId);
}

function failPin(ctx: StationContext, staffId: string): never {
  const lock = sql(ctx.db, 'SELECT failed_attempts, locked_until FROM staff_lockout WHERE staff_id = ?').get(staffId) as {
    failed_attempts: number;
    locked_until: string | null;
  };
  if (lock.locked_until) throw new StationFailure('PIN_LOCKED', `Wrong PIN, ${MAX_PIN_FAILURES} times: sign-in is locked for ${LOCKOUT_MS / 60_000} minutes.`);
  const left = MAX_PIN_FAILURES - lock.failed_attempts;
  throw new StationFailure('PIN_INVALID', `Wrong PIN. ${left} attempt${left === 1 ? '' : 's'} left before sign-in is locked.`);
}

export function signOut(ctx: StationContext, shiftId: string): Shift {
  return writeTransaction(ctx, () => {
    const shift = openShift(ctx, shiftId);
    const nowMs = ctx.clock.now();
    sql(ctx.db, 'UPDATE staff_shift SET ended_at = ? WHERE id = ?').run(iso(nowMs), shiftId);
    appendEvent(ctx, 'shift.ended', { shiftId, staffId: shift.staffId, at: iso(nowMs) }, nowMs);
    return { ...shift, endedAt: iso(nowMs) };
  });
}

/** The shift a staff action is done under; it must be open. */
export function openShift(ctx: StationContext, shiftId: string): Shift {
  const row = sql(ctx.db, `${SHIFT_SELECT} WHERE s.id = ?`).get(shiftId) as ShiftRow | undefined;
  if (!row) throw new StationFailure('NOT_FOUND', `No shift ${shiftId} at this station. Sign in again.`);
  if (row.ended_at) throw new StationFailure('REFUSED', `That shift ended at ${row.ended_at}. Sign in again.`);
  return toShift(row);
}
