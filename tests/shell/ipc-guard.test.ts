// The Electron IPC handler's checks, in plain Node: only the station's own windows, from their main
// frame on the page loaded there; each window only its roles (the kiosk window nothing of the
// desk), through the station's access gate; every input parsed by the method's schema.
import { afterAll, describe, expect, it } from 'vitest';
import { guardedCall, type ShellWindows } from '../../main/shell/ipc-guard.js';
import { AccessGate, type Caller } from '../../main/station/access/gate.js';
import { demoBadges, openTestStation } from '../support/station-fixture.js';

const t = openTestStation();
const gate = new AccessGate(t.station);
const call = (caller: Caller, method: unknown, input: unknown) => gate.call(caller, method, input);
afterAll(() => {
  gate.close();
  t.close();
});
const KIOSK_PAGE = 'file:///opt/escale/dist/renderer/kiosk.html';
const RECEPTION_PAGE = 'file:///opt/escale/dist/renderer/reception.html';
const windows: ShellWindows = new Map([
  [7, { window: 'kiosk', page: KIOSK_PAGE }],
  [8, { window: 'reception', page: RECEPTION_PAGE }],
]);
const kiosk = { id: 7, mainFrame: true, url: `${KIOSK_PAGE}#lang=nl` };
const reception = { id: 8, mainFrame: true, url: RECEPTION_PAGE };

describe('the IPC guard', () => {
  it('serves each window its own methods', () => {
    const r = guardedCall(gate, call, windows, kiosk, 'tap', { uid: demoBadges().active[0]!.uid });
    expect(r.ok && (r.value as { outcome: string }).outcome).toBe('checked_in');
    expect(guardedCall(gate, call, windows, reception, 'staff', {})).toMatchObject({ ok: true });
  });

  it('refuses the kiosk window every desk method, and the reception window the desk before a PIN', () => {
    expect(guardedCall(gate, call, windows, kiosk, 'checkIn', { memberId: 'm0001' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(guardedCall(gate, call, windows, kiosk, 'staffSignIn', { staffId: 'amelie', pin: '2468' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(guardedCall(gate, call, windows, kiosk, 'configureHub', { url: 'http://evil.example', credential: 'x' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(guardedCall(gate, call, windows, reception, 'onSite', {})).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });
    expect(guardedCall(gate, call, windows, reception, 'staffSignIn', { staffId: 'joris', pin: '1357' })).toMatchObject({ ok: true });
    expect(guardedCall(gate, call, windows, reception, 'onSite', {})).toMatchObject({ ok: true });
  });

  it('refuses any other sender, a frame inside a window, another page, any other method, and invalid input', () => {
    expect(guardedCall(gate, call, windows, { ...reception, id: 99 }, 'onSite', {})).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(guardedCall(gate, call, windows, { ...reception, mainFrame: false }, 'onSite', {})).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(guardedCall(gate, call, windows, { ...kiosk, url: 'https://evil.example/kiosk.html' }, 'tap', { uid: 'X' })).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(guardedCall(gate, call, windows, kiosk, 'constructor', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(guardedCall(gate, call, windows, kiosk, { toString: () => 'tap' }, {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(guardedCall(gate, call, windows, kiosk, 'tap', { uid: 42 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
