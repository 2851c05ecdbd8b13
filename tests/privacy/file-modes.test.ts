// The files that hold personal data are their owner's only: the station's data folder (0700), its
// database, -wal, -shm and backups (0600); the hub's SQLite database, -wal, -shm, erasure log and
// backups (0600). Folders and files found with looser modes are tightened when they are opened, and
// the running station and hub say so in their logs. Checked under a umask that would leave new
// files readable by everyone (022), so nothing here passes by the umask's grace.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStationRuntime } from '../../main/runtime/station-runtime.js';
import { eraseMember } from '../../server/hub/privacy.js';
import { importReference } from '../../server/hub/reference-admin.js';
import { SqliteHubStore } from '../../server/store/sqlite-store.js';
import { demoReferenceFile } from '../support/hub-fixture.js';
import { unwrap } from '../support/ledger.js';
import { openTestStation, tempDir } from '../support/station-fixture.js';

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

let umask: number;
beforeAll(() => {
  umask = process.umask(0o022);
});
afterAll(() => void process.umask(umask));

describe('file modes', () => {
  it('the station: data folder 0700, database, -wal, -shm and backup 0600; looser ones tightened when it opens, and logged when it runs', async () => {
    // The umask this test runs under gives a plain new file 644 and a folder 755.
    const parent = tempDir();
    fs.writeFileSync(path.join(parent, 'probe'), 'x');
    expect(mode(path.join(parent, 'probe'))).toBe('644');

    const dataDir = path.join(parent, 'data', 'station');
    const t = openTestStation({ dataDir });
    const db = path.join(dataDir, 'station.sqlite');
    expect(mode(dataDir)).toBe('700');
    // The parents it had to make are ordinary folders.
    expect(mode(path.join(parent, 'data'))).toBe('755');
    for (const f of [db, `${db}-wal`, `${db}-shm`]) expect([f, mode(f)]).toEqual([f, '600']);
    const backup = path.join(parent, 'backup.sqlite');
    await t.station.backup(backup);
    expect(mode(backup)).toBe('600');
    expect(t.station.permissionsTightened).toEqual([]);

    // Loosened by someone (a copy, a restore, an installer): tightened at the next open.
    t.close();
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(db, 0o644);
    const again = openTestStation({ dataDir, data: null });
    try {
      expect(mode(dataDir)).toBe('700');
      expect(mode(db)).toBe('600');
      expect(again.station.permissionsTightened).toEqual([`${dataDir}: mode 755 tightened to 700`, `${db}: mode 644 tightened to 600`]);
      const lines: string[] = [];
      const running = await startStationRuntime(again.station, { log: (line) => void lines.push(line) });
      await running.stop();
      expect(lines).toEqual(expect.arrayContaining([`data folder: ${dataDir}: mode 755 tightened to 700`, `data folder: ${db}: mode 644 tightened to 600`]));
      // The station still works.
      expect(unwrap(await again.api.siteProfile({})).id).toBe('bxl-louise');
    } finally {
      again.close();
    }
  });

  it('the hub: database, -wal, -shm, erasure log and backup 0600; looser ones tightened when it opens, and logged', async () => {
    const dir = tempDir('escale-hub-modes-');
    const file = path.join(dir, 'hub.sqlite');
    const store = new SqliteHubStore(file);
    await importReference(store, demoReferenceFile(), new Date().toISOString());
    const member = demoReferenceFile().members.find((m) => m.status === 'active')!;
    // An erasure writes the erasure log, beside the database.
    await eraseMember(store, member.id, { reason: 'Art. 17 request, modes test', by: 'ops-7' }, new Date().toISOString());
    const log = `${file}.erasures.jsonl`;
    const backup = path.join(dir, 'hub-backup.sqlite');
    await store.backup(backup);
    for (const f of [file, `${file}-wal`, `${file}-shm`, log, backup]) expect([f, mode(f)]).toEqual([f, '600']);
    expect(store.permissionsTightened).toEqual([]);
    await store.close();

    for (const f of [file, log]) fs.chmodSync(f, 0o644);
    const lines: string[] = [];
    const reopened = new SqliteHubStore(file, { log: (line) => void lines.push(line) });
    try {
      expect(mode(file)).toBe('600');
      expect(mode(log)).toBe('600');
      expect(lines).toEqual([`${file}: mode 644 tightened to 600`, `${log}: mode 644 tightened to 600`]);
      // A backup never overwrites a file.
      await expect(reopened.backup(backup)).rejects.toThrow(/EEXIST/);
    } finally {
      await reopened.close();
    }
  });
});
