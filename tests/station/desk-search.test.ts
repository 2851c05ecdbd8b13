// The reception's search as a busy morning uses it: three homonyms, the one on site first; an exact
// badge, member number or e-mail before names; what tells homonyms apart on each row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoReferenceData, openTestStation, type TestStation } from '../support/station-fixture.js';
import { unwrap } from '../support/ledger.js';
import { shortMemberNumber } from '../../common/member-number.js';

let t: TestStation;
const data = demoReferenceData();
const company = data.payers.find((p) => p.kind === 'company')!;
const other = data.payers.filter((p) => p.kind === 'company')[1]!;
const homonym = (id: string, payerId: string, email: string) => ({ id, payerId, firstName: 'Jeroen', lastName: 'Mertens', email, language: 'nl' as const, status: 'active' as const, homeSiteId: data.members[0]!.homeSiteId });
// Ids in the order a name sort would list them: the one on site is the last.
data.members.push(
  homonym('m9001', company.id, 'jeroen.mertens@a.example'),
  homonym('m9002', other.id, 'j.mertens@b.example'),
  homonym('m-019aff00-0000-7000-8000-00000a1b2c3d', company.id, 'jm@c.example'),
);
data.badges.push({ uid: '00AA00BB01', memberId: 'm9002', kind: 'rfid', status: 'active' });

beforeAll(() => {
  t = openTestStation({ data });
});
afterAll(() => t?.close());

describe('the reception search', () => {
  it('lists a homonym on site first, with when they arrived, and what tells the others apart', async () => {
    const last = 'm-019aff00-0000-7000-8000-00000a1b2c3d';
    const visit = unwrap(await t.api.checkIn({ memberId: last }));
    const hits = unwrap(await t.api.search({ query: 'Jeroen Mertens' }));
    // The demo data has Jeroen Mertens too; the one on site comes first of them all.
    expect(hits[0]!.person.id).toBe(last);
    expect(hits.filter((h) => h.person.id.startsWith('m9')).map((h) => h.person.id)).toEqual(['m9001', 'm9002']);
    expect(hits[0]!.onSiteSince).toBe(visit.checkedInAt);
    expect(hits[0]!.openVisitId).toBe(visit.visitId);
    expect(hits[0]!.memberNumber).toBe('0A1B2C3D');
    expect(hits[1]!.onSiteSince).toBeUndefined();
    const mine = hits.filter((h) => h.person.id === last || h.person.id.startsWith('m9'));
    expect(mine.map((h) => h.person.company)).toEqual([company.name, company.name, other.name]);
  });

  it('ranks an exact badge, member number or e-mail before names', async () => {
    // "mertens" is in every homonym's e-mail; the second's badge number is typed exactly.
    expect(unwrap(await t.api.search({ query: '00aa00bb01' }))[0]).toMatchObject({ person: { id: 'm9002' }, exact: true });
    expect(unwrap(await t.api.search({ query: 'j.mertens@b.example' }))[0]).toMatchObject({ person: { id: 'm9002' }, exact: true });
    const byShort = unwrap(await t.api.search({ query: '0a1b2c3d' }));
    expect(byShort.map((h) => h.person.id)).toEqual(['m-019aff00-0000-7000-8000-00000a1b2c3d']);
    expect(shortMemberNumber('m0001')).toBe('m0001');
  });

  it('puts a guest on site before members who are not', async () => {
    unwrap(await t.api.registerGuest({ firstName: 'Zoë', lastName: 'Mertens', consent: true }));
    const hits = unwrap(await t.api.search({ query: 'Mertens' }));
    expect(hits.slice(0, 2).map((h) => `${h.person.kind} ${h.person.firstName}`).sort()).toEqual(['guest Zoë', 'member Jeroen']);
    expect(hits.slice(0, 2).every((h) => h.openVisitId)).toBe(true);
    expect(hits.slice(2).every((h) => !h.openVisitId)).toBe(true);
  });
});
