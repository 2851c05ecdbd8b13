// Staff shifts: a reception clerk signs in with a PIN and out at the end of duty. Shifts are the
// site's proof of staffed reception. Repeated wrong PINs lock sign-in (lockout.ts).
import { newId } from '../../../common/ids.js';
import type { Shift } from '../../../common/station-api.js';
import { StationFailure } from '../errors.js';
import { iso, siteClock, sql, writeTransaction, type StationContext } from '../context.js';
import { appendEvent } from '../outbox/outbox.js';
import { verifyPin } from './pin.js';
import { hasOpenTill } from '../till/till.js';
import { localParts } from '../../../common/time.js';
import { afterWrongPin, isHeld, isLocked, MAX_PIN_FAILURES, NO_LOCKOUT, type LockoutState } from './lockout.js';

export { MAX_PIN_FAILURES } from './lockout.js';

interface ShiftRow {
  id: string;
  staff_id: string;
  name: string;
  role: 'clerk' | 'supervisor';
  started_at: string;
  ended_at: string | null;
}

const SHIFT_SELECT = 'SELECT s.id, s.staff_id, t.name, t.role, s.started_at, s.ended_at FROM staff_shift s JOIN staff t ON t.id = s.staff_id';

function toShift(r: ShiftRow): Shift {
  const s: Shift = { shiftId: r.id, staffId: r.staff_id, staffName: r.name, role: r.role, startedAt: r.started_at };
  if (r.ended_at) s.endedAt = r.ended_at;
  return s;
}

interface LockoutRow {
  failed_attempts: number;
  locks: number;
  locked_until: string | null;
}

function lockoutOf(ctx: StationContext, staffId: string): LockoutState {
  const row = sql(ctx.db, 'SELECT failed_attempts, locks, locked_until FROM staff_lockout WHERE staff_id = ?').get(staffId) as LockoutRow | undefined;
  return row ? { failedAttempts: row.failed_attempts, locks: row.locks, lockedUntil: row.locked_until } : NO_LOCKOUT;
}

function lockedFailure(state: LockoutState, timeZone: string): StationFailure {
  if (isHeld(state)) return new StationFailure('PIN_LOCKED', 'Too many wrong PINs: sign-in is locked until a supervisor unlocks it.', 'held').saying('pinLocked');
  const until = state.lockedUntil!;
  return new StationFailure('PIN_LOCKED', `Too many wrong PINs: sign-in is locked until ${localParts(Date.parse(until), timeZone).time}.`, until).saying('pinLockedUntil', { time: localParts(Date.parse(until), timeZone).time });
}

export function signIn(ctx: StationContext, staffId: string, pin: string): Shift {
  const staff = sql(ctx.db, 'SELECT id, pin_hash FROM staff WHERE id = ?').get(staffId) as { id: string; pin_hash: string } | undefined;
  if (!staff) throw new StationFailure('NOT_FOUND', `No reception staff "${staffId}" at this site.`).saying('staffUnknown');
  const nowMs = ctx.clock.now();
  const timeZone = ctx.site?.timeZone ?? 'Europe/Brussels';
  const before = lockoutOf(ctx, staffId);
  if (isLocked(before, nowMs)) throw lockedFailure(before, timeZone);
  // The slow hash runs outside the write transaction so it never holds the database lock.
  const good = verifyPin(pin, staff.pin_hash);
  const outcome = writeTransaction(ctx, (): Shift | LockoutState => {
    if (!good) {
      // Read again inside the transaction: two wrong PINs at once both count.
      const next = afterWrongPin(lockoutOf(ctx, staffId), nowMs);
      sql(ctx.db, 'INSERT OR REPLACE INTO staff_lockout (staff_id, failed_attempts, locks, locked_until) VALUES (?, ?, ?, ?)').run(staffId, next.failedAttempts, next.locks, next.lockedUntil);
      return next;
    }
    sql(ctx.db, 'DELETE FROM staff_lockout WHERE staff_id = ?').run(staffId);
    const open = sql(ctx.db, `${SHIFT_SELECT} WHERE s.staff_id = ? AND s.ended_at IS NULL`).get(staffId) as ShiftRow | undefined;
    if (open) return toShift(open);
    const id = newId();
    sql(ctx.db, 'INSERT INTO staff_shift (id, staff_id, started_at) VALUES (?, ?, ?)').run(id, staffId, iso(nowMs));
    appendEvent(ctx, 'shift.started', { shiftId: id, staffId, at: iso(nowMs) }, nowMs);
    return toShift(sql(ctx.db, `${SHIFT_SELECT} WHERE s.id = ?`).get(id) as ShiftRow);
  });
  if ('shiftId' in outcome) return outcome;
  if (outcome.lockedUntil) throw lockedFailure(outcome, timeZone);
  const left = MAX_PIN_FAILURES - outcome.failedAttempts;
  throw new StationFailure('PIN_INVALID', `Wrong PIN. ${left} attempt${left === 1 ? '' : 's'} left before sign-in is locked.`, String(left)).saying(left === 1 ? 'pinWrongOne' : 'pinWrongMany', { left });
}

/**
 * A supervisor lifts a clerk's PIN lockout (the clerk then has five tries again); appended as
 * staff.unlocked, naming the supervisor.
 */
export function unlockStaff(ctx: StationContext, staffId: string, supervisorId: string): { staffId: string; wasLocked: boolean } {
  return writeTransaction(ctx, () => {
    const staff = sql(ctx.db, 'SELECT id FROM staff WHERE id = ?').get(staffId) as { id: string } | undefined;
    if (!staff) throw new StationFailure('NOT_FOUND', `No reception staff "${staffId}" at this site.`).saying('staffUnknown');
    const nowMs = ctx.clock.now();
    const was = lockoutOf(ctx, staffId);
    sql(ctx.db, 'DELETE FROM staff_lockout WHERE staff_id = ?').run(staffId);
    const wasLocked = was.lockedUntil !== null || was.locks > 0;
    if (wasLocked || was.failedAttempts > 0) appendEvent(ctx, 'staff.unlocked', { staffId, by: supervisorId, at: iso(nowMs) }, nowMs);
    return { staffId, wasLocked };
  });
}

export function signOut(ctx: StationContext, shiftId: string): Shift {
  return writeTransaction(ctx, () => {
    const shift = openShift(ctx, shiftId);
    // A careful desk does not let a clerk walk away from an uncounted drawer: the count is theirs
    // to make. (Forgotten anyway — a session that timed out — a supervisor may close it.)
    if (hasOpenTill(ctx, shift.staffId))
      throw new StationFailure('REFUSED', 'Your till is still open: count the cash and close the till before you sign out.').saying('tillOpenSignOut');
    const nowMs = ctx.clock.now();
    sql(ctx.db, 'UPDATE staff_shift SET ended_at = ? WHERE id = ?').run(iso(nowMs), shiftId);
    appendEvent(ctx, 'shift.ended', { shiftId, staffId: shift.staffId, at: iso(nowMs) }, nowMs);
    return { ...shift, endedAt: iso(nowMs) };
  });
}

/** The shift a staff action is done under; it must be open. */
export function openShift(ctx: StationContext, shiftId: string): Shift {
  const row = sql(ctx.db, `${SHIFT_SELECT} WHERE s.id = ?`).get(shiftId) as ShiftRow | undefined;
  if (!row) throw new StationFailure('NOT_FOUND', `No shift ${shiftId} at this station. Sign in again.`).saying('shiftUnknown');
  if (row.ended_at) throw new StationFailure('REFUSED', `That shift ended at ${row.ended_at}. Sign in again.`).saying('shiftEnded', { time: siteClock(ctx, row.ended_at) });
  return toShift(row);
}
