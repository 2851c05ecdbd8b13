// Faults between stations and the hub, with a real hub on 127.0.0.1: a faulty TCP proxy that
// delays, drops, cuts mid-batch, resets and refuses; SIGKILL of the hub process during the ingest
// of a large backlog and of a station process during its upload; a station database restored
// from an old backup; station clocks two days off; one member at two sites. After the faults,
// convergence: the hub holds exactly the stations' events, none twice, and the hub's watermarks,
// sampled all along, never went back.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStation } from '../../main/station/station.js';
import { ManualClock } from '../../main/station/clock.js';
import { importReference } from '../../server/hub/reference-admin.js';
import { enrollStation } from '../../server/hub/stations.js';
import { SqliteHubStore } from '../../server/store/sqlite-store.js';
import { FaultyProxy } from '../support/faulty-proxy.js';
import { unwrap } from '../support/ledger.js';
import { openTestStation, tempDir, type TestStation } from '../support/station-fixture.js';
import {
  ADMIN_TOKEN,
  activeUids,
  bulkTaps,
  demoReferenceFile,
  expectSameEvents,
  openSiteStation,
  outboxRows,
  startSync,
  startTestHub,
  storedEvents,
  tapMany,
  watchWatermarks,
} from '../support/hub-fixture.js';
import { waitFor } from '../support/wait.js';
import { STATION_BIN, ensureBuilt, freePort, killChildren, spawnHub, startChild } from '../support/processes.js';
import { stationJson } from '../support/cli.js';
import { contextOf } from '../../main/station/context.js';

const SITE = 'bxl-louise';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => killChildren());

const outboxCount = (t: TestStation) => (contextOf(t.station).db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;

describe('a faulty network between the station and the hub', () => {
  it('through delays, drops, cuts mid-batch, resets and refused connections, taps never fail and the hub converges to the outbox', async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    const { credential } = await hub.enroll(SITE);
    const proxy = await FaultyProxy.start(hub.url);
    cleanups.push(() => proxy.close());
    const t = openTestStation({ settings: { tapWindowMs: 0 } });
    cleanups.push(() => t.close());
    const client = startSync(t.station, { url: proxy.url, credential }, { batchSize: 40, ackTimeoutMs: 3_000 });
    cleanups.push(() => client.stop());
    const watch = watchWatermarks(() => hub.store.listStreams(SITE), 5);
    const acked = async () => (await hub.store.listStreams(SITE))[0]?.ackedSeq ?? 0;
    const uids = activeUids();
    // Taps go through the station's handlers: synchronous, they cannot wait on the network, and
    // one that failed would throw here.
    const tap = (n: number) => tapMany(t, uids, n, 1_000);

    // 1. A slow network: every chunk held 30 ms, both ways.
    proxy.delay(30);
    tap(300);
    await waitFor(async () => (await acked()) >= 100, 'uploads through a slow network');
    proxy.delay(0);

    // 2. Connections dropped while uploading, three times.
    for (let i = 0; i < 3; i++) {
      const accepted = proxy.stats.accepted;
      tap(200);
      await waitFor(() => proxy.open > 0, 'a connection to drop');
      proxy.dropAll();
      await waitFor(() => proxy.stats.accepted > accepted && client.status().online, 'a new connection after the drop');
    }

    // 3. Cut in the middle of a batch on its way up (the hub gets half a frame), then an ack cut
    //    on its way down (the hub committed, the station never heard).
    proxy.cutAfter(5_000, 'up');
    tap(400);
    await waitFor(() => !proxy.cutPending, 'the cut mid-batch');
    await waitFor(() => client.status().online, 'a new connection after the cut');
    proxy.cutAfter(20, 'down');
    tap(300);
    await waitFor(() => !proxy.cutPending, 'the ack cut');

    // 4. Resets: one mid-chunk, one of every connection while a slow upload runs.
    proxy.cutAfter(8_000, 'up', true);
    tap(400);
    await waitFor(() => !proxy.cutPending, 'the reset mid-batch');
    proxy.delay(20);
    const before = await acked();
    tap(400);
    await waitFor(async () => (await acked()) > before + 40, 'a slow upload under way');
    expect(client.status().backlog).toBeGreaterThan(0);
    proxy.resetAll();
    proxy.delay(0);

    // 5. The hub unreachable for a while: the station works offline and says so.
    await proxy.refuse();
    proxy.resetAll();
    tap(300);
    await waitFor(() => !client.status().online && client.status().lastError !== undefined, 'the station to see it is offline');
    tap(200);
    const offline = unwrap(await t.api.syncStatus({}));
    expect(offline.online).toBe(false);
    expect(offline.backlog).toBeGreaterThan(0);

    // The faults stop: convergence.
    await proxy.pass();
    expect(await client.drained(60_000)).toBe(true);
    expect(await watch.stop()).toEqual([]);
    expect(watch.count()).toBeGreaterThan(20);
    const outbox = outboxRows(contextOf(t.station).db);
    expect(outbox.length).toBeGreaterThan(3_000);
    expectSameEvents(await storedEvents(hub.store, SITE), outbox);
    expect(await acked()).toBe(outbox.length);
    // The faults did happen.
    expect(proxy.stats.cut).toBe(3);
    expect(proxy.stats.dropped).toBeGreaterThanOrEqual(3);
    expect(proxy.stats.reset).toBeGreaterThanOrEqual(2);
  });
});

describe('processes killed', () => {
  it('SIGKILL of the hub during the ingest of a 20,000-event backlog: restarted on the same file and port, it converges', async () => {
    const dir = tempDir('escale-hub-kill-');
    const file = path.join(dir, 'hub.sqlite');
    const prep = new SqliteHubStore(file);
    await importReference(prep, demoReferenceFile(), new Date().toISOString());
    const { credential } = await enrollStation(prep, SITE, 'desk', new Date().toISOString());
    await prep.close();
    const port = await freePort();
    let hub = await spawnHub(file, port, ADMIN_TOKEN);
    cleanups.push(() => hub.kill('SIGKILL'));
    // The test's own view of the hub's file, beside the hub process.
    const observer = new SqliteHubStore(file);
    cleanups.push(() => observer.close());

    const t = openTestStation({ settings: { tapWindowMs: 0 } });
    cleanups.push(() => t.close());
    bulkTaps(t, 13_500);
    const backlog = outboxCount(t);
    expect(backlog).toBeGreaterThan(20_000);

    const watch = watchWatermarks(() => observer.listStreams(SITE), 5);
    const client = startSync(t.station, { url: hub.url, credential }, { batchSize: 100, ackTimeoutMs: 10_000 });
    cleanups.push(() => client.stop());
    const acked = async () => (await observer.listStreams(SITE))[0]?.ackedSeq ?? 0;
    await waitFor(async () => (await acked()) >= 2_000, 'the ingest under way', { timeoutMs: 60_000, intervalMs: 2 });
    const killed = await hub.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const atKill = await acked();
    expect(atKill).toBeGreaterThanOrEqual(2_000);
    expect(atKill, 'the hub was killed after it had ingested everything').toBeLessThan(backlog);

    // The station keeps working while its hub is down.
    tapMany(t, activeUids(), 100, 1_000);
    await waitFor(() => !client.status().online, 'the station to see the hub gone');
    hub = await spawnHub(file, port, ADMIN_TOKEN);
    expect(await client.drained(90_000)).toBe(true);

    expect(await watch.stop()).toEqual([]);
    const outbox = outboxRows(contextOf(t.station).db);
    expectSameEvents(await storedEvents(observer, SITE), outbox);
    expect((await observer.listStreams(SITE))[0]!.ackedSeq).toBe(outbox.length);
    await hub.kill('SIGTERM');
  });

  it('SIGKILL of a station process during its upload: started again, it converges', async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    const { credential } = await hub.enroll(SITE);
    const t = openTestStation({ settings: { tapWindowMs: 0 } });
    bulkTaps(t, 13_500);
    unwrap(await t.api.configureHub({ url: hub.url, credential }));
    const backlog = outboxCount(t);
    t.close();

    const watch = watchWatermarks(() => hub.store.listStreams(SITE), 5);
    const acked = async () => (await hub.store.listStreams(SITE))[0]?.ackedSeq ?? 0;
    const sync = startChild([STATION_BIN, 'sync', '--data', t.dataDir, '--timeout', '120']);
    await waitFor(async () => (await acked()) >= 2_000, 'the upload under way', { timeoutMs: 60_000, intervalMs: 2 });
    expect((await sync.kill('SIGKILL')).signal).toBe('SIGKILL');
    const atKill = await acked();
    expect(atKill, 'the station was killed after it had uploaded everything').toBeLessThan(backlog);

    // Started again as the long-running station: its sync client finishes the upload.
    const run = startChild([STATION_BIN, 'run', '--data', t.dataDir]);
    await waitFor(async () => (await acked()) >= backlog, 'the whole backlog at the hub', { timeoutMs: 90_000 });
    // The hub's count moves when its transaction commits, a moment before its ack reaches the
    // station: stopped in between, the station would resend its last batch at its next start
    // (harmless, but not the converged state checked below). Wait for the station to hold the ack.
    const backlogAtStation = async () => (await stationJson(['sync-status', '--data', t.dataDir])).result.value?.backlog as number | undefined;
    await waitFor(async () => (await backlogAtStation()) === 0, 'the last ack recorded at the station', { timeoutMs: 30_000 });
    expect(await run.kill('SIGTERM')).toMatchObject({ code: 0 });
    expect(run.stdout()).toContain('stopped');
    expect(await watch.stop()).toEqual([]);

    const status = await stationJson(['sync-status', '--data', t.dataDir]);
    expect(status.result).toMatchObject({ ok: true, value: { configured: true, backlog: 0 } });
    const station = openStation({ dataDir: t.dataDir });
    try {
      expectSameEvents(await storedEvents(hub.store, SITE), outboxRows(contextOf(station).db));
    } finally {
      station.close();
    }
  });
});

describe('a station database restored from an old backup', () => {
  it('starts a new epoch; the hub reports the change and ends with both epochs, none twice', async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    const { credential } = await hub.enroll(SITE);
    const original = openTestStation({ settings: { tapWindowMs: 0 } });
    let client = startSync(original.station, { url: hub.url, credential });
    tapMany(original, activeUids(), 100);
    expect(await client.drained(20_000)).toBe(true);
    const backupFile = path.join(tempDir('escale-backup-'), 'station.sqlite');
    await original.station.backup(backupFile);
    // Life goes on after the backup, and reaches the hub.
    tapMany(original, activeUids(), 150);
    expect(await client.drained(20_000)).toBe(true);
    await client.stop();
    const firstEpoch = contextOf(original.station).epoch;
    const originalOutbox = outboxRows(contextOf(original.station).db);
    const lastTime = original.clock.now();
    original.close();

    // The disk dies; the old backup becomes the station.
    const dataDir = tempDir('escale-restored-');
    fs.copyFileSync(backupFile, path.join(dataDir, 'station.sqlite'));
    const clock = new ManualClock(lastTime + 3_600_000);
    const restored = openStation({ dataDir, clock, settings: { tapWindowMs: 0 } });
    cleanups.push(() => restored.close());
    expect(restored.previousEpoch).toBe(firstEpoch);
    expect(contextOf(restored).epoch).not.toBe(firstEpoch);
    const r: TestStation = { dataDir, clock, station: restored, api: undefined as never, close: () => restored.close() };
    tapMany(r, activeUids(), 80);
    client = startSync(restored, { url: hub.url, credential });
    cleanups.push(() => client.stop());
    expect(await client.drained(20_000)).toBe(true);

    const alerts = await hub.store.listAlerts(100);
    expect(alerts.filter((a) => a.kind === 'epoch_change')).toEqual([
      expect.objectContaining({ siteId: SITE, detail: expect.stringContaining(contextOf(restored).epoch) }),
    ]);
    const streams = await hub.store.listStreams(SITE);
    expect(streams.map((s) => s.epoch).sort()).toEqual([firstEpoch, contextOf(restored).epoch].sort());
    // Both epochs' events: the original's whole first epoch and the restored station's new one.
    const restoredOutbox = outboxRows(contextOf(restored).db);
    const restoredOld = restoredOutbox.filter((e) => e.epoch === firstEpoch);
    expect(restoredOld.length).toBeLessThan(originalOutbox.length);
    expect(originalOutbox.slice(0, restoredOld.length)).toEqual(restoredOld);
    expectSameEvents(await storedEvents(hub.store, SITE), [...originalOutbox, ...restoredOutbox.filter((e) => e.epoch === contextOf(restored).epoch)]);
    expect(client.status().backlog).toBe(0);
  });
});

describe('station clocks two days off', () => {
  it('the hub keeps the stations’ own times, flags clock_skew and records each offset; nothing is lost', async () => {
    // The hub's clock: a Wednesday morning, running. The stations': Friday and Monday mornings, by hand.
    const hubBase = Date.parse('2026-11-25T08:00:00.000Z');
    const started = Date.now();
    const hub = await startTestHub({ now: () => hubBase + (Date.now() - started) });
    cleanups.push(() => hub.close());
    const DAYS_2 = 2 * 86_400_000;
    const stations = [
      { siteId: SITE, offset: DAYS_2 },
      { siteId: 'gent-zuid', offset: -DAYS_2 },
    ];
    for (const s of stations) {
      const { credential } = await hub.enroll(s.siteId);
      const t = openSiteStation(s.siteId, { now: new Date(hubBase + s.offset).toISOString() });
      cleanups.push(() => t.close());
      const client = startSync(t.station, { url: hub.url, credential });
      cleanups.push(() => client.stop());
      expect(await client.drained(20_000)).toBe(true);
      tapMany(t, activeUids(), 60, 1_000);
      expect(await client.drained(20_000)).toBe(true);

      const outbox = outboxRows(contextOf(t.station).db);
      const stored = await storedEvents(hub.store, s.siteId);
      // The station's times, as it said them: never corrected.
      expectSameEvents(stored, outbox);
      for (const e of stored) {
        expect(e.flags).toContain('clock_skew');
        // Station clock minus hub clock, measured on each upload: two days, give or take the
        // minutes the stations' clocks were moved by the taps.
        expect(Math.abs(e.clockOffsetMs - s.offset)).toBeLessThan(10 * 60_000);
      }
      const [stream] = await hub.store.listStreams(s.siteId);
      expect(Math.abs(stream!.lastClockOffsetMs - s.offset)).toBeLessThan(10 * 60_000);
    }
  });
});

describe('conflicts are facts', () => {
  it('the same member checked in at two sites: both visits at the hub, and an overlap case', async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    const member = demoReferenceFile().badges.find((b) => b.uid === activeUids((m) => m.homeSiteId === SITE)[0])!;
    const visits: string[] = [];
    for (const siteId of [SITE, 'gent-zuid']) {
      const { credential } = await hub.enroll(siteId);
      const t = openSiteStation(siteId);
      cleanups.push(() => t.close());
      const client = startSync(t.station, { url: hub.url, credential });
      cleanups.push(() => client.stop());
      expect(await client.drained(20_000)).toBe(true);
      const tap = unwrap(await t.api.tap({ uid: member.uid }));
      if (tap.outcome !== 'checked_in') throw new Error(`expected a check-in at ${siteId}, got ${tap.outcome}`);
      visits.push(tap.visit.visitId);
      expect(await client.drained(20_000)).toBe(true);
    }
    const checkIns = (await storedEvents(hub.store)).filter((e) => e.type === 'visit.checked_in');
    expect(checkIns.map((e) => (e.payload as { visitId: string }).visitId).sort()).toEqual([...visits].sort());
    expect(await hub.store.listOverlaps(10)).toEqual([
      expect.objectContaining({ memberId: member.memberId, visitA: visits[0], siteA: SITE, visitB: visits[1], siteB: 'gent-zuid' }),
    ]);
    expect((await hub.store.listAlerts(10)).filter((a) => a.kind === 'overlap')).toHaveLength(1);
  });
});
