// escale-station's running life as other processes and scripts see it, against a real hub on
// 127.0.0.1: `sync-status` beside a running sync client tells the truth (the client keeps its state
// in the station's database; a client gone without a word is not believed online); `sync` ends at
// once with BAD_CREDENTIAL on a refused credential and with HUB_UNREACHABLE on a hub that is down;
// `run` exits 0 on SIGTERM even after its credential was refused; after a restart it says each
// reader's state when it becomes known. The processes are the package's bin where the process is
// what is tested (signals, a pid that dies), else the CLI in this process (tests/support/cli.ts).
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStation } from '../../main/station/station.js';
import { SYNC_STATE_STALE_MS } from '../../common/sync/status.js';
import { ReaderSimulator } from '../../demo/sim/reader-sim.js';
import { DEMO_REFERENCE_FILE, startSync, startTestHub, type TestHub } from '../support/hub-fixture.js';
import { tempDir } from '../support/station-fixture.js';
import { STATION_BIN, ensureBuilt, freePort, killChildren, startChild } from '../support/processes.js';
import { runCli, stationJson } from '../support/cli.js';
import { callStation } from '../../main/station/api.js';
import { waitFor } from '../support/wait.js';

const SITE = 'bxl-louise';
let hub: TestHub;
beforeAll(async () => {
  ensureBuilt();
  hub = await startTestHub();
}, 180_000);
afterAll(async () => {
  await killChildren();
  await hub?.close();
});
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A station pointed at the test hub with `credential` (its own reference data: one event to send). */
async function stationFor(credential: string, url = hub.url): Promise<string> {
  const data = tempDir('escale-cli-life-');
  expect((await stationJson(['init', '--data', data, '--site', SITE])).status).toBe(0);
  expect((await stationJson(['import', '--data', data, DEMO_REFERENCE_FILE])).status).toBe(0);
  expect((await stationJson(['hub', '--data', data, '--url', url], { env: { ESCALE_HUB_CREDENTIAL: credential } })).status).toBe(0);
  return data;
}

const syncStatus = async (data: string) => (await stationJson(['sync-status', '--data', data])).result.value;

describe('sync-status beside a running sync client', () => {
  it('says online with its last success while another client runs, and keeps the last success once it stopped', async () => {
    const { credential } = await hub.enroll(SITE);
    const data = await stationFor(credential);
    const station = openStation({ dataDir: data });
    cleanups.push(() => station.close());
    const client = startSync(station, { url: hub.url, credential });
    expect(await client.drained(30_000)).toBe(true);
    // Another connection to the database, as another process has: no client of its own.
    const seen = await waitFor(async () => {
      const s = await syncStatus(data);
      return s.online && s.lastSuccessAt ? s : undefined;
    }, 'the running client seen online with a success');
    expect(seen).toMatchObject({ configured: true, hubUrl: hub.url, online: true, backlog: 0, reportedBy: { pid: process.pid, state: 'running' } });
    // Readable without --json, the same facts.
    const readable = await runCli('escale-station', ['sync-status', '--data', data]);
    expect(readable.stdout).toMatch(new RegExp(`^hub ${hub.url}: online \\(said by process ${process.pid} at .*\\)\n  last success \\d`));

    await client.stop();
    const after = await syncStatus(data);
    expect(after).toMatchObject({ online: false, lastSuccessAt: seen.lastSuccessAt, reportedBy: { state: 'stopped' } });
  });

  it('a one-shot sync ending beside a running client does not mark the running one stopped', async () => {
    const { credential } = await hub.enroll(SITE);
    const data = await stationFor(credential);
    const station = openStation({ dataDir: data });
    cleanups.push(() => station.close());
    const running = startSync(station, { url: hub.url, credential });
    cleanups.push(() => running.stop());
    expect(await running.drained(30_000)).toBe(true);
    const runningSince = (await waitFor(async () => (await syncStatus(data)).reportedBy, 'the running client recorded')).startedAt as string;

    // `escale-station sync` meanwhile, in another connection: each client keeps its own record.
    const other = openStation({ dataDir: data });
    cleanups.push(() => other.close());
    const oneShot = startSync(other, { url: hub.url, credential });
    expect(await oneShot.drained(30_000)).toBe(true);
    await oneShot.stop();
    expect(await syncStatus(data)).toMatchObject({ reportedBy: { startedAt: runningSince, state: 'running' } });
    // The hub keeps one connection per station (the newest): the running client, put off for the
    // one-shot's, is back online and says so.
    await waitFor(async () => (await syncStatus(data)).online, 'the running client online again');
  });

  it('a client whose heartbeat is older than the bound is gone, not online', async () => {
    const { credential } = await hub.enroll(SITE);
    const data = await stationFor(credential);
    const station = openStation({ dataDir: data });
    cleanups.push(() => station.close());
    const client = startSync(station, { url: hub.url, credential });
    cleanups.push(() => client.stop());
    expect(await client.drained(30_000)).toBe(true);
    await waitFor(async () => (await syncStatus(data)).lastSuccessAt, 'the first success recorded');
    // Read later than the bound on the reader's clock: the writer's beat is too old to believe.
    const later = openStation({ dataDir: data, clock: { now: () => Date.now() + SYNC_STATE_STALE_MS + 60_000 } });
    try {
      const r = callStation(later, 'syncStatus', {});
      expect(r.ok && r.value).toMatchObject({ online: false, reportedBy: { state: 'gone' } });
      expect(r.ok && r.value.lastSuccessAt).toMatch(/^\d{4}-/);
    } finally {
      later.close();
    }
  });

  it('`run` in another process: online while it runs; its process killed, it is gone at once', async () => {
    const { credential } = await hub.enroll(SITE);
    const data = await stationFor(credential);
    const run = startChild([STATION_BIN, 'run', '--data', data]);
    await run.line(/^connected to the hub/);
    const running = await waitFor(async () => {
      const s = await syncStatus(data);
      return s.online && s.lastSuccessAt && s.backlog === 0 ? s : undefined;
    }, 'run seen online and synced');
    expect(running.reportedBy).toMatchObject({ pid: run.process.pid, state: 'running' });
    expect((await run.kill('SIGKILL')).signal).toBe('SIGKILL');
    expect(await syncStatus(data)).toMatchObject({ online: false, reportedBy: { pid: run.process.pid, state: 'gone' } });
  });
});

describe('clean exits with stable codes', () => {
  it('sync with a wrong credential ends at once with BAD_CREDENTIAL; the events stay queued', async () => {
    const { credential } = await hub.enroll(SITE);
    const data = await stationFor(credential.slice(0, -6) + 'AAAAAA');
    // A timeout far beyond the test's own: waiting it out fails the test.
    const refused = await stationJson(['sync', '--data', data, '--timeout', '600']);
    expect(refused).toMatchObject({ status: 1, result: { ok: false, error: { code: 'BAD_CREDENTIAL' } } });
    expect(refused.result.error!.message).toContain('escale-station hub');
    expect(refused.result.error!.message).toContain('1 events wait; they stay queued');
    expect(await syncStatus(data)).toMatchObject({ online: false, backlog: 1, reportedBy: { state: 'stopped' } });
  }, 30_000);

  it('sync with a revoked station: BAD_CREDENTIAL, saying it was revoked', async () => {
    const { credential, stationId } = await hub.enroll(SITE);
    const data = await stationFor(credential);
    await hub.store.revokeStation(stationId, new Date().toISOString());
    const refused = await stationJson(['sync', '--data', data, '--timeout', '600']);
    expect(refused).toMatchObject({ status: 1, result: { ok: false, error: { code: 'BAD_CREDENTIAL' } } });
    expect(refused.result.error!.message).toContain('revoked');
  }, 30_000);

  it('sync with a hub that is down: HUB_UNREACHABLE at its deadline', async () => {
    const { credential } = await hub.enroll(SITE);
    const data = await stationFor(credential, `http://127.0.0.1:${await freePort()}`);
    const down = await stationJson(['sync', '--data', data, '--timeout', '2']);
    expect(down).toMatchObject({ status: 1, result: { ok: false, error: { code: 'HUB_UNREACHABLE' } } });
    expect(down.result.error!.message).toMatch(/cannot be reached: check the address and the network.*1 events wait; they stay queued/);
  });

  it('run exits 0 on SIGTERM after its credential was refused, and on SIGINT', async () => {
    const { credential } = await hub.enroll(SITE);
    const data = await stationFor(credential.slice(0, -6) + 'AAAAAA');
    const run = startChild([STATION_BIN, 'run', '--data', data]);
    await run.line(/the hub refused this station: BAD_CREDENTIAL/);
    // Nothing but the refused retry (an unref'd timer) is left to do: the process used to end by
    // itself (13) a moment later. Its next heartbeat, seconds after the refusal, proves it still runs.
    const refusedAt = (await syncStatus(data)).reportedBy.seenAt as string;
    await waitFor(async () => {
      const s = await syncStatus(data);
      return s.reportedBy.state === 'running' && s.reportedBy.seenAt > refusedAt;
    }, 'a heartbeat after the refusal', { timeoutMs: 20_000 });
    expect(await run.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toMatch(/\nstopped\n$/);

    const again = startChild([STATION_BIN, 'run', '--data', data]);
    await again.line(/the hub refused this station/);
    expect(await again.kill('SIGINT')).toEqual({ code: 0, signal: null });
  });
});

describe('run says each reader state when it becomes known', () => {
  it('after a restart: "reader desk: up", never "unknown" as the last word', async () => {
    const data = tempDir('escale-cli-reader-');
    expect((await stationJson(['init', '--data', data, '--site', SITE])).status).toBe(0);
    expect((await stationJson(['import', '--data', data, DEMO_REFERENCE_FILE])).status).toBe(0);
    const dir = tempDir('escale-pty-');
    const reader = await new ReaderSimulator(path.join(dir, 'reader'), path.join(dir, 'reader-sim'), 'em4100').start();
    cleanups.push(() => reader.stop());
    expect((await runCli('escale-station', ['devices', 'reader', '--data', data, 'desk', '--serial', reader.devicePath, '--framing', 'em4100'])).status).toBe(0);

    const first = startChild([STATION_BIN, 'run', '--data', data]);
    await first.line(/^reader desk: up \(now monitored\)$/);
    expect(await first.kill('SIGTERM')).toMatchObject({ code: 0 });

    // Started again: the station holds the reader as up already (no event), the log says it all the same.
    const second = startChild([STATION_BIN, 'run', '--data', data]);
    await second.line(/^reader desk \(.*\): unknown$/);
    await second.line(/^reader desk: up$/);
    expect(await second.kill('SIGTERM')).toMatchObject({ code: 0 });
  });
});
