// Reference data at the hub: a whole file, one entity, members from CSV — each validated whole,
// refused with the line and column at fault, and written as changes with increasing cursors.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteHubStore } from '../../server/store/sqlite-store.js';
import { HubInputError, assignBadge, importMembersCsv, importReference, parseCsv, putEntity, setBadgeStatus } from '../../server/hub/reference-admin.js';
import { demoReferenceData, tempDir } from '../support/station-fixture.js';

let store: SqliteHubStore;
const at = '2026-11-24T08:00:00.000Z';

beforeEach(async () => {
  store = new SqliteHubStore(path.join(tempDir(), 'hub.sqlite'));
  await importReference(store, demoReferenceData(), at);
});
afterEach(() => store.close());

async function refused(p: Promise<unknown>, pattern: RegExp) {
  await expect(p).rejects.toBeInstanceOf(HubInputError);
  await expect(p).rejects.toThrow(pattern);
}

describe('CSV', () => {
  it('splits quoted fields, doubled quotes and both line endings', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n\nlast,\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['last', ''],
    ]);
  });
});

describe('members from CSV', () => {
  const header = 'id,payerId,firstName,lastName,email,language,status,homeSiteId,agentSiteId';

  it('imports the members, each a change the stations pull', async () => {
    const before = await store.referencePage(0, false, 5000);
    const r = await importMembersCsv(store, `\uFEFF${header}\nn0001,acme-logistics,Élise,"Van Damme, Jr",elise@acme.example,fr,active,bxl-louise,\nn0002,brugse-data,Pieter,Claes,pieter@bd.example,nl,active,gent-zuid,bxl-louise\n`, at);
    expect(r.members).toBe(2);
    expect(r.cursor).toBe(before.cursor + 2);
    expect(await store.getReference('member', 'n0001')).toMatchObject({ firstName: 'Élise', lastName: 'Van Damme, Jr', payerId: 'acme-logistics' });
    expect(await store.getReference('member', 'n0002')).toMatchObject({ agentSiteId: 'bxl-louise' });
  });

  it('refuses the whole file with the line and column at fault', async () => {
    const count = (await store.listReference('member')).length;
    await refused(importMembersCsv(store, `${header}\nn0001,acme-logistics,A,B,a@b.example,fr,active,bxl-louise,\nn0002,acme-logistics,C,D,not-an-email,fr,active,bxl-louise,\n`, at), /line 3, column email/);
    await refused(importMembersCsv(store, `${header}\nn0003,no-such-payer,A,B,a@b.example,fr,active,bxl-louise,\n`, at), /line 2, column payerId: no payer "no-such-payer"/);
    await refused(importMembersCsv(store, `${header}\nn0004,acme-logistics,A,B,a@b.example,fr,active,atlantis,\n`, at), /line 2, column homeSiteId/);
    await refused(importMembersCsv(store, 'id,firstName\nx,y\n', at), /header lacks the column "payerId"/);
    expect(await store.listReference('member')).toHaveLength(count);
    expect(await store.getReference('member', 'n0001')).toBeUndefined();
  });
});

describe('one entity', () => {
  it('creates or replaces a site, a tariff version, a staff member — validated by its schema', async () => {
    const site = { id: 'mons-grand-place', name: 'Escale Mons', region: 'wallonia', stars: 1, openingHours: { mon: { open: '08:00', close: '18:00' } }, membership: { status: 'trial', trialUntil: '2027-11-30' } };
    expect(await putEntity(store, 'site', site, at)).toMatchObject({ entity: 'site', key: 'mons-grand-place' });
    expect(await store.getReference('site', 'mons-grand-place')).toMatchObject({ stars: 1, timeZone: 'Europe/Brussels' });
    const tariff = demoReferenceData().tariffs[1]!;
    expect((await putEntity(store, 'tariff', { ...tariff, id: 'tariff-2028', effectiveFrom: '2028-01-01' }, at)).key).toBe('tariff-2028');
    await refused(putEntity(store, 'site', { ...site, stars: 4 }, at), /site refused: stars/);
    await refused(putEntity(store, 'staff', { id: 'x', name: 'X', pinHash: demoReferenceData().staff![0]!.pinHash }, at), /siteId: required at the hub/);
    await refused(putEntity(store, 'planet', {}, at), /no entity "planet"/);
  });

  it('creates passes, subscriptions and quotas, refusing what names nothing at the hub', async () => {
    const plan = { id: 'pass-liege', kind: 'pass', name: 'Pass Liège', monthlyFeeCents: 9000, vatRateBp: 2100, sites: ['liege-guillemins'] };
    expect(await putEntity(store, 'plan', plan, at)).toMatchObject({ entity: 'plan', key: 'pass-liege' });
    await refused(putEntity(store, 'plan', { ...plan, sites: ['atlantis'] }, at), /plan refused: sites\[0\]: no site "atlantis"/);
    await refused(putEntity(store, 'plan', { ...plan, monthlyFeeCents: 12.5 }, at), /plan refused: monthlyFeeCents/);
    const sub = { id: 'sub-x', memberId: 'm0002', planId: 'pass-liege', from: '2026-12-01' };
    expect(await putEntity(store, 'subscription', sub, at)).toMatchObject({ key: 'sub-x' });
    await refused(putEntity(store, 'subscription', { ...sub, planId: 'pass-mars' }, at), /planId: no plan "pass-mars"/);
    await refused(putEntity(store, 'subscription', { ...sub, memberId: 'm9999' }, at), /memberId: no member "m9999"/);
    await refused(putEntity(store, 'subscription', { ...sub, until: '2026-11-30' }, at), /until must not be before from/);
    const quota = {
      id: 'q-meridian', payerId: 'meridian-pharma', name: 'Meridian 10 h', minutes: 600, priceCents: 4500, vatRateBp: 2100,
      validFrom: '2026-11-01', validUntil: '2027-10-31', allocations: [{ memberId: 'm0003', minutes: 600 }],
    };
    expect(await putEntity(store, 'quota', quota, at)).toMatchObject({ key: 'q-meridian' });
    expect(await store.getReference('quota', 'q-meridian')).toMatchObject({ used: {} });
    await refused(putEntity(store, 'quota', { ...quota, allocations: [{ memberId: 'm0002', minutes: 60 }] }, at), /member "m0002" is not on the staff of payer "meridian-pharma"/);
    await refused(putEntity(store, 'quota', { ...quota, allocations: [{ memberId: 'm0003', minutes: 601 }] }, at), /allocations: the allocations add up to more minutes/);
  });
});

describe('VAT treatments (issue 17)', () => {
  const reason = { fr: 'Exonération, art. 44 du Code TVA', nl: 'Vrijstelling, art. 44 Btw-wetboek', en: 'Exempt, art. 44 of the VAT Code', de: 'Steuerbefreit, Art. 44 MwSt-Gesetzbuch' };

  it('keeps a service, a pass and a package with their treatment, and refuses one whose rates at the hub contradict it', async () => {
    const locker = { code: 'locker_day', names: { fr: 'Casier (jour)', nl: 'Locker (dag)', en: 'Locker (day)', de: 'Schließfach (Tag)' }, unit: 'day', category: 'other' };
    expect(await putEntity(store, 'service', { ...locker, vatTreatment: { category: 'E', exemptionReasonCode: 'VATEX-EU-132-1F', reason } }, at)).toMatchObject({ key: 'locker_day' });
    expect(await store.getReference('service', 'locker_day')).toMatchObject({ vatTreatment: { category: 'E', exemptionReasonCode: 'VATEX-EU-132-1F', reason } });
    // A tariff version pricing it at 21 %, then a treatment given to a service the hub prices at 21 %.
    const tariff = demoReferenceData().tariffs[1]!;
    const taxed = { ...tariff, id: 'tariff-2029', effectiveFrom: '2029-01-01', prices: [...tariff.prices, { serviceCode: 'locker_day', stars: 1, unitPriceCents: 300, vatRateBp: 2100 }] };
    await refused(putEntity(store, 'tariff', taxed, at), /tariff refused: prices\[27\]\.vatRateBp: the service "locker_day" is exempt \(E\) by its vatTreatment, so its prices are at 0 %, not 21 %/);
    const coffee = demoReferenceData().services.find((x) => x.code === 'coffee')!;
    await refused(putEntity(store, 'service', { ...coffee, vatTreatment: { category: 'Z' } }, at), /service refused: vatTreatment: the service "coffee" is zero rated \(Z\) by its vatTreatment, so its prices are at 0 %, not 21 %: set its prices in tariff version "tariff-20\d\d" to 0 % first/);
    await refused(putEntity(store, 'service', { ...locker, vatTreatment: { category: 'E' } }, at), /service refused: vatTreatment\.reason: required for an exempt \(E\) supply/);
    const plan = { id: 'pass-exempt', kind: 'pass', name: 'Pass', monthlyFeeCents: 9000, vatRateBp: 0, sites: 'all', vatTreatment: { category: 'Z' } };
    expect(await putEntity(store, 'plan', plan, at)).toMatchObject({ key: 'pass-exempt' });
    await refused(putEntity(store, 'plan', { ...plan, vatRateBp: 2100 }, at), /plan refused: vatRateBp: a vatTreatment \(zero rated or exempt\) is for a price at 0 %/);
  });
});

describe("payers' parties (issue 17)", () => {
  const company = {
    id: 'gent-print', kind: 'company', name: 'Gent Print BV', language: 'nl', vatNumber: 'BE0712340185', enterpriseNumber: '0712.340.185',
    peppolId: '0208:0712340185', billingAddress: { street: 'Veldstraat 1', postalCode: '9000', city: 'Gent' },
  };

  it('keeps a company with its enterprise number, VAT number and Peppol id, compacted', async () => {
    await putEntity(store, 'payer', company, at);
    expect(await store.getReference('payer', 'gent-print')).toMatchObject({ enterpriseNumber: '0712340185', peppolId: '0208:0712340185', billingAddress: { country: 'BE' } });
    // A person paying for themself names none of them: invoices as PDF only.
    await putEntity(store, 'payer', { id: 'self-x', kind: 'self', name: 'Lotte Maes', language: 'nl' }, at);
  });

  it('refuses a Peppol id, an enterprise number or a VAT number that name different companies, and a Peppol id without address', async () => {
    await refused(putEntity(store, 'payer', { ...company, peppolId: '0208:0123456749' }, at), /payer refused: peppolId: Peppol id 0208:0123456749 names enterprise number 0123456749, not the payer's 0712340185/);
    await refused(putEntity(store, 'payer', { ...company, enterpriseNumber: '0123456749', peppolId: '0208:0123456749' }, at), /payer refused: enterpriseNumber: enterprise number 0123456749 is not the one of VAT number BE0712340185/);
    await refused(putEntity(store, 'payer', { ...company, vatNumber: 'BE0712340158' }, at), /payer refused: vatNumber: a Belgian VAT number whose check digits are right/);
    const { billingAddress: _a, ...noAddress } = company;
    await refused(putEntity(store, 'payer', noAddress, at), /payer refused: billingAddress: required with a Peppol id/);
    await refused(putEntity(store, 'payer', { ...company, enterpriseNumber: '0712340186' }, at), /payer refused: enterpriseNumber: a Belgian enterprise number whose check digits are right/);
    expect(await store.getReference('payer', 'gent-print')).toBeFalsy();
  });

  it('refuses a whole file whose payer names another company by its Peppol id, with the path at fault', async () => {
    const data = demoReferenceData();
    data.payers[1]!.peppolId = '0208:0412345614';
    const cursor = (await store.referencePage(0, false, 1)).cursor;
    await refused(importReference(store, data, at), /payers\[1\]\.peppolId: Peppol id 0208:0412345614 names enterprise number 0412345614, not the payer's 0523456738/);
    expect((await store.referencePage(0, false, 1)).cursor).toBe(cursor);
  });
});

describe('a whole reference file', () => {
  it('is refused whole when a staff member lacks the site', async () => {
    const data = demoReferenceData();
    delete data.staff![0]!.siteId;
    const cursor = (await store.referencePage(0, false, 1)).cursor;
    await refused(importReference(store, data, at), /staff\[0\]\.siteId/);
    expect((await store.referencePage(0, false, 1)).cursor).toBe(cursor);
  });
});

describe('badge numbers', () => {
  it('keeps every badge under its canonical number, whatever case the file, the entity or the URL gave', async () => {
    const data = demoReferenceData();
    data.badges.push({ uid: 'c0ffee03', memberId: 'm0002', kind: 'rfid', status: 'active' });
    await importReference(store, data, at);
    expect(await store.getReference('badge', 'C0FFEE03')).toMatchObject({ uid: 'C0FFEE03', memberId: 'm0002' });
    expect(await store.getReference('badge', 'c0ffee03')).toBeUndefined();
    expect(await putEntity(store, 'badge', { uid: 'c0ffee04', memberId: 'm0002', kind: 'qr', status: 'active' }, at)).toMatchObject({ key: 'C0FFEE04' });
    await assignBadge(store, '7e001fa2b4', 'm0003', 'rfid', at);
    expect(await store.getReference('badge', '7E001FA2B4')).toMatchObject({ uid: '7E001FA2B4', memberId: 'm0003' });
    await refused(assignBadge(store, '7E001fa2B4', 'm0002', 'rfid', at), /belongs to member m0003/);
    await setBadgeStatus(store, '7e001FA2b4', 'lost', at);
    expect(await store.getReference('badge', '7E001FA2B4')).toMatchObject({ status: 'lost' });
    await refused(setBadgeStatus(store, 'ab cd', 'lost', at), /badge number refused/);
  });
});
