// The station's door for its windows: every call from a kiosk or reception page — over Electron IPC
// or the local host — goes through here, and is allowed only to the roles of
// common/station-access.ts. A desk call needs a clerk's session, opened by a PIN sign-in at that
// same window or connection and held here, on the station's side: the clerk is taken from the
// session (its shift is put into the input), never from what the page sends. A session ends at
// sign-out, when its shift ends, after inactivity, or when its connection closes. Every refusal is
// audited (audit.ts). The command line does not come through here: it is the operator at the machine.
import type { Say } from '../../../common/messages/errors/index.js';
import { fail, type Result } from '../../../common/result.js';
import { STATION_METHOD_ROLES, WINDOW_ROLES, type AccessRefusal, type StationWindow } from '../../../common/station-access.js';
import { STATION_METHODS, stationInputs, type Shift, type StationMethod } from '../../../common/station-api.js';
import type { ErrorCode } from '../../../common/result.js';
import type { SyncStatus } from '../../../common/sync/status.js';
import { callStation } from '../api.js';
import type { Station } from '../station.js';
import { openShift } from '../staff/shifts.js';
import { RefusalAudit } from './audit.js';
import { contextOf } from '../context.js';
import { newId } from '../../../common/ids.js';
import { CARD_READ_CLAIM_MS } from '../../../common/station-api/card-reads.js';

/** A clerk's session ends after this long without a call from its window (default 20 minutes). */
export const DEFAULT_SESSION_IDLE_MS = 20 * 60_000;

export interface Caller {
  /** The window or connection the call came from: a session lives and dies with it. */
  channel: string;
  window: StationWindow;
}

interface Session {
  staffId: string;
  shiftId: string;
  lastCallMs: number;
}

/** A form's claim on the desk readers' reads: its session's, until it lapses. */
interface CardReadClaim {
  claimId: string;
  untilMs: number;
  /** The order of claims: the latest form opened is the one waiting for the card in hand. */
  n: number;
}

export interface AccessGateOptions {
  sessionIdleMs?: number;
  /**
   * The time inactivity is measured in: the real time at the desk (default Date.now), not the
   * station's clock, which tests and benchmarks move by hours within a session.
   */
  now?: () => number;
  log?: (line: string) => void;
}

/** Methods whose input names the shift a desk action is done under: the session's, always. */
const TAKES_SHIFT = new Set(STATION_METHODS.filter((m) => 'shiftId' in stationInputs[m].shape));

const REFUSALS: Record<Exclude<AccessRefusal, 'pin_invalid' | 'pin_locked' | 'bad_credential' | 'bad_origin'>, { code: ErrorCode; message: string; say: Say }> = {
  forbidden: { code: 'FORBIDDEN', message: 'This screen may not do that.', say: { key: 'code_FORBIDDEN' } },
  sign_in_required: { code: 'SIGN_IN_REQUIRED', message: 'Sign in with your PIN first.', say: { key: 'code_SIGN_IN_REQUIRED' } },
  session_expired: { code: 'SESSION_EXPIRED', message: 'Your session ended; sign in again with your PIN.', say: { key: 'code_SESSION_EXPIRED' } },
  supervisor_required: { code: 'FORBIDDEN', message: 'Only a supervisor may do that: ask one to sign in.', say: { key: 'supervisorRequired' } },
};

export class AccessGate {
  private readonly sessions = new Map<string, Session>();
  private readonly claims = new Map<string, CardReadClaim>();
  private claimCount = 0;
  private readonly audit: RefusalAudit;
  private readonly idleMs: number;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(
    private readonly station: Station,
    options: AccessGateOptions = {},
  ) {
    this.idleMs = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
    this.now = options.now ?? Date.now;
    this.audit = new RefusalAudit(contextOf(station), options.log);
    this.flushTimer = setInterval(() => this.audit.flush(), 60_000);
    this.flushTimer.unref();
  }

  /** Calls `method` for `caller`, if its window and session allow it. Never throws. */
  call(caller: Caller, method: unknown, input: unknown): Result<unknown> {
    try {
      return this.decide(caller, method, input);
    } catch (e) {
      return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside the station; try again.', detail: (e as Error).message } };
    }
  }

  /** The clerk signed in at `channel`, if the session still holds. */
  session(channel: string): Shift | undefined {
    const s = this.sessions.get(channel);
    if (!s) return undefined;
    const check = this.check(s);
    if (check !== undefined) {
      this.endSession(channel);
      return undefined;
    }
    return this.shiftOf(s);
  }

  /** The window or connection is gone: its session ends (the clerk's shift stays open). */
  endChannel(channel: string): void {
    this.endSession(channel);
  }

  /**
   * The form waiting for a card now, if any: the latest live claim of a session that still holds.
   * The device manager sends a desk reader's read there instead of tapping it.
   */
  cardReadClaim(): { channel: string; claimId: string } | undefined {
    let best: { channel: string; claim: CardReadClaim } | undefined;
    for (const [channel, claim] of this.claims) {
      if (claim.untilMs <= this.now() || !this.session(channel)) {
        this.claims.delete(channel);
        continue;
      }
      if (!best || claim.n > best.claim.n) best = { channel, claim };
    }
    return best ? { channel: best.channel, claimId: best.claim.claimId } : undefined;
  }

  /** A connection refused before any call (no credential, another origin): audited like a call. */
  refuseConnection(window: StationWindow | 'setup' | 'unknown', reason: 'bad_credential' | 'bad_origin'): void {
    this.audit.record({ window, method: '(connect)', reason });
  }

  /** A call refused before the gate (an IPC sender that is not one of the station's pages): audited. */
  refuseSender(method: unknown): void {
    this.audit.record({ window: 'unknown', method: typeof method === 'string' && (STATION_METHODS as string[]).includes(method) ? method : '(unknown)', reason: 'bad_origin' });
  }

  close(): void {
    clearInterval(this.flushTimer);
    this.audit.flush();
    this.sessions.clear();
    this.claims.clear();
  }

  private endSession(channel: string): void {
    this.sessions.delete(channel);
    this.claims.delete(channel);
  }

  /** A claim for the session at `channel`: a new one, or `claimId` renewed if it is still this channel's. */
  private claimCardRead(channel: string, input: unknown): Result<unknown> {
    const parsed = stationInputs.claimCardRead.safeParse(input ?? {});
    if (!parsed.success) return callStation(this.station, 'claimCardRead', input);
    const held = this.claims.get(channel);
    const claimId = parsed.data.claimId !== undefined && held?.claimId === parsed.data.claimId ? held.claimId : newId();
    const claim = { claimId, untilMs: this.now() + CARD_READ_CLAIM_MS, n: held?.claimId === claimId ? held.n : ++this.claimCount };
    this.claims.set(channel, claim);
    return { ok: true, value: { claimId, until: new Date(claim.untilMs).toISOString() } };
  }

  private decide(caller: Caller, method: unknown, input: unknown): Result<unknown> {
    if (typeof method !== 'string' || !(STATION_METHODS as string[]).includes(method)) {
      this.audit.record({ window: caller.window, method: '(unknown)', reason: 'forbidden' });
      return fail('INVALID_INPUT', `There is no station method "${String(method).slice(0, 64)}".`);
    }
    const m = method as StationMethod;
    const role = STATION_METHOD_ROLES[m];
    if (!WINDOW_ROLES[caller.window].includes(role)) return this.refuse(caller, m, 'forbidden');
    if (role === 'kiosk') {
      const r = callStation(this.station, m, input);
      // The public screen learns whether the hub is reached, not where it is or what it refused.
      if (m === 'syncStatus' && r.ok && caller.window === 'kiosk') {
        const { configured, online, backlog } = r.value as SyncStatus;
        return { ok: true, value: { configured, online, backlog, problems: [] } satisfies SyncStatus };
      }
      return r;
    }
    if (m === 'staffSignIn') return this.signIn(caller, input);
    if (m === 'staffSession') {
      const shift = this.session(caller.channel);
      return { ok: true, value: shift ? { shift } : {} };
    }
    if (role === 'reception') return callStation(this.station, m, input);

    // desk and supervisor: the session's clerk.
    const session = this.sessions.get(caller.channel);
    if (!session) return this.refuse(caller, m, 'sign_in_required');
    const ended = this.check(session);
    if (ended !== undefined) {
      this.endSession(caller.channel);
      return this.refuse(caller, m, 'session_expired', session.staffId);
    }
    const shift = this.shiftOf(session);
    if (role === 'supervisor' && shift.role !== 'supervisor') return this.refuse(caller, m, 'supervisor_required', session.staffId);
    session.lastCallMs = this.now();
    const given = (input ?? {}) as Record<string, unknown>;
    // A shift id in the request is someone's claim: only the session's own is taken.
    if (typeof given !== 'object' || Array.isArray(given)) return callStation(this.station, m, input);
    if (given.shiftId !== undefined && given.shiftId !== session.shiftId) return this.refuse(caller, m, 'forbidden', session.staffId);
    if (m === 'staffSignOut') {
      const r = callStation(this.station, 'staffSignOut', { shiftId: session.shiftId });
      if (r.ok) this.endSession(caller.channel);
      return r;
    }
    if (m === 'claimCardRead') return this.claimCardRead(caller.channel, input);
    if (m === 'releaseCardRead') {
      const held = this.claims.get(caller.channel);
      const released = held !== undefined && held.claimId === (given as { claimId?: unknown }).claimId;
      if (released) this.claims.delete(caller.channel);
      return { ok: true, value: { released } };
    }
    return callStation(this.station, m, TAKES_SHIFT.has(m) ? { ...given, shiftId: session.shiftId } : given);
  }

  private signIn(caller: Caller, input: unknown): Result<unknown> {
    const r = callStation(this.station, 'staffSignIn', input);
    const staffId = typeof (input as { staffId?: unknown } | null)?.staffId === 'string' ? ((input as { staffId: string }).staffId.slice(0, 64) || undefined) : undefined;
    if (r.ok) {
      this.claims.delete(caller.channel);
      this.sessions.set(caller.channel, { staffId: r.value.staffId, shiftId: r.value.shiftId, lastCallMs: this.now() });
      return r;
    }
    // Another clerk's failed sign-in at this window ends the session that was open there.
    this.endSession(caller.channel);
    if (r.error.code === 'PIN_INVALID' || r.error.code === 'PIN_LOCKED')
      this.audit.record({ window: caller.window, method: 'staffSignIn', reason: r.error.code === 'PIN_LOCKED' ? 'pin_locked' : 'pin_invalid', ...(staffId ? { staffId } : {}) });
    return r;
  }

  /** Why a session no longer holds (idle, shift ended, clerk removed), or undefined. */
  private check(session: Session): string | undefined {
    if (this.now() - session.lastCallMs > this.idleMs) return 'idle';
    try {
      openShift(contextOf(this.station), session.shiftId);
      return undefined;
    } catch {
      return 'shift ended';
    }
  }

  private shiftOf(session: Session): Shift {
    return openShift(contextOf(this.station), session.shiftId);
  }

  private refuse(caller: Caller, method: StationMethod, reason: keyof typeof REFUSALS, staffId?: string): Result<never> {
    this.audit.record({ window: caller.window, method, reason, ...(staffId ? { staffId } : {}) });
    const { code, message, say } = REFUSALS[reason];
    return { ok: false, error: { code, message, say, detail: reason } };
  }
}
