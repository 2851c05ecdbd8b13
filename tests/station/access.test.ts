// Who may do what at a station (issue 13): every method declares its role; the access gate lets a
// window reach only its roles; desk methods take the clerk from the session held by the station,
// never from the request; sessions end at sign-out, at shift end, after inactivity, with their
// connection; PIN lockout escalates and does not reset when a lock expires; a supervisor unlocks;
// every refusal is audited, coalesced.
import { afterEach, describe, expect, it } from 'vitest';
import { STATION_METHOD_ROLES, WINDOW_ROLES, methodsOfWindow, type StationRole } from '../../common/station-access.js';
import { STATION_METHODS, type StationMethod } from '../../common/station-api.js';
import { AccessGate, DEFAULT_SESSION_IDLE_MS, type Caller } from '../../main/station/access/gate.js';
import { AUDIT_WINDOW_MS } from '../../main/station/access/audit.js';
import { HELD_UNTIL, LOCK_STEPS_MS, MAX_PIN_FAILURES, afterWrongPin, NO_LOCKOUT } from '../../main/station/staff/lockout.js';
import { callStation } from '../../main/station/api.js';
import { demoBadges, demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { hashPin } from '../../main/station/staff/pin.js';
import { failure, lastPosition, outboxEvents, unwrap } from '../support/ledger.js';
import type { Result } from '../../common/result.js';
import { contextOf } from '../../main/station/context.js';

const opened: { t: TestStation; gate: AccessGate }[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) {
    o.gate.close();
    o.t.close();
  }
});

/** A station and its gate, on a real clock for inactivity the test moves by hand. */
function setUp(options: { sessionIdleMs?: number } = {}) {
  const t = openTestStation();
  let realMs = 1_000_000;
  const gate = new AccessGate(t.station, { ...options, now: () => realMs });
  opened.push({ t, gate });
  return { t, gate, idle: (ms: number) => (realMs += ms) };
}

const kiosk: Caller = { channel: 'ipc:1', window: 'kiosk' };
const desk: Caller = { channel: 'ipc:2', window: 'reception' };
const otherDesk: Caller = { channel: 'host:7', window: 'reception' };
const memberId = () => demoBadges().active[0]!.memberId;

function refusals(t: TestStation, after = 0) {
  return outboxEvents(contextOf(t.station).db, after)
    .filter((e) => e.type === 'access.refused')
    .map((e) => e.payload as { window: string; method: string; reason: string; staffId?: string; count: number });
}

describe('roles declared per method', () => {
  it('every station method has a role, and only the known roles', () => {
    expect(Object.keys(STATION_METHOD_ROLES).sort()).toEqual([...STATION_METHODS].sort());
    const roles: StationRole[] = ['kiosk', 'reception', 'desk', 'supervisor', 'cli'];
    for (const m of STATION_METHODS) expect(roles, m).toContain(STATION_METHOD_ROLES[m]);
  });

  it('the kiosk reaches the kiosk methods only; the reception no command-line method', () => {
    expect(methodsOfWindow('kiosk').sort()).toEqual(['kioskReading', 'kioskSettings', 'siteProfile', 'syncStatus', 'tap']);
    expect(methodsOfWindow('reception')).not.toContain('purgeGuests');
    expect(methodsOfWindow('reception')).not.toContain('allowPrinterFile');
    expect(WINDOW_ROLES.kiosk).toEqual(['kiosk']);
  });
});

describe('the access gate', () => {
  it('refuses every non-kiosk method to the kiosk, FORBIDDEN, audited, recording nothing else', async () => {
    const { t, gate } = setUp();
    const pos = lastPosition(contextOf(t.station).db);
    for (const m of STATION_METHODS.filter((x) => STATION_METHOD_ROLES[x] !== 'kiosk')) {
      const r = gate.call(kiosk, m, {});
      expect(r, m).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    // A tap, the site and the sync state work.
    const [badge] = demoBadges().active;
    expect(gate.call(kiosk, 'tap', { uid: badge!.uid })).toMatchObject({ ok: true, value: { outcome: 'checked_in' } });
    expect(gate.call(kiosk, 'siteProfile', {})).toMatchObject({ ok: true, value: { id: 'bxl-louise' } });
    // The public screen learns whether the hub is reached, not where it is or what it refused.
    expect(gate.call(kiosk, 'syncStatus', {})).toEqual({ ok: true, value: { configured: false, online: false, backlog: expect.any(Number), problems: [] } });
    const types = outboxEvents(contextOf(t.station).db, pos).map((e) => e.type);
    expect(new Set(types)).toEqual(new Set(['access.refused', 'visit.checked_in']));
    expect(refusals(t, pos).every((r) => r.window === 'kiosk' && r.reason === 'forbidden')).toBe(true);
  });

  it('lets the reception sign in, and nothing of the desk before a clerk has', () => {
    const { gate } = setUp();
    for (const m of STATION_METHODS.filter((x) => STATION_METHOD_ROLES[x] === 'desk' || STATION_METHOD_ROLES[x] === 'supervisor'))
      expect(gate.call(desk, m, {}), m).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });
    for (const m of STATION_METHODS.filter((x) => STATION_METHOD_ROLES[x] === 'cli')) expect(gate.call(desk, m, {}), m).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(gate.call(desk, 'staff', {})).toMatchObject({ ok: true, value: [{ id: 'amelie' }, { id: 'joris' }] });
    expect(gate.call(desk, 'staffSession', {})).toEqual({ ok: true, value: {} });
    expect(gate.call(desk, 'noSuchMethod', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('takes the clerk from the session: a desk action carries the shift of the clerk signed in at that window', () => {
    const { t, gate } = setUp();
    const shift = unwrap(gate.call(desk, 'staffSignIn', { staffId: 'joris', pin: '1357' }) as Result<{ shiftId: string; role: string }>);
    expect(shift.role).toBe('clerk');
    expect(gate.call(desk, 'staffSession', {})).toMatchObject({ ok: true, value: { shift: { shiftId: shift.shiftId, staffId: 'joris' } } });
    const pos = lastPosition(contextOf(t.station).db);
    const visit = unwrap(gate.call(desk, 'checkIn', { memberId: memberId() }) as Result<{ visitId: string }>);
    const [event] = outboxEvents(contextOf(t.station).db, pos);
    expect(event).toMatchObject({ type: 'visit.checked_in', payload: { visitId: visit.visitId, shiftId: shift.shiftId } });
    // A clerk is not a supervisor: the station's configuration stays closed, and says why.
    for (const m of STATION_METHODS.filter((x) => STATION_METHOD_ROLES[x] === 'supervisor')) {
      const r = gate.call(desk, m, {});
      expect(r, m).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', detail: 'supervisor_required' } });
    }
  });

  it('refuses a stolen shift id: from a connection without a session, and from another clerk’s', () => {
    const { t, gate } = setUp();
    const joris = unwrap(gate.call(desk, 'staffSignIn', { staffId: 'joris', pin: '1357' }) as Result<{ shiftId: string }>);
    const pos = lastPosition(contextOf(t.station).db);
    // The shift id is readable in events(); another connection holding it gets nothing with it.
    expect(gate.call(otherDesk, 'checkIn', { memberId: memberId(), shiftId: joris.shiftId })).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });
    expect(gate.call(otherDesk, 'staffSignOut', { shiftId: joris.shiftId })).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });
    unwrap(gate.call(otherDesk, 'staffSignIn', { staffId: 'amelie', pin: '2468' }));
    expect(gate.call(otherDesk, 'checkIn', { memberId: memberId(), shiftId: joris.shiftId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(gate.call(otherDesk, 'staffSignOut', { shiftId: joris.shiftId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Nothing was recorded but the refusals; joris's shift is still open and his session works.
    expect(new Set(outboxEvents(contextOf(t.station).db, pos).map((e) => e.type))).toEqual(new Set(['shift.started', 'access.refused']));
    expect(gate.call(desk, 'onSite', {})).toMatchObject({ ok: true });
    expect(refusals(t, pos).map((r) => r.reason).sort()).toEqual(['forbidden', 'forbidden', 'sign_in_required', 'sign_in_required']);
  });

  it('ends a session at sign-out, when its shift ends elsewhere, with its connection, and after inactivity', () => {
    const { t, gate, idle } = setUp();
    // Sign-out: the session's own shift (no PIN needed: it is the clerk's own session).
    const first = unwrap(gate.call(desk, 'staffSignIn', { staffId: 'joris', pin: '1357' }) as Result<{ shiftId: string }>);
    expect(gate.call(desk, 'staffSignOut', { shiftId: first.shiftId })).toMatchObject({ ok: true, value: { endedAt: expect.any(String) } });
    expect(gate.call(desk, 'onSite', {})).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });

    // The shift ended elsewhere (the command line).
    const second = unwrap(gate.call(desk, 'staffSignIn', { staffId: 'joris', pin: '1357' }) as Result<{ shiftId: string }>);
    unwrap(callStation(t.station, 'staffSignOut', { shiftId: second.shiftId }));
    expect(gate.call(desk, 'onSite', {})).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED' } });
    expect(gate.call(desk, 'onSite', {})).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });

    // The connection closed.
    unwrap(gate.call(desk, 'staffSignIn', { staffId: 'joris', pin: '1357' }));
    gate.endChannel(desk.channel);
    expect(gate.call(desk, 'onSite', {})).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });

    // Inactivity: each call keeps it alive; a pause longer than the limit ends it.
    unwrap(gate.call(desk, 'staffSignIn', { staffId: 'joris', pin: '1357' }));
    idle(DEFAULT_SESSION_IDLE_MS - 1000);
    expect(gate.call(desk, 'onSite', {})).toMatchObject({ ok: true });
    idle(DEFAULT_SESSION_IDLE_MS - 1000);
    expect(gate.call(desk, 'onSite', {})).toMatchObject({ ok: true });
    idle(DEFAULT_SESSION_IDLE_MS + 1);
    expect(gate.call(desk, 'staffSession', {})).toEqual({ ok: true, value: {} });
    expect(gate.call(desk, 'onSite', {})).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });
  });

  it('lets a supervisor configure the station and unlock a clerk; the unlock is an event naming them', () => {
    const { t, gate } = setUp();
    for (let i = 0; i < MAX_PIN_FAILURES; i++) gate.call(desk, 'staffSignIn', { staffId: 'joris', pin: '0000' });
    expect(gate.call(desk, 'staffSignIn', { staffId: 'joris', pin: '1357' })).toMatchObject({ ok: false, error: { code: 'PIN_LOCKED' } });
    expect(gate.call(desk, 'staff', {})).toMatchObject({ ok: true, value: [{ id: 'amelie' }, { id: 'joris', locked: true }] });
    const amelie = unwrap(gate.call(desk, 'staffSignIn', { staffId: 'amelie', pin: '2468' }) as Result<{ role: string }>);
    expect(amelie.role).toBe('supervisor');
    expect(gate.call(desk, 'deviceConfigs', {})).toEqual({ ok: true, value: [] });
    const pos = lastPosition(contextOf(t.station).db);
    expect(gate.call(desk, 'unlockStaff', { staffId: 'joris' })).toEqual({ ok: true, value: { staffId: 'joris', wasLocked: true } });
    expect(outboxEvents(contextOf(t.station).db, pos).map((e) => [e.type, e.payload])).toEqual([['staff.unlocked', { staffId: 'joris', by: 'amelie', at: expect.any(String) }]]);
    expect(gate.call(otherDesk, 'staffSignIn', { staffId: 'joris', pin: '1357' })).toMatchObject({ ok: true });
  });

  it('audits refusals coalesced: a flood of one kind writes one event at once and one with the count later', () => {
    const { t, gate } = setUp();
    const pos = lastPosition(contextOf(t.station).db);
    for (let i = 0; i < 500; i++) gate.call(kiosk, 'importReferenceData', { data: {} });
    for (let i = 0; i < 20; i++) gate.call(kiosk, `made-up-${i}`, {});
    expect(refusals(t, pos)).toEqual([
      { window: 'kiosk', method: 'importReferenceData', reason: 'forbidden', count: 1, at: expect.any(String) },
      { window: 'kiosk', method: '(unknown)', reason: 'forbidden', count: 1, at: expect.any(String) },
    ]);
    // A minute later the next of that kind carries what was counted meanwhile.
    t.clock.advance(AUDIT_WINDOW_MS);
    gate.call(kiosk, 'importReferenceData', { data: {} });
    gate.close();
    const all = refusals(t, pos);
    expect(all.filter((r) => r.method === 'importReferenceData').reduce((n, r) => n + r.count, 0)).toBe(501);
    expect(all.filter((r) => r.method === '(unknown)').reduce((n, r) => n + r.count, 0)).toBe(20);
    expect(all.length).toBeLessThanOrEqual(4);
    // Never the input: the refusal names the method and the window only.
    expect(JSON.stringify(all)).not.toContain('data');
  });

  it('audits wrong PINs with the clerk tried, never the PIN', () => {
    const { t, gate } = setUp();
    const pos = lastPosition(contextOf(t.station).db);
    gate.call(desk, 'staffSignIn', { staffId: 'joris', pin: '8642' });
    const [refused] = refusals(t, pos);
    expect(refused).toMatchObject({ window: 'reception', method: 'staffSignIn', reason: 'pin_invalid', staffId: 'joris', count: 1 });
    expect(JSON.stringify(outboxEvents(contextOf(t.station).db, pos))).not.toContain('8642');
  });
});

describe('PIN lockout', () => {
  it('escalates, and does not give five fresh tries when a lock expires', () => {
    let s = NO_LOCKOUT;
    const now = Date.parse('2026-11-24T08:00:00.000Z');
    for (let i = 1; i < MAX_PIN_FAILURES; i++) {
      s = afterWrongPin(s, now);
      expect(s.lockedUntil).toBeNull();
    }
    s = afterWrongPin(s, now);
    expect(s).toEqual({ failedAttempts: 5, locks: 1, lockedUntil: new Date(now + LOCK_STEPS_MS[0]).toISOString() });
    s = afterWrongPin(s, now + LOCK_STEPS_MS[0]);
    expect(s.lockedUntil).toBe(new Date(now + LOCK_STEPS_MS[0] + LOCK_STEPS_MS[1]).toISOString());
    s = afterWrongPin(s, now);
    s = afterWrongPin(s, now);
    expect(s).toMatchObject({ locks: 4, lockedUntil: HELD_UNTIL });
  });

  it('at the station: locked 5 min, then one wrong PIN locks 15 min, an hour, then until a supervisor unlocks', () => {
    const { t, gate } = setUp();
    const tryPin = (pin: string) => gate.call(desk, 'staffSignIn', { staffId: 'joris', pin });
    for (let i = 0; i < MAX_PIN_FAILURES - 1; i++) failure(tryPin('0000') as Result<never>, 'PIN_INVALID');
    failure(tryPin('0000') as Result<never>, 'PIN_LOCKED');
    for (const step of LOCK_STEPS_MS) {
      // The right PIN is refused while locked…
      t.clock.advance(step - 1000);
      failure(tryPin('1357') as Result<never>, 'PIN_LOCKED');
      t.clock.advance(1000);
      // …and once the lock expires, a single wrong PIN locks again (the count did not reset).
      expect(failure(tryPin('0000') as Result<never>, 'PIN_LOCKED').message).toMatch(/locked/);
    }
    t.clock.advance(30 * 24 * 60 * 60_000);
    expect(failure(tryPin('1357') as Result<never>, 'PIN_LOCKED').message).toMatch(/until a supervisor unlocks/);
    unwrap(gate.call(otherDesk, 'staffSignIn', { staffId: 'amelie', pin: '2468' }));
    unwrap(gate.call(otherDesk, 'unlockStaff', { staffId: 'joris' }));
    expect(tryPin('1357')).toMatchObject({ ok: true, value: { staffId: 'joris' } });
  });
});

describe('the till through the gate (issue 16)', () => {
  it('is the desk’s: the kiosk reaches none of its methods; the clerk is the session’s; another clerk cannot close it, nor sign out the clerk who holds it', () => {
    const till = ['till', 'openTill', 'closeTill', 'reprintTillReport', 'recordPayment', 'refundPayment'] as const;
    for (const m of till) expect(STATION_METHOD_ROLES[m], m).toBe('desk');
    for (const m of till) expect(methodsOfWindow('kiosk')).not.toContain(m);
    const data = demoReferenceData();
    data.staff = [...(data.staff ?? []), { id: 'sofie', name: 'Sofie Claes', pinHash: hashPin('8642'), role: 'clerk' }];
    const t = openTestStation({ data });
    const gate = new AccessGate(t.station, { now: () => 1_000_000 });
    opened.push({ t, gate });
    for (const m of till) expect(gate.call(kiosk, m, {}), m).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const joris = unwrap(gate.call(desk, 'staffSignIn', { staffId: 'joris', pin: '1357' }) as Result<{ shiftId: string }>);
    // No shift in the request: the session's is taken.
    const opened1 = unwrap(gate.call(desk, 'openTill', { floatCents: 5_000 }) as Result<{ tillId: string; staffId: string }>);
    expect(opened1.staffId).toBe('joris');
    expect(outboxEvents(contextOf(t.station).db, 0).find((e) => e.type === 'till.opened')).toMatchObject({ payload: { shiftId: joris.shiftId, staffId: 'joris' } });
    expect(gate.call(kiosk, 'till', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    unwrap(gate.call(otherDesk, 'staffSignIn', { staffId: 'sofie', pin: '8642' }));
    expect(gate.call(otherDesk, 'till', {})).toMatchObject({ ok: true, value: { open: { tillId: opened1.tillId, staffName: 'Joris Peeters' } } });
    // Sofie cannot close Joris's till, even naming his shift.
    expect(gate.call(otherDesk, 'closeTill', { countedCents: 5_000 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', say: { key: 'tillNotYours' } } });
    expect(gate.call(otherDesk, 'closeTill', { countedCents: 5_000, shiftId: joris.shiftId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Joris cannot sign out with his till open; his session holds.
    expect(gate.call(desk, 'staffSignOut', {})).toMatchObject({ ok: false, error: { code: 'REFUSED', say: { key: 'tillOpenSignOut' } } });
    expect(gate.call(desk, 'staffSession', {})).toMatchObject({ ok: true, value: { shift: { shiftId: joris.shiftId } } });
    expect(gate.call(desk, 'closeTill', { countedCents: 5_000 })).toMatchObject({ ok: true, value: { differenceCents: 0, closedBy: { staffId: 'joris' } } });
    expect(gate.call(desk, 'staffSignOut', {})).toMatchObject({ ok: true });
  });
});

// Every method named in a role table is a real method: a test that also fails when a method is renamed.
const _everyRoleIsAMethod: Record<StationMethod, StationRole> = STATION_METHOD_ROLES;
void _everyRoleIsAMethod;
