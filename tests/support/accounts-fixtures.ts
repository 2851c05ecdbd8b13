// Report objects for the renderers' unit tests (tests/accounts/render.test.ts: CSV and PDF): real
// Statement, Settlement and Evaluation objects, each parsed with its schema from
// common/accounts/reports.ts, with amounts that add up (line net + VAT = gross, totals = the
// lines' sums, VAT rounded half up from integer cents) so a renderer that drops or double-counts a
// line is caught, and cases the network's data rarely holds (four languages, many pages, every
// kind of line). Names and ids are the demo network's. The CLI, the admin API and the admin page
// are tested over the real accounts engine (tests/accounts/outputs-cli-api.test.ts,
// tests/ui/admin.test.ts).
import {
  evaluationSchema,
  settlementSchema,
  statementSchema,
  type Evaluation,
  type Period,
  type Settlement,
  type Statement,
  type StatementLine,
} from '../../common/accounts/reports.js';
import type { Language } from '../../common/reference-data.js';

/** VAT on a net amount, rounded half up (away from zero for a negative adjustment), integers only. */
export function vatOf(netCents: number, rateBp: number): number {
  const abs = Math.abs(netCents) * rateBp;
  const vat = Math.floor((abs + 5000) / 10000);
  return netCents < 0 ? -vat : vat;
}

type LineSpec = Omit<StatementLine, 'netCents' | 'vatCents' | 'grossCents'> & { netCents: number };

function line(spec: LineSpec): StatementLine {
  const vatCents = vatOf(spec.netCents, spec.vatRateBp);
  return { ...spec, vatCents, grossCents: spec.netCents + vatCents };
}

const sum = (lines: { netCents: number; vatCents: number; grossCents: number }[]) => ({
  netCents: lines.reduce((n, l) => n + l.netCents, 0),
  vatCents: lines.reduce((n, l) => n + l.vatCents, 0),
  grossCents: lines.reduce((n, l) => n + l.grossCents, 0),
});

function vatSummary(lines: StatementLine[]): Statement['vatSummary'] {
  const rates = [...new Set(lines.map((l) => l.vatRateBp))].sort((a, b) => a - b);
  return rates.map((vatRateBp) => {
    const at = lines.filter((l) => l.vatRateBp === vatRateBp);
    return { vatRateBp, netCents: at.reduce((n, l) => n + l.netCents, 0), vatCents: at.reduce((n, l) => n + l.vatCents, 0) };
  });
}

const DESK_HOUR = (siteId: string, siteName: string, stars: number, memberId: string, minutes: number, unitPriceCents: number, netCents: number): LineSpec => ({
  kind: 'usage', description: 'Desk by the hour', memberId, siteId, siteName, stars, serviceCode: 'desk_hour', coverage: 'payg',
  quantity: minutes, unit: 'min', unitPriceCents, vatRateBp: 2100, netCents,
});

interface PayerFixture {
  payerId: string;
  payerName: string;
  payerVatNumber?: string;
  language: Language;
  members: { memberId: string; name: string }[];
}

export const FIXTURE_PAYERS: Record<Language, PayerFixture> = {
  fr: { payerId: 'wallonie-tech', payerName: 'Wallonie Tech SA', payerVatNumber: 'BE0689012345', language: 'fr', members: [{ memberId: 'm0007', name: 'Femke De Smet' }, { memberId: 'm0015', name: 'Maxime Dubois' }] },
  nl: { payerId: 'brugse-data', payerName: 'Brugse Data BV', payerVatNumber: 'BE0523456789', language: 'nl', members: [{ memberId: 'm0001', name: 'Anna Krings' }, { memberId: 'm0009', name: 'Amélie Collignon' }] },
  de: { payerId: 'ostbelgien-consult', payerName: 'Ostbelgien Consult GmbH', payerVatNumber: 'BE0634567890', language: 'de', members: [{ memberId: 'm0002', name: 'Manon Renard' }, { memberId: 'm0018', name: 'Jeroen Van de Velde' }] },
  en: { payerId: 'meridian-pharma', payerName: 'Meridian Pharma NV', payerVatNumber: 'BE0745678901', language: 'en', members: [{ memberId: 'm0003', name: 'Eline Mertens' }, { memberId: 'm0011', name: 'Manon Lefèvre' }] },
};

/**
 * A month's statement for the payer of `language`: a pass fee, a quota package, pay-as-you-go
 * desk hours at two sites, printing, a meeting room, coffee at 6 % VAT, an adjustment of the month
 * before (a late check-out), and `extraLines` more desk lines (to fill pages). Per-member detail
 * for both members. Parsed with statementSchema.
 */
export function fixtureStatement(options: { language?: Language; period?: Period; status?: 'provisional' | 'closed'; extraLines?: number } = {}): Statement {
  const payer = FIXTURE_PAYERS[options.language ?? 'fr'];
  const period = options.period ?? '2026-03';
  const [a, b] = payer.members as [PayerFixture['members'][number], PayerFixture['members'][number]];
  const [year, month] = [Number(period.slice(0, 4)), Number(period.slice(5))];
  const previous = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
  const lines: StatementLine[] = [
    line({ kind: 'pass_fee', description: 'Brussels pass — 1 month', memberId: a.memberId, quantity: 1, unit: 'month', unitPriceCents: 25_000, vatRateBp: 2100, netCents: 25_000 }),
    line({ kind: 'quota_package', description: 'Prepaid hours — 40 h package', quantity: 2400, unit: 'min', unitPriceCents: 48_000, vatRateBp: 2100, netCents: 48_000 }),
    line(DESK_HOUR('bxl-louise', 'Escale Bruxelles Louise', 2, b.memberId, 495, 500, 4125)),
    line(DESK_HOUR('bxl-schuman', 'Escale Bruxelles Schuman', 3, b.memberId, 1230, 650, 13_325)),
    line({ kind: 'usage', description: 'Meeting room, per hour', memberId: b.memberId, siteId: 'namur-gare', siteName: 'Escale Namur Gare', stars: 1, serviceCode: 'meeting_room_hour', coverage: 'payg', quantity: 120, unit: 'min', unitPriceCents: 2000, vatRateBp: 2100, netCents: 4000 }),
    line({ kind: 'usage', description: 'Colour print, per page', memberId: a.memberId, siteId: 'bxl-louise', siteName: 'Escale Bruxelles Louise', stars: 2, serviceCode: 'print_color', coverage: 'payg', quantity: 37, unit: 'page', unitPriceCents: 45, vatRateBp: 2100, netCents: 1665 }),
    line({ kind: 'usage', description: 'Coffee', memberId: a.memberId, siteId: 'bxl-louise', siteName: 'Escale Bruxelles Louise', stars: 2, serviceCode: 'coffee', coverage: 'payg', quantity: 9, unit: 'item', unitPriceCents: 183, vatRateBp: 600, netCents: 1647 }),
    line({ kind: 'usage', description: 'Desk by the hour (pass)', memberId: a.memberId, siteId: 'bxl-louise', siteName: 'Escale Bruxelles Louise', stars: 2, serviceCode: 'desk_hour', coverage: 'pass', quantity: 3600, unit: 'min', unitPriceCents: 0, vatRateBp: 2100, netCents: 0 }),
    ...Array.from({ length: options.extraLines ?? 0 }, (_, i) => line(DESK_HOUR('leuven-station', 'Escale Leuven Station', 2, b.memberId, 60 + 15 * (i % 8), 500, 500 + 125 * (i % 8)))),
    line({ kind: 'adjustment', description: 'Late check-out, desk by the hour', memberId: b.memberId, siteId: 'bxl-louise', siteName: 'Escale Bruxelles Louise', stars: 2, serviceCode: 'desk_hour', coverage: 'payg', quantity: 90, unit: 'min', unitPriceCents: 500, vatRateBp: 2100, netCents: 750, adjustsPeriod: previous }),
    line({ kind: 'adjustment', description: 'Voided coffee', memberId: a.memberId, siteId: 'bxl-louise', siteName: 'Escale Bruxelles Louise', stars: 2, serviceCode: 'coffee', coverage: 'payg', quantity: -1, unit: 'item', unitPriceCents: 183, vatRateBp: 600, netCents: -183, adjustsPeriod: previous }),
  ];
  const memberLines = (memberId: string) =>
    lines
      .filter((l) => l.memberId === memberId && l.kind === 'usage')
      .map((l, i) => ({
        consumptionId: `${memberId}-c${i + 1}`, localDate: `${period}-${String(3 + i * 2).padStart(2, '0')}`, siteId: l.siteId!, serviceCode: l.serviceCode!,
        quantity: l.quantity, coverage: l.coverage!, coveredMinutes: l.coverage === 'payg' ? 0 : l.quantity, netCents: l.netCents, vatCents: l.vatCents, grossCents: l.grossCents,
      }));
  const members = [a, b].map((m) => {
    const detail = memberLines(m.memberId);
    return { memberId: m.memberId, name: m.name, lines: detail, totals: sum(detail) };
  });
  const status = options.status ?? 'provisional';
  return statementSchema.parse({
    period, payerId: payer.payerId, payerName: payer.payerName, payerVatNumber: payer.payerVatNumber, language: payer.language, status,
    ...(status === 'closed' ? { closedAt: `${period}-28T09:00:00.000Z` } : {}),
    lines, vatSummary: vatSummary(lines), totals: sum(lines), members,
  });
}

/** The settlement of a month over three sites, with a case of each kind. Parsed with settlementSchema. */
export function fixtureSettlement(period: Period = '2026-03', status: 'provisional' | 'closed' = 'provisional'): Settlement {
  const site = (siteId: string, siteName: string, paygNetCents: number, passMinutes: number, quotaMinutes: number, passShareCents: number, quotaShareCents: number, commissionCents: number) => {
    const grossDueCents = paygNetCents + passShareCents + quotaShareCents;
    const networkFeeCents = Math.floor((grossDueCents * 2000 + 5000) / 10000);
    const dueCents = grossDueCents - networkFeeCents;
    return { siteId, siteName, paygNetCents, passMinutes, quotaMinutes, passShareCents, quotaShareCents, grossDueCents, networkFeeCents, dueCents, commissionCents, payoutCents: dueCents + commissionCents };
  };
  const sites = [
    site('bxl-louise', 'Escale Bruxelles Louise', 123_456, 4_800, 1_200, 16_667, 12_000, 1_234),
    site('bxl-schuman', 'Escale Bruxelles Schuman', 98_765, 2_400, 1_200, 8_333, 12_000, 0),
    site('namur-gare', 'Escale Namur Gare', 4_000, 0, 0, 0, 0, 567),
  ];
  const fees = sites.reduce((n, s) => n + s.networkFeeCents, 0);
  const commissions = sites.reduce((n, s) => n + s.commissionCents, 0);
  const payouts = sites.reduce((n, s) => n + s.payoutCents, 0);
  const billedNetCents = 123_456 + 98_765 + 4_000 + 25_000 + 24_000 + 1_000;
  return settlementSchema.parse({
    period, status, networkFeeBp: 2000, commissionBp: 500, sites,
    network: {
      billedNetCents, passRevenueCents: 25_000, quotaRevenueCents: 24_000, feesCents: fees, commissionsCents: commissions,
      undistributedCents: 1_000, retainedCents: billedNetCents - payouts,
    },
    cases: {
      overlaps: [{ memberId: 'm0009', siteA: 'bxl-louise', siteB: 'gent-zuid', visitA: 'v-1', visitB: 'v-2', detectedAt: `${period}-12T10:00:00.000Z` }],
      rejected: [{ siteId: 'bxl-schuman', eventId: 'e-1', type: 'visit.checked_in', reason: 'payload.memberId: required' }],
      quarantined: [],
      priceDifferences: [{
        consumptionId: 'c-9', siteId: 'bxl-louise', memberId: 'm0001', localDate: `${period}-05`, serviceCode: 'desk_hour',
        station: { netCents: 500, coverage: 'payg', tariffVersionId: 'tariff-2025' }, hub: { netCents: 550, coverage: 'payg', tariffVersionId: 'tariff-2026' },
      }],
    },
  });
}

/** A trial site's evaluation over three months. Parsed with evaluationSchema. */
export function fixtureEvaluation(siteId = 'leuven-station', from: Period = '2026-01', until: Period = '2026-03'): Evaluation {
  const months = [
    // The station reported its devices from 3 February: January's device figures are not known.
    { period: '2026-01', visits: 310, hostedMinutes: 81_000, revenueNetCents: 512_345, readerFaults: 0, printerFaults: 0, printJobsFailed: 0, downMinutes: 0, tills: { closed: 40, withDifference: 3, shortfallCents: 250, surplusCents: 20 } },
    { period: '2026-02', visits: 295, hostedMinutes: 77_250, revenueNetCents: 498_000, readerFaults: 1, printerFaults: 1, printJobsFailed: 2, downMinutes: 45, tills: { closed: 38, withDifference: 0, shortfallCents: 0, surplusCents: 0 } },
    { period: '2026-03', visits: 342, hostedMinutes: 90_015, revenueNetCents: 577_890, readerFaults: 1, printerFaults: 0, printJobsFailed: 1, downMinutes: 50, tills: { closed: 44, withDifference: 1, shortfallCents: 200, surplusCents: 0 } },
  ].filter((m) => m.period >= from && m.period <= until);
  const visits = months.reduce((n, m) => n + m.visits, 0);
  const devices = (f: (m: (typeof months)[number]) => number) => months.reduce((n, m) => n + f(m), 0);
  return evaluationSchema.parse({
    siteId, siteName: siteId === 'leuven-station' ? 'Escale Leuven Station' : siteId, from, until, membership: 'trial', trialUntil: '2027-03-31',
    visits, memberVisits: visits - 41, guestVisits: 41, distinctMembers: 87, roamingShareBp: 3450,
    hostedMinutes: months.reduce((n, m) => n + m.hostedMinutes, 0), revenueNetCents: months.reduce((n, m) => n + m.revenueNetCents, 0),
    openingMinutes: 39_600, staffedMinutes: 38_250, staffedShareBp: 9659, autoClosedVisits: 12,
    tills: {
      closed: months.reduce((n, m) => n + m.tills.closed, 0), withDifference: months.reduce((n, m) => n + m.tills.withDifference, 0),
      shortfallCents: months.reduce((n, m) => n + m.tills.shortfallCents, 0), surplusCents: months.reduce((n, m) => n + m.tills.surplusCents, 0),
    },
    sync: { streams: 2, lastSeen: `${until}-28T17:02:00.000Z`, watermark: `${until}-28T17:00:00.000Z`, rejectedEvents: 1, quarantinedEvents: 0, epochChanges: 1, clockSkewAlerts: 0 },
    devices: {
      readerFaults: devices((m) => m.readerFaults), printerFaults: devices((m) => m.printerFaults), printJobsFailed: devices((m) => m.printJobsFailed),
      downMinutes: devices((m) => m.downMinutes), reported: until >= '2026-02', reportedSince: '2026-02-03',
    },
    months,
  });
}
