// Invoice documents built by hand, valid by their schema (common/accounts/invoices.ts): a month of a
// company or of a person paying for themself — a pass, a quota package, hours, two VAT rates, an
// adjustment of the month before — and a credit note giving back a later month's adjustments.
import { formatStructuredCommunication, structuredCommunicationDigits } from '../../common/belgian-numbers.js';
import { invoiceDocumentSchema, type InvoiceDocument, type InvoiceLine } from '../../common/accounts/invoices.js';
import { networkProfileSchema, type Language, type Payer } from '../../common/reference-data.js';
import { DEMO_NETWORK } from '../../resources/demo/generate-demo-data.js';
import type { Statement } from '../../common/accounts/reports.js';
import { vatOf } from '../../common/tariff/pricing.js';
import { buildStatement } from '../../server/accounts/statements.js';
import type { Bucket } from '../../server/accounts/buckets.js';
import type { AccountsReference } from '../../server/accounts/reference.js';

/** The seller: the demo network's legal profile, as its reference data imports it. */
export const FIXTURE_SELLER: InvoiceDocument['seller'] = networkProfileSchema.parse(DEMO_NETWORK);

const COMPANIES: Record<Language, InvoiceDocument['buyer']> = {
  fr: { payerId: 'acme-logistics', name: 'Acme Logistics SA', language: 'fr', address: { street: 'Chaussée de Louvain 431', postalCode: '1030', city: 'Schaerbeek', country: 'BE' }, vatNumber: 'BE0412345614', enterpriseNumber: '0412345614', peppolId: '0208:0412345614' },
  nl: { payerId: 'brugse-data', name: 'Brugse Data BV', language: 'nl', address: { street: 'Sint-Pietersplein 12', postalCode: '8000', city: 'Brugge', country: 'BE' }, vatNumber: 'BE0523456738', enterpriseNumber: '0523456738', peppolId: '0208:0523456738' },
  de: { payerId: 'ostbelgien-consult', name: 'Ostbelgien Consult GmbH', language: 'de', address: { street: 'Gospertstraße 42', postalCode: '4700', city: 'Eupen', country: 'BE' }, vatNumber: 'BE0634567862', enterpriseNumber: '0634567862', peppolId: '0208:0634567862' },
  en: { payerId: 'meridian-pharma', name: 'Meridian Pharma NV', language: 'en', address: { street: 'Da Vincilaan 9', postalCode: '1930', city: 'Zaventem', country: 'BE' }, vatNumber: 'BE0745678986', enterpriseNumber: '0745678986', peppolId: '0208:0745678986' },
};

const PERSON: InvoiceDocument['buyer'] = { payerId: 'self-m0004', name: 'Lotte Maes', language: 'nl', address: { street: 'Mechelsesteenweg 20', postalCode: '2018', city: 'Antwerpen', country: 'BE' } };

const WORDS: Record<Language, { pass: string; quota: string; desk: string; coffee: string; sandwich: string }> = {
  fr: { pass: 'Pass Bruxelles-Brussel', quota: 'Forfait 100 h', desk: 'Poste de travail (heure)', coffee: 'Café', sandwich: 'Sandwich à emporter' },
  nl: { pass: 'Pass Bruxelles-Brussel', quota: 'Pakket 100 u', desk: 'Werkplek (uur)', coffee: 'Koffie', sandwich: 'Broodje om mee te nemen' },
  en: { pass: 'Pass Bruxelles-Brussel', quota: 'Package 100 h', desk: 'Desk (hour)', coffee: 'Coffee', sandwich: 'Take-away sandwich' },
  de: { pass: 'Pass Bruxelles-Brussel', quota: 'Paket 100 Std.', desk: 'Arbeitsplatz (Stunde)', coffee: 'Kaffee', sandwich: 'Sandwich zum Mitnehmen' },
};

const line = (l: Omit<InvoiceLine, 'lineNo' | 'vatCategory'> & { vatCategory?: InvoiceLine['vatCategory'] }): Omit<InvoiceLine, 'lineNo'> => ({ vatCategory: 'S', ...l });

/** VAT by rate, each rate's VAT rounded once (half away from zero) on its taxable sum. */
function breakdown(lines: InvoiceLine[]): InvoiceDocument['vat'] {
  const rates = [...new Set(lines.map((l) => l.vatRateBp))].sort((a, b) => b - a);
  return rates.map((vatRateBp) => {
    const taxableCents = lines.filter((l) => l.vatRateBp === vatRateBp).reduce((n, l) => n + l.netCents, 0);
    const vatCents = Math.sign(taxableCents) * Math.round((Math.abs(taxableCents) * vatRateBp) / 10_000);
    return { vatRateBp, vatCategory: 'S' as const, taxableCents, vatCents };
  });
}

function document(kind: InvoiceDocument['kind'], number: string, buyer: InvoiceDocument['buyer'], lines: Omit<InvoiceLine, 'lineNo'>[], extra: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const numbered = lines.map((l, i) => ({ ...l, lineNo: i + 1 }));
  const vat = breakdown(numbered);
  const netCents = vat.reduce((n, v) => n + v.taxableCents, 0);
  const vatCents = vat.reduce((n, v) => n + v.vatCents, 0);
  const sequence = Number(number.replace('-', ''));
  return invoiceDocumentSchema.parse({
    kind,
    number,
    issueDate: '2026-12-02',
    dueDate: '2027-01-01',
    period: '2026-11',
    currency: 'EUR',
    seller: FIXTURE_SELLER,
    buyer,
    lines: numbered,
    vat,
    totals: { netCents, vatCents, grossCents: netCents + vatCents, payableCents: netCents + vatCents },
    structuredCommunication: formatStructuredCommunication(structuredCommunicationDigits(sequence)),
    channel: buyer.peppolId ? 'peppol' : 'pdf',
    ...extra,
  });
}

/**
 * A company's (or with `person`, a self-paying member's) invoice for November 2026: 21 % on the
 * pass, the quota, 12 h 30 of desk, 4 coffees and an hour given back from October; 6 % on two
 * sandwiches. Net 775.50 €, VAT 161.36 €, total 936.86 €.
 */
export function fixtureInvoice(language: Language, options: { person?: boolean; number?: string; extraLines?: number } = {}): InvoiceDocument {
  const w = WORDS[language];
  const buyer = options.person ? { ...PERSON, language } : COMPANIES[language];
  // A company whose staff used many centres: a coffee line at each of `extraLines` more sites.
  const extra = Array.from({ length: options.extraLines ?? 0 }, (_, i) =>
    line({ description: w.coffee, quantity: i + 1, unitCode: 'C62', unitPriceCents: 200, baseQuantity: 1, netCents: 200 * (i + 1), vatRateBp: 2100, siteName: `Escale ${String(i + 1).padStart(3, '0')}`, serviceCode: 'coffee' }),
  );
  return document('invoice', options.number ?? '2026-000042', buyer, [
    ...extra,
    line({ description: w.pass, quantity: 1, unitCode: 'MON', unitPriceCents: 25_000, baseQuantity: 1, netCents: 25_000, vatRateBp: 2100 }),
    line({ description: w.quota, quantity: 1, unitCode: 'C62', unitPriceCents: 45_000, baseQuantity: 1, netCents: 45_000, vatRateBp: 2100 }),
    line({ description: w.desk, quantity: 750, unitCode: 'MIN', unitPriceCents: 500, baseQuantity: 60, netCents: 6250, vatRateBp: 2100, siteName: 'Escale Gent Zuid', serviceCode: 'desk_hour' }),
    line({ description: w.coffee, quantity: 4, unitCode: 'C62', unitPriceCents: 200, baseQuantity: 1, netCents: 800, vatRateBp: 2100, siteName: 'Escale Bruxelles Louise', serviceCode: 'coffee' }),
    line({ description: w.sandwich, quantity: 2, unitCode: 'C62', unitPriceCents: 500, baseQuantity: 1, netCents: 1000, vatRateBp: 600, siteName: 'Escale Bruxelles Louise', serviceCode: 'sandwich' }),
    line({ description: w.desk, quantity: -60, unitCode: 'MIN', unitPriceCents: 500, baseQuantity: 60, netCents: -500, vatRateBp: 2100, siteName: 'Escale Gent Zuid', serviceCode: 'desk_hour', adjustsPeriod: '2026-10' }),
  ]);
}

/** A credit note giving back 2 h of desk billed in October (a later month's negative adjustments). 10.00 € + 2.10 € VAT. */
export function fixtureCreditNote(language: Language): InvoiceDocument {
  const w = WORDS[language];
  return document('credit_note', '2026-000043', COMPANIES[language], [
    line({ description: w.desk, quantity: 120, unitCode: 'MIN', unitPriceCents: 500, baseQuantity: 60, netCents: 1000, vatRateBp: 2100, siteName: 'Escale Gent Zuid', serviceCode: 'desk_hour', adjustsPeriod: '2026-10' }),
  ], { corrects: { number: '2026-000007', issueDate: '2026-11-02' } });
}

/**
 * A large payer's month as the accounts engine builds it (buildStatement), with the drift VAT
 * rounded per consumption makes: 500 prints at 0,50 € at each of three sites (each print's VAT
 * 10,5 cents rounded to 11), 300 coffees at 1,25 € at 6 % (7,5 cents rounded to 8), and an
 * adjustment of September giving 40 prints back. Summed line by line, VAT would be 7,50 € too high
 * at 21 %: more than the 1 € EN 16931 allows (BR-CO-17, BR-S-09).
 */
export function driftingStatement(payer: Payer): Statement {
  const sites = [
    { id: 'bru-a', name: 'Bruxelles A' },
    { id: 'gent-b', name: 'Gent B' },
    { id: 'liege-c', name: 'Liège C' },
  ];
  const services = new Map([
    ['print', { code: 'print', names: { fr: 'Impression', nl: 'Afdruk', en: 'Print', de: 'Druck' } }],
    ['coffee', { code: 'coffee', names: { fr: 'Café', nl: 'Koffie', en: 'Coffee', de: 'Kaffee' } }],
  ]);
  const ref = {
    sites: new Map(sites.map((s) => [s.id, { ...s, stars: 2 }])),
    payers: new Map([[payer.id, payer]]),
    members: new Map([['m-1', { id: 'm-1', payerId: payer.id, firstName: 'Lotte', lastName: 'Peeters' }]]),
    services,
    plans: new Map(),
    subscriptionsById: new Map(),
    quotasById: new Map(),
  } as unknown as AccountsReference;
  // What the engine makes of `count` consumptions of one unit each: their nets and their VAT, each rounded.
  const usage = (siteId: string, serviceCode: string, count: number, unitPriceCents: number, vatRateBp: number): Bucket => {
    const netCents = count * unitPriceCents;
    const vatCents = count * vatOf(unitPriceCents, vatRateBp);
    return {
      key: `u|${payer.id}|m-1|${siteId}|${serviceCode}|payg|${unitPriceCents}|${vatRateBp}|c`, kind: 'usage', payerId: payer.id, memberId: 'm-1', siteId, serviceCode, coverage: 'payg',
      unit: serviceCode === 'print' ? 'page' : 'item', unitPriceCents, vatRateBp, quantity: count, netCents, vatCents, grossCents: netCents + vatCents, shareMinutes: 0, commissionable: true,
    };
  };
  const give = (b: Bucket): Bucket => ({ ...b, quantity: -b.quantity, netCents: -b.netCents, vatCents: -b.vatCents, grossCents: -b.grossCents });
  return buildStatement(
    {
      period: '2026-10',
      payerId: payer.id,
      own: [...sites.map((s) => usage(s.id, 'print', 500, 50, 2100)), usage('bru-a', 'coffee', 300, 125, 600)],
      adjustments: new Map([['2026-09', [give(usage('gent-b', 'print', 40, 50, 2100))]]]),
      lines: [],
      status: 'closed',
      closedAt: '2026-11-04T06:00:00.000Z',
    },
    ref,
  );
}

/** Exempt as vocational training (VAT directive art. 132(1)(i), VATEX-EU-132-1I; Belgian VAT Code art. 44 § 2, 4°). */
export const TRAINING_EXEMPTION = {
  category: 'E' as const,
  exemptionReasonCode: 'VATEX-EU-132-1I',
  reason: {
    fr: 'Exonération — formation professionnelle, art. 44, § 2, 4° du Code de la TVA',
    nl: 'Vrijstelling — beroepsopleiding, art. 44, § 2, 4° van het Btw-wetboek',
    en: 'Exempt — vocational training, art. 44, § 2, 4° of the Belgian VAT Code',
    de: 'Steuerbefreit — Berufsausbildung, Art. 44 § 2 Nr. 4 des belgischen MwSt-Gesetzbuches',
  },
};

/** Exempt as letting of immovable property (art. 135(1)(l), which has no VATEX code): its ground in words only. */
export const LETTING_EXEMPTION = {
  category: 'E' as const,
  reason: {
    fr: 'Exonération — location immobilière, art. 44, § 3, 2° du Code de la TVA',
    nl: 'Vrijstelling — onroerende verhuur, art. 44, § 3, 2° van het Btw-wetboek',
    en: 'Exempt — letting of immovable property, art. 44, § 3, 2° of the Belgian VAT Code',
    de: 'Steuerbefreit — Vermietung von Grundstücken, Art. 44 § 3 Nr. 2 des belgischen MwSt-Gesetzbuches',
  },
};

/**
 * A company's month with a line of each VAT treatment, as the accounts freeze them (issue 17): a
 * print at 21 %, sandwiches zero rated (Z), a training and a workshop exempt on the same ground (E,
 * one VATEX code), and — `grounds` 'several' — an office let, exempt on a ground with no code, and
 * a 0 % line declaring none (the generic reason), which the one E breakdown a document may have
 * must all state.
 */
export function treatedStatement(language: Language, grounds: 'one' | 'several' = 'one'): Statement {
  const line = (description: string, vatRateBp: number, netCents: number, vatTreatment?: Statement['lines'][number]['vatTreatment']): Statement['lines'][number] => {
    const vatCents = vatOf(netCents, vatRateBp);
    return { kind: 'usage', description, quantity: 1, unit: 'item', unitPriceCents: netCents, vatRateBp, ...(vatTreatment ? { vatTreatment } : {}), netCents, vatCents, grossCents: netCents + vatCents };
  };
  const lines = [
    line('Impression — Bruxelles A', 2100, 120),
    line('Sandwich — Bruxelles A', 0, 450, { category: 'Z' }),
    line('Formation — Bruxelles A', 0, 3000, TRAINING_EXEMPTION),
    line('Atelier — Bruxelles A', 0, 1500, TRAINING_EXEMPTION),
    ...(grounds === 'several' ? [line('Bureau fermé (mois) — Bruxelles A', 0, 40000, LETTING_EXEMPTION), line('Timbres — Bruxelles A', 0, 130)] : []),
  ];
  const sum = (f: (l: Statement['lines'][number]) => number) => lines.reduce((n, l) => n + f(l), 0);
  const totals = { netCents: sum((l) => l.netCents), vatCents: sum((l) => l.vatCents), grossCents: sum((l) => l.grossCents) };
  const company = COMPANIES[language];
  return {
    period: '2026-10', payerId: company.payerId, payerName: company.name, payerVatNumber: company.vatNumber, language, status: 'closed', closedAt: '2026-11-04T06:00:00.000Z', lines,
    vatSummary: [0, 2100].map((vatRateBp) => ({ vatRateBp, netCents: lines.filter((l) => l.vatRateBp === vatRateBp).reduce((n, l) => n + l.netCents, 0), vatCents: lines.filter((l) => l.vatRateBp === vatRateBp).reduce((n, l) => n + l.vatCents, 0) })),
    totals, members: [], paidAtDesk: [], paidAtDeskCents: 0, payableCents: totals.grossCents,
  };
}

/** The company a treatedStatement is of, as its payer record. */
export function treatedPayer(language: Language): Payer {
  const c = COMPANIES[language];
  return { id: c.payerId, kind: 'company', name: c.name, language, vatNumber: c.vatNumber!, enterpriseNumber: c.enterpriseNumber!, peppolId: c.peppolId!, billingAddress: c.address! };
}
