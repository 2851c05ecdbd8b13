// `escale-station hub` and `escale-station sync` against a real hub on 127.0.0.1, run in this
// process (tests/support/cli.ts) but for the credential read on the standard input of the
// package's bin: a station made from nothing gets the network's reference data, taps, uploads,
// and says where it stands; the refusals say why and keep the queue.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStation } from '../../main/station/station.js';
import { tempDir } from '../support/station-fixture.js';
import { DEMO_REFERENCE_FILE, activeUids, expectSameEvents, outboxRows, startTestHub, storedEvents, type TestHub } from '../support/hub-fixture.js';
import { freePort } from '../support/processes.js';
import { runCli, stationJson } from '../support/cli.js';
import { contextOf } from '../../main/station/context.js';

const SITE = 'bxl-louise';
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 180_000);
afterAll(async () => {
  await hub?.close();
});
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Runs escale-station with --json; returns its exit status and parsed answer. */
function station(...args: string[]) {
  // `hub --credential C` stands for the credential given in the environment (never in argv).
  const at = args.indexOf('--credential');
  const env = at >= 0 ? { ESCALE_HUB_CREDENTIAL: args[at + 1]! } : undefined;
  const argv = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
  return stationJson(argv, env ? { env } : {});
}

describe('escale-station hub and sync', () => {
  it('a new station is pointed at the hub, pulls the network, taps, uploads, and shows its status', async () => {
    const { credential, stationId } = await hub.enroll(SITE);
    const data = tempDir('escale-cli-sync-');
    expect((await station('init', '--data', data, '--site', SITE)).status).toBe(0);

    // The credential on the standard input of the real process, as an operator pastes it.
    const configured = await runCli('escale-station', ['hub', '--data', data, '--url', hub.url, '--json'], { spawn: true, stdin: `${credential}\n` });
    expect(configured.status).toBe(0);
    expect(JSON.parse(configured.stdout)).toMatchObject({ ok: true, value: { url: hub.url, stationId } });
    expect((await station('sync-status', '--data', data)).result).toMatchObject({ ok: true, value: { configured: true, hubUrl: hub.url, online: false, backlog: 0, problems: [] } });

    // Nothing imported by hand: the first sync brings the reference data.
    const first = await station('sync', '--data', data);
    expect(first).toMatchObject({ status: 0, result: { ok: true, value: { configured: true, online: true, backlog: 0 } } });
    const [a, b] = activeUids();
    expect((await station('tap', '--data', data, a!)).result).toMatchObject({ ok: true, value: { outcome: 'checked_in' } });
    expect((await station('tap', '--data', data, b!)).result).toMatchObject({ ok: true, value: { outcome: 'checked_in' } });
    const waiting = await station('sync-status', '--data', data);
    expect(waiting.result).toMatchObject({ ok: true, value: { online: false, backlog: 2 } });
    expect(waiting.result.value.oldestUnsyncedAt).toMatch(/^\d{4}-/);

    const second = await station('sync', '--data', data);
    expect(second).toMatchObject({ status: 0, result: { ok: true, value: { backlog: 0, problems: [] } } });
    expect(second.result.value.lastSuccessAt).toMatch(/^\d{4}-/);
    expect((await station('sync-status', '--data', data)).result).toMatchObject({ ok: true, value: { configured: true, online: false, backlog: 0 } });

    const s = openStation({ dataDir: data });
    try {
      expectSameEvents(await storedEvents(hub.store, SITE), outboxRows(contextOf(s).db));
    } finally {
      s.close();
    }
    // Readable without --json too.
    const readable = await runCli('escale-station', ['sync', '--data', data]);
    expect(readable.status).toBe(0);
    expect(readable.stdout).toContain('connected to the hub');
  });

  it('refusals: no hub configured, a bad address or credential, a hub that is down, a wrong credential — each says why, the events stay queued', async () => {
    const before = await hub.store.countEvents(SITE);
    const data = tempDir('escale-cli-sync-');
    expect((await station('init', '--data', data, '--site', SITE)).status).toBe(0);
    const notConfigured = await station('sync', '--data', data);
    expect(notConfigured).toMatchObject({ status: 1, result: { ok: false, error: { code: 'NOT_CONFIGURED' } } });
    expect(notConfigured.result.error!.message).toContain('escale-station hub');

    // Its own copy of the reference data: one event to send.
    expect((await station('import', '--data', data, DEMO_REFERENCE_FILE)).status).toBe(0);
    const { credential } = await hub.enroll(SITE);
    expect(await station('hub', '--data', data, '--url', 'not a url', '--credential', credential)).toMatchObject({ status: 1, result: { ok: false, error: { code: 'INVALID_INPUT' } } });
    expect(await station('hub', '--data', data, '--url', hub.url, '--credential', 'secret')).toMatchObject({ status: 1, result: { ok: false, error: { code: 'INVALID_INPUT' } } });
    expect((await runCli('escale-station', ['hub', '--data', data, '--url', hub.url])).status).toBe(2);

    // A hub nobody listens at: the sync gives up at its deadline, nothing is lost.
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    expect((await station('hub', '--data', data, '--url', nowhere, '--credential', credential)).status).toBe(0);
    const down = await station('sync', '--data', data, '--timeout', '2');
    expect(down).toMatchObject({ status: 1, result: { ok: false, error: { code: 'HUB_UNREACHABLE' } } });
    expect(down.result.error!.message).toMatch(/cannot be reached.*1 events wait; they stay queued/);

    // A wrong credential: refused by the hub, with its reason.
    const wrong = credential.slice(0, -6) + 'AAAAAA';
    expect((await station('hub', '--data', data, '--url', hub.url, '--credential', wrong)).status).toBe(0);
    const refused = await station('sync', '--data', data, '--timeout', '3');
    expect(refused).toMatchObject({ status: 1, result: { ok: false, error: { code: 'BAD_CREDENTIAL', detail: expect.stringContaining('BAD_CREDENTIAL') } } });
    expect((await station('sync-status', '--data', data)).result).toMatchObject({ ok: true, value: { backlog: 1, online: false } });
    expect(await hub.store.countEvents(SITE)).toBe(before);
  });
});
