// The hub's admin JSON API as its admin page reads it: the answer envelope and the listings'
// shapes (stations, streams, quarantine, alerts, overlap cases, the close of a period). The page
// parses every answer with these, as unknown, before it shows anything.
import { z } from 'zod';
import { periodSchema } from './accounts/reports.js';

export const adminErrorSchema = z.object({ code: z.string(), message: z.string() });
export type AdminError = z.infer<typeof adminErrorSchema>;

/** Every admin API answer: {ok: true, value} or {ok: false, error: {code, message}}. */
export const adminAnswerSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: adminErrorSchema }),
]);

export const stationListingSchema = z.object({
  id: z.string(),
  siteId: z.string(),
  name: z.string(),
  enrolledAt: z.string(),
  revokedAt: z.string().optional(),
  /** Connected to the hub now (on any hub process); absent when the hub cannot tell. */
  online: z.boolean().optional(),
});
export type StationListing = z.infer<typeof stationListingSchema>;

export const streamListingSchema = z.object({
  siteId: z.string(),
  epoch: z.string(),
  ackedSeq: z.number().int(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  lastClockOffsetMs: z.number(),
  /** The stream's watermark: the station's clock when it last had nothing more to send. */
  caughtUpAt: z.string().optional(),
});
export type StreamListing = z.infer<typeof streamListingSchema>;

export const quarantineListingSchema = z.object({
  id: z.number().int(),
  siteId: z.string(),
  epoch: z.string(),
  seq: z.number().int(),
  eventId: z.string().optional(),
  reason: z.string(),
  raw: z.string(),
  receivedAt: z.string(),
});
export type QuarantineListing = z.infer<typeof quarantineListingSchema>;

export const alertListingSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  siteId: z.string(),
  detail: z.string(),
  at: z.string(),
});
export type AlertListing = z.infer<typeof alertListingSchema>;

export const overlapListingSchema = z.object({
  id: z.number().int(),
  memberId: z.string(),
  visitA: z.string(),
  siteA: z.string(),
  visitB: z.string(),
  siteB: z.string(),
  detectedAt: z.string(),
});
export type OverlapListing = z.infer<typeof overlapListingSchema>;

/** What closing a month answers (server/accounts/accounts.ts CloseResult). */
export const closeResultSchema = z.object({
  period: periodSchema,
  closed: z.boolean(),
  waitingFor: z.array(z.object({ siteId: z.string(), watermark: z.string().optional(), needed: z.string() })),
  closedAt: z.string().optional(),
  /** Why it cannot close yet, when that is not (only) sites to wait for. */
  reason: z.string().optional(),
});
export type CloseResultListing = z.infer<typeof closeResultSchema>;

export const closedPeriodsSchema = z.array(z.object({ period: z.string(), closedAt: z.string() }));

/** A month's invoices and credit notes as the admin page lists them (issue 17): what each is, and which files it has. */
export const invoiceListingSchema = z.array(
  z.object({
    number: z.string(),
    kind: z.enum(['invoice', 'credit_note']),
    issueDate: z.string(),
    period: z.string(),
    payerId: z.string(),
    payerName: z.string(),
    channel: z.enum(['peppol', 'pdf']),
    structuredCommunication: z.string(),
    corrects: z.string().optional(),
    /**
     * prepaidCents: paid at the desks (BT-113; on a credit note, refunded at the desks), absent when
     * nothing was; payableCents: what is left to pay (on a credit note, left to credit).
     */
    totals: z.object({ netCents: z.number().int(), vatCents: z.number().int(), grossCents: z.number().int(), prepaidCents: z.number().int().optional(), payableCents: z.number().int() }),
    files: z.object({ ubl: z.boolean(), pdf: z.boolean() }),
  }),
);
export type InvoiceListing = z.infer<typeof invoiceListingSchema>;

/**
 * What members paid at the desks that no document declares yet, per payer (a running balance the
 * hub keeps with the invoices issued last): positive, paid and waiting for the payer's next invoice;
 * negative, refunded at a desk and owed again on it. Non-zero balances only, by payer name.
 */
export const carriedPrepaidListingSchema = z.array(
  z.object({
    payerId: z.string(),
    /** The payer's name in the reference data; its id for a payer the reference lacks (a company invoiced at a desk). */
    payerName: z.string(),
    cents: z.number().int().refine((c) => c !== 0, 'a balance of 0 is not listed'),
  }),
);
export type CarriedPrepaidListing = z.infer<typeof carriedPrepaidListingSchema>;
