// References across sites (a real hub on 127.0.0.1, two real station databases; over SQLite, and
// over PostgreSQL in npm test's second sync run): a station may only name visits, lines, guests and
// members of its own site. Station B's events naming station A's guest, line and provisional member
// (forged with B's own outbox code, as a bug or a scanned visitor QR would write them) are refused
// by the hub with a reason B's Sync screen lists; A's guest, line and reference data stay as they
// were, and B's queue goes on.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../common/ids.js';
import type { Payer } from '../../common/reference-data.js';
import { appendEvent } from '../../main/station/outbox/outbox.js';
import { nextHlc } from '../../main/station/outbox/hlc.js';
import { createAccounts } from '../../server/accounts/index.js';
import { unwrap } from '../support/ledger.js';
import type { TestStation } from '../support/station-fixture.js';
import { demoReferenceFile, openSiteStation, startSync, startTestHub, stopTestHubStores, storedEvents, type TestHub } from '../support/hub-fixture.js';
import { waitFor } from '../support/wait.js';
import { contextOf } from '../../main/station/context.js';

const A = 'bxl-louise';
const B = 'gent-zuid';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => stopTestHubStores());

async function network(): Promise<{ hub: TestHub; a: TestStation; b: TestStation; online: (t: TestStation) => Promise<() => Promise<void>> }> {
  const hub = await startTestHub();
  cleanups.push(() => hub.close());
  const credentials = new Map<TestStation, string>();
  const clients = new Map<TestStation, ReturnType<typeof startSync>>();
  const open = async (siteId: string) => {
    const t = openSiteStation(siteId);
    cleanups.push(() => t.close());
    credentials.set(t, (await hub.enroll(siteId)).credential);
    return t;
  };
  const a = await open(A);
  const b = await open(B);
  return {
    hub,
    a,
    b,
    // A started client that has pulled the network and uploaded everything; returns its stop. One
    // client per station at a time, as in a station: a second one would read the hub's ack from the
    // stream's status and drain before the first has recorded what the hub refused.
    online: async (t) => {
      const client = clients.get(t) ?? startSync(t.station, { url: hub.url, credential: credentials.get(t)! });
      if (!clients.has(t)) {
        clients.set(t, client);
        cleanups.push(() => client.stop());
      }
      expect(await client.drained(20_000)).toBe(true);
      return async () => {
        clients.delete(t);
        await client.stop();
      };
    },
  };
}

describe('references across sites', () => {
  it("B's purge of A's guest, void of A's line and badge for A's provisional member are refused with their reason, listed at B; A's stay intact", async () => {
    const { hub, a, b, online } = await network();
    const offlineA = await online(a);
    await online(b);

    // At A: a guest, and a member's visit with a coffee.
    const guest = unwrap(await a.api.registerGuest({ firstName: 'Gaston', lastName: 'Lagaffe', company: 'Spirou SA', consent: true, retentionUntil: '2026-12-31' }));
    const member = (demoReferenceFile().members as { id: string; homeSiteId: string; status: string; payerId: string }[]).find((m) => m.homeSiteId === A && m.status === 'active')!;
    const visit = unwrap(await a.api.checkIn({ memberId: member.id }));
    a.clock.advance(600_000);
    const line = unwrap(await a.api.addConsumption({ visitId: visit.visitId, serviceCode: 'coffee', quantity: 1 }));
    // And a provisional member the hub refuses (their payer is blocked): A's alone, never the network's.
    await offlineA();
    const payer = (await hub.store.getReference('payer', 'acme-logistics')) as Payer;
    await hub.admin('POST', 'entities/payer', { ...payer, status: 'blocked', blockedReason: 'Unpaid statements since September' });
    const signUp = unwrap(
      await a.api.signUpMember({ firstName: 'Lucie', lastName: 'Verbeke', email: 'lucie.verbeke@example.be', language: 'nl', payer: { kind: 'company', payerId: 'acme-logistics' }, termsAccepted: true, privacyAccepted: true, badge: { kind: 'rfid', uid: '04A1B2C3D4' }, checkIn: false }),
    );
    const provisional = signUp.signUp.memberId;
    await online(a);
    await waitFor(async () => (await hub.store.getSignup(provisional))?.state === 'refused', 'the hub to refuse the sign-up');
    const month = line.at.slice(0, 7);
    const accounts = createAccounts(hub.store);
    const statementBefore = await accounts.statements(month, member.payerId);
    const settlementBefore = await accounts.settlement(month);
    expect(statementBefore[0]!.members.flatMap((m) => m.lines.map((l) => l.consumptionId))).toContain(line.id);

    // At B: events naming A's guest, line and provisional member, appended as B's outbox appends any event.
    const at = () => new Date(b.clock.now()).toISOString();
    const purge = appendEvent(contextOf(b.station), 'guest.purged', { guestId: guest.person.id, retentionUntil: '2026-12-31', at: at() }, b.clock.now());
    const voided = appendEvent(
      contextOf(b.station),
      'consumption.voided',
      { consumptionId: newId(), voidsConsumptionId: line.id, visitId: visit.visitId, netCents: -line.netCents, vatCents: -line.vatCents, grossCents: -line.grossCents, reason: 'scanned from a receipt', at: at() },
      b.clock.now(),
    );
    const badge = appendEvent(contextOf(b.station), 'badge.assigned', { uid: '04FEEDC0DE', memberId: provisional, kind: 'rfid', at: at() }, b.clock.now());
    // B's own work after them still goes through.
    const own = unwrap(await b.api.registerGuest({ firstName: 'Nora', lastName: 'Nachtwacht', consent: true, retentionUntil: '2026-12-31' }));
    await online(b);

    const reasons = {
      [purge.id]: `names guest ${guest.person.id} of site ${A}, not of this site (${B})`,
      [voided.id]: `names consumption line ${line.id} of site ${A}, not of this site (${B})`,
      [badge.id]: `names member ${provisional} of site ${A} (signed up there, not yet a network member), not of this site (${B})`,
    };
    // The hub's listing: each refused with its reason; nothing quarantined; B's own events accepted.
    const atB = await storedEvents(hub.store, B);
    expect(atB.filter((e) => e.status === 'rejected').map((e) => [e.id, e.type, e.reason])).toEqual([
      [purge.id, 'guest.purged', reasons[purge.id]],
      [voided.id, 'consumption.voided', reasons[voided.id]],
      [badge.id, 'badge.assigned', reasons[badge.id]],
    ]);
    expect(atB.some((e) => e.status === 'accepted' && e.type === 'guest.registered' && (e.payload as { guestId: string }).guestId === own.person.id)).toBe(true);
    expect(await hub.store.listQuarantine(10)).toEqual([]);
    expect((await hub.admin<{ id: string; reason?: string }[]>('GET', `events?site=${B}`)).filter((e) => e.reason).map((e) => e.reason)).toEqual(Object.values(reasons));

    // Station B's Sync screen lists the refusals, and holds no backlog.
    const status = unwrap(await b.api.syncStatus({}));
    expect(status.backlog).toBe(0);
    expect(status.problems.map((p) => [p.kind, p.eventId, p.reason]).sort()).toEqual([purge, voided, badge].map((e) => ['rejected', e.id, reasons[e.id]]).sort());

    // A's guest keeps their data, A's line stays billed as it was, and the badge is nobody's.
    const registration = (await storedEvents(hub.store, A)).find((e) => e.type === 'guest.registered' && (e.payload as { guestId: string }).guestId === guest.person.id)!;
    expect(registration.payload).toMatchObject({ firstName: 'Gaston', lastName: 'Lagaffe', company: 'Spirou SA' });
    expect(await accounts.statements(month, member.payerId)).toEqual(statementBefore);
    const settlement = await accounts.settlement(month);
    expect({ sites: settlement.sites, network: settlement.network }).toEqual({ sites: settlementBefore.sites, network: settlementBefore.network });
    // The accounts' cases show the refusals to the operator.
    expect(settlement.cases.rejected.map((r) => [r.siteId, r.type, r.reason])).toEqual([purge, voided, badge].map((e) => [B, e.type, reasons[e.id]]));
    expect(await hub.store.getReference('badge', '04FEEDC0DE')).toBeUndefined();
  });

  it('a badge a station assigns to a member the network does not hold is not adopted, and every station keeps pulling the network', async () => {
    const { hub, a, b, online } = await network();
    await online(a);
    await online(b);
    const made = appendEvent(contextOf(b.station), 'badge.assigned', { uid: '04BADC0FFE', memberId: 'm-made-up', kind: 'rfid', at: new Date(b.clock.now()).toISOString() }, b.clock.now());
    await online(b);
    expect((await storedEvents(hub.store, B)).find((e) => e.id === made.id)?.status).toBe('accepted');
    await waitFor(() => hub.logs.some((l) => l.includes('m-made-up, a member the network does not hold: left for an operator')), 'the hub to leave the badge for an operator');
    expect(await hub.store.getReference('badge', '04BADC0FFE')).toBeUndefined();
    // A reference change reaches both stations: nothing in the network's data breaks their pull.
    const site = (await hub.store.getReference('site', A)) as { name: string };
    await hub.admin('POST', 'entities/site', { ...site, name: `${site.name} (renamed)` });
    for (const t of [a, b]) {
      await online(t);
      expect(unwrap(await t.api.syncStatus({})).lastError).toBeUndefined();
    }
    expect(unwrap(await a.api.siteProfile({})).name).toMatch(/\(renamed\)$/);
  });

  it('a badge number written in lower case (a station before canonical numbers) is adopted in upper case, and found at every station whatever its case', async () => {
    const { hub, a, b, online } = await network();
    await online(a);
    await online(b);
    const member = 'm0002';
    // Written as a station before canonical numbers wrote it: today's outbox would canonicalise it.
    const ctx = contextOf(b.station);
    const last = ctx.db.prepare('SELECT seq, hlc FROM outbox WHERE epoch = ? ORDER BY position DESC LIMIT 1').get(ctx.epoch) as { seq: number; hlc: string } | undefined;
    const wall = b.clock.now();
    ctx.db
      .prepare('INSERT INTO outbox (id, site_id, epoch, seq, type, payload, wall_time, hlc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(newId(), B, ctx.epoch, (last?.seq ?? 0) + 1, 'badge.assigned', JSON.stringify({ uid: '04abcdef01', memberId: member, kind: 'rfid', at: new Date(wall).toISOString() }), new Date(wall).toISOString(), nextHlc(last?.hlc, wall));
    await online(b);
    await waitFor(async () => (await hub.store.getReference('badge', '04ABCDEF01')) !== undefined, 'the hub to adopt the badge');
    expect(await hub.store.getReference('badge', '04ABCDEF01')).toMatchObject({ uid: '04ABCDEF01', memberId: member });
    expect(await hub.store.getReference('badge', '04abcdef01')).toBeUndefined();
    // The operator's URL may name it in any case too.
    await hub.admin('POST', 'badges/04abcdef01/lose');
    expect(await hub.store.getReference('badge', '04ABCDEF01')).toMatchObject({ status: 'lost' });
    await hub.admin('POST', 'badges/04AbCdEf01/activate');
    await online(a);
    expect(unwrap(await a.api.tap({ uid: '04abcdef01' }))).toMatchObject({ outcome: 'checked_in', visit: { person: { id: member }, badgeUid: '04ABCDEF01' } });
  });
});

describe('payments across sites (issue 16)', () => {
  it("B's payment of A's visit and B's refund of A's payment are refused with their reason; A's desk money stays as it was", async () => {
    const { hub, a, b, online } = await network();
    await online(a);
    await online(b);
    // At A: a guest pays by card at check-out.
    const guest = unwrap(await a.api.registerGuest({ firstName: 'Paula', lastName: 'Payante', consent: true, retentionUntil: '2026-12-31' }));
    a.clock.advance(90 * 60_000);
    const due = unwrap(await a.api.checkOut({ visitId: guest.visitId })).totals.grossCents;
    const paid = unwrap(await a.api.recordPayment({ visitId: guest.visitId, method: 'card', approved: true }));
    await online(a);
    const month = paid.paidAt.slice(0, 7);
    const accounts = createAccounts(hub.store);
    const before = await accounts.settlement(month);
    expect(before.sites.find((s) => s.siteId === A)?.deskNetCents).toBeGreaterThan(0);

    // At B: its own guest, then a payment naming A's visit, and a refund of A's payment said to be for B's own visit.
    const own = unwrap(await b.api.registerGuest({ firstName: 'Bert', lastName: 'Betaler', consent: true, retentionUntil: '2026-12-31' }));
    const at = () => new Date(b.clock.now()).toISOString();
    const payment = appendEvent(contextOf(b.station), 'payment.recorded', { paymentId: newId(), visitId: guest.visitId, method: 'card', amountCents: due, at: at() }, b.clock.now());
    const refund = appendEvent(
      contextOf(b.station),
      'payment.refunded',
      { refundId: newId(), paymentId: paid.paymentId, visitId: own.visitId, method: 'cash', amountCents: due, reason: 'refund through another desk', at: at() },
      b.clock.now(),
    );
    await online(b);
    const atB = await storedEvents(hub.store, B);
    expect(atB.filter((e) => e.status === 'rejected').map((e) => [e.id, e.type, e.reason])).toEqual([
      [payment.id, 'payment.recorded', `names visit ${guest.visitId} of site ${A}, not of this site (${B})`],
      [refund.id, 'payment.refunded', `names payment ${paid.paymentId} of site ${A}, not of this site (${B})`],
    ]);
    const after = await accounts.settlement(month);
    expect({ sites: after.sites, network: after.network }).toEqual({ sites: before.sites, network: before.network });
  });
});
