// A station's first start (the Electron app's set-up screen): from the hub's address and the
// station's credential to a station of the site the hub enrolled it for, with the network's
// reference data — never demo data. Against a real hub on 127.0.0.1. A refused credential, a hub
// that is down or a malformed address leave the data folder untouched.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpStation } from '../../main/sync/set-up.js';
import { openStation } from '../../main/station/station.js';
import { callStation } from '../../main/station/api.js';
import { tempDir } from '../support/station-fixture.js';
import { startTestHub, type TestHub } from '../support/hub-fixture.js';
import { freePort } from '../support/processes.js';
import { contextOf } from '../../main/station/context.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 120_000);
afterAll(async () => hub?.close());

describe('setting a station up from its hub', () => {
  it('makes the station of the enrolled site, pointed at the hub, with the network’s reference data', async () => {
    const { credential, stationId } = await hub.enroll('gent-zuid');
    const data = path.join(tempDir('escale-setup-'), 'station');
    const r = await setUpStation(data, { hubUrl: hub.url, credential }, { timeoutMs: 20_000 });
    expect(r).toEqual({ ok: true, value: { stationId, siteId: 'gent-zuid', siteName: expect.any(String), referenceLoaded: true } });
    const station = openStation({ dataDir: data });
    try {
      expect(contextOf(station).siteId).toBe('gent-zuid');
      expect(station.hubConfig()).toEqual({ url: hub.url, credential });
      expect(callStation(station, 'siteProfile', {})).toMatchObject({ ok: true, value: { id: 'gent-zuid' } });
      // The site's own staff only, from the hub: no demo PINs of another site.
      const staff = callStation(station, 'staff', {});
      expect(staff.ok && staff.value.every((s) => !['amelie', 'joris'].includes(s.id))).toBe(true);
    } finally {
      station.close();
    }
    // Twice is refused: it is set up.
    expect(await setUpStation(data, { hubUrl: hub.url, credential })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('refuses a wrong credential, a hub that is down and a malformed address, writing nothing', async () => {
    const { credential, stationId } = await hub.enroll('gent-zuid');
    // Well formed, the right station, the wrong secret.
    const wrong = `esc1_${stationId}_${'x'.repeat(43)}`;
    const data = path.join(tempDir('escale-setup-'), 'station');
    expect(await setUpStation(data, { hubUrl: hub.url, credential: wrong })).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIAL' } });
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    expect(await setUpStation(data, { hubUrl: nowhere, credential }, { timeoutMs: 3000 })).toMatchObject({ ok: false, error: { code: 'HUB_UNREACHABLE' } });
    expect(await setUpStation(data, { hubUrl: 'hub.escale', credential })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'hubUrl' } });
    expect(await setUpStation(data, { hubUrl: hub.url, credential: 'secret' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'credential' } });
    expect(fs.existsSync(data)).toBe(false);
  });
});
