// What the public screen may show of a check-out (issue 15): by default no amount; a supervisor —
// not a clerk — sets how long the kiosk shows it (at most 12 s); the kiosk window reads the
// setting; it outlives a restart.
import { describe, expect, it } from 'vitest';
import { AccessGate } from '../../main/station/access/gate.js';
import { openStation } from '../../main/station/station.js';
import { openTestStation, DEMO_SITE_ID } from '../support/station-fixture.js';
import { unwrap } from '../support/ledger.js';

describe('kiosk settings', () => {
  it('no amount by default; set by a supervisor only; read by the kiosk; kept across a restart', () => {
    const t = openTestStation();
    const gate = new AccessGate(t.station);
    const kiosk = { channel: 'k', window: 'kiosk' as const };
    const clerk = { channel: 'c', window: 'reception' as const };
    const supervisor = { channel: 's', window: 'reception' as const };
    expect(unwrap(gate.call(kiosk, 'kioskSettings', {}))).toEqual({ amountMs: 0 });
    expect(gate.call(kiosk, 'configureKiosk', { amountMs: 5000 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    unwrap(gate.call(clerk, 'staffSignIn', { staffId: 'joris', pin: '1357' }));
    expect(gate.call(clerk, 'configureKiosk', { amountMs: 5000 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    unwrap(gate.call(supervisor, 'staffSignIn', { staffId: 'amelie', pin: '2468' }));
    expect(gate.call(supervisor, 'configureKiosk', { amountMs: 60_000 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(unwrap(gate.call(supervisor, 'configureKiosk', { amountMs: 5000 }))).toEqual({ amountMs: 5000 });
    expect(unwrap(gate.call(kiosk, 'kioskSettings', {}))).toEqual({ amountMs: 5000 });
    gate.close();
    t.close();
    const again = openStation({ dataDir: t.dataDir, init: { siteId: DEMO_SITE_ID } });
    expect(again.handlers.kioskSettings({})).toEqual({ amountMs: 5000 });
    again.close();
  });
});
