import { afterEach, describe, expect, it } from 'vitest';
import { demoBadges, demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { lastPosition, ledgerProblems, typesAfter, unwrap } from '../support/ledger.js';
import type { TapResult } from '../../common/station-api.js';
import { contextOf } from '../../main/station/context.js';

let t: TestStation;
afterEach(() => t?.close());

const badges = demoBadges();

async function tap(uid: string, at?: string): Promise<TapResult> {
  return unwrap(await t.api.tap(at === undefined ? { uid } : { uid, at }));
}

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

  it('answers an unknown badge with its raw UID (trimmed) and records nothing', async () => {
    t = openTestStation();
    const before = lastPosition(contextOf(t.station).db);
    expect(await tap('  04A1B2C3D4E5\r\n')).toEqual({ outcome: 'unknown_badge', uid: '04A1B2C3D4E5' });
    expect(typesAfter(contextOf(t.station).db, before)).toEqual([]);
  });

  it('refuses a lost badge, a revoked badge and a blocked member with the reason, recording nothing', async () => {
    t = openTestStation();
    const before = lastPosition(contextOf(t.station).db);
    const lost = await tap(badges.lost.uid);
    expect(lost).toMatchObject({ outcome: 'refused', uid: badges.lost.uid, reason: 'badge_lost', person: { id: badges.lost.memberId } });
    const revoked = await tap(badges.revoked.uid);
    expect(revoked).toMatchObject({ outcome: 'refused', reason: 'badge_revoked', person: { id: badges.revoked.memberId } });
    const blocked = await tap(badges.ofBlockedMember.uid);
    expect(blocked).toMatchObject({ outcome: 'refused', reason: 'member_blocked', person: { id: badges.ofBlockedMember.memberId } });
    if (blocked.outcome !== 'refused') throw new Error(blocked.outcome);
    expect(blocked.message).toBe(badges.member(badges.ofBlockedMember.memberId).blockedReason);
    expect(typesAfter(contextOf(t.station).db, before)).toEqual([]);
    expect(unwrap(await t.api.onSite({}))).toEqual([]);
  });

  it('says already_done for a second tap inside the 3 s window after check-in, and checks out once it has passed', async () => {
    t = openTestStation();
    const uid = badges.active[1]!.uid;
    const checkedIn = await tap(uid);
    if (checkedIn.outcome !== 'checked_in') throw new Error(checkedIn.outcome);
    const pos = lastPosition(contextOf(t.station).db);
    t.clock.advance(2999);
    expect(await tap(uid)).toMatchObject({ outcome: 'already_done', last: 'checked_in', visitId: checkedIn.visit.visitId, person: { id: badges.active[1]!.memberId } });
    expect(typesAfter(contextOf(t.station).db, pos)).toEqual([]);
    t.clock.advance(1);
    const out = await tap(uid);
    expect(out).toMatchObject({ outcome: 'checked_out', visit: { visitId: checkedIn.visit.visitId, durationMinutes: 1 } });
    expect(typesAfter(contextOf(t.station).db, pos)).toEqual(['visit.checked_out', 'consumption.recorded']);
  });

  it('says already_done for a second tap inside the window after check-out, then starts a new visit', async () => {
    t = openTestStation();
    const uid = badges.active[2]!.uid;
    const first = await tap(uid);
    t.clock.advance(3600_000);
    const out = await tap(uid);
    expect(out.outcome).toBe('checked_out');
    const pos = lastPosition(contextOf(t.station).db);
    t.clock.advance(1000);
    const again = await tap(uid);
    expect(again).toMatchObject({ outcome: 'already_done', last: 'checked_out', visitId: first.outcome === 'checked_in' ? first.visit.visitId : '' });
    expect(typesAfter(contextOf(t.station).db, pos)).toEqual([]);
    t.clock.advance(2000);
    const next = await tap(uid);
    expect(next.outcome).toBe('checked_in');
    if (next.outcome === 'checked_in' && first.outcome === 'checked_in') expect(next.visit.visitId).not.toBe(first.visit.visitId);
  });

  it('uses the tap window stored in the station settings, and a run-time override', async () => {
    t = openTestStation({ init: { siteId: 'bxl-louise', settings: { tapWindowMs: 10_000 } } });
    const uid = badges.active[3]!.uid;
    expect((await tap(uid)).outcome).toBe('checked_in');
    t.clock.advance(9_000);
    expect((await tap(uid)).outcome).toBe('already_done');
    t.close();
    // The window is a stored setting: it holds after a restart.
    t = openTestStation({ dataDir: t.dataDir, now: new Date(t.clock.now() + 500).toISOString(), data: null });
    expect(contextOf(t.station).settings.tapWindowMs).toBe(10_000);
    expect((await tap(uid)).outcome).toBe('already_done');
    t.clock.advance(1000);
    expect((await tap(uid)).outcome).toBe('checked_out');
    t.close();
    // A run-time override (a kiosk configured for slow readers) wins over the stored value.
    t = openTestStation({ dataDir: t.dataDir, now: new Date(t.clock.now() + 20_000).toISOString(), data: null, settings: { tapWindowMs: 60_000 } });
    expect((await tap(uid)).outcome).toBe('already_done');
  });

  it('never merges two quick taps of distinct badges', async () => {
    t = openTestStation();
    const [a, b] = badges.active;
    const first = await tap(a!.uid);
    t.clock.advance(200);
    const second = await tap(b!.uid);
    expect(first).toMatchObject({ outcome: 'checked_in', visit: { person: { id: a!.memberId } } });
    expect(second).toMatchObject({ outcome: 'checked_in', visit: { person: { id: b!.memberId } } });
    expect(unwrap(await t.api.onSite({})).map((e) => e.person.id).sort()).toEqual([a!.memberId, b!.memberId].sort());
  });

  it('keeps the real time of a queued read (at), not the time it was processed', async () => {
    t = openTestStation();
    const uid = badges.active[4]!.uid;
    const readAt = new Date(t.clock.now() - 90_000).toISOString();
    const r = await tap(uid, readAt);
    expect(r).toMatchObject({ outcome: 'checked_in', visit: { checkedInAt: readAt, badgeUid: uid, checkedInBy: 'badge' } });
    expect(ledgerProblems(contextOf(t.station).db)).toEqual([]);
  });

  it('checks a member with two badges out by either of them', async () => {
    t = openTestStation();
    const member = 'm0010';
    const own = demoReferenceData().badges.filter((b) => b.memberId === member);
    expect(own.map((b) => b.kind).sort()).toEqual(['qr', 'rfid']);
    expect((await tap(own[0]!.uid)).outcome).toBe('checked_in');
    t.clock.advance(30 * 60_000);
    const out = await tap(own[1]!.uid);
    expect(out).toMatchObject({ outcome: 'checked_out', visit: { person: { id: member }, durationMinutes: 30 } });
  });

  it('finds a badge whatever the case of the number read: 00137542ab checks in the member of 00137542AB', async () => {
    t = openTestStation();
    const badge = demoReferenceData().badges.find((b) => b.uid === '00137542AB')!;
    expect(await tap('00137542ab')).toMatchObject({ outcome: 'checked_in', visit: { person: { id: badge.memberId }, badgeUid: '00137542AB' } });
    t.clock.advance(60_000);
    // A printed code scanned with Caps Lock on is the same badge too.
    const qr = demoReferenceData().badges.find((b) => b.uid === 'ESC-QR-M0010')!;
    expect(await tap('esc-qr-m0010')).toMatchObject({ outcome: 'checked_in', visit: { person: { id: qr.memberId } } });
    // An unknown number is shown to reception in its canonical form, the one to assign.
    expect(await tap('04a1b2c3d4e5')).toEqual({ outcome: 'unknown_badge', uid: '04A1B2C3D4E5' });
  });
});
