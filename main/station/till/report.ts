// A closed till's shift report as the receipt printer prints it (common/documents): built from the
// till's rows, which are append-only, so a reprint says what the first print said, marked as a duplicate.
import type { PrintDocument } from '../../../common/documents/print-documents.js';
import type { Language, Site } from '../../../common/reference-data.js';
import type { TillReport } from '../../../common/station-api/till.js';
import { requireSite, type StationContext } from '../context.js';

/** The language of the site's region, for a report asked for in none: Flanders reads Dutch, Brussels and Wallonia French. */
export const regionLanguage = (site: Site): Language => (site.region === 'flanders' ? 'nl' : 'fr');

export function shiftReportDocument(ctx: StationContext, report: Omit<TillReport, 'report'>, options: { language?: Language | undefined; duplicate?: boolean } = {}): PrintDocument {
  const site = requireSite(ctx);
  const { floatCents, cashReceivedCents, changeGivenCents, cashRefundsCents, cardReceivedCents, cardRefundsCents, invoicedCents, expectedCents, payments, refunds } = report;
  return {
    kind: 'shiftReport',
    language: options.language ?? regionLanguage(site),
    timeZone: site.timeZone,
    site: { name: site.name, stars: site.stars },
    ...(site.legalName || site.vatNumber ? { legal: { ...(site.legalName ? { name: site.legalName } : {}), ...(site.vatNumber ? { vatNumber: site.vatNumber } : {}) } } : {}),
    tillId: report.tillId,
    clerk: report.staffName,
    ...(report.closedBy.staffId !== report.staffId ? { closedBy: report.closedBy.staffName } : {}),
    openedAt: report.openedAt,
    closedAt: report.closedAt,
    figures: { floatCents, cashReceivedCents, changeGivenCents, cashRefundsCents, cardReceivedCents, cardRefundsCents, invoicedCents, expectedCents, payments, refunds },
    countedCents: report.countedCents,
    differenceCents: report.differenceCents,
    ...(report.reason ? { reason: report.reason } : {}),
    ...(options.duplicate ? { duplicate: true } : {}),
  };
}
