// A form waiting for a card takes the desk reader's read (issue 15): with real readers on socat pty
// pairs and a real station runtime, a clerk's sign-up form claims the desk reader; the card of a
// member on site is then read for the form — with whose card it is — and never tapped (it once
// checked Lotte out). The kiosk's reader keeps tapping; released, expired or signed out, the desk
// reader taps again.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationNotice } from '../../main/runtime/notifier.js';
import { startStationRuntime, type StationRuntime } from '../../main/runtime/station-runtime.js';
import { AccessGate, type Caller } from '../../main/station/access/gate.js';
import { ReaderSimulator } from '../../demo/sim/reader-sim.js';
import { CARD_READ_CLAIM_MS } from '../../common/station-api/card-reads.js';
import { demoBadges, openTestStation, type TestStation } from '../support/station-fixture.js';
import { unwrap } from '../support/ledger.js';
import { waitFor } from '../support/wait.js';
import { removeTempDirs, tempFolder, waitForStatus } from '../devices/device-support.js';

let t: TestStation;
let runtime: StationRuntime;
let desk: ReaderSimulator;
let kiosk: ReaderSimulator;
const heard: StationNotice[] = [];
const badges = demoBadges();
const [lotte, other, third] = badges.active;
const window1: Caller = { channel: 'reception-1', window: 'reception' };

beforeAll(async () => {
  const dir = tempFolder('escale-claim-');
  desk = await new ReaderSimulator(path.join(dir, 'desk'), path.join(dir, 'desk-sim'), 'em4100').start();
  kiosk = await new ReaderSimulator(path.join(dir, 'kiosk'), path.join(dir, 'kiosk-sim'), 'em4100').start();
  t = openTestStation({ now: new Date().toISOString(), settings: { tapWindowMs: 0 } });
  runtime = await startStationRuntime(t.station, { log: () => undefined });
  runtime.notifier.subscribe((m) => heard.push(m));
  unwrap(await t.api.configureDevice({ config: { id: 'desk', kind: 'reader', name: 'Desk reader', connection: { type: 'serial', path: desk.devicePath, framing: 'em4100' } } }));
  unwrap(await t.api.configureDevice({ config: { id: 'entrance', kind: 'reader', name: 'Entrance kiosk reader', place: 'kiosk', connection: { type: 'serial', path: kiosk.devicePath, framing: 'em4100' } } }));
  await waitForStatus(t.api, 'desk', 'up', (s) => s.state === 'up');
  await waitForStatus(t.api, 'entrance', 'up', (s) => s.state === 'up');
  unwrap(runtime.call(window1, 'staffSignIn', { staffId: 'joris', pin: '1357' }));
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  await desk?.stop();
  await kiosk?.stop();
  t?.close();
  removeTempDirs();
});

const onSite = async () => unwrap(await t.api.onSite({})).map((e) => e.person.id);
const tapsOf = (uid: string) => heard.filter((m) => m.kind === 'tap' && m.read.uid === uid);

describe('a card read claimed by a reception form', () => {
  it('goes to the form with whose card it is, and does not check the member out', async () => {
    const visit = unwrap(await t.api.checkIn({ memberId: lotte!.memberId }));
    const { claimId } = unwrap(runtime.call(window1, 'claimCardRead', {})) as { claimId: string };
    await desk.tap(lotte!.uid);
    const read = await waitFor(() => heard.find((m) => m.kind === 'cardRead'), 'the card read for the form');
    expect(read).toMatchObject({ kind: 'cardRead', claimId, read: { uid: lotte!.uid, source: 'desk' }, card: { uid: lotte!.uid, owner: { person: { id: lotte!.memberId }, badgeStatus: 'active' } } });
    expect(tapsOf(lotte!.uid)).toEqual([]);
    expect(await onSite()).toContain(lotte!.memberId);
    expect(unwrap(await t.api.visitDetail({ visitId: visit.visitId })).checkedOutAt).toBeUndefined();
  });

  it('leaves the kiosk’s reader tapping while the desk reader is claimed', async () => {
    await kiosk.tap(other!.uid);
    await waitFor(() => tapsOf(other!.uid).length === 1, 'the kiosk reader’s tap');
    expect(await onSite()).toContain(other!.memberId);
  });

  it('gives the desk reader back to the tap once the form releases it', async () => {
    const { claimId } = unwrap(runtime.call(window1, 'claimCardRead', {})) as { claimId: string };
    expect(unwrap(runtime.call(window1, 'releaseCardRead', { claimId }))).toEqual({ released: true });
    await desk.tap(third!.uid);
    await waitFor(() => tapsOf(third!.uid).length === 1, 'the desk reader’s tap');
    expect(await onSite()).toContain(third!.memberId);
  });

  it('refuses a claim without a clerk’s session, and from the kiosk', () => {
    expect(runtime.call({ channel: 'nobody', window: 'reception' }, 'claimCardRead', {})).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });
    expect(runtime.call({ channel: 'kiosk-1', window: 'kiosk' }, 'claimCardRead', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('a claim’s life at the access gate', () => {
  it('lapses unless renewed, and ends with the clerk’s session', () => {
    let now = 1_000_000;
    const gate = new AccessGate(t.station, { now: () => now });
    const w: Caller = { channel: 'w', window: 'reception' };
    unwrap(gate.call(w, 'staffSignIn', { staffId: 'amelie', pin: '2468' }));
    const { claimId } = unwrap(gate.call(w, 'claimCardRead', {})) as { claimId: string };
    expect(gate.cardReadClaim()).toEqual({ channel: 'w', claimId });
    now += CARD_READ_CLAIM_MS - 1000;
    expect(unwrap(gate.call(w, 'claimCardRead', { claimId }))).toMatchObject({ claimId });
    now += CARD_READ_CLAIM_MS - 1000;
    expect(gate.cardReadClaim()).toEqual({ channel: 'w', claimId });
    now += 2000;
    expect(gate.cardReadClaim()).toBeUndefined();
    // Claimed again, then the clerk signs out: no form waits any more.
    unwrap(gate.call(w, 'claimCardRead', {}));
    expect(gate.cardReadClaim()).toBeDefined();
    unwrap(gate.call(w, 'staffSignOut', {}));
    expect(gate.cardReadClaim()).toBeUndefined();
    gate.close();
  });
});
