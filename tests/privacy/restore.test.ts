// An erasure survives the restore of an older backup. At the hub: the erasure log beside the
// database (escale-hub backup, member erase, the backup copied over the database) makes the next
// command — or `serve` — erase the member again, with the same pseudonym and time, and nothing of
// them is left in the hub's files. At a station: a backup from before a guest's purge and a member's
// erasure, restored as the station, purges the guest at start and erases the member again once it
// has pulled the reference data from its older cursor — its member row, sign-up, outbox (the old
// epoch's too) and print jobs — and nothing of them is left in its data folder.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemberErasure } from '../../common/privacy.js';
import type { Member } from '../../common/reference-data.js';
import { startStationRuntime } from '../../main/runtime/station-runtime.js';
import { startHub } from '../../server/hub/hub-server.js';
import { SqliteHubStore } from '../../server/store/sqlite-store.js';
import { unwrap } from '../support/ledger.js';
import { DEMO_REFERENCE_FILE, openSiteStation, startSync, startTestHub } from '../support/hub-fixture.js';
import { waitFor } from '../support/wait.js';
import { hubJson } from '../support/cli.js';
import { missing, residue } from '../support/residue.js';
import { tempDir } from '../support/station-fixture.js';
import { contextOf } from '../../main/station/context.js';

const SITE = 'bxl-louise';
const DAY = 24 * 3600_000;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Runs escale-hub; parses its JSON answer when it succeeded. */
const hubCli = (...args: string[]) => hubJson(args);

describe('a restored older backup is erased again', () => {
  it('hub: backup, erase, restore the backup over the database → the next command erases the member again, and so does serve; nothing left in the files', async () => {
    const dir = tempDir('escale-hub-restore-');
    const db = path.join(dir, 'hub.sqlite');
    // Backups are kept apart: they were taken before the erasure and hold the names, by design.
    const backups = tempDir('escale-hub-backups-');
    const person = { firstName: 'Wilhelmina', lastName: 'Zorgvliet-Kapadia', email: 'wilhelmina.zorgvliet@restore.example' };
    const words = Object.values(person);
    const files = path.join(backups, 'in');
    fs.mkdirSync(files);
    fs.writeFileSync(path.join(files, 'payer.json'), JSON.stringify({ id: 'p-restore-1', kind: 'self', name: `${person.firstName} ${person.lastName}`, language: 'nl' }));
    fs.writeFileSync(path.join(files, 'member.json'), JSON.stringify({ id: 'm-restore-1', payerId: 'p-restore-1', ...person, language: 'nl', status: 'active', homeSiteId: SITE, phone: '+32 2 555 98 76' }));
    expect((await hubCli('import', '--db', db, DEMO_REFERENCE_FILE)).status).toBe(0);
    expect((await hubCli('put', 'payer', '--db', db, path.join(files, 'payer.json'))).status).toBe(0);
    expect((await hubCli('put', 'member', '--db', db, path.join(files, 'member.json'))).status).toBe(0);

    const backup = path.join(backups, 'hub-before-erasure.sqlite');
    const made = await hubCli('backup', '--db', db, '--to', backup);
    expect(made.status, made.stderr).toBe(0);
    expect(made.value).toEqual({ file: backup, bytes: fs.statSync(backup).size });
    expect((fs.statSync(backup).mode & 0o777).toString(8)).toBe('600');
    // Never over an existing file.
    const twice = await hubCli('backup', '--db', db, '--to', backup);
    expect(twice.status).toBe(1);
    expect(twice.stderr).toContain('exists already');

    const erase = await hubCli('member', 'erase', '--db', db, '--member', 'm-restore-1', '--reason', 'Art. 17 request, restore test', '--by', 'ops-7');
    expect(erase.status, erase.stderr).toBe(0);
    const erased = erase.value as MemberErasure;
    expect(residue([dir], [...words, '+32 2 555 98 76'])).toEqual([]);
    const logLines = fs.readFileSync(`${db}.erasures.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(logLines).toEqual([{ kind: 'member.erased', memberId: 'm-restore-1', at: erased.erasedAt, auditId: erased.auditId, pseudonym: erased.pseudonym }]);

    // The operator restores the older backup over the database (the hub stopped: no -wal left).
    for (const f of [`${db}-wal`, `${db}-shm`]) expect(fs.existsSync(f)).toBe(false);
    fs.copyFileSync(backup, db);
    expect(missing([dir], words)).toEqual([]); // the names are back in the file

    // The next command that opens the store erases them again: same pseudonym, same time.
    const exported = await hubCli('member', 'export', '--db', db, '--member', 'm-restore-1');
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('erasure log: member m-restore-1 erased again');
    expect(exported.value.member).toMatchObject({ id: 'm-restore-1', firstName: 'Erased', lastName: erased.pseudonym, erasedAt: erased.erasedAt });
    expect(exported.value.member).not.toHaveProperty('phone');
    expect(exported.value.payer).toMatchObject({ id: 'p-restore-1', name: erased.pseudonym });
    expect(exported.value.erasures).toEqual([{ at: erased.erasedAt, by: 'erasure-log', reason: expect.stringContaining(`audit ${erased.auditId}`) }]);
    expect(residue([dir], [...words, '+32 2 555 98 76'])).toEqual([]);
    // Applied once: the log is not written twice, and a second command has nothing to do.
    expect(fs.readFileSync(`${db}.erasures.jsonl`, 'utf8').trim().split('\n')).toHaveLength(1);
    const quiet = await hubCli('erasures', '--db', db);
    expect(quiet.stderr).not.toContain('erased again');
    expect(quiet.value).toHaveLength(1);

    // Restored again, then served: the hub erases them before it listens.
    fs.copyFileSync(backup, db);
    const store = new SqliteHubStore(db);
    const logs: string[] = [];
    const hub = await startHub({ store, port: 0, log: (line) => void logs.push(line) });
    try {
      expect(logs.some((l) => l.startsWith('erasure log: member m-restore-1 erased again'))).toBe(true);
      expect(logs.findIndex((l) => l.includes('erased again'))).toBeLessThan(logs.findIndex((l) => l.startsWith('hub listening')));
      expect((await store.getReference('member', 'm-restore-1')) as Member).toMatchObject({ lastName: erased.pseudonym, erasedAt: erased.erasedAt });
      expect(residue([dir], [...words, '+32 2 555 98 76'])).toEqual([]);
    } finally {
      await hub.close();
      await store.close();
    }
  });

  it('hub: a PostgreSQL store needs --erasure-log, and is backed up with its own tools', async () => {
    const noLog = await hubCli('events', '--db', 'postgres://nobody@127.0.0.1:1/none');
    expect(noLog.status).toBe(2);
    expect(noLog.stderr).toContain('a PostgreSQL store needs --erasure-log FILE');
    const backup = await hubCli('backup', '--db', 'postgres://nobody@127.0.0.1:1/none', '--erasure-log', path.join(tempDir(), 'e.jsonl'), '--to', 'x.sqlite');
    expect(backup.status).toBe(2);
    expect(backup.stderr).toContain('pg_dump');
  });

  it('station: a backup from before a purge and an erasure, restored as the station, purges at start and erases again once synced; nothing left in its folder', async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    const { credential } = await hub.enroll(SITE);
    const t = openSiteStation(SITE);
    // Configured as `escale-station hub` does: the restored backup knows its hub.
    unwrap(await t.api.configureHub({ url: hub.url, credential }));
    let client = startSync(t.station, { url: hub.url, credential });
    expect(await client.drained(20_000)).toBe(true);
    unwrap(await t.api.configureDevice({ config: { id: 'p1', kind: 'printer', name: 'Desk', enabled: true, connection: { type: 'tcp', host: '127.0.0.1', port: 9 }, language: 'escpos', roles: ['receipt', 'badge'] } }));
    const guest = { firstName: 'Ottoline', lastName: 'Brackenthwaite', email: 'ottoline.b@restore.example' };
    const member = { firstName: 'Cassius', lastName: 'Oyelaran-Devroe', email: 'cassius.oyelaran@restore.example', phone: '+32 486 11 23 58' };
    const words = [...Object.values(guest), ...Object.values(member)];
    const signUp = unwrap(
      await t.api.signUpMember({
        ...member,
        language: 'en',
        payer: { kind: 'self', billingAddress: { street: 'Rue du Bailli 7', postalCode: '1050', city: 'Ixelles', country: 'BE' } },
        termsAccepted: true,
        privacyAccepted: true,
        badge: { kind: 'qr' },
        printWelcome: true,
      }),
    );
    const memberId = signUp.signUp.memberId;
    const guestVisit = unwrap(await t.api.registerGuest({ ...guest, hostMemberId: memberId, consent: true, retentionUntil: '2026-11-24' }));
    unwrap(await t.api.printBadge({ visitId: guestVisit.visitId }));
    t.clock.advance(3600_000);
    unwrap(await t.api.checkOut({ visitId: guestVisit.visitId }));
    unwrap(await t.api.checkOut({ visitId: signUp.visit!.visitId }));
    expect(await client.drained(20_000)).toBe(true);
    await waitFor(async () => unwrap(await t.api.signUps({})).find((s) => s.memberId === memberId)?.state === 'confirmed', 'the sign-up confirmed at the station');

    // The backup of the day, kept away from the data folder.
    const backup = path.join(tempDir('escale-station-backups-'), 'station-before.sqlite');
    await t.station.backup(backup);

    // Then the guest is purged and the member erased, at both ends.
    t.clock.advance(DAY);
    expect(unwrap(await t.api.purgeGuests({})).purged).toEqual([guestVisit.person.id]);
    const erased = await hub.admin<MemberErasure>('POST', `members/${memberId}/erase`, { reason: 'Art. 17 request, station restore test', by: 'ops-7' });
    const lastName = (db: ReturnType<typeof contextOf>["db"]) => (db.prepare('SELECT last_name FROM member WHERE id = ?').get(memberId) as { last_name: string }).last_name;
    await waitFor(() => lastName(contextOf(t.station).db) === erased.pseudonym, 'the erasure at the station');
    expect(await client.drained(20_000)).toBe(true);
    await client.stop();
    t.close();
    expect(residue([t.dataDir], words)).toEqual([]);

    // The disk is replaced; the backup is restored as the station.
    for (const f of fs.readdirSync(t.dataDir)) fs.rmSync(path.join(t.dataDir, f));
    fs.copyFileSync(backup, path.join(t.dataDir, 'station.sqlite'));
    expect(missing([t.dataDir], words)).toEqual([]); // the names are back

    const restored = openSiteStation(SITE, { dataDir: t.dataDir, now: new Date(t.clock.now()).toISOString() });
    cleanups.push(() => restored.close());
    expect(restored.station.previousEpoch).toBeDefined();
    const lines: string[] = [];
    // As `escale-station run` starts: the guest purge at once, then the sync with the hub it had.
    const running = await startStationRuntime(restored.station, { log: (line) => void lines.push(line) });
    cleanups.push(() => running.stop());
    expect(lines).toContain('purged the personal data of 1 guests past their retention date');
    client = running.sync!;
    await waitFor(() => lastName(contextOf(restored.station).db) === erased.pseudonym, 'the erasure pulled again by the restored station');
    expect(await client.drained(20_000)).toBe(true);

    const db = contextOf(restored.station).db;
    expect(db.prepare('SELECT phone, billing_address FROM member_signup WHERE member_id = ?').get(memberId)).toEqual({ phone: null, billing_address: null });
    const signedUp = db.prepare(`SELECT epoch, payload FROM outbox WHERE type = 'member.signed_up'`).all() as { epoch: string; payload: string }[];
    expect(signedUp).toHaveLength(1);
    expect(signedUp[0]!.epoch).toBe(restored.station.previousEpoch);
    expect(JSON.parse(signedUp[0]!.payload)).toMatchObject({ person: { lastName: erased.pseudonym }, erasedAt: erased.erasedAt });
    // The hub took the restored station's resends as the same events (erased or purged on either side).
    expect(await hub.store.listQuarantine(10)).toEqual([]);
    expect(residue([t.dataDir], words)).toEqual([]);
  });
});
