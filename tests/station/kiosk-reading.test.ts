// What the kiosk page reads a keyboard-wedge reader with: the layout the reader in its window is set
// to (a device setting), the site's badge formats (reference data) or the default.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BADGE_FORMATS } from '../../common/readers/badge-formats.js';
import { DEMO_SITE_ID, demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { failure, unwrap } from '../support/ledger.js';

let t: TestStation;
afterEach(() => t?.close());

describe('kiosk reading settings', () => {
  it('QWERTY and the default formats; then the layout of the enabled window reader and the formats of the site', async () => {
    t = openTestStation();
    expect(unwrap(await t.api.kioskReading({}))).toEqual({ layout: 'qwerty', formats: DEFAULT_BADGE_FORMATS });
    unwrap(await t.api.configureDevice({ config: { id: 'kiosk-wedge', kind: 'reader', name: 'Kiosk reader', connection: { type: 'window', keyboardLayout: 'azerty' } } }));
    const data = demoReferenceData();
    const formats = [{ alphabet: 'decimal' as const, lengths: [10] }];
    data.sites.find((s) => s.id === DEMO_SITE_ID)!.badgeFormats = formats;
    unwrap(await t.api.importReferenceData({ data }));
    expect(unwrap(await t.api.kioskReading({}))).toEqual({ layout: 'azerty', formats });
    expect(unwrap(await t.api.siteProfile({})).badgeFormats).toEqual(formats);
    // A disabled reader says nothing.
    unwrap(await t.api.configureDevice({ config: { id: 'kiosk-wedge', kind: 'reader', name: 'Kiosk reader', enabled: false, connection: { type: 'window', keyboardLayout: 'azerty' } } }));
    expect(unwrap(await t.api.kioskReading({})).layout).toBe('qwerty');
  });

  it('refuses a layout no reader has, and a format without lengths', async () => {
    t = openTestStation();
    failure(await t.api.configureDevice({ config: { id: 'kiosk-wedge', kind: 'reader', name: 'Kiosk reader', connection: { type: 'window', keyboardLayout: 'dvorak' } } as never }), 'INVALID_INPUT');
    const data = demoReferenceData();
    data.sites[0]!.badgeFormats = [{ alphabet: 'hex', lengths: [] }];
    failure(await t.api.importReferenceData({ data }), 'REFERENCE_DATA_INVALID');
  });
});
