// The PIN lockout rule, pure. Five wrong PINs lock a clerk's sign-in for 5 minutes. A lock that
// expires does not give five fresh tries: until a good PIN, every further wrong PIN locks again,
// for longer (15 minutes, then an hour), and after that sign-in stays locked until a supervisor
// unlocks it. A four-digit PIN thus gets at most eight guesses, however patient the guesser.
export const MAX_PIN_FAILURES = 5;
export const LOCK_STEPS_MS = [5 * 60_000, 15 * 60_000, 60 * 60_000] as const;
/** "Locked until a supervisor unlocks": a time no clock reaches. */
export const HELD_UNTIL = '9999-12-31T23:59:59.999Z';

export interface LockoutState {
  /** Wrong PINs since the last good one. */
  failedAttempts: number;
  /** Locks since the last good PIN. */
  locks: number;
  lockedUntil: string | null;
}

export const NO_LOCKOUT: LockoutState = { failedAttempts: 0, locks: 0, lockedUntil: null };

/** The state after one more wrong PIN at `nowMs`. */
export function afterWrongPin(state: LockoutState, nowMs: number): LockoutState {
  const failedAttempts = state.failedAttempts + 1;
  if (state.locks === 0 && failedAttempts < MAX_PIN_FAILURES) return { failedAttempts, locks: 0, lockedUntil: null };
  const locks = state.locks + 1;
  const step = LOCK_STEPS_MS[locks - 1];
  return { failedAttempts, locks, lockedUntil: step === undefined ? HELD_UNTIL : new Date(nowMs + step).toISOString() };
}

export const isLocked = (state: LockoutState, nowMs: number): boolean => state.lockedUntil !== null && Date.parse(state.lockedUntil) > nowMs;
export const isHeld = (state: LockoutState): boolean => state.lockedUntil === HELD_UNTIL;
