// Agent sale across the network (a real hub on 127.0.0.1, real station databases; over SQLite, and
// over PostgreSQL in npm test's second sync run): a member signed up offline at station A checks
// in there at once; when A reconnects the hub confirms them and every station recognises them (they
// check in at station B); A's settlement carries the agent commission. A possible duplicate becomes
// an operator case, shown at A, then resolved; a refused sign-up shows its reason at A; a hub
// stopped between storing a sign-up and deciding it decides it at its next start.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Member, Payer, SignupOutcomeRecord } from '../../common/reference-data.js';
import type { MemberErasure } from '../../common/privacy.js';
import type { StationInput } from '../../common/station-api.js';
import type { SyncClient } from '../../main/sync/sync-client.js';
import { createAccounts } from '../../server/accounts/index.js';
import type { SignupRecord } from '../../server/store/store.js';
import { failure, unwrap } from '../support/ledger.js';
import type { TestStation } from '../support/station-fixture.js';
import { runCli } from '../support/cli.js';
import { openSiteStation, startSync, startTestHub, stopTestHubStores, storedEvents, type TestHub } from '../support/hub-fixture.js';
import { waitFor } from '../support/wait.js';
import { contextOf } from '../../main/station/context.js';

const A = 'bxl-louise';
const B = 'gent-zuid';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => stopTestHubStores());

interface Network {
  hub: TestHub;
  a: TestStation;
  b: TestStation;
  /** Starts (again) the sync client of a station and waits until it has pulled and uploaded everything. */
  online(t: TestStation): Promise<SyncClient>;
}

async function network(): Promise<Network> {
  const hub = await startTestHub({ accounts: (store) => createAccounts(store) });
  cleanups.push(() => hub.close());
  const credentials = new Map<TestStation, string>();
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
    online: async (t) => {
      const client = startSync(t.station, { url: hub.url, credential: credentials.get(t)! });
      cleanups.push(() => client.stop());
      expect(await client.drained(20_000)).toBe(true);
      return client;
    },
  };
}

const signUp = (over: Partial<StationInput<'signUpMember'>> = {}): StationInput<'signUpMember'> => ({
  firstName: 'Lucie',
  lastName: 'Verbeke',
  email: 'lucie.verbeke@example.be',
  language: 'nl',
  payer: { kind: 'company', payerId: 'acme-logistics' },
  termsAccepted: true,
  privacyAccepted: true,
  badge: { kind: 'rfid', uid: '04A1B2C3D4' },
  ...over,
});

const stateAt = async (t: TestStation, memberId: string) => unwrap(await t.api.signUps({})).find((s) => s.memberId === memberId);

describe('agent sale: sign-up at a reception, decided by the hub', () => {
  it('signed up offline at A, checked in at A; on reconnecting the hub confirms them, A sees it, they check in at B, and A earns the commission', async () => {
    const { hub, a, b, online } = await network();
    // What A earns as an agent before this sign-up (the demo network's pass subscribers it signed up).
    const before = (await createAccounts(hub.store).settlement('2026-11')).sites.find((s) => s.siteId === A)?.commissionCents ?? 0;
    const clientA = await online(a);
    await online(b);
    await clientA.stop(); // A goes offline

    const r = unwrap(await a.api.signUpMember(signUp()));
    const id = r.signUp.memberId;
    expect(r.signUp.state).toBe('awaiting');
    expect(r.visit?.person.id).toBe(id);
    a.clock.advance(2 * 3600_000);
    const out = unwrap(await a.api.tap({ uid: '04A1B2C3D4' }));
    expect(out).toMatchObject({ outcome: 'checked_out', visit: { durationMinutes: 120 } });
    expect(await hub.store.getReference('member', id)).toBeUndefined();

    await online(a); // reconnect: the sign-up and the visit go up, the confirmation comes down
    await waitFor(async () => (await stateAt(a, id))?.state === 'confirmed', 'the confirmation to reach station A');
    const member = (await hub.store.getReference('member', id)) as Member;
    expect(member).toEqual({
      id,
      payerId: 'acme-logistics',
      firstName: 'Lucie',
      lastName: 'Verbeke',
      email: 'lucie.verbeke@example.be',
      language: 'nl',
      status: 'active',
      homeSiteId: A,
      agentSiteId: A,
      signedUpOn: '2026-11-24',
    });
    expect(await hub.store.getReference('badge', '04A1B2C3D4')).toEqual({ uid: '04A1B2C3D4', memberId: id, kind: 'rfid', status: 'active' });
    expect(await hub.store.getSignup(id)).toMatchObject({ state: 'confirmed', siteId: A });
    // The provisional row became the network's member in place: the visit made offline keeps it.
    expect(unwrap(await a.api.memberVisits({ memberId: id })).map((v) => v.visitId)).toEqual([r.visit!.visitId]);
    expect(contextOf(a.station).db.prepare('SELECT agent_site_id, status FROM member WHERE id = ?').get(id)).toEqual({ agent_site_id: A, status: 'active' });

    // Station B, online all along, hears of them (the hub pokes every station) and checks them in by their badge.
    await waitFor(() => !!contextOf(b.station).db.prepare('SELECT 1 FROM member WHERE id = ?').get(id), 'the member to reach station B');
    // B hears no outcome of A's sign-ups: those are A's alone.
    expect(contextOf(b.station).db.prepare('SELECT COUNT(*) AS n FROM member_signup').get()).toEqual({ n: 0 });
    b.clock.advance(4 * 3600_000);
    expect(unwrap(await b.api.tap({ uid: '04A1B2C3D4' }))).toMatchObject({ outcome: 'checked_in', visit: { person: { id } } });
    b.clock.advance(3600_000);
    expect(unwrap(await b.api.tap({ uid: '04A1B2C3D4' }))).toMatchObject({ outcome: 'checked_out' });
    await online(b);

    // Billed normally to the company, the visit made before the confirmation included.
    const [statement] = await createAccounts(hub.store).statements('2026-11', 'acme-logistics');
    const detail = statement!.members.find((m) => m.memberId === id)!;
    expect(detail.name).toBe('Lucie Verbeke');
    expect(detail.lines).toHaveLength(2);

    // The settlement: A, as the agent, earns the commission on what the member consumed at A and at B.
    const lines = (await storedEvents(hub.store)).filter((e) => e.type === 'consumption.recorded' && (e.payload as { memberId?: string }).memberId === id);
    expect(lines.map((e) => e.siteId).sort()).toEqual([A, B]);
    const settlement = await createAccounts(hub.store).settlement('2026-11');
    const agent = settlement.sites.find((s) => s.siteId === A)!;
    const consumed = lines.reduce((n, e) => n + (e.payload as { netCents: number }).netCents, 0);
    expect(consumed).toBeGreaterThan(0);
    // The commission is rounded once on the agent's whole base: within a cent of the member's share.
    expect(Math.abs(agent.commissionCents - before - (consumed * settlement.commissionBp) / 10_000)).toBeLessThanOrEqual(1);
    expect(settlement.sites.find((s) => s.siteId === B)!.commissionCents).toBe(0);
  });

  it('the same e-mail as an existing member: an operator case with both records, shown at A; the operator merges it', async () => {
    const { hub, a, online } = await network();
    await online(a);
    const existing = (await hub.store.getReference('member', 'm0004')) as Member;
    const r = unwrap(await a.api.signUpMember(signUp({ firstName: 'Max', lastName: 'Martin', email: existing.email.toUpperCase(), badge: { kind: 'rfid', uid: '04CAFE0001' } })));
    const id = r.signUp.memberId;
    await waitFor(async () => (await stateAt(a, id))?.state === 'duplicate_case', 'the case to reach station A');
    expect(await stateAt(a, id)).toMatchObject({ state: 'duplicate_case', duplicateOf: 'm0004', detail: 'the same e-mail address' });
    // Not merged silently: the network holds no such member, and the operator sees both records.
    expect(await hub.store.getReference('member', id)).toBeUndefined();
    const cases = await hub.admin<(SignupRecord & { existing: Member })[]>('GET', 'signups?state=duplicate_case');
    expect(cases).toEqual([expect.objectContaining({ memberId: id, siteId: A, duplicateOf: 'm0004', existing, payload: expect.objectContaining({ person: expect.objectContaining({ firstName: 'Max' }) }) })]);
    // Meanwhile the member checks in at A as they were signed up.
    expect(unwrap(await a.api.search({ query: 'Max Martin' })).find((h) => h.person.id === id)?.signUp).toBe('duplicate_case');

    const bad = await hub.adminRaw('POST', `signups/${id}/resolve`, { action: 'merge' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toMatch(/by/);
    const merged = await hub.admin<SignupRecord>('POST', `signups/${id}/resolve`, { action: 'merge', by: 'ops-7' });
    expect(merged).toMatchObject({ state: 'merged', mergedInto: 'm0004', resolvedBy: 'ops-7' });
    expect((await hub.adminRaw('POST', `signups/${id}/resolve`, { action: 'confirm', by: 'ops-8' })).status).toBe(409);
    await waitFor(async () => (await stateAt(a, id))?.state === 'merged', 'the merge to reach station A');
    // The card given at the reception is now the existing member's; the provisional member is closed.
    await waitFor(() => (contextOf(a.station).db.prepare('SELECT member_id FROM badge WHERE uid = ?').get('04CAFE0001') as { member_id: string }).member_id === 'm0004', 'the badge to follow');
    a.clock.advance(60_000);
    expect(unwrap(await a.api.tap({ uid: '04CAFE0001' }))).toMatchObject({ outcome: 'checked_in', visit: { person: { id: 'm0004' } } });
    // The provisional member is closed: staff cannot check them in under it any more.
    a.clock.advance(60_000);
    unwrap(await a.api.checkOut({ visitId: r.visit!.visitId }));
    failure(await a.api.checkIn({ memberId: id }), 'REFUSED');
  });

  it('a blocked payer: the sign-up is refused and A shows the reason; the visit already made stays at the hub', async () => {
    const { hub, a, online } = await network();
    const clientA = await online(a);
    await clientA.stop();
    // Blocked at the hub while A is offline: A cannot know.
    const payer = (await hub.store.getReference('payer', 'acme-logistics')) as Payer;
    await hub.admin('POST', 'entities/payer', { ...payer, status: 'blocked', blockedReason: 'Unpaid statements since September' });
    const r = unwrap(await a.api.signUpMember(signUp()));
    const id = r.signUp.memberId;
    await online(a);
    await waitFor(async () => (await stateAt(a, id))?.state === 'refused', 'the refusal to reach station A');
    expect(await stateAt(a, id)).toMatchObject({ state: 'refused', reason: 'payer_blocked', detail: 'Unpaid statements since September' });
    expect(await hub.store.getReference('member', id)).toBeUndefined();
    // The visit is in the hub's ledger (the accounts settle it under a guest payer).
    expect((await storedEvents(hub.store, A)).some((e) => e.type === 'visit.checked_in' && (e.payload as { person: { memberId?: string } }).person.memberId === id)).toBe(true);
    // A refused sign-up cannot check in again.
    a.clock.advance(60_000);
    unwrap(await a.api.checkOut({ visitId: r.visit!.visitId }));
    a.clock.advance(60_000);
    expect(unwrap(await a.api.tap({ uid: '04A1B2C3D4' }))).toMatchObject({ outcome: 'refused', reason: 'member_blocked' });
    // Its lines stay in the accounts, on the guest payer's statement, for an operator to settle.
    await waitFor(async () => (await storedEvents(hub.store, A)).some((e) => e.type === 'consumption.recorded' && (e.payload as { memberId?: string }).memberId === id), 'the visit’s line to reach the hub');
    const period = (await storedEvents(hub.store, A)).find((e) => e.type === 'consumption.recorded' && (e.payload as { memberId?: string }).memberId === id)!;
    const month = (period.payload as { localDate: string }).localDate.slice(0, 7);
    const [guest] = await createAccounts(hub.store).statements(month, 'guest-payer');
    expect(guest!.payerName).toMatch(/^Guest payer/);
    expect(guest!.members.map((m) => m.memberId)).toEqual([id]);
    expect(guest!.totals.netCents).toBe((period.payload as { netCents: number }).netCents);
  });

  it('a hub stopped after storing a sign-up but before deciding it decides it at its next start, once', async () => {
    const { hub, a, online } = await network();
    await online(a);
    const r = unwrap(await a.api.signUpMember(signUp({ checkIn: false })));
    const id = r.signUp.memberId;
    // The upload reaches the store, and the hub stops before its decision (as a crash would leave it).
    const events = a.station.handlers.events({ afterPosition: 0, limit: 10_000 });
    const mine = events.filter((e) => e.type === 'member.signed_up');
    await hub.store.ingest(A, mine[0]!.stream, events.map((event) => ({ kind: 'valid' as const, seq: event.seq, event })), {
      receivedAt: new Date().toISOString(),
      clockOffsetMs: 0,
      flags: [],
    });
    expect((await hub.store.pendingSignups(10)).map((e) => e.id)).toEqual([mine[0]!.id]);
    await hub.restart();
    await waitFor(async () => (await hub.store.getSignup(id))?.state === 'confirmed', 'the restarted hub to decide');
    expect(await hub.store.pendingSignups(10)).toEqual([]);
    // A resends what the hub already holds (the same events), and pulls the outcome.
    await online(a);
    await waitFor(async () => (await stateAt(a, id))?.state === 'confirmed', 'the confirmation to reach station A');
    const outcomes = ((await hub.store.listReference('signup')) as SignupOutcomeRecord[]).filter((o) => o.memberId === id);
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'confirmed', siteId: A })]);
    expect(hub.logs.filter((l) => l.includes(`sign-up ${id}`))).toHaveLength(1);
  });

  it('escale-hub signups lists a case with both records and resolves it; the refusal reaches A with the operator’s words', async () => {
    const { hub, a, online } = await network();
    await online(a);
    const existing = (await hub.store.getReference('member', 'm0004')) as Member;
    const id = unwrap(await a.api.signUpMember(signUp({ email: existing.email, checkIn: false }))).signUp.memberId;
    await online(a);
    await waitFor(async () => (await hub.store.getSignup(id))?.state === 'duplicate_case', 'the case at the hub');
    const cli = async (...args: string[]) => {
      const r = await runCli('escale-hub', ['signups', ...args, ...hub.storeArgs]);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as unknown;
    };
    expect(await cli('--state', 'duplicate_case')).toEqual([expect.objectContaining({ memberId: id, duplicateOf: 'm0004', existing })]);
    const bad = await runCli('escale-hub', ['signups', 'resolve', ...hub.storeArgs, '--member', id, '--action', 'refuse']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/INVALID_INPUT.*reason/);
    expect(await cli('resolve', '--member', id, '--action', 'refuse', '--reason', 'Already a member through Acme', '--by', 'ops-9')).toMatchObject({ state: 'refused', resolvedBy: 'ops-9' });
    // Written by the CLI: stations hear of it at their next pull (here, poked at once).
    hub.hub.poke();
    await waitFor(async () => (await stateAt(a, id))?.state === 'refused', 'the refusal to reach station A');
    expect(await stateAt(a, id)).toMatchObject({ reason: 'operator', detail: 'Already a member through Acme' });
  });

  it("erasing a member signed up at A erases their sign-up too: at the hub (event and decision) and at A (outbox and phone), to the same text", async () => {
    const { hub, a, online } = await network();
    await online(a);
    const r = unwrap(
      await a.api.signUpMember(
        signUp({
          email: 'lucie.verbeke@private.example',
          phone: '+32 475 12 34 56',
          payer: { kind: 'self', billingAddress: { street: 'Rue du Bailli 7', postalCode: '1050', city: 'Ixelles', country: 'BE' } },
        }),
      ),
    );
    const id = r.signUp.memberId;
    await online(a);
    await waitFor(async () => (await stateAt(a, id))?.state === 'confirmed', 'the confirmation to reach station A');
    const personal = ['Lucie', 'Verbeke', 'lucie.verbeke@private.example', '+32 475 12 34 56'];
    const hubSignUp = async () => (await hub.store.listEvents({ siteId: A, limit: 10_000 })).find((e) => e.type === 'member.signed_up' && (e.payload as { memberId: string }).memberId === id)!;
    const outboxSignUp = () =>
      contextOf(a.station).db.prepare(`SELECT payload FROM outbox WHERE type = 'member.signed_up' AND json_extract(payload, '$.memberId') = ?`).get(id) as { payload: string };
    for (const word of personal) expect(JSON.stringify((await hubSignUp()).payload)).toContain(word);

    const erased = await hub.admin<MemberErasure>('POST', `members/${id}/erase`, { reason: 'Art. 17 request, ticket 2026-131', by: 'ops-7' });
    expect(erased.payerPseudonymised).toBe(`p-${id.slice(2)}`);
    hub.hub.poke();
    await waitFor(() => (contextOf(a.station).db.prepare('SELECT last_name FROM member WHERE id = ?').get(id) as { last_name: string }).last_name === erased.pseudonym, 'the erasure to reach A');

    // The hub: the sign-up event and the decision's copy name the pseudonym only.
    const stored = await hubSignUp();
    const decision = (await hub.store.getSignup(id))!;
    for (const text of [JSON.stringify(stored.payload), JSON.stringify(decision.payload)]) for (const word of personal) expect(text).not.toContain(word);
    expect(stored.payload).toMatchObject({
      memberId: id,
      person: { firstName: 'Erased', lastName: erased.pseudonym, email: `${erased.pseudonym.toLowerCase()}@erased.invalid`, language: 'nl' },
      payer: { kind: 'self', name: erased.pseudonym, billingAddress: { city: 'Ixelles' } },
      erasedAt: erased.erasedAt,
    });
    expect(stored.payload).not.toHaveProperty('person.phone');
    expect(decision.payload).toEqual(stored.payload);

    // Station A: its outbox copy is the same text, and the phone it kept is gone.
    expect(JSON.parse(outboxSignUp().payload)).toEqual(stored.payload);
    expect(contextOf(a.station).db.prepare('SELECT phone FROM member_signup WHERE member_id = ?').get(id)).toEqual({ phone: null });
    const everything = (contextOf(a.station).db.prepare('SELECT payload FROM outbox').all() as { payload: string }[]).map((e) => e.payload).join('\n');
    for (const word of personal) expect(everything).not.toContain(word);
    // The outbox is append-only again.
    expect(() => contextOf(a.station).db.prepare('UPDATE outbox SET payload = payload WHERE position = 1').run()).toThrow(/append-only/);
  });

  it('a sign-up merged into a member who is then erased, both reaching A in one pull: the merged sign-up and its provisional member are erased at A and at the hub', async () => {
    const { hub, a, online } = await network();
    const clientA = await online(a);
    const existing = (await hub.store.getReference('member', 'm0004')) as Member;
    const r = unwrap(
      await a.api.signUpMember(
        signUp({
          firstName: 'Maximilien',
          lastName: 'Zorglub',
          email: existing.email,
          phone: '+32 476 98 76 54',
          payer: { kind: 'self', billingAddress: { street: 'Rue Haute 12', postalCode: '1000', city: 'Bruxelles', country: 'BE' } },
          badge: { kind: 'rfid', uid: '04CAFE0002' },
        }),
      ),
    );
    const id = r.signUp.memberId;
    await waitFor(async () => (await stateAt(a, id))?.state === 'duplicate_case', 'the case to reach station A');
    await clientA.stop(); // A is offline while the operator merges, then erases
    await hub.admin('POST', `signups/${id}/resolve`, { action: 'merge', by: 'ops-7' });
    const erased = await hub.admin<MemberErasure>('POST', `members/m0004/erase`, { reason: 'Art. 17 request, ticket 2026-132', by: 'ops-7' });
    await online(a);
    await waitFor(async () => (await stateAt(a, id))?.state === 'merged', 'the merge to reach station A');

    const personal = ['Maximilien', 'Zorglub', '+32 476 98 76 54', existing.email, existing.lastName];
    const db = contextOf(a.station).db;
    const outbox = (db.prepare('SELECT payload FROM outbox').all() as { payload: string }[]).map((e) => e.payload).join('\n');
    const rows = JSON.stringify([
      db.prepare('SELECT first_name, last_name, email, search_text FROM member WHERE id IN (?, ?)').all(id, 'm0004'),
      db.prepare('SELECT p.name FROM payer p JOIN member m ON m.payer_id = p.id WHERE m.id = ?').all(id),
      db.prepare('SELECT phone, billing_address FROM member_signup WHERE member_id = ?').all(id),
    ]);
    for (const word of personal) {
      expect(outbox, word).not.toContain(word);
      expect(rows, word).not.toContain(word);
    }
    expect(db.prepare('SELECT first_name, last_name FROM member WHERE id = ?').get(id)).toEqual({ first_name: 'Erased', last_name: erased.pseudonym });
    // The hub erased the merged sign-up to the same text as A's outbox.
    const stored = (await hub.store.listEvents({ siteId: A, limit: 10_000 })).find((e) => e.type === 'member.signed_up' && (e.payload as { memberId: string }).memberId === id)!;
    expect(JSON.parse((db.prepare(`SELECT payload FROM outbox WHERE type = 'member.signed_up' AND json_extract(payload, '$.memberId') = ?`).get(id) as { payload: string }).payload)).toEqual(stored.payload);
    expect(stored.payload).toMatchObject({ person: { lastName: erased.pseudonym }, payer: { kind: 'self', name: erased.pseudonym }, erasedAt: erased.erasedAt });
  });

  it('a self-paying member who moved to a company since: erasing them erases the payer they made at their sign-up too', async () => {
    const { hub, a, online } = await network();
    await online(a);
    const r = unwrap(
      await a.api.signUpMember(
        signUp({ email: 'lucie.v@private.example', payer: { kind: 'self', billingAddress: { street: 'Rue du Bailli 7', postalCode: '1050', city: 'Ixelles', country: 'BE' } } }),
      ),
    );
    const id = r.signUp.memberId;
    await online(a);
    await waitFor(async () => (await stateAt(a, id))?.state === 'confirmed', 'the confirmation to reach station A');
    const member = (await hub.store.getReference('member', id)) as Member;
    const ownPayer = member.payerId;
    await hub.admin('POST', 'entities/member', { ...member, payerId: 'acme-logistics' });
    const erased = await hub.admin<MemberErasure>('POST', `members/${id}/erase`, { reason: 'Art. 17 request, ticket 2026-133', by: 'ops-7' });
    expect(erased.payerPseudonymised).toBe(ownPayer);
    expect(((await hub.store.getReference('payer', ownPayer)) as Payer).name).toBe(erased.pseudonym);
    const stored = (await hub.store.listEvents({ siteId: A, limit: 10_000 })).find((e) => e.type === 'member.signed_up' && (e.payload as { memberId: string }).memberId === id)!;
    expect(stored.payload).toMatchObject({ payer: { kind: 'self', payerId: ownPayer, name: erased.pseudonym } });
    expect(JSON.stringify(stored.payload)).not.toContain('Verbeke');
    hub.hub.poke();
    await waitFor(
      () => (contextOf(a.station).db.prepare('SELECT last_name FROM member WHERE id = ?').get(id) as { last_name: string }).last_name === erased.pseudonym,
      'the erasure to reach A',
    );
    const outboxCopy = contextOf(a.station).db.prepare(`SELECT payload FROM outbox WHERE type = 'member.signed_up' AND json_extract(payload, '$.memberId') = ?`).get(id) as { payload: string };
    expect(JSON.parse(outboxCopy.payload)).toEqual(stored.payload);
  });
});
