// Erased means erased: after a guest's purge and a member's erasure, none of their names, e-mails
// or phone number can be read in any file the product wrote — the station's data folder and the
// hub's (databases, -wal, -shm, backups, the erasure log), read as raw bytes while both still run,
// as `strings` would. A real station (its own data folder, the demo network pulled from the hub)
// syncs with a real hub on a SQLite file. The same scan finds every word before the purge, so it
// is a scan that can fail. And a WAL another connection is reading is truncated once it lets go.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemberErasure } from '../../common/privacy.js';
import { eraseMember, purgeDueGuests } from '../../server/hub/privacy.js';
import { importReference } from '../../server/hub/reference-admin.js';
import { SqliteHubStore } from '../../server/store/sqlite-store.js';
import { demoReferenceFile, openSiteStation, startSync, startTestHub } from '../support/hub-fixture.js';
import { waitFor } from '../support/wait.js';
import { unwrap } from '../support/ledger.js';
import { missing, residue } from '../support/residue.js';
import { openTestStation, tempDir } from '../support/station-fixture.js';
import { contextOf } from '../../main/station/context.js';

const SITE = 'bxl-louise';
const DAY = 24 * 3600_000;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// Words found nowhere else in the demo network, so that finding one is finding this person.
const GUEST = { firstName: 'Philomène', lastName: 'Quarterbrook', company: 'Zanzibart Ateliers', email: 'philomene.quarterbrook@residue.example', nationality: 'Monégasque' };
const MEMBER = { firstName: 'Théodric', lastName: 'Vandersmissen-Olowu', email: 'Theodric.Olowu@Residue.example', phone: '+32 471 86 42 97' };
const WORDS = [...Object.values(GUEST), ...Object.values(MEMBER)];

describe('erased means erased', () => {
  it('after a guest purge and a member erasure no name, e-mail or phone is left in any file of the station or the hub (and before, every one is found)', async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    const { credential } = await hub.enroll(SITE);
    const t = openSiteStation(SITE);
    cleanups.push(() => t.close());
    const client = startSync(t.station, { url: hub.url, credential });
    cleanups.push(() => client.stop());
    expect(await client.drained(20_000)).toBe(true);
    unwrap(await t.api.configureDevice({ config: { id: 'p1', kind: 'printer', name: 'Desk', enabled: true, connection: { type: 'tcp', host: '127.0.0.1', port: 9 }, language: 'escpos', roles: ['receipt', 'badge'] } }));

    // An agent sale: the member pays for themself (a payer named after them), gives a phone, and
    // gets a welcome slip (no visit yet: the slip belongs to no visit).
    const signUp = unwrap(
      await t.api.signUpMember({
        ...MEMBER,
        language: 'fr',
        payer: { kind: 'self', billingAddress: { street: 'Rue du Bailli 7', postalCode: '1050', city: 'Ixelles', country: 'BE' } },
        termsAccepted: true,
        privacyAccepted: true,
        badge: { kind: 'qr' },
        checkIn: false,
        printWelcome: true,
      }),
    );
    expect(signUp.welcomePrint).toBeDefined();
    const memberId = signUp.signUp.memberId;
    const memberVisit = unwrap(await t.api.checkIn({ memberId }));
    // Their guest: a visitor badge names the host.
    const guestVisit = unwrap(await t.api.registerGuest({ ...GUEST, hostMemberId: memberId, consent: true, retentionUntil: '2026-11-24' }));
    unwrap(await t.api.printBadge({ visitId: guestVisit.visitId }));
    t.clock.advance(2 * 3600_000);
    unwrap(await t.api.checkOut({ visitId: guestVisit.visitId }));
    unwrap(await t.api.printReceipt({ visitId: guestVisit.visitId }));
    unwrap(await t.api.checkOut({ visitId: memberVisit.visitId }));
    unwrap(await t.api.printReceipt({ visitId: memberVisit.visitId }));
    expect(await client.drained(20_000)).toBe(true);
    await waitFor(async () => unwrap(await t.api.signUps({})).find((s) => s.memberId === memberId)?.state === 'confirmed', 'the sign-up confirmed at the station');

    // Before: every word is in the station's files and in the hub's.
    expect(missing([t.dataDir], WORDS)).toEqual([]);
    expect(missing([hub.dir], WORDS)).toEqual([]);

    // The guest's retention date has passed: the station purges (its guest.purged goes up), and so does the hub on its schedule.
    t.clock.advance(DAY);
    expect(unwrap(await t.api.purgeGuests({})).purged).toEqual([guestVisit.person.id]);
    expect(await client.drained(20_000)).toBe(true);
    await purgeDueGuests(hub.store, t.clock.now());
    // The member asks to be erased, at the hub; the erasure reaches the station with the poke.
    const erased = await hub.admin<MemberErasure>('POST', `members/${memberId}/erase`, { reason: 'Art. 17 request, residue test', by: 'ops-7' });
    await waitFor(() => (contextOf(t.station).db.prepare('SELECT last_name FROM member WHERE id = ?').get(memberId) as { last_name: string }).last_name === erased.pseudonym, 'the erasure at the station');
    expect(await client.drained(20_000)).toBe(true);

    // Backups taken now are scanned too, with the erasure log beside the hub's database.
    await t.station.backup(path.join(t.dataDir, 'station-backup.sqlite'));
    await (hub.store as SqliteHubStore).backup(path.join(hub.dir, 'hub-backup.sqlite'));
    const logFile = hub.erasureLog;
    expect(fs.readFileSync(logFile, 'utf8')).toContain(memberId);
    expect(fs.readFileSync(logFile, 'utf8')).toContain(guestVisit.person.id);

    // While both still run (their WALs open, nothing closed to tidy up): nothing.
    const files = (dir: string) => fs.readdirSync(dir).sort();
    expect(files(t.dataDir)).toEqual(expect.arrayContaining(['station.sqlite', 'station.sqlite-wal', 'station.sqlite-shm', 'station-backup.sqlite']));
    expect(files(hub.dir)).toEqual(expect.arrayContaining(['hub.sqlite', 'hub.sqlite-wal', 'hub.sqlite-shm', 'hub-backup.sqlite', 'hub.sqlite.erasures.jsonl']));
    expect(residue([t.dataDir, hub.dir], WORDS)).toEqual([]);

    // The anonymous facts stayed: the visits, the sign-up decision, the purged registration.
    expect(unwrap(await t.api.visitDetail({ visitId: memberVisit.visitId })).person).toMatchObject({ id: memberId, lastName: erased.pseudonym });
    expect((await hub.store.getSignup(memberId))?.state).toBe('confirmed');

    // And once closed (checkpointed by SQLite itself), nothing either.
    await client.stop();
    t.close();
    await hub.close();
    cleanups.splice(0);
    expect(residue([t.dataDir, hub.dir], WORDS)).toEqual([]);
  });

  it('a WAL held by a reader is truncated once the reader lets go: the purge and the erasure answer at once, the wait is logged, never an error', async () => {
    const walSize = (file: string) => fs.statSync(`${file}-wal`).size;
    /** Another connection (another process's) in the middle of a read: it holds the WAL. */
    const reader = (file: string) => {
      const db = new Database(file, { readonly: true });
      db.exec('BEGIN');
      db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
      return { release: () => (db.exec('COMMIT'), db.close()) };
    };

    // The station: a guest purged while a reader reads.
    const t = openTestStation();
    cleanups.push(() => t.close());
    const lines: string[] = [];
    t.station.attachLog((line) => void lines.push(line));
    const visit = unwrap(await t.api.registerGuest({ ...GUEST, consent: true, retentionUntil: '2026-11-24' }));
    unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    t.clock.advance(DAY);
    const file = path.join(t.dataDir, 'station.sqlite');
    const held = reader(file);
    expect(unwrap(await t.api.purgeGuests({})).purged).toEqual([visit.person.id]);
    expect(walSize(file)).toBeGreaterThan(0);
    expect(lines[0]).toBe('WAL not truncated yet after the guest purge: another connection is reading it; trying again in 50 ms');
    expect(missing([t.dataDir], [GUEST.lastName])).toEqual([]);
    // (A loaded machine may have retried meanwhile: each try said so.)
    expect(lines.every((l) => l.startsWith('WAL not truncated yet after the guest purge'))).toBe(true);
    held.release();
    await contextOf(t.station).scrubber.settled();
    expect(walSize(file)).toBe(0);
    expect(lines.at(-1)).toMatch(/^WAL truncated after the guest purge \(try \d+\)/);
    expect(residue([t.dataDir], [GUEST.firstName, GUEST.lastName, GUEST.email])).toEqual([]);

    // The hub: a member erased while a reader reads.
    const dir = tempDir('escale-hub-busy-');
    const hubFile = path.join(dir, 'hub.sqlite');
    const hubLines: string[] = [];
    const store = new SqliteHubStore(hubFile, { log: (line) => void hubLines.push(line) });
    cleanups.push(() => store.close());
    await importReference(store, demoReferenceFile(), new Date().toISOString());
    const member = demoReferenceFile().members.find((m) => m.status === 'active') as unknown as { id: string; firstName: string; lastName: string; email: string };
    const hubHeld = reader(hubFile);
    await eraseMember(store, member.id, { reason: 'Art. 17 request, busy WAL test', by: 'ops-7' }, new Date().toISOString());
    expect(walSize(hubFile)).toBeGreaterThan(0);
    expect(hubLines.length).toBeGreaterThan(0);
    expect(hubLines.every((l) => l.startsWith('WAL not truncated yet after the member erasure'))).toBe(true);
    hubHeld.release();
    await store.walSettled();
    expect(walSize(hubFile)).toBe(0);
    expect(residue([dir], [member.email])).toEqual([]);
  });
});
