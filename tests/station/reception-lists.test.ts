// The two lists the reception window needs from the station: its staff (for the PIN sign-in,
// never their PIN hashes) and the services priced at this site today, named in a language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { failure, unwrap } from '../support/ledger.js';

let t: TestStation;
beforeAll(() => {
  t = openTestStation();
});
afterAll(() => t?.close());

describe('staff', () => {
  it('lists the site’s reception staff by name, with no PIN hash', async () => {
    const staff = unwrap(await t.api.staff({}));
    expect(staff).toEqual(DEMO_STAFF.map(({ id, name }) => ({ id, name })));
    expect(JSON.stringify(staff)).not.toMatch(/scrypt|pin/i);
  });
});

describe('services', () => {
  it('lists the services priced at this site’s star level today, named in the language asked', async () => {
    const data = demoReferenceData();
    const fr = unwrap(await t.api.services({ language: 'fr' }));
    const coffee = fr.find((s) => s.code === 'coffee');
    expect(coffee).toEqual({ code: 'coffee', name: 'Café', unit: 'item', unitGrossCents: 242, category: 'food', unitPriceCents: 200, vatRateBp: 2100 });
    expect(unwrap(await t.api.services({ language: 'nl' })).find((s) => s.code === 'coffee')?.name).toBe('Koffie');
    expect(unwrap(await t.api.services({})).find((s) => s.code === 'desk_hour')).toMatchObject({ name: 'Desk (hour)', unit: 'hour', unitPriceCents: 500 });
    // Every service listed has a price in the version in force; none is listed twice.
    expect(new Set(fr.map((s) => s.code)).size).toBe(fr.length);
    for (const s of fr) expect(data.services.some((d) => d.code === s.code)).toBe(true);
  });

  it('refuses a language the network does not speak', async () => {
    failure(await t.api.services({ language: 'es' as 'fr' }), 'INVALID_INPUT');
  });

  it('says so when no tariff is in force yet', async () => {
    const early = openTestStation({ now: '2020-01-06T08:00:00.000Z' });
    try {
      const e = failure(await early.api.services({ language: 'en' }), 'NOT_CONFIGURED');
      expect(e.message).toMatch(/No tariff is in force on 2020-01-06/);
    } finally {
      early.close();
    }
  });
});
