// Privacy at the hub: a member's data export (GDPR art. 15/20) and erasure (art. 17), as the
// admin API and the CLI take and give them. Guests' purges are events (common/events.ts).
import { z } from 'zod';
import { isoInstant } from './events.js';
import { badgeSchema, memberSchema, payerSchema } from './reference-data.js';

export const memberIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a member id of letters, digits, ".", "_" or "-" (1 to 64 characters)');

/** An erasure request: who asks and why. Neither should name the member: the audit keeps them. */
export const memberErasureRequestSchema = z.object({
  reason: z.string().trim().min(3, 'give a reason of at least 3 characters (without personal data)').max(500, 'at most 500 characters'),
  by: z.string().trim().min(1, 'say who erases (an operator id)').max(100, 'at most 100 characters'),
});
export type MemberErasureRequest = z.infer<typeof memberErasureRequestSchema>;

const cents = z.number().int();

export const exportedVisitSchema = z.object({
  visitId: z.string(),
  siteId: z.string(),
  siteName: z.string().optional(),
  checkedInAt: isoInstant,
  checkedInBy: z.enum(['badge', 'staff']),
  badgeUid: z.string().optional(),
  checkedOutAt: isoInstant.optional(),
  checkedOutBy: z.enum(['badge', 'staff', 'auto']).optional(),
  durationMinutes: z.number().int().optional(),
  voided: z.object({ reason: z.string(), at: isoInstant }).optional(),
});

/** A priced line, or (kind "void") the compensating entry that cancels one: amounts then negative. */
export const exportedConsumptionSchema = z.object({
  kind: z.enum(['recorded', 'void']),
  consumptionId: z.string(),
  visitId: z.string(),
  siteId: z.string(),
  siteName: z.string().optional(),
  at: isoInstant,
  serviceCode: z.string().optional(),
  quantity: z.number().int().optional(),
  billedQuantity: z.number().int().optional(),
  unitPriceCents: cents.optional(),
  vatRateBp: z.number().int().optional(),
  tariffVersionId: z.string().optional(),
  stars: z.number().int().optional(),
  localDate: z.string().optional(),
  voidsConsumptionId: z.string().optional(),
  reason: z.string().optional(),
  netCents: cents,
  vatCents: cents,
  grossCents: cents,
});

export const memberExportSchema = z.object({
  format: z.literal('escale.member-export/1'),
  exportedAt: isoInstant,
  member: memberSchema,
  payer: payerSchema.nullable(),
  badges: z.array(badgeSchema),
  visits: z.array(exportedVisitSchema),
  consumption: z.array(exportedConsumptionSchema),
  /** The sum of the consumption lines (voids included), as recorded by the stations. */
  totals: z.object({ netCents: cents, vatCents: cents, grossCents: cents }),
  erasures: z.array(z.object({ at: isoInstant, by: z.string(), reason: z.string() })),
});
export type MemberExport = z.infer<typeof memberExportSchema>;

export const memberErasureSchema = z.object({
  memberId: z.string(),
  pseudonym: z.string(),
  erasedAt: isoInstant,
  revokedBadges: z.array(z.string()),
  /** Set when the member paid for themselves: that payer's name was pseudonymised too. */
  payerPseudonymised: z.string().optional(),
  cursor: z.number().int(),
  auditId: z.number().int(),
});
export type MemberErasure = z.infer<typeof memberErasureSchema>;
