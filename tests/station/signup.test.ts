// Agent sale at the station, without a hub: a new member signed up at the reception exists at once
// under an id the station made, checks in, taps their new badge, and is "awaiting" the network; the
// event carries what the hub needs; bad input is refused naming the field, nothing written; the
// welcome slip is queued in the member's language (or its absence said, the sign-up standing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventPayloadSchemas } from '../../common/events.js';
import { PRIVACY_VERSION, TERMS_VERSION, normaliseVatNumber, vatNumberProblem } from '../../common/signup.js';
import type { StationInput } from '../../common/station-api.js';
import { encodeEscPos } from '../../main/hardware/printers/escpos.js';
import type { PrintDocument } from '../../common/documents/print-documents.js';
import { demoBadges, openTestStation, type TestStation } from '../support/station-fixture.js';
import { count, failure, lastPosition, ledgerProblems, outboxEvents, typesAfter, unwrap } from '../support/ledger.js';
import { contextOf } from '../../main/station/context.js';
import { shortMemberNumber } from '../../common/member-number.js';

let t: TestStation;
const db = () => contextOf(t.station).db;

beforeAll(() => {
  t = openTestStation();
});
afterAll(() => {
  expect(ledgerProblems(db())).toEqual([]);
  t?.close();
});

const base = (over: Partial<StationInput<'signUpMember'>> = {}): StationInput<'signUpMember'> => ({
  firstName: 'Lucie',
  lastName: 'Verbeke',
  email: 'Lucie.Verbeke@example.be',
  language: 'nl',
  payer: { kind: 'company', payerId: 'acme-logistics' },
  termsAccepted: true,
  privacyAccepted: true,
  badge: { kind: 'rfid', uid: '04A1B2C3D4' },
  ...over,
});

describe('VAT numbers', () => {
  it('checks a Belgian number’s check digits, and only the form of other EU numbers', () => {
    // 97 − (01234567 mod 97) = 49.
    expect(vatNumberProblem('BE0123456749')).toBeUndefined();
    expect(vatNumberProblem('BE0123456748')).toBe('check_digits');
    expect(vatNumberProblem('BE2123456749')).toBe('format');
    expect(vatNumberProblem('BE012345674')).toBe('format');
    expect(vatNumberProblem('NL123456789B01')).toBeUndefined();
    expect(vatNumberProblem('US123456789')).toBe('country');
    expect(vatNumberProblem('0123456749')).toBe('format');
    expect(normaliseVatNumber('be 0123.456.749')).toBe('BE0123456749');
  });
});

describe('signing a new member up', () => {
  it('creates the member at once under a station-made id, checks them in, and appends member.signed_up before the check-in', async () => {
    const pos = lastPosition(db());
    const r = unwrap(await t.api.signUpMember(base()));
    expect(r.signUp.memberId).toMatch(/^m-[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.signUp).toMatchObject({
      state: 'awaiting',
      email: 'lucie.verbeke@example.be',
      payer: { id: 'acme-logistics', kind: 'company', name: 'Acme Logistics SA' },
      badge: { uid: '04A1B2C3D4', kind: 'rfid' },
      signedUpOn: '2026-11-24',
      person: { kind: 'member', firstName: 'Lucie', lastName: 'Verbeke', language: 'nl', company: 'Acme Logistics SA' },
    });
    expect(r.visit).toMatchObject({ person: { id: r.signUp.memberId }, badgeUid: '04A1B2C3D4', checkedInBy: 'staff' });
    // No printer is set up: the sign-up stands, and the answer says why no slip was queued.
    expect(r.welcomePrint).toBeUndefined();
    expect(r.welcomePrintError?.code).toBe('NOT_CONFIGURED');
    expect(typesAfter(db(), pos)).toEqual(['member.signed_up', 'visit.checked_in']);
    const [event] = outboxEvents(db(), pos);
    const payload = eventPayloadSchemas['member.signed_up'].parse(event!.payload);
    expect(payload).toEqual({
      memberId: r.signUp.memberId,
      siteId: 'bxl-louise',
      person: { firstName: 'Lucie', lastName: 'Verbeke', email: 'lucie.verbeke@example.be', language: 'nl' },
      payer: { kind: 'company', payerId: 'acme-logistics' },
      consent: { termsVersion: TERMS_VERSION, privacyVersion: PRIVACY_VERSION, acceptedAt: '2026-11-24T08:00:00.000Z' },
      badge: { uid: '04A1B2C3D4', kind: 'rfid' },
      signedUpOn: '2026-11-24',
      at: '2026-11-24T08:00:00.000Z',
    });
    // The new badge works at once: the next tap checks them out.
    t.clock.advance(90 * 60_000);
    const tap = unwrap(await t.api.tap({ uid: '04A1B2C3D4' }));
    expect(tap).toMatchObject({ outcome: 'checked_out', visit: { person: { id: r.signUp.memberId }, durationMinutes: 90 } });
    // Found by the reception as awaiting the network.
    expect(unwrap(await t.api.search({ query: 'Verbeke' }))).toEqual([expect.objectContaining({ signUp: 'awaiting', person: expect.objectContaining({ id: r.signUp.memberId }) })]);
    expect(unwrap(await t.api.signUps({}))[0]).toMatchObject({ memberId: r.signUp.memberId, state: 'awaiting' });
  });

  it('signs up a member paying for themself: their own payer with the billing address and VAT number; a QR badge made here', async () => {
    const pos = lastPosition(db());
    const r = unwrap(
      await t.api.signUpMember(
        base({
          firstName: 'Jonas',
          lastName: 'Dubois',
          email: 'jonas@dubois.example',
          language: 'fr',
          payer: { kind: 'self', billingAddress: { street: 'Rue de la Loi 16', postalCode: '1000', city: 'Bruxelles', country: 'be' }, vatNumber: 'be 0123.456.749' },
          badge: { kind: 'qr' },
          checkIn: false,
        }),
      ),
    );
    expect(r.visit).toBeUndefined();
    expect(r.signUp.payer).toEqual({ id: r.signUp.memberId.replace(/^m-/, 'p-'), kind: 'self', name: 'Jonas Dubois' });
    expect(r.signUp.badge?.kind).toBe('qr');
    expect(r.signUp.badge?.uid).toMatch(/^QR-[0-9A-F]{16}$/);
    expect(typesAfter(db(), pos)).toEqual(['member.signed_up']);
    const payload = eventPayloadSchemas['member.signed_up'].parse(outboxEvents(db(), pos)[0]!.payload);
    expect(payload.payer).toEqual({
      kind: 'self',
      payerId: r.signUp.payer.id,
      name: 'Jonas Dubois',
      billingAddress: { street: 'Rue de la Loi 16', postalCode: '1000', city: 'Bruxelles', country: 'BE' },
      vatNumber: 'BE0123456749',
    });
    // The QR badge checks them in like a card.
    expect(unwrap(await t.api.tap({ uid: r.signUp.badge!.uid }))).toMatchObject({ outcome: 'checked_in', visit: { person: { id: r.signUp.memberId } } });
  });

  it('queues the welcome slip in the member’s language on the receipt printer, with the QR badge on it', async () => {
    unwrap(await t.api.configureDevice({ config: { id: 'desk', kind: 'printer', name: 'Desk printer', connection: { type: 'tcp', host: '127.0.0.1', port: 9 } } }));
    const r = unwrap(await t.api.signUpMember(base({ firstName: 'Anke', lastName: 'Schmitz', email: 'anke@schmitz.example', language: 'de', badge: { kind: 'qr' }, checkIn: false })));
    expect(r.welcomePrint).toMatchObject({ kind: 'receipt', printerId: 'desk', state: 'queued' });
    const row = db().prepare('SELECT document FROM print_job WHERE id = ?').get(r.welcomePrint!.id) as { document: string };
    const doc = JSON.parse(row.document) as PrintDocument;
    expect(doc).toMatchObject({ kind: 'welcome', language: 'de', memberId: r.signUp.memberId, person: { name: 'Anke Schmitz' }, badge: { kind: 'qr', uid: r.signUp.badge!.uid } });
    const text = Buffer.from(encodeEscPos(doc)).toString('latin1');
    expect(text).toContain('Willkommen im Escale-Netzwerk');
    // A member number a person can read, not the network's m-<uuid> id.
    expect(text).toContain(shortMemberNumber(r.signUp.memberId));
    expect(text).not.toContain(r.signUp.memberId);
    expect(text).toContain(TERMS_VERSION);
    // Printed again on request: the same document.
    const again = unwrap(await t.api.printWelcome({ memberId: r.signUp.memberId }));
    expect(JSON.parse((db().prepare('SELECT document FROM print_job WHERE id = ?').get(again.id) as { document: string }).document)).toEqual(doc);
    failure(await t.api.printWelcome({ memberId: demoBadges().active[0]!.memberId }), 'NOT_FOUND');
    unwrap(await t.api.removeDevice({ id: 'desk' }));
  });
});

describe('bad input is refused naming the field, nothing written', () => {
  const refused = async (input: unknown, code: string, field: string, words: RegExp) => {
    const pos = lastPosition(db());
    const members = count(db(), 'member');
    const e = failure(await t.api.signUpMember(input as StationInput<'signUpMember'>), code as never);
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${field}: `)).toBe(true);
    expect(e.message).toMatch(words);
    expect(typesAfter(db(), pos)).toEqual([]);
    expect(count(db(), 'member')).toBe(members);
  };

  it('an invalid e-mail address', async () => {
    await refused(base({ email: 'lucie.verbeke@' }), 'INVALID_INPUT', 'email', /e-mail address/);
  });

  it('a VAT number with a wrong check digit, and one that is no EU VAT number', async () => {
    const self = (vatNumber: string) => base({ payer: { kind: 'self', billingAddress: { street: 'Kerkstraat 1', postalCode: '9000', city: 'Gent' }, vatNumber } });
    await refused(self('BE0123456748'), 'INVALID_INPUT', 'payer.vatNumber', /check digits do not match/);
    await refused(self('US123456789'), 'INVALID_INPUT', 'payer.vatNumber', /not an EU VAT number/);
  });

  it('missing consent to the terms, or to the privacy notice', async () => {
    const { termsAccepted: _t, ...noTerms } = base();
    await refused(noTerms, 'INVALID_INPUT', 'termsAccepted', /accept the network’s terms/);
    await refused({ ...base(), privacyAccepted: false }, 'INVALID_INPUT', 'privacyAccepted', /privacy notice/);
  });

  it('a missing billing address for a self-paying member, an unknown company, a card that is someone’s already', async () => {
    await refused(base({ payer: { kind: 'self' } as never }), 'INVALID_INPUT', 'payer.billingAddress', /expected object/i);
    await refused(base({ payer: { kind: 'company', payerId: 'no-such-company' } }), 'NOT_FOUND', 'payer.payerId', /no company "no-such-company"/);
    const taken = demoBadges().active[0]!.uid;
    await refused(base({ badge: { kind: 'rfid', uid: taken } }), 'CONFLICT', 'badge.uid', new RegExp(`card ${taken} already belongs to`));
  });
});
