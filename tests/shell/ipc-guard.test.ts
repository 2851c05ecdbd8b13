// The Electron IPC handler's checks, in plain Node: only the station's own windows, only station
// methods, every input parsed by the method's schema.
import { afterAll, describe, expect, it } from 'vitest';
import { guardedCall } from '../../main/shell/ipc-guard.js';
import { demoBadges, openTestStation } from '../support/station-fixture.js';

const t = openTestStation();
afterAll(() => t.close());
const windows = new Set([7, 8]);

describe('the IPC guard', () => {
  it('serves the station API to its own windows', () => {
    const r = guardedCall(t.station, 7, windows, 'tap', { uid: demoBadges().active[0]!.uid });
    expect(r.ok && (r.value as { outcome: string }).outcome).toBe('checked_in');
  });

  it('refuses any other sender, any other method, and invalid input', () => {
    expect(guardedCall(t.station, 99, windows, 'onSite', {})).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(guardedCall(t.station, 7, windows, 'constructor', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(guardedCall(t.station, 7, windows, { toString: () => 'tap' }, {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const bad = guardedCall(t.station, 8, windows, 'tap', { uid: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
