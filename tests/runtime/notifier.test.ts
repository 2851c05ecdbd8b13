// One notifier for every window (issue 14): a call from an Electron window (through the runtime's
// call, as the IPC handler makes it) and a call from a local host page both tell every window what
// changed; a tap typed into a page is heard as a tap; an eID's names reach the reception only.
// Against a real station runtime serving its local host on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { randomBytes } from 'node:crypto';
import type { HostMessage } from '../../common/host-protocol.js';
import { startStationRuntime, type StationRuntime } from '../../main/runtime/station-runtime.js';
import type { StationNotice } from '../../main/runtime/notifier.js';
import { BUILT_RENDERER_DIR } from '../support/browser.js';
import { ensureRendererBuilt } from '../support/renderer-build.js';
import { demoBadges, openTestStation, type TestStation } from '../support/station-fixture.js';
import { waitFor } from '../support/wait.js';

const keys = { kiosk: randomBytes(32).toString('base64url'), desk: randomBytes(32).toString('base64url') };
let t: TestStation;
let runtime: StationRuntime;

beforeAll(async () => {
  await ensureRendererBuilt('kiosk');
  t = openTestStation();
  runtime = await startStationRuntime(t.station, { log: () => undefined, serve: { port: 0, keys, rendererDir: BUILT_RENDERER_DIR } });
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
  t?.close();
});

/** A page of the local host, and what it heard. */
async function page(window: 'kiosk' | 'reception'): Promise<{ ws: WebSocket; heard: HostMessage[] }> {
  const ws = new WebSocket(`${runtime.host!.url.replace('http', 'ws')}/api?window=${window}`, { headers: { authorization: `Bearer ${window === 'kiosk' ? keys.kiosk : keys.desk}` } });
  const heard: HostMessage[] = [];
  ws.on('message', (d) => heard.push(JSON.parse(d.toString()) as HostMessage));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, heard };
}

describe('one notifier for IPC and the local host', () => {
  it('a call from an Electron window and one from a page both tell every window what changed', async () => {
    const ipcHeard: StationNotice[] = [];
    const off = runtime.notifier.subscribe((m) => ipcHeard.push(m));
    const kiosk = await page('kiosk');
    const desk = await page('reception');
    const notices = (heard: { kind: string }[]) => heard.filter((m) => m.kind !== 'answer');

    // The reception window (IPC) signs in and checks a member in.
    const reception = { channel: 'ipc:2', window: 'reception' as const };
    expect(runtime.call(reception, 'staffSignIn', { staffId: 'joris', pin: '1357' })).toMatchObject({ ok: true });
    expect(runtime.call(reception, 'checkIn', { memberId: demoBadges().active[0]!.memberId })).toMatchObject({ ok: true });
    await waitFor(() => notices(kiosk.heard).length >= 1 && notices(desk.heard).length >= 1, 'both pages to hear the check-in');
    expect(notices(desk.heard)).toEqual([{ kind: 'changed', what: 'visits' }]);
    expect(ipcHeard).toEqual([{ kind: 'changed', what: 'visits' }]);

    // A page (the kiosk, a keyboard-wedge reader typing into it) taps: the IPC windows hear the tap.
    kiosk.ws.send(JSON.stringify({ id: 7, method: 'tap', input: { uid: demoBadges().active[1]!.uid, source: 'keyboard' } }));
    await waitFor(() => ipcHeard.some((m) => m.kind === 'tap'), 'the IPC windows to hear the tap');
    expect(ipcHeard.find((m) => m.kind === 'tap')).toMatchObject({ kind: 'tap', read: { uid: demoBadges().active[1]!.uid, source: 'keyboard' }, result: { ok: true, value: { outcome: 'checked_in' } } });
    await waitFor(() => notices(desk.heard).some((m) => m.kind === 'tap'), 'the reception page to hear the tap');

    // A read-only call tells nobody anything; an eID read reaches the reception only.
    const before = { kiosk: notices(kiosk.heard).length, ipc: ipcHeard.length };
    expect(runtime.call(reception, 'onSite', {})).toMatchObject({ ok: true });
    runtime.notifier.publish({ kind: 'identity', read: { ok: false, source: 'desk', reader: 'ACS', problem: 'not_an_eid', detail: 'test' } as never });
    await waitFor(() => notices(desk.heard).some((m) => m.kind === 'identity'), 'the reception to hear the eID');
    expect(notices(kiosk.heard).length).toBe(before.kiosk);
    expect(ipcHeard.length).toBe(before.ipc + 1);
    off();
    kiosk.ws.close();
    desk.ws.close();
  });
});
