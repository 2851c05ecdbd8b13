// The network's accounts as the hub reports them (CLI JSON, the admin page, PDF and CSV): monthly
// statements per payer, the settlement with each center, and a site's evaluation. They cross the
// network to the admin page, so each has its schema here.
import { z } from 'zod';
import { languageSchema } from '../reference-data.js';
import { frozenVatTreatmentSchema } from '../vat-treatment.js';

export const periodSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');
export type Period = z.infer<typeof periodSchema>;

const cents = z.number().int();
const totals = z.object({ netCents: cents, vatCents: cents, grossCents: cents });
export type Totals = z.infer<typeof totals>;

export const COVERAGE_KINDS = ['payg', 'pass', 'quota'] as const;

export const statementLineSchema = z.object({
  /**
   * pass_fee: a month of a member's pass; quota_package: a company's prepaid hours; usage: what was
   * consumed, pay-as-you-go or covered; adjustment: the change, found after a period closed, to what
   * its statement said (late events, voids, corrections), with that period named.
   */
  kind: z.enum(['pass_fee', 'quota_package', 'usage', 'adjustment']),
  description: z.string(),
  memberId: z.string().optional(),
  siteId: z.string().optional(),
  siteName: z.string().optional(),
  stars: z.number().int().optional(),
  serviceCode: z.string().optional(),
  coverage: z.enum(COVERAGE_KINDS).optional(),
  /** Minutes for an hourly service, units otherwise; months for a pass, minutes for a package. */
  quantity: z.number().int(),
  unit: z.string(),
  unitPriceCents: cents,
  vatRateBp: z.number().int(),
  /**
   * How a 0 % line is taxed, as the reference data said when the statement was built (its service,
   * pass or quota's vatTreatment): frozen with a closed month. Absent: standard above 0 %, exempt
   * with the generic reason at 0 % (statements made before it, and 0 % prices declaring none).
   */
  vatTreatment: frozenVatTreatmentSchema.optional(),
  ...totals.shape,
  /** For an adjustment: the closed period it corrects. */
  adjustsPeriod: z.string().optional(),
});
export type StatementLine = z.infer<typeof statementLineSchema>;

export const memberDetailLineSchema = z.object({
  consumptionId: z.string(),
  localDate: z.string(),
  siteId: z.string(),
  serviceCode: z.string(),
  quantity: z.number().int(),
  coverage: z.enum(COVERAGE_KINDS),
  coveredMinutes: z.number().int(),
  ...totals.shape,
});

/**
 * Money a member's payer already paid at a desk for this statement (issue 16): a cash or card
 * payment taken at a centre for a member's visit, or its refund (negative). The visit's lines stay
 * on the statement as they are; these lower what is left to pay (EN 16931's prepaid amount, BT-113).
 */
export const paidAtDeskSchema = z.object({
  paymentId: z.string(),
  /** Set when this entry is a refund of the payment. */
  refundId: z.string().optional(),
  memberId: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  /** The day the money changed hands, in the site's time zone. */
  localDate: z.string(),
  method: z.enum(['cash', 'card']),
  /** "Paid at the desk of Bruxelles A on 06/11/2026", in the payer's language. */
  description: z.string(),
  /** Paid (positive) or refunded (negative), VAT included. */
  amountCents: cents,
  /** For a payment that reached the hub after its month closed: that month. */
  adjustsPeriod: z.string().optional(),
});
export type PaidAtDesk = z.infer<typeof paidAtDeskSchema>;

const statementObjectSchema = z.object({
  period: periodSchema,
  payerId: z.string(),
  payerName: z.string(),
  payerVatNumber: z.string().optional(),
  language: languageSchema,
  status: z.enum(['provisional', 'closed']),
  closedAt: z.string().optional(),
  lines: z.array(statementLineSchema),
  vatSummary: z.array(z.object({ vatRateBp: z.number().int(), netCents: cents, vatCents: cents })),
  totals,
  members: z.array(z.object({ memberId: z.string(), name: z.string(), lines: z.array(memberDetailLineSchema), totals })),
  /** Paid at the centres' desks (prepayments and their refunds), absent before issue 16: none. */
  paidAtDesk: z.array(paidAtDeskSchema).default([]),
  /** Σ paidAtDesk: the prepaid amount (BT-113). */
  paidAtDeskCents: cents.default(0),
  /** What is left to pay: totals.grossCents − paidAtDeskCents (BT-115, the amount due). */
  payableCents: cents,
});

/** A statement; one frozen before issue 16 has nothing paid at a desk: its payable is its gross. */
export const statementSchema = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !('payableCents' in v) && 'totals' in v ? { ...v, payableCents: (v as { totals: { grossCents?: unknown } }).totals?.grossCents } : v),
  statementObjectSchema,
);
export type Statement = z.infer<typeof statementObjectSchema>;

export const priceDifferenceSchema = z.object({
  consumptionId: z.string(),
  siteId: z.string(),
  memberId: z.string().optional(),
  localDate: z.string(),
  serviceCode: z.string(),
  station: z.object({ netCents: cents, coverage: z.enum(COVERAGE_KINDS), tariffVersionId: z.string() }),
  hub: z.object({ netCents: cents, coverage: z.enum(COVERAGE_KINDS), tariffVersionId: z.string() }),
  /** Why the hub could not price it (then it keeps the station's price), when that is the case. */
  reason: z.string().optional(),
});
export type PriceDifference = z.infer<typeof priceDifferenceSchema>;

export const siteSettlementSchema = z.object({
  siteId: z.string(),
  siteName: z.string(),
  /** Pay-as-you-go net earned at the site (adjustments included). */
  paygNetCents: cents,
  /** Workspace minutes hosted for pass holders and for quota minutes. */
  passMinutes: z.number().int(),
  quotaMinutes: z.number().int(),
  passShareCents: cents,
  quotaShareCents: cents,
  /**
   * Net the center collected at its own desk (cash and card, less refunds; issue 16): counted in its
   * gross due like pay-as-you-go, and off its payout since it holds the money. Its VAT apart (the
   * center's own to declare). Zero in settlements made before desks took payments.
   */
  deskNetCents: cents.default(0),
  deskVatCents: cents.default(0),
  grossDueCents: cents,
  networkFeeCents: cents,
  /** What the network owes the center for hosting: gross due less the network's fee. */
  dueCents: cents,
  /** As an agent: the commission on what the members it signed up consumed. */
  commissionCents: cents,
  /**
   * Cash and card the center's desk took for members' visits, less refunds, VAT included: the
   * network's money (the member's payer is billed for those visits and the payment lowers what they
   * have left to pay), held by the center; off its payout with no fee. Zero in earlier settlements.
   */
  heldForNetworkCents: cents.default(0),
  /**
   * What the network pays the center: due − what its desk collected + commission − what it holds
   * for the network (negative: the center owes the network).
   */
  payoutCents: cents,
});
export type SiteSettlement = z.infer<typeof siteSettlementSchema>;

export const settlementSchema = z.object({
  period: periodSchema,
  status: z.enum(['provisional', 'closed']),
  networkFeeBp: z.number().int(),
  commissionBp: z.number().int(),
  sites: z.array(siteSettlementSchema),
  network: z.object({
    /** Net billed to payers in this period's statements. */
    billedNetCents: cents,
    passRevenueCents: cents,
    quotaRevenueCents: cents,
    feesCents: cents,
    commissionsCents: cents,
    /** Pass or quota revenue with no hosted hours to share it by: the network keeps it. */
    undistributedCents: cents,
    /** billed − Σ payouts − held for the network: the fees and undistributed revenue less the commissions. */
    retainedCents: cents,
    /** Net collected at the centers' desks (Σ sites' deskNetCents): their revenue, on no statement. */
    deskNetCents: cents.default(0),
    /** Members' prepayments the centers' desks hold for the network (Σ sites' heldForNetworkCents). */
    heldForNetworkCents: cents.default(0),
  }),
  cases: z.object({
    overlaps: z.array(z.object({ memberId: z.string(), siteA: z.string(), siteB: z.string(), visitA: z.string(), visitB: z.string(), detectedAt: z.string() })),
    rejected: z.array(z.object({ siteId: z.string(), eventId: z.string(), type: z.string(), reason: z.string() })),
    quarantined: z.array(z.object({ siteId: z.string(), seq: z.number().int(), reason: z.string() })),
    priceDifferences: z.array(priceDifferenceSchema),
  }),
});
export type Settlement = z.infer<typeof settlementSchema>;

const tillFiguresSchema = z.object({
  closed: z.number().int(),
  withDifference: z.number().int(),
  shortfallCents: cents,
  surplusCents: cents,
});
export type TillFigures = z.infer<typeof tillFiguresSchema>;

export const evaluationSchema = z.object({
  siteId: z.string(),
  siteName: z.string(),
  from: z.string(),
  until: z.string(),
  membership: z.string(),
  trialUntil: z.string().optional(),
  visits: z.number().int(),
  memberVisits: z.number().int(),
  guestVisits: z.number().int(),
  distinctMembers: z.number().int(),
  /** Visits by members whose home site is another center, over member visits (basis points). */
  roamingShareBp: z.number().int(),
  hostedMinutes: z.number().int(),
  revenueNetCents: cents,
  openingMinutes: z.number().int(),
  staffedMinutes: z.number().int(),
  /** Staffed reception over opening hours (basis points; may pass 10,000 when staffed outside hours). */
  staffedShareBp: z.number().int(),
  autoClosedVisits: z.number().int(),
  /**
   * The desk's tills closed in the range (issue 16), by their local day: how many, how many with a
   * difference between counted and expected cash, and the differences' sums, shortfalls (cash
   * missing) and surpluses apart, each as a positive amount.
   */
  tills: tillFiguresSchema.default({ closed: 0, withDifference: 0, shortfallCents: 0, surplusCents: 0 }),
  sync: z.object({
    streams: z.number().int(),
    lastSeen: z.string().optional(),
    watermark: z.string().optional(),
    rejectedEvents: z.number().int(),
    quarantinedEvents: z.number().int(),
    epochChanges: z.number().int(),
    clockSkewAlerts: z.number().int(),
  }),
  /**
   * Device health, counted by the events' local day at the site: a fault is a configured device
   * that worked going down (once per down period); downMinutes adds up the down periods that
   * ended in the range (a device still down counts when it comes back).
   */
  devices: z.object({
    readerFaults: z.number().int(),
    printerFaults: z.number().int(),
    printJobsFailed: z.number().int(),
    downMinutes: z.number().int(),
    /**
     * Whether the site's station reported its devices by the range's end: it sent a device event
     * (its devices are announced once, when first seen working). False: zeros mean "not known".
     */
    reported: z.boolean(),
    /** The local day of the site's first device event: the figures hold from then on. */
    reportedSince: z.string().optional(),
  }),
  months: z.array(
    z.object({
      period: z.string(),
      visits: z.number().int(),
      hostedMinutes: z.number().int(),
      revenueNetCents: cents,
      /** The month's share of `devices` (faults, failed jobs, down periods that ended in it). */
      readerFaults: z.number().int(),
      printerFaults: z.number().int(),
      printJobsFailed: z.number().int(),
      downMinutes: z.number().int(),
      /** The month's share of `tills`. */
      tills: tillFiguresSchema.default({ closed: 0, withDifference: 0, shortfallCents: 0, surplusCents: 0 }),
    }),
  ),
});
export type Evaluation = z.infer<typeof evaluationSchema>;

/**
 * Whether an evaluation's device figures for `period` are known: the site reported its devices by
 * that month (its first device event fell in it or before). Otherwise a zero means "not known".
 */
export function monthDevicesReported(e: Pick<Evaluation, 'devices'>, period: string): boolean {
  return e.devices.reported && e.devices.reportedSince !== undefined && e.devices.reportedSince.slice(0, 7) <= period;
}
