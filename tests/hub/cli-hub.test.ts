// The escale-hub command line on a SQLite file, run in this process (tests/support/cli.ts) but for
// its exit codes as a process and `escale-hub serve`: import the network's reference data, enroll /
// list / revoke stations, lose a badge, list events and streams — beside `escale-hub serve` running
// on the same file (the package's bin, a child process) with a real station syncing.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStation, tempDir } from '../support/station-fixture.js';
import { unwrap } from '../support/ledger.js';
import { ADMIN_TOKEN, DEMO_REFERENCE_FILE, activeUids, comparable, demoReferenceFile, outboxRows, startSync, tapMany } from '../support/hub-fixture.js';
import { ensureBuilt, freePort, killChildren, spawnHub } from '../support/processes.js';
import { hubJson, runCli } from '../support/cli.js';
import { waitFor } from '../support/wait.js';
import type { StoredEvent, StreamRecord } from '../../server/store/store.js';
import { contextOf } from '../../main/station/context.js';

const SITE = 'bxl-louise';
let dir: string;
let db: string;
beforeAll(() => {
  ensureBuilt();
  dir = tempDir('escale-hub-cli-');
  db = path.join(dir, 'hub.sqlite');
}, 180_000);
afterAll(() => killChildren());

/** Runs escale-hub; parses its JSON answer when it succeeded. */
const hubCli = (...args: string[]) => hubJson(args);

describe('escale-hub', () => {
  it('says how to call it, and refuses a command line without what it needs', async () => {
    // As a process: the bin's exit codes.
    const bare = await runCli('escale-hub', [], { spawn: true });
    expect(bare.status).toBe(2);
    expect(bare.stdout).toContain('escale-hub serve');
    expect((await runCli('escale-hub', ['--help'], { spawn: true })).status).toBe(0);
    const noDb = await hubCli('streams');
    expect(noDb.status).toBe(2);
    expect(noDb.stderr).toContain('missing --db');
    const unknown = await hubCli('frobnicate', '--db', path.join(dir, 'other.sqlite'));
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('imports the reference data; a bad file is refused whole', async () => {
    const bad = path.join(dir, 'bad.json');
    const data = demoReferenceFile();
    data.badges[0]!.memberId = 'nobody';
    fs.writeFileSync(bad, JSON.stringify(data));
    const refused = await hubCli('import', '--db', db, bad);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/error REFERENCE_DATA_INVALID: .*badges\[0\]\.memberId: no member "nobody"/);

    const r = await hubCli('import', '--db', db, DEMO_REFERENCE_FILE);
    expect(r.status).toBe(0);
    const ref = demoReferenceFile() as unknown as Record<string, unknown[]>;
    expect(r.value.counts).toEqual({
      site: ref.sites!.length,
      payer: ref.payers!.length,
      service: ref.services!.length,
      tariff: ref.tariffs!.length,
      member: ref.members!.length,
      badge: ref.badges!.length,
      staff: ref.staff!.length,
      plan: ref.plans!.length,
      subscription: ref.subscriptions!.length,
      quota: ref.quotas!.length,
    });
    expect(r.value.cursor).toBeGreaterThan(0);
  });

  it('enrolls, lists and revokes stations; serves them; loses a badge; lists events and streams', async () => {
    const enrolled = await hubCli('station', 'enroll', '--db', db, '--site', SITE, '--name', 'Reception');
    expect(enrolled.status).toBe(0);
    expect(enrolled.value).toMatchObject({ siteId: SITE, stationId: expect.stringContaining(SITE) });
    const { credential, stationId } = enrolled.value as { credential: string; stationId: string };
    expect(credential).toMatch(/^esc1_/);
    const unknownSite = await hubCli('station', 'enroll', '--db', db, '--site', 'atlantis', '--name', 'X');
    expect(unknownSite.status).toBe(1);
    expect(unknownSite.stderr).toContain('error NOT_FOUND: no site "atlantis"');

    // The list never shows a secret, not even its hash.
    const list = await hubCli('station', 'list', '--db', db);
    expect(list.value).toEqual([expect.objectContaining({ id: stationId, siteId: SITE, name: 'Reception' })]);
    expect(list.stdout).not.toContain(credential.slice(-20));
    expect(list.stdout).not.toMatch(/secret/i);

    // The hub serves the file while the CLI works on it too.
    const port = await freePort();
    const serve = await spawnHub(db, port, ADMIN_TOKEN);
    const t = openTestStation({ settings: { tapWindowMs: 0 } });
    const client = startSync(t.station, { url: serve.url, credential }, { pullIntervalMs: 200 });
    try {
      tapMany(t, activeUids(), 30);
      expect(await client.drained(20_000)).toBe(true);
      const outbox = outboxRows(contextOf(t.station).db);

      const events = await hubCli('events', '--db', db, '--site', SITE);
      expect(events.status).toBe(0);
      expect((events.value as StoredEvent[]).map(comparable)).toEqual(outbox);
      const streams = await hubCli('streams', '--db', db);
      expect(streams.value as StreamRecord[]).toEqual([expect.objectContaining({ siteId: SITE, epoch: contextOf(t.station).epoch, ackedSeq: outbox.length })]);
      expect((await hubCli('events', '--db', db, '--site', SITE, '--limit', '5')).value).toHaveLength(5);

      // A badge lost from the shell: no poke from here, the station's periodic pull brings it.
      const uid = activeUids((m) => m.homeSiteId === SITE).at(-1)!;
      const lost = await hubCli('badge', 'lose', '--db', db, uid);
      expect(lost.status).toBe(0);
      expect(lost.value.cursor).toBeGreaterThan(0);
      expect((await hubCli('badge', 'lose', '--db', db, 'NO-SUCH-BADGE')).stderr).toContain('error NOT_FOUND');
      await waitFor(() => (contextOf(t.station).db.prepare('SELECT status FROM badge WHERE uid = ?').get(uid) as { status: string }).status === 'lost', 'the lost badge at the station');
      expect(unwrap(await t.api.tap({ uid }))).toMatchObject({ outcome: 'refused', reason: 'badge_lost' });

      // Revoked from the shell: refused at its next connection.
      const revoked = await hubCli('station', 'revoke', '--db', db, stationId);
      expect(revoked.value).toEqual({ id: stationId, revoked: true });
      expect((await hubCli('station', 'revoke', '--db', db, stationId)).stderr).toContain(`error NOT_FOUND: no active station "${stationId}"`);
      expect((await hubCli('station', 'list', '--db', db)).value[0].revokedAt).toMatch(/^\d{4}-/);
      await client.stop();
      const again = startSync(t.station, { url: serve.url, credential });
      await waitFor(() => again.status().lastError?.startsWith('REVOKED') === true, 'the refusal');
      await again.stop();
    } finally {
      await client.stop();
      t.close();
      expect(await serve.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    }
  });
});
