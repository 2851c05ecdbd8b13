// The erasure's selection alone (server/store/erasure-selection.ts): which rows a guest purge or a
// member erasure reads, in each store's dialect, and what it rewrites of them. The stores' purges
// and erasures run in the store contract (store-contract.ts, "privacy", "sign-ups") on both engines.
import { describe, expect, it } from 'vitest';
import { erasedSignups, erasureQueries, guestsWithCopies, purgedCopies, rawCopiesOf } from '../../server/store/erasure-selection.js';
import { POSTGRES_DIALECT, SQLITE_DIALECT } from '../../server/store/sql-dialect.js';

const AT = '2026-12-01T10:00:00.000Z';
/** Guest ids are UUIDs: a registration whose payload does not parse is replaced by a notice, not purged field by field. */
const [G1, G2, G3] = [1, 2, 3].map((n) => `0190a000-0000-7000-8000-00000000000${n}`) as [string, string, string];
const registration = (guestId: string, retentionUntil: string, firstName = 'Gaston') =>
  JSON.stringify({ id: `e-${guestId}`, type: 'guest.registered', seq: 3, payload: { guestId, firstName, lastName: 'Lagaffe', consentAt: '2026-11-24T08:00:00.000Z', retentionUntil } });

describe('erasure selection', () => {
  it('reads the same rows in both dialects, through the expressions the stores index', () => {
    const sqlite = erasureQueries(SQLITE_DIALECT);
    const postgres = erasureQueries(POSTGRES_DIALECT);
    expect(sqlite.registrationsOf).toBe(`SELECT id, payload FROM event WHERE type = 'guest.registered' AND json_extract(payload, '$.guestId') IN (SELECT value FROM json_each(?))`);
    expect(postgres.registrationsOf).toBe(`SELECT id, payload FROM event WHERE type = 'guest.registered' AND ((payload::jsonb) ->> 'guestId') = ANY($1::text[]) FOR UPDATE`);
    expect(postgres.signupEventsOf).toBe(`SELECT id, payload FROM event WHERE type = 'member.signed_up' AND ((payload::jsonb) ->> 'memberId') = ANY($1::text[]) FOR UPDATE`);
    // Copies: PostgreSQL locks them in key order when it rewrites them; SQLite's write transaction holds the file.
    expect(postgres.rejectedCopies(true)).toBe(`SELECT id, payload FROM event WHERE status = 'rejected' ORDER BY id FOR UPDATE`);
    expect(postgres.rejectedCopies(false)).toBe(`SELECT id, payload FROM event WHERE status = 'rejected'`);
    expect(sqlite.quarantineCopies(true)).toBe('SELECT id, raw FROM quarantine');
  });

  it('a purge reads no copies when it has nobody to purge and no date; copies of the guests named or purged go, and registrations only ever rejected once their date has passed', () => {
    expect(guestsWithCopies({}, [])).toBeUndefined();
    expect(guestsWithCopies({ guestIds: [] }, [])).toBeUndefined();
    expect(guestsWithCopies({ retentionBefore: '2026-12-01' }, [])).toEqual(new Set());
    expect(guestsWithCopies({ guestIds: [G1] }, [G2])).toEqual(new Set([G1, G2]));

    const copies = rawCopiesOf(
      [{ id: 1, raw: registration(G1, '2026-12-31') }],
      [
        { id: 'r-2', payload: JSON.stringify(registration(G2, '2026-11-30')) },
        { id: 'r-3', payload: JSON.stringify(registration(G3, '2026-12-31')) },
        { id: 'r-4', payload: '{"not":"a raw copy"}' },
      ],
    );
    expect(copies.map((c) => c.key)).toEqual([1, 'r-2', 'r-3']);
    const rewritten = (select: Parameters<typeof purgedCopies>[0], guests: string[]) => purgedCopies(select, new Set(guests), copies, AT).map((r) => r.copy.key);
    expect(rewritten({ guestIds: [G1] }, [G1])).toEqual([1]);
    // By date: g2's rejected registration is past its date; g3's is not.
    expect(rewritten({ retentionBefore: '2026-12-01' }, [])).toEqual(['r-2']);
    const [g2] = purgedCopies({ retentionBefore: '2026-12-01' }, new Set(), copies, AT);
    expect(JSON.parse(JSON.parse(g2!.stored) as string).payload).toEqual({ guestId: G2, consentAt: '2026-11-24T08:00:00.000Z', retentionUntil: '2026-11-30', purgedAt: AT });
  });

  it("an erasure rewrites the members' sign-up events and decisions that change, and their copies", () => {
    const signup = (memberId: string, firstName: string) => JSON.stringify({ memberId, person: { firstName } });
    const erase = (p: unknown) => ({ ...(p as object), person: { firstName: 'Erased' } });
    const quarantined = JSON.stringify({ id: 'x', type: 'member.signed_up', payload: { memberId: 'm-2', person: { firstName: 'Luc' } } });
    const out = erasedSignups(['m-1', 'm-2'], erase, AT, {
      events: [{ id: 'e1', payload: signup('m-1', 'Lucie') }, { id: 'e2', payload: signup('m-2', 'Erased') }],
      decisions: [{ member_id: 'm-1', payload: signup('m-1', 'Lucie') }],
      copies: [{ table: 'quarantine', key: 7, raw: quarantined }],
    });
    expect(out.events).toEqual([{ id: 'e1', payload: signup('m-1', 'Erased') }]);
    expect(out.decisions).toEqual([{ memberId: 'm-1', payload: signup('m-1', 'Erased') }]);
    expect(out.copies.map((c) => JSON.parse(c.stored).payload)).toEqual([{ memberId: 'm-2', person: { firstName: 'Erased' } }]);
  });
});
