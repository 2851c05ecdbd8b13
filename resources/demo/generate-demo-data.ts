// Writes resources/demo/reference-data.json: a realistic network as a 2-star Brussels station
// sees it (sites, ~200 members of several payers, badges, the catalogue, two tariff versions,
// reception staff, passes and their subscribers, a company's prepaid hours). Deterministic but for
// the PIN salts. Run: npm run demo:data
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReferenceDataInput, Language } from '../../common/reference-data.js';
import { hashPin } from '../../main/station/staff/pin.js';

export const DEMO_SITE_ID = 'bxl-louise';
export const DEMO_STAFF = [
  // Amélie runs the reception (a supervisor: the hub connection, devices, unlocking a clerk).
  { id: 'amelie', name: 'Amélie Dupont', pin: '2468', role: 'supervisor' as const },
  { id: 'joris', name: 'Joris Peeters', pin: '1357', role: 'clerk' as const },
];

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const weekdays = { open: '08:00', close: '19:00' };
const sitesWithoutLegal: ReferenceDataInput['sites'] = [
  { id: 'bxl-louise', name: 'Escale Bruxelles Louise', region: 'brussels', stars: 2, timeZone: 'Europe/Brussels',
    openingHours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays, sat: { open: '09:00', close: '13:00' } },
    membership: { status: 'confirmed' } },
  { id: 'bxl-schuman', name: 'Escale Bruxelles Schuman', region: 'brussels', stars: 3, timeZone: 'Europe/Brussels',
    openingHours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays }, membership: { status: 'confirmed' } },
  { id: 'gent-zuid', name: 'Escale Gent Zuid', region: 'flanders', stars: 3, timeZone: 'Europe/Brussels',
    openingHours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays }, membership: { status: 'confirmed' } },
  { id: 'antwerpen-centraal', name: 'Escale Antwerpen Centraal', region: 'flanders', stars: 2, timeZone: 'Europe/Brussels',
    openingHours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays }, membership: { status: 'confirmed' } },
  { id: 'leuven-station', name: 'Escale Leuven Station', region: 'flanders', stars: 2, timeZone: 'Europe/Brussels',
    openingHours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays }, membership: { status: 'trial', trialUntil: '2027-03-31' } },
  { id: 'namur-gare', name: 'Escale Namur Gare', region: 'wallonia', stars: 1, timeZone: 'Europe/Brussels',
    openingHours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays }, membership: { status: 'confirmed' } },
  { id: 'liege-guillemins', name: 'Escale Liège Guillemins', region: 'wallonia', stars: 2, timeZone: 'Europe/Brussels',
    openingHours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays }, membership: { status: 'trial', trialUntil: '2027-06-30' } },
  { id: 'eupen-zentrum', name: 'Escale Eupen Zentrum', region: 'wallonia', stars: 1, timeZone: 'Europe/Brussels',
    openingHours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays }, membership: { status: 'confirmed' } },
];

// Each centre's legal identity, printed on its receipts (the VAT numbers' check digits are right).
const LEGAL: Record<string, [legalName: string, street: string, postalCode: string, city: string, vatNumber: string]> = {
  'bxl-louise': ['Escale Louise SRL', 'Avenue Louise 231', '1050', 'Ixelles', 'BE0712340185'],
  'bxl-schuman': ['Escale Schuman SRL', 'Rue de la Loi 170', '1040', 'Etterbeek', 'BE0712340284'],
  'gent-zuid': ['Escale Gent BV', 'Woodrow Wilsonplein 4', '9000', 'Gent', 'BE0712340383'],
  'antwerpen-centraal': ['Escale Antwerpen BV', 'Koningin Astridplein 27', '2018', 'Antwerpen', 'BE0712340482'],
  'leuven-station': ['Escale Leuven BV', 'Martelarenplein 12', '3000', 'Leuven', 'BE0712340581'],
  'namur-gare': ['Escale Namur SRL', 'Place de la Station 8', '5000', 'Namur', 'BE0712340680'],
  'liege-guillemins': ['Escale Liège SRL', 'Place des Guillemins 2', '4000', 'Liège', 'BE0712340779'],
  'eupen-zentrum': ['Escale Eupen GmbH', 'Rathausplatz 14', '4700', 'Eupen', 'BE0712340878'],
};
const sites: ReferenceDataInput['sites'] = sitesWithoutLegal.map((site) => {
  const [legalName, street, postalCode, city, vatNumber] = LEGAL[site.id]!;
  return { ...site, legalName, address: { street, postalCode, city, country: 'BE' }, vatNumber };
});

// The companies paying for their staff, as their invoices name them (issue 17): enterprise number
// (its check digits right), the VAT number made of it, the Peppol id 0208: and it, the address.
const companies: [id: string, name: string, language: Language, enterpriseNumber: string, street: string, postalCode: string, city: string][] = [
  ['acme-logistics', 'Acme Logistics SA', 'fr', '0412345614', 'Chaussée de Louvain 431', '1030', 'Schaerbeek'],
  ['brugse-data', 'Brugse Data BV', 'nl', '0523456738', 'Sint-Pietersplein 12', '8000', 'Brugge'],
  ['ostbelgien-consult', 'Ostbelgien Consult GmbH', 'de', '0634567862', 'Gospertstraße 42', '4700', 'Eupen'],
  ['meridian-pharma', 'Meridian Pharma NV', 'en', '0745678986', 'Da Vincilaan 9', '1930', 'Zaventem'],
  ['atelier-lumiere', 'Atelier Lumière SRL', 'fr', '0856789023', 'Rue Saint-Gilles 54', '4000', 'Liège'],
  ['vlaamse-bouw', 'Vlaamse Bouwgroep NV', 'nl', '0467890188', 'Kortrijksesteenweg 1100', '9051', 'Gent'],
  ['eurolex', 'EuroLex Partners', 'en', '0578901245', 'Boulevard Charlemagne 28', '1000', 'Bruxelles'],
  ['wallonie-tech', 'Wallonie Tech SA', 'fr', '0689012378', 'Rue de Fer 25', '5000', 'Namur'],
];

/** The network itself: the seller on every invoice, and the account payers pay into. */
export const DEMO_NETWORK: NonNullable<ReferenceDataInput['network']> = {
  legalName: 'Escale Network SRL',
  address: { street: 'Rue Royale 97', postalCode: '1000', city: 'Bruxelles', country: 'BE' },
  enterpriseNumber: '0790123495',
  vatNumber: 'BE0790123495',
  iban: 'BE71096123456769',
  bic: 'GKCCBEBB',
  peppolId: '0208:0790123495',
  email: 'facturation@escale.example',
};
const firstNames: Record<Language, string[]> = {
  fr: ['Amélie', 'Julien', 'Camille', 'Nicolas', 'Élodie', 'Thomas', 'Sophie', 'Maxime', 'Chloé', 'François', 'Manon', 'Hélène'],
  nl: ['Joris', 'Lotte', 'Pieter', 'Anke', 'Bram', 'Sanne', 'Wouter', 'Femke', 'Jeroen', 'Eline', 'Stijn', 'Griet'],
  en: ['Oliver', 'Emma', 'James', 'Grace', 'Henry', 'Lucy', 'Daniel', 'Hannah'],
  de: ['Lukas', 'Anna', 'Jonas', 'Lea', 'Matthias', 'Katrin', 'Stefan', 'Jana'],
};
const lastNames: Record<Language, string[]> = {
  fr: ['Dubois', 'Lambert', 'Martin', 'Dupont', 'Lefèvre', 'Renard', 'Leclercq', 'Dumont', 'Collignon', 'Mathieu'],
  nl: ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Van de Velde', 'De Smet'],
  en: ['Smith', 'Taylor', 'Brown', "O'Neill", 'Walker', 'Hughes'],
  de: ['Müller', 'Schmitz', 'Krings', 'Weber', 'Hilgers', 'Thelen'],
};
const ascii = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '').toLowerCase();

export function buildDemoData(staffHash: (pin: string) => string = hashPin): ReferenceDataInput {
  const random = prng(20261128);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const languages: Language[] = ['fr', 'fr', 'fr', 'nl', 'nl', 'nl', 'en', 'de'];
  // Self-paying members (every fourth) are persons: no VAT or enterprise number, invoices as PDF only.
  const payers: ReferenceDataInput['payers'] = companies.map(([id, name, language, enterpriseNumber, street, postalCode, city]) => ({
    id, kind: 'company', name, language, vatNumber: `BE${enterpriseNumber}`, enterpriseNumber, peppolId: `0208:${enterpriseNumber}`,
    billingAddress: { street, postalCode, city, country: 'BE' },
  }));
  const members: ReferenceDataInput['members'] = [];
  const badges: ReferenceDataInput['badges'] = [];
  for (let i = 1; i <= 200; i++) {
    const language = pick(languages);
    const firstName = pick(firstNames[language]);
    const lastName = pick(lastNames[language]);
    const id = `m${String(i).padStart(4, '0')}`;
    let payerId: string;
    if (i % 4 === 0) {
      payerId = `self-${id}`;
      payers.push({ id: payerId, kind: 'self', name: `${firstName} ${lastName}`, language });
    } else {
      payerId = companies[i % companies.length]![0];
    }
    const domain = payerId.startsWith('self-') ? 'mail.example' : `${payerId}.example`;
    const status = i % 67 === 0 ? 'blocked' : 'active';
    members.push({
      id,
      payerId,
      firstName,
      lastName,
      email: `${ascii(firstName)}.${ascii(lastName)}.${i}@${domain}`,
      language,
      status,
      ...(status === 'blocked' ? { blockedReason: 'Membership suspended: unpaid statements. Please see the reception.' } : {}),
      homeSiteId: i % 5 === 0 ? pick(sites).id : DEMO_SITE_ID,
      ...(i % 7 === 0 ? { agentSiteId: DEMO_SITE_ID } : {}),
    });
    // EM4100-style 10-hex-digit card numbers; every tenth member carries a printed QR badge.
    const uid = (0x0013748911 + i * 7919).toString(16).toUpperCase().padStart(10, '0');
    badges.push({ uid, memberId: id, kind: 'rfid', status: i % 53 === 0 ? 'lost' : i % 89 === 0 ? 'revoked' : 'active' });
    if (i % 10 === 0) badges.push({ uid: `ESC-QR-${id.toUpperCase()}`, memberId: id, kind: 'qr', status: 'active' });
  }
  const service = (code: string, unit: 'hour' | 'half_day' | 'day' | 'item' | 'page', category: 'workspace' | 'meeting' | 'print' | 'food' | 'parking', fr: string, nl: string, en: string, de: string) => ({
    code, unit, category, names: { fr, nl, en, de },
  });
  const services = [
    service('desk_hour', 'hour', 'workspace', 'Poste de travail (heure)', 'Werkplek (uur)', 'Desk (hour)', 'Arbeitsplatz (Stunde)'),
    service('desk_half_day', 'half_day', 'workspace', 'Poste de travail (demi-journée)', 'Werkplek (halve dag)', 'Desk (half day)', 'Arbeitsplatz (halber Tag)'),
    service('desk_day', 'day', 'workspace', 'Poste de travail (journée)', 'Werkplek (dag)', 'Desk (day)', 'Arbeitsplatz (Tag)'),
    service('meeting_room_hour', 'hour', 'meeting', 'Salle de réunion (heure)', 'Vergaderzaal (uur)', 'Meeting room (hour)', 'Besprechungsraum (Stunde)'),
    service('print_bw', 'page', 'print', 'Impression N/B (page)', 'Afdruk Z/W (pagina)', 'B/W print (page)', 'S/W-Druck (Seite)'),
    service('print_color', 'page', 'print', 'Impression couleur (page)', 'Kleurenafdruk (pagina)', 'Colour print (page)', 'Farbdruck (Seite)'),
    service('coffee', 'item', 'food', 'Café', 'Koffie', 'Coffee', 'Kaffee'),
    service('sandwich', 'item', 'food', 'Sandwich à emporter', 'Broodje om mee te nemen', 'Take-away sandwich', 'Sandwich zum Mitnehmen'),
    service('parking_day', 'day', 'parking', 'Parking (journée)', 'Parking (dag)', 'Parking (day)', 'Parkplatz (Tag)'),
  ];
  // Net prices in cents by star level 1, 2, 3; VAT in basis points (Belgium: 21 %, 6 % take-away food).
  const table: [string, [number, number, number], number, number?, boolean?][] = [
    ['desk_hour', [400, 500, 650], 2100, 15, true],
    ['desk_half_day', [1500, 1800, 2400], 2100],
    ['desk_day', [2400, 3000, 3900], 2100],
    ['meeting_room_hour', [1800, 2500, 3500], 2100, 30],
    ['print_bw', [10, 10, 12], 2100],
    ['print_color', [40, 45, 50], 2100],
    ['coffee', [150, 200, 250], 2100],
    ['sandwich', [450, 500, 600], 600],
    ['parking_day', [800, 1000, 1200], 2100],
  ];
  const version = (id: string, effectiveFrom: string, factor: number) => ({
    id,
    effectiveFrom,
    prices: table.flatMap(([serviceCode, byStars, vatRateBp, increment, capped]) =>
      byStars.map((p, i) => ({
        serviceCode,
        stars: i + 1,
        unitPriceCents: Math.round(p * factor),
        vatRateBp,
        ...(increment ? { billingIncrementMinutes: increment } : {}),
        // Hours never cost more than the day.
        ...(capped ? { dailyCapCents: Math.round(table[2]![1][i]! * factor) } : {}),
      })),
    ),
  });
  return {
    format: 'escale.reference/1',
    network: DEMO_NETWORK,
    sites,
    payers,
    members,
    badges,
    services,
    tariffs: [version('tariff-2026', '2026-01-01', 1), version('tariff-2027', '2027-01-01', 1.03)],
    staff: DEMO_STAFF.map((s) => ({ id: s.id, siteId: DEMO_SITE_ID, name: s.name, pinHash: staffHash(s.pin), role: s.role })),
    ...DEMO_PLANS,
  };
}

/**
 * Plans, on members far down the list (the tests take members from its start and expect them to
 * pay as they go), so that the demo shows every case at Bruxelles Louise: a Brussels pass and the
 * network pass cover the desk; a Flanders pass and a pass that ended do not; Meridian Pharma's
 * 100 prepaid hours, allocated to four of its staff, one of them nearly out (23 h of 25 used).
 */
export const DEMO_PLANS = {
  plans: [
    { id: 'pass-brussels', kind: 'pass' as const, name: 'Pass Bruxelles-Brussel', monthlyFeeCents: 25_000, vatRateBp: 2100, sites: ['bxl-louise', 'bxl-schuman'] },
    { id: 'pass-flanders', kind: 'pass' as const, name: 'Pass Vlaanderen', monthlyFeeCents: 25_000, vatRateBp: 2100, sites: ['gent-zuid', 'antwerpen-centraal', 'leuven-station'] },
    { id: 'pass-network', kind: 'pass' as const, name: 'Pass Escale Network', monthlyFeeCents: 45_000, vatRateBp: 2100, sites: 'all' as const },
  ],
  subscriptions: [
    { id: 'sub-m0161', memberId: 'm0161', planId: 'pass-brussels', from: '2026-01-01' },
    { id: 'sub-m0165', memberId: 'm0165', planId: 'pass-brussels', from: '2026-03-01' },
    { id: 'sub-m0169', memberId: 'm0169', planId: 'pass-brussels', from: '2026-06-01' },
    { id: 'sub-m0177', memberId: 'm0177', planId: 'pass-network', from: '2026-01-01' },
    { id: 'sub-m0181', memberId: 'm0181', planId: 'pass-network', from: '2026-09-01' },
    { id: 'sub-m0185', memberId: 'm0185', planId: 'pass-flanders', from: '2026-01-01' },
    { id: 'sub-m0189', memberId: 'm0189', planId: 'pass-brussels', from: '2026-01-01', until: '2026-10-31' },
  ],
  quotas: [
    {
      id: 'quota-meridian-2026',
      payerId: 'meridian-pharma',
      name: 'Meridian Pharma — 100 h',
      minutes: 6000,
      priceCents: 45_000,
      vatRateBp: 2100,
      validFrom: '2026-09-01',
      validUntil: '2027-08-31',
      allocations: [
        { memberId: 'm0163', minutes: 1500 },
        { memberId: 'm0171', minutes: 1500 },
        { memberId: 'm0179', minutes: 1500 },
        { memberId: 'm0195', minutes: 1500 },
      ],
      used: { m0163: 1380, m0171: 300, m0195: 45 },
      usedAsOf: '2026-11-20T18:00:00Z',
    },
  ],
};

const here = path.dirname(fileURLToPath(import.meta.url));
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Compiled to dist/resources/demo; the data file lives in the source tree.
  const target = path.resolve(here, '../../../resources/demo/reference-data.json');
  fs.writeFileSync(target, JSON.stringify(buildDemoData(), null, 1) + '\n');
  console.log(`wrote ${target}`);
}
