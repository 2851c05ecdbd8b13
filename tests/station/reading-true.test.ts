// What the station tells the desk and the kiosk so that what a person reads is true (issue 15):
// whether the centre is open now, a check-in after hours marked as such (still recorded), the
// service picker's prices VAT included with the billing increment, each hourly line's increment,
// and which printer takes receipts and badges (so the desk can warn before printing to it).
import { afterEach, describe, expect, it } from 'vitest';
import { openingAt } from '../../common/site-hours.js';
import { demoBadges, demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { unwrap } from '../support/ledger.js';

let t: TestStation;
afterEach(() => t?.close());

const louise = { timeZone: 'Europe/Brussels', ...demoReferenceData().sites.find((s) => s.id === 'bxl-louise')! };

describe('what the desk and the kiosk read', () => {
  it('knows when the site is open, by its hours in its own time zone, and when it opens again', () => {
    // Tuesday 24 November 2026, Brussels (UTC+1); weekdays 08:00–19:00, Saturday 09:00–13:00.
    expect(openingAt(louise, Date.parse('2026-11-24T08:00:00Z'))).toEqual({ open: true, closesAt: '2026-11-24T18:00:00.000Z' });
    expect(openingAt(louise, Date.parse('2026-11-24T06:30:00Z'))).toEqual({ open: false, opensAt: '2026-11-24T07:00:00.000Z' });
    expect(openingAt(louise, Date.parse('2026-11-24T18:00:00Z'))).toEqual({ open: false, opensAt: '2026-11-25T07:00:00.000Z' });
    // Saturday afternoon: closed until Monday morning.
    expect(openingAt(louise, Date.parse('2026-11-28T13:30:00Z'))).toEqual({ open: false, opensAt: '2026-11-30T07:00:00.000Z' });
    expect(openingAt({ ...louise, openingHours: {} }, Date.parse('2026-11-24T08:00:00Z'))).toEqual({ open: false });
  });

  it('says whether the site is open now, by the station’s clock; a tap after hours checks in and says the centre is closed', async () => {
    t = openTestStation({ now: '2026-11-24T08:00:00.000Z' });
    const uid = demoBadges().active[0]!.uid;
    expect(unwrap(await t.api.siteOpening({}))).toEqual({ open: true, closesAt: '2026-11-24T18:00:00.000Z' });
    const during = unwrap(await t.api.tap({ uid }));
    expect(during.outcome).toBe('checked_in');
    expect(during.outcome === 'checked_in' && during.closed).toBeUndefined();

    t.clock.set('2026-11-24T19:30:00.000Z');
    expect(unwrap(await t.api.siteOpening({}))).toEqual({ open: false, opensAt: '2026-11-25T07:00:00.000Z' });
    const other = demoBadges().active[1]!.uid;
    const after = unwrap(await t.api.tap({ uid: other }));
    expect(after).toMatchObject({ outcome: 'checked_in', closed: { opensAt: '2026-11-25T07:00:00.000Z' } });
  });

  it('lists services with their price VAT included and the billing increment of hourly ones; hourly lines carry their increment', async () => {
    t = openTestStation();
    const offers = unwrap(await t.api.services({ language: 'fr' }));
    // 2 stars: desk 5.00 € net an hour at 21 % → 6.05 €; per started 15 minutes. Coffee 2.00 → 2.42.
    expect(offers.find((o) => o.code === 'desk_hour')).toMatchObject({ unitPriceCents: 500, vatRateBp: 2100, unitGrossCents: 605, billingIncrementMinutes: 15 });
    expect(offers.find((o) => o.code === 'coffee')).toMatchObject({ unitPriceCents: 200, unitGrossCents: 242 });
    expect(offers.find((o) => o.code === 'coffee')!.billingIncrementMinutes).toBeUndefined();

    const visit = unwrap(await t.api.checkIn({ memberId: demoBadges().active[0]!.memberId }));
    t.clock.advance(60_000);
    unwrap(await t.api.addConsumption({ visitId: visit.visitId, serviceCode: 'coffee', quantity: 1 }));
    const out = unwrap(await t.api.checkOut({ visitId: visit.visitId }));
    // One minute on site, billed a started quarter hour: the line says why.
    expect(out.lines.find((l) => l.serviceCode === 'desk_hour')).toMatchObject({ quantity: 1, billedQuantity: 15, billingIncrementMinutes: 15 });
    expect(out.lines.find((l) => l.serviceCode === 'coffee')!.billingIncrementMinutes).toBeUndefined();
  });

  it('says which printer takes receipts and badges by default — the one a new job goes to — and its fallback', async () => {
    t = openTestStation();
    const tcp = (port: number) => ({ type: 'tcp' as const, host: '127.0.0.1', port });
    unwrap(await t.api.configureDevice({ config: { id: 'spare', kind: 'printer', name: 'Secours', roles: ['receipt'], connection: tcp(9103) } }));
    unwrap(await t.api.configureDevice({ config: { id: 'labels', kind: 'printer', name: 'Étiquettes', language: 'zpl', roles: ['receipt', 'badge'], connection: tcp(9101) } }));
    unwrap(await t.api.configureDevice({ config: { id: 'desk', kind: 'printer', name: 'Accueil', roles: ['receipt'], fallbackId: 'spare', connection: tcp(9102) } }));
    const statuses = unwrap(await t.api.devices({}));
    const visit = unwrap(await t.api.checkIn({ memberId: demoBadges().active[0]!.memberId }));
    const receipt = unwrap(await t.api.printReceipt({ visitId: visit.visitId }));
    const badge = unwrap(await t.api.printBadge({ visitId: visit.visitId }));
    // A label printer never takes receipts; each kind has exactly one default, where its jobs went.
    expect(statuses.filter((d) => d.defaultFor?.includes('receipt')).map((d) => d.id)).toEqual([receipt.printerId]);
    expect(statuses.filter((d) => d.defaultFor?.includes('badge')).map((d) => d.id)).toEqual([badge.printerId]);
    expect(badge.printerId).toBe('labels');
    expect(receipt.printerId).not.toBe('labels');
    expect(statuses.find((d) => d.id === 'desk')).toMatchObject({ fallbackId: 'spare' });
  });
});
