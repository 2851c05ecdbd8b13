// Station guest purge: a guest past their retention date loses their personal data (guest row —
// names, company, e-mail, nationality —, search, print jobs, their guest.registered event in the
// outbox), the anonymous facts stay, the purge is itself an event; a guest still on site waits; the
// CLI runs it. And the nationality as personal data from registration on: stored, in the event,
// refused when malformed.
import { afterEach, describe, expect, it } from 'vitest';
import { stationEventSchema } from '../../common/events.js';
import { failure, unwrap } from '../support/ledger.js';
import { demoBadges, openTestStation, type TestStation } from '../support/station-fixture.js';
import { outboxRows } from '../support/hub-fixture.js';
import { runCli } from '../support/cli.js';
import { contextOf } from '../../main/station/context.js';

const opened: TestStation[] = [];
afterEach(() => {
  for (const t of opened.splice(0)) t.close();
});

function station(): TestStation {
  const t = openTestStation();
  opened.push(t);
  return t;
}

const DAY = 24 * 3600_000;
const guestRow = (t: TestStation, id: string) => contextOf(t.station).db.prepare('SELECT * FROM guest WHERE id = ?').get(id) as Record<string, unknown>;
const registration = (t: TestStation, guestId: string) =>
  outboxRows(contextOf(t.station).db).find((e) => e.type === 'guest.registered' && (e.payload as { guestId: string }).guestId === guestId)!;

describe('station guest purge', () => {
  it('keeps a guest until their retention date has passed, then erases the personal data and keeps the anonymous facts', async () => {
    const t = station();
    const host = demoBadges().active[0]!.memberId;
    // Registered on Tuesday 24 November, retained until that day (Brussels): purged from the 25th.
    const visit = unwrap(
      await t.api.registerGuest({
        firstName: 'Gaston',
        lastName: 'Lagaffe',
        company: 'Spirou SA',
        email: 'gaston@example.be',
        nationality: 'Luxembourgeoise',
        hostMemberId: host,
        consent: true,
        retentionUntil: '2026-11-24',
      }),
    );
    const guestId = visit.person.id;
    expect(guestRow(t, guestId).nationality).toBe('Luxembourgeoise');
    expect(registration(t, guestId).payload).toMatchObject({ lastName: 'Lagaffe', nationality: 'Luxembourgeoise' });
    unwrap(await t.api.addConsumption({ visitId: visit.visitId, serviceCode: 'coffee', quantity: 2 }));
    t.clock.advance(3600_000);
    const out = unwrap(await t.api.checkOut({ visitId: visit.visitId }));

    // Still the 24th in Brussels (late evening): nothing goes.
    t.clock.set(Date.parse('2026-11-24T22:30:00.000Z'));
    expect(unwrap(await t.api.purgeGuests({}))).toEqual({ purged: [], deferred: [] });
    expect(guestRow(t, guestId).first_name).toBe('Gaston');
    expect(unwrap(await t.api.search({ query: 'lagaffe' })).map((h) => h.person.id)).toEqual([guestId]);

    // The 25th in Brussels (23:30 UTC on the 24th): the date has passed.
    t.clock.set(Date.parse('2026-11-24T23:30:00.000Z'));
    const positionsBefore = outboxRows(contextOf(t.station).db).length;
    expect(unwrap(await t.api.purgeGuests({}))).toEqual({ purged: [guestId], deferred: [] });

    const row = guestRow(t, guestId);
    expect(row).toMatchObject({ first_name: '', last_name: '', company: null, email: null, nationality: null, search_text: '', host_member_id: host, retention_until: '2026-11-24' });
    expect(row.consent_at).toBe(visit.checkedInAt);
    expect(unwrap(await t.api.search({ query: 'lagaffe' }))).toEqual([]);
    expect(unwrap(await t.api.search({ query: 'spirou' }))).toEqual([]);

    // The visit and its priced lines are untouched; the person shows as purged.
    const detail = unwrap(await t.api.visitDetail({ visitId: visit.visitId }));
    expect(detail.person).toMatchObject({ kind: 'guest', id: guestId, purged: true, firstName: '', lastName: '' });
    expect(detail.person.company).toBeUndefined();
    expect(detail.person.nationality).toBeUndefined();
    expect(detail.totals).toEqual(out.totals);
    expect(detail.lines.map((l) => l.grossCents)).toEqual(out.lines.map((l) => l.grossCents));

    // The registration event keeps only the anonymous facts, in a form the wire schema accepts.
    const rows = outboxRows(contextOf(t.station).db);
    const reg = registration(t, guestId);
    expect(reg.payload).toEqual({ guestId, hostMemberId: host, consentAt: visit.checkedInAt, retentionUntil: '2026-11-24', purgedAt: '2026-11-24T23:30:00.000Z' });
    const raw = JSON.stringify(rows);
    for (const word of ['Gaston', 'Lagaffe', 'Spirou', 'gaston@example.be', 'Luxembourgeoise']) expect(raw).not.toContain(word);
    const parsed = stationEventSchema.safeParse({ ...reg, stream: { siteId: reg.siteId, epoch: reg.epoch } });
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    // The purge is a fact of its own, the last event.
    expect(rows.length).toBe(positionsBefore + 1);
    expect(rows.at(-1)).toMatchObject({ type: 'guest.purged', payload: { guestId, retentionUntil: '2026-11-24', at: '2026-11-24T23:30:00.000Z' } });

    // The outbox is append-only again: the guard came back with the redaction.
    expect(() => contextOf(t.station).db.prepare('UPDATE outbox SET payload = ? WHERE id = ?').run('{}', reg.id)).toThrow(/append-only/);
    // A second run finds nothing more to do, and appends nothing.
    expect(unwrap(await t.api.purgeGuests({}))).toEqual({ purged: [], deferred: [] });
    expect(outboxRows(contextOf(t.station).db).length).toBe(rows.length);
  });

  it('keeps a guest past the date on the evacuation list while their visit is open, and purges them once it closes', async () => {
    const t = station();
    const visit = unwrap(await t.api.registerGuest({ firstName: 'Nora', lastName: 'Nachtwacht', consent: true, retentionUntil: '2026-11-24' }));
    const guestId = visit.person.id;
    // Still on site after midnight in Brussels (no auto-close: purgeGuests alone).
    t.clock.set(Date.parse('2026-11-24T23:10:00.000Z'));
    expect(unwrap(await t.api.purgeGuests({}))).toEqual({ purged: [], deferred: [guestId] });
    expect(guestRow(t, guestId).last_name).toBe('Nachtwacht');
    unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    expect(unwrap(await t.api.purgeGuests({})).purged).toEqual([guestId]);
    expect(unwrap(await t.api.visitDetail({ visitId: visit.visitId })).person.purged).toBe(true);
  });

  it('erases the name from the guest’s print jobs, so a reprint shows none', async () => {
    const t = station();
    unwrap(await t.api.configureDevice({ config: { id: 'p1', kind: 'printer', name: 'Desk', enabled: true, connection: { type: 'tcp', host: '127.0.0.1', port: 9 }, language: 'escpos', roles: ['receipt', 'badge'] } }));
    const visit = unwrap(await t.api.registerGuest({ firstName: 'Paula', lastName: 'Printemps', company: 'Papier SPRL', consent: true, retentionUntil: '2026-11-24' }));
    unwrap(await t.api.printBadge({ visitId: visit.visitId }));
    unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    unwrap(await t.api.printReceipt({ visitId: visit.visitId }));
    const documents = () => (contextOf(t.station).db.prepare('SELECT document FROM print_job WHERE visit_id = ?').all(visit.visitId) as { document: string }[]).map((r) => r.document);
    expect(documents().join()).toContain('Printemps');
    t.clock.advance(DAY);
    unwrap(await t.api.purgeGuests({}));
    expect(documents()).toHaveLength(2);
    for (const d of documents()) {
      expect(d).not.toMatch(/Paula|Printemps|Papier/);
      expect((JSON.parse(d) as { person: unknown }).person).toEqual({ name: '—' });
    }
  });

  it('stores a guest’s nationality (trimmed) in the guest row and the registration event, shows it on the visit, and keeps it out of the search text', async () => {
    const t = station();
    const visit = unwrap(await t.api.registerGuest({ firstName: 'Émilie', lastName: 'Van den Bossche', nationality: '  Belge ', consent: true }));
    expect(visit.person).toMatchObject({ kind: 'guest', nationality: 'Belge' });
    const guestId = visit.person.id;
    expect(guestRow(t, guestId)).toMatchObject({ nationality: 'Belge', search_text: expect.not.stringMatching(/belge/i) });
    expect(registration(t, guestId).payload).toMatchObject({ guestId, firstName: 'Émilie', nationality: 'Belge' });
    expect(unwrap(await t.api.visitDetail({ visitId: visit.visitId })).person.nationality).toBe('Belge');
    expect(unwrap(await t.api.search({ query: 'belge' }))).toEqual([]);

    // Not given, or blank once trimmed: none at all (no empty string in the row or the event).
    for (const nationality of [undefined, '   ']) {
      const other = unwrap(await t.api.registerGuest({ firstName: 'Walk', lastName: 'In', consent: true, ...(nationality === undefined ? {} : { nationality }) }));
      expect(guestRow(t, other.person.id).nationality).toBeNull();
      expect(registration(t, other.person.id).payload).not.toHaveProperty('nationality');
      expect(other.person).not.toHaveProperty('nationality');
    }
  });

  it('refuses a nationality too long or with control characters, naming the field, and records nothing', async () => {
    const t = station();
    const before = outboxRows(contextOf(t.station).db).length;
    const guests = () => (contextOf(t.station).db.prepare('SELECT COUNT(*) AS n FROM guest').get() as { n: number }).n;
    const bad = [
      ['x'.repeat(61), /^nationality: at most 60 characters/],
      ['Belge\nDROP TABLE guest', /^nationality: printable characters only/],
      ['Bel\u0000ge', /^nationality: printable characters only/],
      ['Bel\u200Bge', /^nationality: printable characters only/],
      [42, /^nationality: /],
    ] as const;
    for (const [nationality, message] of bad) {
      const e = failure(await t.api.registerGuest({ firstName: 'Zoé', lastName: 'Nocon', consent: true, nationality: nationality as string }), 'INVALID_INPUT');
      expect(e.message).toMatch(message);
      expect(e.field).toBe('nationality');
    }
    // 60 characters once trimmed is the limit, not beyond.
    unwrap(await t.api.registerGuest({ firstName: 'Zoé', lastName: 'Long', consent: true, nationality: ` ${'y'.repeat(60)} ` }));
    expect(guests()).toBe(1);
    expect(outboxRows(contextOf(t.station).db).length).toBe(before + 2);
  });

  it('escale-station purge-guests purges from the command line (on the real clock, after the 2026-11-24 site day)', async () => {
    const t = openTestStation();
    const visit = unwrap(await t.api.registerGuest({ firstName: 'Cléo', lastName: 'Commande', consent: true, retentionUntil: '2026-11-24' }));
    unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    t.close();
    const run = (...args: string[]) => runCli('escale-station', args);
    const r = await run('purge-guests', '--data', t.dataDir, '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, value: { purged: [visit.person.id], deferred: [] } });
    const again = await run('purge-guests', '--data', t.dataDir);
    expect(again.stdout).toMatch(/^0 guests purged/);
    const bad = await run('purge-guests');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--data/);

    // A guest registered from the shell gives their nationality the same way, checked the same way.
    const guest = await run('guest', '--data', t.dataDir, '--first', 'Nadia', '--last', 'Shell', '--nationality', 'Marocaine', '--consent', '--json');
    expect(guest.status, guest.stderr).toBe(0);
    expect((JSON.parse(guest.stdout) as { value: { person: unknown } }).value.person).toMatchObject({ kind: 'guest', lastName: 'Shell', nationality: 'Marocaine' });
    const tooLong = await run('guest', '--data', t.dataDir, '--first', 'Nadia', '--last', 'Shell', '--nationality', 'x'.repeat(61), '--consent');
    expect(tooLong.status).toBe(1);
    expect(tooLong.stdout).toMatch(/INVALID_INPUT: nationality: at most 60 characters/);
  });
});
