// Privacy across station and hub (real hub on 127.0.0.1, real station databases; over SQLite, and
// again over PostgreSQL in npm test's second sync run): a guest purged at the station is purged at
// the hub too (names, company, e-mail, nationality), whether or not their registration was uploaded yet; the hub purges on its own
// schedule; a member's export holds their visits and priced lines; an erasure pseudonymises them
// at the hub and at the stations, revokes their badges and keeps the billing facts.
import { afterEach, describe, expect, it } from 'vitest';
import { memberExportSchema, type MemberErasure, type MemberExport } from '../../common/privacy.js';
import type { SyncClient } from '../../main/sync/sync-client.js';
import { unwrap } from '../support/ledger.js';
import type { TestStation } from '../support/station-fixture.js';
import { runCli } from '../support/cli.js';
import { activeUids, demoReferenceFile, expectSameEvents, openSiteStation, outboxRows, startSync, startTestHub, storedEvents, type TestHub } from '../support/hub-fixture.js';
import { waitFor } from '../support/wait.js';
import { contextOf } from '../../main/station/context.js';

const SITE = 'bxl-louise';
const DAY = 24 * 3600_000;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hubAndStation(): Promise<{ hub: TestHub; t: TestStation; sync: () => Promise<SyncClient> }> {
  const hub = await startTestHub();
  cleanups.push(() => hub.close());
  const { credential } = await hub.enroll(SITE);
  const t = openSiteStation(SITE);
  cleanups.push(() => t.close());
  return {
    hub,
    t,
    // A started client that has pulled the network and uploaded everything.
    sync: async () => {
      const client = startSync(t.station, { url: hub.url, credential });
      cleanups.push(() => client.stop());
      expect(await client.drained(20_000)).toBe(true);
      return client;
    },
  };
}

const PERSONAL = /Gaston|Lagaffe|Spirou|gaston@example\.be|Luxembourgeoise|Nora|Nachtwacht|Néerlandaise/;
const registrationAt = async (hub: TestHub, guestId: string) =>
  (await storedEvents(hub.store)).find((e) => e.type === 'guest.registered' && (e.payload as { guestId: string }).guestId === guestId)!;

describe('guest purge, station and hub', () => {
  it('POST /admin/guests/purge (it answered 404) purges now the guests past their date, and says whom', async () => {
    const { hub, t, sync } = await hubAndStation();
    await sync();
    // Uploaded after the hub's purge at start: only the next hourly run, or this route, purges it.
    const visit = unwrap(await t.api.registerGuest({ firstName: 'Gaston', lastName: 'Lagaffe', email: 'gaston@example.be', nationality: 'Luxembourgeoise', consent: true, retentionUntil: '2026-11-24' }));
    await sync();
    expect(new Date().toISOString().slice(0, 10) > '2026-11-24').toBe(true);
    expect((await registrationAt(hub, visit.person.id)).payload).toMatchObject({ lastName: 'Lagaffe' });
    expect(await hub.adminRaw('POST', 'guests/purge')).toEqual({ status: 200, body: { ok: true, value: { purged: [visit.person.id] } } });
    expect(JSON.stringify(await storedEvents(hub.store))).not.toMatch(PERSONAL);
    expect((await registrationAt(hub, visit.person.id)).payload).toMatchObject({ guestId: visit.person.id, retentionUntil: '2026-11-24', purgedAt: expect.any(String) });
    // Nothing left to purge: said so.
    expect(await hub.admin('POST', 'guests/purge')).toEqual({ purged: [] });
  });

  it('a station purge reaches the hub, for a registration uploaded before and for one not uploaded yet: both hold the same redacted events', async () => {
    const { hub, t, sync } = await hubAndStation();
    let client = await sync();
    const host = activeUids((m) => m.homeSiteId === SITE)[0]!;
    const hostId = demoReferenceFile().badges.find((b) => b.uid === host)!.memberId;
    const uploaded = unwrap(
      await t.api.registerGuest({ firstName: 'Gaston', lastName: 'Lagaffe', company: 'Spirou SA', email: 'gaston@example.be', nationality: 'Luxembourgeoise', hostMemberId: hostId, consent: true, retentionUntil: '2026-11-24' }),
    );
    t.clock.advance(3600_000);
    unwrap(await t.api.checkOut({ visitId: uploaded.visitId }));
    expect(await client.drained(20_000)).toBe(true);
    // The hub holds the nationality as the station sent it, until the purge.
    expect((await registrationAt(hub, uploaded.person.id)).payload).toMatchObject({ lastName: 'Lagaffe', nationality: 'Luxembourgeoise' });
    await client.stop();

    // Offline: a second guest, registered and purged before any upload.
    const pending = unwrap(await t.api.registerGuest({ firstName: 'Nora', lastName: 'Nachtwacht', nationality: 'Néerlandaise', consent: true, retentionUntil: '2026-11-24' }));
    unwrap(await t.api.checkOut({ visitId: pending.visitId }));
    t.clock.advance(DAY);
    expect(unwrap(await t.api.purgeGuests({})).purged.sort()).toEqual([uploaded.person.id, pending.person.id].sort());

    client = await sync();
    const events = await storedEvents(hub.store, SITE);
    expect(events.filter((e) => e.status !== 'accepted')).toEqual([]);
    expect(await hub.store.listQuarantine(10)).toEqual([]);
    // The hub redacted its copy with the station's purge time: both sides hold the same text.
    expectSameEvents(events, outboxRows(contextOf(t.station).db));
    expect(JSON.stringify(events)).not.toMatch(PERSONAL);
    expect((await registrationAt(hub, uploaded.person.id)).payload).toEqual({
      guestId: uploaded.person.id,
      hostMemberId: hostId,
      consentAt: uploaded.checkedInAt,
      retentionUntil: '2026-11-24',
      purgedAt: new Date(t.clock.now()).toISOString(),
    });
    expect((await registrationAt(hub, pending.person.id)).payload).toEqual({ guestId: pending.person.id, consentAt: pending.checkedInAt, retentionUntil: '2026-11-24', purgedAt: new Date(t.clock.now()).toISOString() });
    expect(events.filter((e) => e.type === 'guest.purged').map((e) => (e.payload as { guestId: string }).guestId).sort()).toEqual([uploaded.person.id, pending.person.id].sort());
    expect(unwrap(await t.api.syncStatus({})).problems).toEqual([]);
  });

  it('the hub purges guests past their date on its own schedule, without the station; the station’s later purge is accepted', async () => {
    const { hub, t, sync } = await hubAndStation();
    const client = await sync();
    // The station's clock says 24 November 2026; the hub runs on the real clock, days later.
    const visit = unwrap(await t.api.registerGuest({ firstName: 'Gaston', lastName: 'Lagaffe', email: 'gaston@example.be', nationality: 'Luxembourgeoise', consent: true, retentionUntil: '2026-11-24' }));
    expect(await client.drained(20_000)).toBe(true);
    expect(new Date().toISOString().slice(0, 10) > '2026-11-24').toBe(true);
    expect((await registrationAt(hub, visit.person.id)).payload).toMatchObject({ lastName: 'Lagaffe', nationality: 'Luxembourgeoise' });
    await client.stop();
    // The schedule runs at start (then hourly).
    await hub.restart();
    await waitFor(async () => 'purgedAt' in ((await registrationAt(hub, visit.person.id)).payload as object), "the hub's scheduled purge");
    expect(JSON.stringify(await storedEvents(hub.store))).not.toMatch(PERSONAL);
    expect((await registrationAt(hub, visit.person.id)).payload).toMatchObject({ guestId: visit.person.id, retentionUntil: '2026-11-24', consentAt: visit.checkedInAt });
    // The station still held the names (its clock had not reached the date); now it purges too.
    unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    t.clock.advance(DAY);
    expect(unwrap(await t.api.purgeGuests({})).purged).toEqual([visit.person.id]);
    await sync();
    expect((await storedEvents(hub.store, SITE)).filter((e) => e.status !== 'accepted')).toEqual([]);
    expect(await hub.store.listQuarantine(10)).toEqual([]);
    expect((await storedEvents(hub.store, SITE)).some((e) => e.type === 'guest.purged')).toBe(true);
  });
});

describe('member export and erasure', () => {
  /** A self-paying member of this site with an active badge: one visit with a coffee, synced. */
  async function memberWithAVisit() {
    const ctx = await hubAndStation();
    const { t, sync } = ctx;
    const data = demoReferenceFile() as unknown as { payers: { id: string; kind: string; name: string }[]; members: { id: string; payerId: string; firstName: string; lastName: string; email: string; homeSiteId: string; status: string }[]; badges: { uid: string; memberId: string; status: string; kind: string }[] };
    const selfPayers = new Set(data.payers.filter((p) => p.kind === 'self').map((p) => p.id));
    const member = data.members.find((m) => m.homeSiteId === SITE && m.status === 'active' && selfPayers.has(m.payerId) && data.badges.some((b) => b.memberId === m.id && b.status === 'active' && b.kind === 'rfid'))!;
    const uid = data.badges.find((b) => b.memberId === member.id && b.status === 'active' && b.kind === 'rfid')!.uid;
    const client = await sync();
    const tapIn = unwrap(await t.api.tap({ uid }));
    expect(tapIn.outcome).toBe('checked_in');
    const visitId = tapIn.outcome === 'checked_in' ? tapIn.visit.visitId : '';
    unwrap(await t.api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 2 }));
    t.clock.advance(2 * 3600_000);
    const out = unwrap(await t.api.tap({ uid }));
    expect(out.outcome).toBe('checked_out');
    expect(await client.drained(20_000)).toBe(true);
    const detail = unwrap(await t.api.visitDetail({ visitId }));
    return { ...ctx, client, member, uid, visitId, detail, payer: data.payers.find((p) => p.id === member.payerId)!, badges: data.badges.filter((b) => b.memberId === member.id) };
  }

  it("exports everything the network holds about a member: record, payer, badges, visits and priced lines with sites and amounts", async () => {
    const { hub, member, visitId, detail, payer, badges } = await memberWithAVisit();
    const exported = memberExportSchema.parse(await hub.admin<MemberExport>('GET', `members/${member.id}/export`));
    expect(exported.member).toMatchObject({ id: member.id, firstName: member.firstName, lastName: member.lastName, email: member.email });
    expect(exported.member.erasedAt).toBeUndefined();
    expect(exported.payer).toMatchObject({ id: payer.id, name: payer.name });
    expect(exported.badges.map((b) => b.uid).sort()).toEqual(badges.map((b) => b.uid).sort());
    expect(exported.visits).toEqual([
      expect.objectContaining({ visitId, siteId: SITE, siteName: 'Escale Bruxelles Louise', checkedInAt: detail.checkedInAt, checkedOutAt: detail.checkedOutAt, checkedInBy: 'badge', checkedOutBy: 'badge' }),
    ]);
    // The priced lines exactly as the station recorded them.
    expect(exported.consumption.map((l) => [l.consumptionId, l.serviceCode, l.billedQuantity, l.netCents, l.vatCents, l.grossCents, l.siteId]).sort()).toEqual(
      detail.lines.map((l) => [l.id, l.serviceCode, l.billedQuantity, l.netCents, l.vatCents, l.grossCents, SITE]).sort(),
    );
    expect(exported.consumption.length).toBeGreaterThanOrEqual(2); // the coffee and the desk time
    expect(exported.totals).toEqual(detail.totals);
    expect(exported.erasures).toEqual([]);
    // Nobody else's visits.
    expect(new Set(exported.visits.map((v) => v.visitId))).toEqual(new Set([visitId]));

    const unknown = await hub.adminRaw('GET', 'members/nobody-here/export');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.message).toMatch(/no member "nobody-here"/);
    const bad = await hub.adminRaw('GET', `members/${encodeURIComponent('bad id!')}/export`);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toMatch(/member id/);
  });

  it('erases a member: pseudonym at the hub and at the station, badges revoked, billing facts kept, export shows the pseudonym, an audit entry, final', async () => {
    const { hub, t, member, uid, visitId, detail, payer, badges } = await memberWithAVisit();
    const before = await hub.store.memberEvents(member.id);

    const refused = await hub.adminRaw('POST', `members/${member.id}/erase`, { by: 'ops-7' });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toMatch(/reason/);

    const erased = await hub.admin<MemberErasure>('POST', `members/${member.id}/erase`, { reason: 'Art. 17 request, ticket 2026-118', by: 'ops-7' });
    expect(erased.pseudonym).toMatch(/^ERASED-[0-9A-F]{10}$/);
    expect(erased.revokedBadges.sort()).toEqual(badges.filter((b) => b.status !== 'revoked').map((b) => b.uid).sort());
    expect(erased.payerPseudonymised).toBe(payer.id);

    // The station gets it with the poke: names replaced, badges revoked, the visit still there.
    const memberRow = () => contextOf(t.station).db.prepare('SELECT first_name, last_name, email, search_text, payer_id FROM member WHERE id = ?').get(member.id) as Record<string, string>;
    await waitFor(() => memberRow().last_name === erased.pseudonym, 'the pseudonym at the station');
    const row = memberRow();
    expect(JSON.stringify(row)).not.toContain(member.lastName);
    expect(row.email).not.toBe(member.email);
    expect(row.payer_id).toBe(payer.id);
    expect((contextOf(t.station).db.prepare('SELECT name FROM payer WHERE id = ?').get(payer.id) as { name: string }).name).toBe(erased.pseudonym);
    expect(unwrap(await t.api.search({ query: member.lastName })).map((h) => h.person.id)).not.toContain(member.id);
    await waitFor(() => (contextOf(t.station).db.prepare(`SELECT COUNT(*) AS n FROM badge WHERE member_id = ? AND status <> 'revoked'`).get(member.id) as { n: number }).n === 0, 'badges revoked at the station');
    t.clock.advance(60_000);
    expect(unwrap(await t.api.tap({ uid }))).toMatchObject({ outcome: 'refused', reason: 'badge_revoked' });
    expect(unwrap(await t.api.visitDetail({ visitId })).totals).toEqual(detail.totals);

    // The hub keeps every billing fact; the export shows the pseudonym and the erasure.
    expect((await hub.store.memberEvents(member.id)).map((e) => e.id)).toEqual(expect.arrayContaining(before.map((e) => e.id)));
    const exported = memberExportSchema.parse(await hub.admin<MemberExport>('GET', `members/${member.id}/export`));
    expect(exported.member).toMatchObject({ id: member.id, firstName: 'Erased', lastName: erased.pseudonym, payerId: payer.id, homeSiteId: SITE, status: 'active', erasedAt: erased.erasedAt });
    expect(JSON.stringify(exported)).not.toMatch(new RegExp(`${member.lastName}|${member.email.replace(/[.]/g, '\\.')}`));
    expect(exported.badges.every((b) => b.status === 'revoked')).toBe(true);
    expect(exported.totals).toEqual(detail.totals);
    expect(exported.erasures).toEqual([{ at: erased.erasedAt, by: 'ops-7', reason: 'Art. 17 request, ticket 2026-118' }]);
    expect(await hub.admin('GET', `erasures?member=${member.id}`)).toEqual([expect.objectContaining({ memberId: member.id, by: 'ops-7', cursor: erased.cursor })]);

    // Final: not twice, no badge again, and an old reference file does not bring the names back.
    const again = await hub.adminRaw('POST', `members/${member.id}/erase`, { reason: 'again please', by: 'ops-7' });
    expect(again.status).toBe(409);
    expect((await hub.adminRaw('POST', `badges/NEWBADGE01/assign`, { memberId: member.id })).status).toBe(409);
    const reimport = await hub.admin<{ keptErased?: string[] }>('POST', 'reference', demoReferenceFile());
    expect(reimport.keptErased).toEqual([member.id]);
    expect(await hub.store.getReference('member', member.id)).toMatchObject({ lastName: erased.pseudonym });
  });

  it('escale-hub member export / erase / erasures work on the hub’s store from the shell', async () => {
    const { hub, member, visitId } = await memberWithAVisit();
    const cli = async (...args: string[]) => {
      const r = await runCli('escale-hub', [...args, ...hub.storeArgs]);
      return { ...r, value: r.status === 0 ? (JSON.parse(r.stdout) as unknown) : undefined };
    };
    const exported = await cli('member', 'export', '--member', member.id);
    expect(exported.status, exported.stderr).toBe(0);
    expect(memberExportSchema.parse(exported.value).visits.map((v) => v.visitId)).toEqual([visitId]);
    const noReason = await cli('member', 'erase', '--member', member.id);
    expect(noReason.status).toBe(2);
    expect(noReason.stderr).toMatch(/missing --reason/);
    const erased = await cli('member', 'erase', '--member', member.id, '--reason', 'Art. 17 request by e-mail', '--by', 'ops-9');
    expect(erased.status, erased.stderr).toBe(0);
    const pseudonym = (erased.value as MemberErasure).pseudonym;
    expect(memberExportSchema.parse((await cli('member', 'export', '--member', member.id)).value).member.lastName).toBe(pseudonym);
    expect((await cli('erasures', '--member', member.id)).value).toEqual([expect.objectContaining({ memberId: member.id, by: 'ops-9', reason: 'Art. 17 request by e-mail' })]);
    const unknown = await cli('member', 'export', '--member', 'nobody-here');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/NOT_FOUND: no member "nobody-here"/);
  });
});
