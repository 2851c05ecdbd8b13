// A check-out undone, billed right at the hub (issue 15): a real hub on 127.0.0.1 (SQLite, and
// PostgreSQL in npm test's second sync run) and a real station. A member checks out, the check-out
// is undone (its line voided, visit.checkout_undone), they check out later: the month's statement
// holds one charge — the second check-out's, for the whole visit — and the site's pay-as-you-go
// revenue is that line's net; the hub's ledger knows the visit's real check-out.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAccounts } from '../../server/accounts/index.js';
import { loadLedger } from '../../server/accounts/ledger.js';
import { brussels, unwrap } from '../support/ledger.js';
import { demoReferenceFile, openSiteStation, startSync, startTestHub, stopTestHubStores, storedEvents } from '../support/hub-fixture.js';

const SITE = 'bxl-louise';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => stopTestHubStores());

describe('a check-out undone, at the hub', () => {
  it('bills the visit once, at its last check-out, on the statement and in the settlement', async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    const t = openSiteStation(SITE, { now: brussels('2026-11-24', '09:00') });
    cleanups.push(() => t.close());
    const client = startSync(t.station, { url: hub.url, credential: (await hub.enroll(SITE)).credential });
    cleanups.push(() => client.stop());
    expect(await client.drained(20_000)).toBe(true);

    const data = demoReferenceFile() as unknown as { members: { id: string; homeSiteId: string; status: string; payerId: string }[]; quotas: { payerId: string }[]; subscriptions: { memberId: string }[] };
    const quotaPayers = new Set(data.quotas.map((q) => q.payerId));
    const passHolders = new Set(data.subscriptions.map((s) => s.memberId));
    const member = data.members.find((m) => m.homeSiteId === SITE && m.status === 'active' && !quotaPayers.has(m.payerId) && !passHolders.has(m.id))!;

    const visit = unwrap(await t.api.checkIn({ memberId: member.id }));
    t.clock.set(brussels('2026-11-24', '11:00'));
    const first = unwrap(await t.api.checkOut({ visitId: visit.visitId })).lines.find((l) => l.source === 'checkout')!;
    expect(await client.drained(20_000)).toBe(true);
    const accounts = createAccounts(hub.store);
    const month = '2026-11';
    const billed = async () => (await accounts.statements(month, member.payerId))[0]!.members.find((m) => m.memberId === member.id)?.lines ?? [];
    expect((await billed()).map((l) => l.consumptionId)).toEqual([first.id]);

    t.clock.set(brussels('2026-11-24', '11:15'));
    unwrap(await t.api.undoCheckOut({ visitId: visit.visitId, reason: 'checked out by mistake' }));
    t.clock.set(brussels('2026-11-24', '13:00'));
    const last = unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    const second = last.lines.find((l) => l.source === 'checkout' && !l.voidedBy)!;
    expect(await client.drained(20_000)).toBe(true);
    expect((await storedEvents(hub.store, SITE)).filter((e) => e.type === 'visit.checkout_undone')).toHaveLength(1);

    // One charge: the second check-out's, for 09:00–13:00.
    const lines = await billed();
    expect(lines.map((l) => [l.consumptionId, l.grossCents])).toEqual([[second.id, last.totals.grossCents]]);
    expect(second.quantity).toBe(240);
    const statement = (await accounts.statements(month, member.payerId))[0]!;
    expect(statement.members.find((m) => m.memberId === member.id)!.totals.grossCents).toBe(last.totals.grossCents);
    const settlement = await accounts.settlement(month);
    const site = settlement.sites.find((s) => s.siteId === SITE)!;
    expect(site.paygNetCents).toBe(second.netCents);
    // The hub's ledger: the visit's check-out is the last one, 4 hours.
    const ledger = await loadLedger(hub.store, '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z');
    expect(ledger.visits.get(visit.visitId)).toMatchObject({ checkedOutAt: last.checkedOutAt, durationMinutes: 240, voided: false });
  });

  it('puts the member on site again at the hub: a check-in at another site then is an overlap case', async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    const member = demoReferenceFile().members.find((m) => m.homeSiteId === SITE && m.status === 'active')!;
    const stations = [];
    for (const siteId of [SITE, 'gent-zuid']) {
      const t = openSiteStation(siteId, { now: brussels('2026-11-24', '09:00') });
      cleanups.push(() => t.close());
      const client = startSync(t.station, { url: hub.url, credential: (await hub.enroll(siteId)).credential });
      cleanups.push(() => client.stop());
      expect(await client.drained(20_000)).toBe(true);
      stations.push({ t, client });
    }
    const [a, b] = stations as [(typeof stations)[number], (typeof stations)[number]];
    const visit = unwrap(await a.t.api.checkIn({ memberId: member.id }));
    a.t.clock.set(brussels('2026-11-24', '10:00'));
    unwrap(await a.t.api.checkOut({ visitId: visit.visitId }));
    expect(await a.client.drained(20_000)).toBe(true);
    a.t.clock.set(brussels('2026-11-24', '10:05'));
    unwrap(await a.t.api.undoCheckOut({ visitId: visit.visitId, reason: 'still here' }));
    expect(await a.client.drained(20_000)).toBe(true);
    b.t.clock.set(brussels('2026-11-24', '11:00'));
    const elsewhere = unwrap(await b.t.api.checkIn({ memberId: member.id }));
    expect(await b.client.drained(20_000)).toBe(true);
    expect(await hub.store.listOverlaps(10)).toEqual([
      expect.objectContaining({ memberId: member.id, visitA: visit.visitId, siteA: SITE, visitB: elsewhere.visitId, siteB: 'gent-zuid' }),
    ]);
  });
});
