// What reception staff do: check a member in or out, find people, register walk-in guests and
// assign badges. One station for the file; each test uses its own members.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBadges, demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { failure, lastPosition, ledgerProblems, outboxEvents, typesAfter, unwrap } from '../support/ledger.js';
import { contextOf } from '../../main/station/context.js';

let t: TestStation;
const badges = demoBadges();
const db = () => contextOf(t.station).db;

beforeAll(() => {
  t = openTestStation();
});
afterAll(() => {
  expect(ledgerProblems(db())).toEqual([]);
  t?.close();
});

describe('check-in and check-out by staff', () => {
  it('checks a member in by id and out by visit id, charging the desk time', async () => {
    const memberId = badges.active[0]!.memberId;
    const pos = lastPosition(db());
    const visit = unwrap(await t.api.checkIn({ memberId }));
    expect(visit).toMatchObject({ person: { kind: 'member', id: memberId }, checkedInBy: 'staff', autoClosed: false, durationMinutes: 0 });
    expect(visit.badgeUid).toBeUndefined();
    expect(typesAfter(db(), pos)).toEqual(['visit.checked_in']);
    failure(await t.api.checkIn({ memberId }), 'CONFLICT');

    t.clock.advance(47 * 60_000);
    const out = unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    expect(out).toMatchObject({ visitId: visit.visitId, checkedOutBy: 'staff', durationMinutes: 47 });
    // 47 min → 60 min billed at 5.00 €/h.
    expect(out.lines).toEqual([expect.objectContaining({ serviceCode: 'desk_hour', quantity: 47, billedQuantity: 60, netCents: 500, vatCents: 105, grossCents: 605, source: 'checkout' })]);
    expect(out.totals).toEqual({ netCents: 500, vatCents: 105, grossCents: 605 });
    failure(await t.api.checkOut({ visitId: visit.visitId }), 'CONFLICT');
    expect(typesAfter(db(), pos)).toEqual(['visit.checked_in', 'visit.checked_out', 'consumption.recorded']);
  });

  it('refuses to check in a blocked member, with the reason, as the reader does', async () => {
    const blocked = demoReferenceData().members.find((m) => m.status === 'blocked')!;
    const pos = lastPosition(db());
    const refused = failure(await t.api.checkIn({ memberId: blocked.id }), 'REFUSED');
    expect(refused.message).toContain(blocked.blockedReason!);
    expect(typesAfter(db(), pos)).toEqual([]);
  });

  it('refuses to check in a member it does not know', async () => {
    const pos = lastPosition(db());
    const e = failure(await t.api.checkIn({ memberId: 'm9999' }), 'NOT_FOUND');
    expect(e.message).toContain('m9999');
    expect(typesAfter(db(), pos)).toEqual([]);
  });

  it('checks out with a zero-minute visit charging nothing', async () => {
    const memberId = badges.active[1]!.memberId;
    const visit = unwrap(await t.api.checkIn({ memberId }));
    const out = unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    expect(out.durationMinutes).toBe(0);
    expect(out.lines).toEqual([]);
  });
});

describe('search', () => {
  const ids = (hits: { person: { id: string } }[]) => hits.map((h) => h.person.id);

  it('finds members by name without accents or case ("lefevre" finds Lefèvre)', async () => {
    const hits = unwrap(await t.api.search({ query: 'lefevre', limit: 100 }));
    const expected = demoBadges().member;
    expect(hits.length).toBe(7);
    for (const h of hits) expect(h.person.lastName).toBe('Lefèvre');
    expect(expected(hits[0]!.person.id).lastName).toBe('Lefèvre');
    const accented = unwrap(await t.api.search({ query: 'LEFÈVRE', limit: 100 }));
    expect(ids(accented)).toEqual(ids(hits));
    const helene = unwrap(await t.api.search({ query: 'helene lambert', limit: 100 }));
    expect(helene.map((h) => `${h.person.firstName} ${h.person.lastName}`)).toContain('Hélène Lambert');
  });

  it('finds members by company, e-mail, badge UID and id', async () => {
    const byCompany = unwrap(await t.api.search({ query: 'bouwgroep', limit: 100 }));
    expect(byCompany.length).toBe(demoReferenceData().members.filter((m) => m.payerId === 'vlaamse-bouw').length);
    expect(byCompany.length).toBeGreaterThan(0);
    for (const h of byCompany) expect(h.person.company).toBe('Vlaamse Bouwgroep NV');

    const byEmail = unwrap(await t.api.search({ query: 'manon.lefevre.11@meridian-pharma.example' }));
    expect(ids(byEmail)).toEqual(['m0011']);
    expect(byEmail[0]).toMatchObject({ email: 'manon.lefevre.11@meridian-pharma.example', status: 'active' });

    const badge = badges.active[7]!;
    const byUid = unwrap(await t.api.search({ query: badge.uid.toLowerCase() }));
    expect(ids(byUid)).toEqual([badge.memberId]);
    expect(byUid[0]!.badges).toContainEqual({ uid: badge.uid, status: 'active' });

    expect(ids(unwrap(await t.api.search({ query: 'ESC-QR-M0010' })))).toEqual(['m0010']);
    expect(ids(unwrap(await t.api.search({ query: 'm0042' })))).toContain('m0042');
  });

  it('shows a member’s open visit and their blocked status', async () => {
    const memberId = badges.active[2]!.memberId;
    const visit = unwrap(await t.api.checkIn({ memberId }));
    const hit = unwrap(await t.api.search({ query: memberId })).find((h) => h.person.id === memberId)!;
    expect(hit.openVisitId).toBe(visit.visitId);
    const blocked = unwrap(await t.api.search({ query: badges.ofBlockedMember.memberId })).find((h) => h.person.id === badges.ofBlockedMember.memberId)!;
    expect(blocked.status).toBe('blocked');
  });

  it('respects the limit and answers nothing for a blank query', async () => {
    expect(unwrap(await t.api.search({ query: 'example', limit: 5 }))).toHaveLength(5);
    expect(unwrap(await t.api.search({ query: '   ' }))).toEqual([]);
    expect(unwrap(await t.api.search({ query: 'zzzz-nobody' }))).toEqual([]);
  });
});

describe('walk-in guests', () => {
  it('requires the guest’s consent', async () => {
    const pos = lastPosition(db());
    const e1 = failure(await t.api.registerGuest({ firstName: 'Zoé', lastName: 'Nocon', consent: false as true }), 'INVALID_INPUT');
    expect(e1.message).toMatch(/consent/);
    failure(await t.api.registerGuest({ firstName: 'Zoé', lastName: 'Nocon' } as never), 'INVALID_INPUT');
    failure(await t.api.registerGuest({ firstName: ' ', lastName: 'Nocon', consent: true }), 'INVALID_INPUT');
    failure(await t.api.registerGuest({ firstName: 'Zoé', lastName: 'Nocon', consent: true, email: 'not-an-email' }), 'INVALID_INPUT');
    failure(await t.api.registerGuest({ firstName: 'Zoé', lastName: 'Nocon', consent: true, hostMemberId: 'm9999' }), 'NOT_FOUND');
    failure(await t.api.registerGuest({ firstName: 'Zoé', lastName: 'Nocon', consent: true, retentionUntil: '2020-01-01' }), 'INVALID_INPUT');
    expect(typesAfter(db(), pos)).toEqual([]);
  });

  it('registers a guest of a member: shown on site with the host, never charged at checkout', async () => {
    const host = badges.active[3]!.memberId;
    const hostRef = badges.member(host);
    const pos = lastPosition(db());
    const visit = unwrap(
      await t.api.registerGuest({ firstName: 'Émile', lastName: 'Verhaegen', company: 'Client SA', email: 'emile@client.example', hostMemberId: host, consent: true }),
    );
    expect(visit).toMatchObject({ person: { kind: 'guest', firstName: 'Émile', lastName: 'Verhaegen', company: 'Client SA', language: 'fr' }, checkedInBy: 'staff' });
    expect(typesAfter(db(), pos)).toEqual(['guest.registered', 'visit.checked_in']);
    const registered = outboxEvents(db(), pos)[0]!;
    // Retention defaults to 30 days after today (2026-11-24 in Brussels).
    expect(registered.payload).toMatchObject({ firstName: 'Émile', hostMemberId: host, retentionUntil: '2026-12-24' });

    const entry = unwrap(await t.api.onSite({})).find((e) => e.visitId === visit.visitId);
    expect(entry).toMatchObject({ person: { kind: 'guest' }, hostName: `${hostRef.firstName} ${hostRef.lastName}` });
    expect(unwrap(await t.api.search({ query: 'emile' })).map((h) => h.person.id)).toContain(visit.person.id);

    t.clock.advance(2 * 3600_000);
    const out = unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    expect(out.durationMinutes).toBe(120);
    expect(out.lines).toEqual([]);
    expect(out.totals).toEqual({ netCents: 0, vatCents: 0, grossCents: 0 });
  });

  it('charges a walk-in guest without a host the desk time', async () => {
    const visit = unwrap(await t.api.registerGuest({ firstName: 'Walk', lastName: 'In', consent: true, retentionUntil: '2027-01-31', language: 'nl' }));
    t.clock.advance(90 * 60_000);
    const out = unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    expect(out.lines).toEqual([expect.objectContaining({ serviceCode: 'desk_hour', quantity: 90, billedQuantity: 90, netCents: 750, vatCents: 158, serviceName: 'Werkplek (uur)' })]);
    const guestId = visit.person.id;
    const ev = outboxEvents(db()).find((e) => e.type === 'consumption.recorded' && e.payload.visitId === visit.visitId)!;
    expect(ev.payload).toMatchObject({ guestId });
    expect(ev.payload).not.toHaveProperty('memberId');
  });
});

describe('badge assignment', () => {
  it('assigns the unknown UID just tapped; the next tap checks the member in', async () => {
    const memberId = badges.active[4]!.memberId;
    const uid = 'E2000017221101441890';
    expect(unwrap(await t.api.tap({ uid }))).toEqual({ outcome: 'unknown_badge', uid });
    const pos = lastPosition(db());
    expect(unwrap(await t.api.assignBadge({ memberId, uid }))).toEqual({ uid, memberId, kind: 'rfid' });
    expect(typesAfter(db(), pos)).toEqual(['badge.assigned']);
    expect(outboxEvents(db(), pos)[0]!.payload).toMatchObject({ uid, memberId, kind: 'rfid' });
    // Assigning it again to the same member changes nothing.
    unwrap(await t.api.assignBadge({ memberId, uid }));
    expect(typesAfter(db(), pos)).toEqual(['badge.assigned']);
    t.clock.advance(10_000);
    expect(unwrap(await t.api.tap({ uid }))).toMatchObject({ outcome: 'checked_in', visit: { person: { id: memberId }, badgeUid: uid } });
  });

  it('refuses a UID that belongs to another member (CONFLICT), and a lost badge (REFUSED)', async () => {
    const owner = badges.active[5]!;
    const other = badges.active[6]!.memberId;
    const pos = lastPosition(db());
    const conflict = failure(await t.api.assignBadge({ memberId: other, uid: owner.uid }), 'CONFLICT');
    const ref = badges.member(owner.memberId);
    expect(conflict.message).toContain(`${ref.firstName} ${ref.lastName}`);
    failure(await t.api.assignBadge({ memberId: badges.lost.memberId, uid: badges.lost.uid }), 'REFUSED');
    failure(await t.api.assignBadge({ memberId: 'm9999', uid: 'FRESH0001' }), 'NOT_FOUND');
    failure(await t.api.assignBadge({ memberId: other, uid: 'AB CD' }), 'INVALID_INPUT');
    expect(typesAfter(db(), pos)).toEqual([]);
    // The badge still belongs to its owner.
    t.clock.advance(10_000);
    expect(unwrap(await t.api.tap({ uid: owner.uid }))).toMatchObject({ outcome: 'checked_in', visit: { person: { id: owner.memberId } } });
  });

  it('assigns a number typed in lower case in its canonical form, and refuses it to a second member whatever its case', async () => {
    const memberId = badges.active[7]!.memberId;
    const other = badges.active[8]!.memberId;
    const pos = lastPosition(db());
    expect(unwrap(await t.api.assignBadge({ memberId, uid: '7e001fa2b4' }))).toEqual({ uid: '7E001FA2B4', memberId, kind: 'rfid' });
    expect(outboxEvents(db(), pos)[0]!.payload).toMatchObject({ uid: '7E001FA2B4', memberId });
    failure(await t.api.assignBadge({ memberId: other, uid: '7E001fa2b4' }), 'CONFLICT');
    expect(typesAfter(db(), pos)).toEqual(['badge.assigned']);
    t.clock.advance(10_000);
    expect(unwrap(await t.api.tap({ uid: '7E001FA2B4' }))).toMatchObject({ outcome: 'checked_in', visit: { person: { id: memberId } } });
  });
});
