// Reference data import: the demo data imports; a bad file is refused whole, naming the path and
// field at fault, and changes nothing (not even the valid parts of the same file).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceDataInput } from '../../common/reference-data.js';
import { demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { failure, outboxEvents, tableCounts, unwrap } from '../support/ledger.js';
import { contextOf } from '../../main/station/context.js';

let t: TestStation;
beforeAll(() => {
  t = openTestStation({ data: null });
});
afterAll(() => t?.close());

/** The demo data with one harmless change (so "nothing changes" means the valid part too), then `spoil`. */
function spoilt(spoil: (d: ReferenceDataInput) => void): ReferenceDataInput {
  const d = demoReferenceData();
  d.members[0]!.firstName = 'Renamed-In-A-Bad-File';
  spoil(d);
  return d;
}

type ServiceInput = ReferenceDataInput['services'][number];
const service = (d: ReferenceDataInput, code: string): ServiceInput => d.services.find((x) => x.code === code)!;
/** Every price of the service at 0 %, as a zero-rated or exempt service's are. */
const zeroRated = (d: ReferenceDataInput, code: string) => d.tariffs.forEach((t) => t.prices.forEach((p) => p.serviceCode === code && (p.vatRateBp = 0)));
const EXEMPT_REASON = { fr: 'Exonération, art. 44 du Code TVA', nl: 'Vrijstelling, art. 44 Btw-wetboek', en: 'Exempt, art. 44 of the VAT Code', de: 'Steuerbefreit, Art. 44 MwSt-Gesetzbuch' };

const firstName = (id: string) => (contextOf(t.station).db.prepare('SELECT first_name FROM member WHERE id = ?').get(id) as { first_name: string }).first_name;

describe('reference data import', () => {
  it('refuses everything but the import before reference data is there', async () => {
    failure(await t.api.dayFigures({}), 'NOT_CONFIGURED');
    failure(await t.api.siteProfile({}), 'NOT_CONFIGURED');
  });

  it('imports the demo data set of resources/ and records a reference.imported event', async () => {
    const file = JSON.parse(fs.readFileSync(new URL('../../resources/demo/reference-data.json', import.meta.url), 'utf8')) as ReferenceDataInput;
    const summary = unwrap(await t.api.importReferenceData({ data: file, source: 'reference-data.json' }));
    expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.counts).toEqual({
      sites: file.sites.length,
      payers: file.payers.length,
      members: 200,
      badges: file.badges.length,
      services: file.services.length,
      tariffs: 2,
      staff: 2,
      plans: (file.plans ?? []).length,
      subscriptions: (file.subscriptions ?? []).length,
      quotas: (file.quotas ?? []).length,
    });
    const counts = tableCounts(contextOf(t.station).db);
    expect(counts).toMatchObject({ site: file.sites.length, payer: file.payers.length, member: 200, badge: file.badges.length, service: file.services.length, tariff_version: 2, staff: 2 });
    expect(counts.tariff_price).toBe(file.tariffs.reduce((n, v) => n + v.prices.length, 0));
    const site = unwrap(await t.api.siteProfile({}));
    expect(site).toMatchObject({ id: 'bxl-louise', stars: 2, region: 'brussels', timeZone: 'Europe/Brussels' });
    const events = outboxEvents(contextOf(t.station).db);
    expect(events.map((e) => e.type)).toEqual(['reference.imported']);
    expect(events[0]!.payload).toMatchObject({ sha256: summary.sha256, counts: summary.counts });
  });

  it('imports the same data again idempotently (no duplicate rows)', async () => {
    const before = tableCounts(contextOf(t.station).db);
    unwrap(await t.api.importReferenceData({ data: demoReferenceData() }));
    const after = tableCounts(contextOf(t.station).db);
    expect({ ...after, outbox: 0 }).toEqual({ ...before, outbox: 0 });
    expect(after.outbox).toBe(before.outbox + 1);
  });

  const bad: { name: string; spoil: (d: ReferenceDataInput) => void; path: RegExp }[] = [
    { name: 'an invalid e-mail', spoil: (d) => void (d.members[3]!.email = 'not an address'), path: /members\[3\]\.email/ },
    { name: 'a badge of no member', spoil: (d) => void (d.badges[0]!.memberId = 'nobody'), path: /badges\[0\]\.memberId: no member "nobody"/ },
    {
      name: 'an hourly service without a billing increment',
      spoil: (d) => {
        const i = d.tariffs[0]!.prices.findIndex((p) => p.serviceCode === 'meeting_room_hour');
        delete d.tariffs[0]!.prices[i]!.billingIncrementMinutes;
      },
      path: /tariffs\[0\]\.prices\[\d+\]\.billingIncrementMinutes: required for the hourly service "meeting_room_hour"/,
    },
    { name: 'a duplicate member id', spoil: (d) => void (d.members[5]!.id = d.members[4]!.id), path: /members\[5\]\.id: duplicate id "m0005"/ },
    { name: 'a duplicate badge uid', spoil: (d) => void (d.badges[7]!.uid = d.badges[2]!.uid), path: /badges\[7\]\.uid: duplicate uid/ },
    { name: 'a duplicate tariff start date', spoil: (d) => void (d.tariffs[1]!.effectiveFrom = d.tariffs[0]!.effectiveFrom), path: /tariffs\[1\]\.effectiveFrom/ },
    { name: 'a member of no payer', spoil: (d) => void (d.members[10]!.payerId = 'ghost-payer'), path: /members\[10\]\.payerId/ },
    { name: 'a price of no service', spoil: (d) => void (d.tariffs[1]!.prices[2]!.serviceCode = 'espresso_martini'), path: /tariffs\[1\]\.prices\[2\]\.serviceCode/ },
    { name: 'stars out of range', spoil: (d) => void (d.sites[1]!.stars = 4), path: /sites\[1\]\.stars/ },
    { name: 'an unknown language', spoil: (d) => void ((d.members[2] as { language: string }).language = 'it'), path: /members\[2\]\.language/ },
    { name: 'a badge UID with a control character', spoil: (d) => void (d.badges[4]!.uid = 'AB\u0007CD'), path: /badges\[4\]\.uid/ },
    { name: 'closing before opening', spoil: (d) => void (d.sites[0]!.openingHours.mon = { open: '19:00', close: '08:00' }), path: /sites\[0\]\.openingHours\.mon/ },
    { name: 'a negative price', spoil: (d) => void (d.tariffs[0]!.prices[0]!.unitPriceCents = -1), path: /tariffs\[0\]\.prices\[0\]\.unitPriceCents/ },
    { name: 'a wrong format tag', spoil: (d) => void ((d as { format: string }).format = 'escale.reference/2'), path: /format/ },
    // Issue 17's parties: what an invoice names its seller and its buyers by (payers[0] is a company).
    { name: "an enterprise number whose check digits are wrong", spoil: (d) => void (d.payers[0]!.enterpriseNumber = '0412.345.615'), path: /payers\[0\]\.enterpriseNumber: a Belgian enterprise number whose check digits are right/ },
    { name: "a payer's Belgian VAT number whose check digits are wrong", spoil: (d) => void (d.payers[1]!.vatNumber = 'BE0523456739'), path: /payers\[1\]\.vatNumber: a Belgian VAT number whose check digits are right/ },
    { name: 'a Peppol id of another scheme', spoil: (d) => void (d.payers[2]!.peppolId = '9925:BE0634567862'), path: /payers\[2\]\.peppolId: a Peppol id as 0208:/ },
    {
      name: "a Peppol id naming another company than the payer's enterprise and VAT numbers",
      spoil: (d) => void (d.payers[3]!.peppolId = '0208:0412345614'),
      path: /payers\[3\]\.peppolId: Peppol id 0208:0412345614 names enterprise number 0412345614, not the payer's 0745678986/,
    },
    { name: "an enterprise number that is not the VAT number's", spoil: (d) => void ((d.payers[4]!.enterpriseNumber = '0412345614'), delete d.payers[4]!.peppolId), path: /payers\[4\]\.enterpriseNumber: enterprise number 0412345614 is not the one of VAT number BE0856789023/ },
    { name: 'a Peppol id without the enterprise number', spoil: (d) => void delete d.payers[5]!.enterpriseNumber, path: /payers\[5\]\.enterpriseNumber: required with a Peppol id/ },
    { name: "the network's IBAN with a wrong check digit", spoil: (d) => void (d.network!.iban = 'BE71 0961 2345 6768'), path: /network\.iban: an IBAN whose check digits are right/ },
    { name: "the network's Peppol id naming another company than its VAT number", spoil: (d) => void (d.network!.peppolId = '0208:0412345614'), path: /network\.peppolId: Peppol id 0208:0412345614 names enterprise number 0412345614, not the network's 0790123495/ },
    { name: "the network's VAT number of another company than its enterprise number", spoil: (d) => void (d.network!.vatNumber = 'BE0412345614'), path: /network\.enterpriseNumber: enterprise number 0790123495 is not the one of VAT number BE0412345614/ },
    { name: "the network's BIC of 9 characters", spoil: (d) => void (d.network!.bic = 'GKCCBEBB1'), path: /network\.bic: a BIC of 8 or 11 characters/ },
    // Issue 17's VAT treatments: a 0 % service, pass or package says how it is taxed, checked at import.
    {
      name: 'an exempt service with a code but no reason in words',
      spoil: (d) => void (zeroRated(d, 'parking_day'), (service(d, 'parking_day').vatTreatment = { category: 'E', exemptionReasonCode: 'VATEX-EU-132-1F' })),
      path: /services\[8\]\.vatTreatment\.reason: required for an exempt \(E\) supply: the legal ground of the exemption, printed on its invoices/,
    },
    {
      name: 'a zero-rated service whose prices are at 21 %',
      spoil: (d) => void (service(d, 'coffee').vatTreatment = { category: 'Z' }),
      path: /tariffs\[0\]\.prices\[\d+\]\.vatRateBp: the service "coffee" is zero rated \(Z\) by its vatTreatment, so its prices are at 0 %, not 21 %: set vatRateBp to 0, or remove the service's vatTreatment/,
    },
    {
      name: 'a zero-rated service stating an exemption',
      spoil: (d) => void (zeroRated(d, 'parking_day'), (service(d, 'parking_day').vatTreatment = { category: 'Z', exemptionReasonCode: 'VATEX-EU-132' })),
      path: /services\[8\]\.vatTreatment\.exemptionReasonCode: a zero-rated \(Z\) supply states no exemption on its invoices \(Peppol BR-Z-10\)/,
    },
    {
      name: 'an exempt service with the reverse-charge code',
      spoil: (d) => void (zeroRated(d, 'parking_day'), (service(d, 'parking_day').vatTreatment = { category: 'E', exemptionReasonCode: 'VATEX-EU-AE', reason: EXEMPT_REASON })),
      path: /services\[8\]\.vatTreatment\.exemptionReasonCode: VATEX-EU-AE is the code of category AE \(reverse charge\), not of an exemption/,
    },
    {
      name: 'an exempt service with a code of no VATEX list',
      spoil: (d) => void (zeroRated(d, 'parking_day'), (service(d, 'parking_day').vatTreatment = { category: 'E', exemptionReasonCode: 'VATEX-BE-44', reason: EXEMPT_REASON })),
      path: /services\[8\]\.vatTreatment\.exemptionReasonCode: "VATEX-BE-44" is not a VATEX code of an exemption/,
    },
    {
      name: 'an exempt service citing a French ground',
      spoil: (d) => void (zeroRated(d, 'parking_day'), (service(d, 'parking_day').vatTreatment = { category: 'E', exemptionReasonCode: 'VATEX-FR-CGI261-1', reason: EXEMPT_REASON })),
      path: /services\[8\]\.vatTreatment\.exemptionReasonCode: VATEX-FR-CGI261-1 is a French national ground/,
    },
    { name: 'a pass with a treatment at 21 %', spoil: (d) => void (d.plans![0]!.vatTreatment = { category: 'E', reason: EXEMPT_REASON }), path: /plans\[0\]\.vatRateBp: a vatTreatment \(zero rated or exempt\) is for a price at 0 %/ },
    { name: 'a prepaid package with a treatment at 21 %', spoil: (d) => void (d.quotas![0]!.vatTreatment = { category: 'Z' }), path: /quotas\[0\]\.vatRateBp: a vatTreatment \(zero rated or exempt\) is for a price at 0 %/ },
    {
      name: "no price for the workspace service at the site's stars",
      spoil: (d) => void (d.tariffs[1]!.prices = d.tariffs[1]!.prices.filter((p) => !(p.serviceCode === 'desk_hour' && p.stars === 2))),
      path: /tariff-2027 has no price for the workspace service "desk_hour" at 2 stars/,
    },
    {
      name: "no description of this station's site",
      spoil: (d) => {
        d.sites = d.sites.filter((s) => s.id !== 'bxl-louise');
        for (const m of d.members) {
          m.homeSiteId = d.sites[0]!.id;
          delete m.agentSiteId;
        }
      },
      path: /site "bxl-louise"/,
    },
  ];

  for (const c of bad) {
    it(`refuses a file with ${c.name}, naming the field, and changes nothing`, async () => {
      const db = contextOf(t.station).db;
      const before = tableCounts(db);
      const site = JSON.stringify(db.prepare('SELECT * FROM site').all());
      const prices = JSON.stringify(db.prepare('SELECT * FROM tariff_price ORDER BY 1, 2, 3').all());
      const error = failure(await t.api.importReferenceData({ data: spoilt(c.spoil), source: 'bad.json' }), 'REFERENCE_DATA_INVALID');
      expect(error.message).toMatch(c.path);
      expect(error.message).toMatch(/nothing was imported/);
      expect(tableCounts(db)).toEqual(before);
      expect(firstName('m0001')).not.toBe('Renamed-In-A-Bad-File');
      expect(JSON.stringify(db.prepare('SELECT * FROM site').all())).toBe(site);
      expect(JSON.stringify(db.prepare('SELECT * FROM tariff_price ORDER BY 1, 2, 3').all())).toBe(prices);
    });
  }

  it('imports a zero-rated service and an exempt one with its VATEX code and its ground in four languages', async () => {
    const d = demoReferenceData();
    zeroRated(d, 'parking_day');
    zeroRated(d, 'sandwich');
    service(d, 'parking_day').vatTreatment = { category: 'E', exemptionReasonCode: 'VATEX-EU-132-1F', reason: EXEMPT_REASON };
    service(d, 'sandwich').vatTreatment = { category: 'Z' };
    unwrap(await t.api.importReferenceData({ data: d, source: 'treatments.json' }));
    // And the demo file as it was (no treatment, 0 % nowhere) imports again as before.
    unwrap(await t.api.importReferenceData({ data: demoReferenceData() }));
  });

  it('refuses what is not reference data at all', async () => {
    const before = tableCounts(contextOf(t.station).db);
    for (const data of [null, 42, 'text', [], { format: 'escale.reference/1' }]) {
      const error = failure(await t.api.importReferenceData({ data }), 'REFERENCE_DATA_INVALID');
      expect(error.message).toMatch(/refused/);
    }
    expect(tableCounts(contextOf(t.station).db)).toEqual(before);
  });

  it('reports how many more problems a file has, and lists them in the detail', async () => {
    const error = failure(
      await t.api.importReferenceData({
        data: spoilt((d) => {
          d.badges[0]!.memberId = 'nobody';
          d.badges[1]!.memberId = 'nobody-either';
        }),
      }),
      'REFERENCE_DATA_INVALID',
    );
    expect(error.message).toMatch(/and 1 more problem/);
    expect(error.detail).toMatch(/badges\[0\]\.memberId/);
    expect(error.detail).toMatch(/badges\[1\]\.memberId/);
  });

  it('applies a good change of an existing member on re-import', async () => {
    const d = demoReferenceData();
    d.members[0]!.lastName = 'Krings-Thelen';
    unwrap(await t.api.importReferenceData({ data: d }));
    const hits = unwrap(await t.api.search({ query: 'krings-thelen' }));
    expect(hits.map((h) => h.person.id)).toEqual(['m0001']);
  });

  it('stores the badges of a file in their canonical form, and refuses two that differ only in case', async () => {
    const d = demoReferenceData();
    d.badges.push({ uid: 'c0ffee01', memberId: d.members[1]!.id, kind: 'rfid', status: 'active' });
    unwrap(await t.api.importReferenceData({ data: d }));
    const uids = contextOf(t.station).db.prepare(`SELECT uid FROM badge WHERE member_id = ?`).pluck().all(d.members[1]!.id);
    expect(uids).toContain('C0FFEE01');
    expect(uids).not.toContain('c0ffee01');
    const twice = demoReferenceData();
    twice.badges.push({ uid: 'c0ffee02', memberId: d.members[1]!.id, kind: 'rfid', status: 'active' }, { uid: 'C0FFEE02', memberId: d.members[2]!.id, kind: 'rfid', status: 'active' });
    const e = failure(await t.api.importReferenceData({ data: twice }), 'REFERENCE_DATA_INVALID');
    expect(e.message + (e.detail ?? '')).toContain('C0FFEE02');
  });
});
