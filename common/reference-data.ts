// Reference data: what the hub owns and sends down to every station (sites, payers, members,
// badges, the service catalogue, tariff versions, the site's reception staff).
// Until the hub exists it is imported from a JSON file of exactly this shape.
import { z } from 'zod';
import { canonicalBadgeUid } from './badge-uid.js';
import { badgeFormatsSchema } from './readers/badge-formats.js';
import { SIGNUP_OUTCOMES, billingAddressSchema } from './signup.js';
import { isValidBelgianVatNumber, vatNumberSchema } from './vat-number.js';
import { bicSchema, enterpriseNumberSchema, ibanSchema, peppolIdSchema } from './belgian-numbers.js';
import { vatTreatmentSchema } from './vat-treatment.js';

export const LANGUAGES = ['fr', 'nl', 'en', 'de'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

export const REGIONS = ['brussels', 'wallonia', 'flanders'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an id of letters, digits, ".", "_" or "-" (1 to 64 characters)');
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM (24 h)');
const nonEmpty = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');

export const timeZoneSchema = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Europe/Brussels');

export const openingIntervalSchema = z
  .object({ open: clockTime, close: clockTime })
  .refine((i) => i.open < i.close, 'close must be after open');

export const openingHoursSchema = z.partialRecord(z.enum(WEEKDAYS), openingIntervalSchema);
export type OpeningHours = z.infer<typeof openingHoursSchema>;

export const siteSchema = z.object({
  id,
  name: nonEmpty,
  region: z.enum(REGIONS),
  stars: z.number().int().min(1).max(3),
  timeZone: timeZoneSchema.default('Europe/Brussels'),
  openingHours: openingHoursSchema,
  membership: z.discriminatedUnion('status', [
    z.object({ status: z.literal('trial'), trialUntil: localDate }),
    z.object({ status: z.literal('confirmed') }),
    z.object({ status: z.literal('suspended') }),
  ]),
  /**
   * What a badge number looks like at this site (readers/badge-formats.ts): a keyboard-wedge read
   * that fits none is no tap. Absent: DEFAULT_BADGE_FORMATS.
   */
  badgeFormats: badgeFormatsSchema.optional(),
  /** The centre's legal identity, printed on every receipt so that it proves a payment. */
  legalName: nonEmpty.optional(),
  address: billingAddressSchema.optional(),
  vatNumber: vatNumberSchema.optional(),
});
export type Site = z.infer<typeof siteSchema>;

export const payerSchema = z.object({
  id,
  kind: z.enum(['company', 'self']),
  name: nonEmpty,
  vatNumber: z.string().regex(/^[A-Z]{2}[0-9A-Z]{2,13}$/, 'a VAT number such as BE0123456789').optional(),
  language: languageSchema,
  /** Where the payer's statements go (a self-paying member signed up at a reception gives one). */
  billingAddress: billingAddressSchema.optional(),
  /** A company's Belgian enterprise number (KBO/BCE), named on its invoices (issue 17). */
  enterpriseNumber: enterpriseNumberSchema.optional(),
  /** Where its e-invoices go on the Peppol network (0208: and the enterprise number). Absent: invoices as PDF only. */
  peppolId: peppolIdSchema.optional(),
  /** A blocked payer takes no new members (the hub refuses a sign-up naming it). Absent: active. */
  status: z.enum(['active', 'blocked']).optional(),
  blockedReason: z.string().max(200).optional(),
});
export type Payer = z.infer<typeof payerSchema>;

export const memberSchema = z.object({
  id,
  payerId: id,
  firstName: nonEmpty,
  lastName: nonEmpty,
  email: z.email('an e-mail address').max(254),
  language: languageSchema,
  status: z.enum(['active', 'blocked']),
  blockedReason: z.string().max(200).optional(),
  homeSiteId: id,
  agentSiteId: id.optional(),
  /** The local day (at the agent site) the member was signed up: the agent's commission counts from it. */
  signedUpOn: localDate.optional(),
  phone: z.string().max(40).optional(),
  /**
   * Set when the member's personal data was erased on request (GDPR art. 17): names and e-mail
   * are then a pseudonym; the id, payer, sites and status stay for the accounts.
   */
  erasedAt: z.iso.datetime({ offset: false }).optional(),
});
export type Member = z.infer<typeof memberSchema>;

/**
 * A badge UID as every side stores and compares it: in its canonical form (badge-uid.ts — parsing
 * converts, so whoever parses with this schema matches without regard to case), printable, no
 * spaces, 1 to 64 characters.
 */
export const badgeUidSchema = z
  .string()
  .overwrite(canonicalBadgeUid)
  .min(1, 'a badge UID must not be empty')
  .max(64, 'a badge UID has at most 64 characters')
  .regex(/^[\x21-\x7e]+$/, 'a badge UID is printable ASCII without spaces or control characters');

export const badgeSchema = z.object({
  uid: badgeUidSchema,
  memberId: id,
  kind: z.enum(['rfid', 'qr', 'barcode']),
  status: z.enum(['active', 'lost', 'revoked']),
});
export type Badge = z.infer<typeof badgeSchema>;

export const SERVICE_UNITS = ['hour', 'half_day', 'day', 'item', 'page'] as const;
export const serviceSchema = z.object({
  code: id,
  names: z.object({ fr: nonEmpty, nl: nonEmpty, en: nonEmpty, de: nonEmpty }),
  unit: z.enum(SERVICE_UNITS),
  category: z.enum(['workspace', 'meeting', 'print', 'food', 'parking', 'other']),
  /**
   * How the service is taxed when not at a standard rate (vat-treatment.ts): its prices are then all
   * at 0 %. Absent, a 0 % price stays what it always was on the invoices: exempt (E) with a generic
   * reason ("Exempt from VAT"), so reference files made before keep importing and billing the same.
   */
  vatTreatment: vatTreatmentSchema.optional(),
});
export type Service = z.infer<typeof serviceSchema>;

export const tariffPriceSchema = z.object({
  serviceCode: id,
  stars: z.number().int().min(1).max(3),
  /** Price of one unit excluding VAT, in euro cents (for an "hour" service: one hour). */
  unitPriceCents: z.number().int().min(0).max(10_000_000),
  /** VAT rate in basis points: 2100 = 21 %. */
  vatRateBp: z.number().int().min(0).max(10_000),
  /** For "hour" services: time is billed in steps of this many minutes, rounded up. */
  billingIncrementMinutes: z.number().int().min(1).max(1440).optional(),
  /** Most this service may cost a member at one site in one local day, excluding VAT. */
  dailyCapCents: z.number().int().min(0).max(10_000_000).optional(),
});
export type TariffPrice = z.infer<typeof tariffPriceSchema>;

export const tariffVersionSchema = z.object({
  id,
  /** First local day (in the site's time zone) this version prices. */
  effectiveFrom: localDate,
  prices: z.array(tariffPriceSchema).min(1),
});
export type TariffVersion = z.infer<typeof tariffVersionSchema>;

export const staffSchema = z.object({
  id,
  /** The site the clerk works at; required at the hub, which sends each station its own staff. */
  siteId: id.optional(),
  name: nonEmpty,
  /** A slow salted hash made by `escale-station staff-pin` (scrypt$N$r$p$salt$hash). */
  pinHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[0-9a-f]+\$[0-9a-f]+$/, 'a PIN hash made by escale-station staff-pin'),
  /**
   * A supervisor may also configure the station (its hub, reference data, devices) and unlock a
   * clerk locked out by wrong PINs; a clerk works the desk. Default: clerk.
   */
  role: z.enum(['clerk', 'supervisor']).default('clerk'),
});
export type Staff = z.infer<typeof staffSchema>;

const vatRateBp = z.number().int().min(0).max(10_000);

/** A pass or a package with a VAT treatment (Z or E) is billed at 0 %: a rate would contradict it. */
const zeroRateWithTreatment = (x: { vatRateBp: number; vatTreatment?: unknown }): boolean => x.vatTreatment === undefined || x.vatRateBp === 0;
const zeroRateMessage = {
  message: 'a vatTreatment (zero rated or exempt) is for a price at 0 %: set vatRateBp to 0, or remove vatTreatment to bill this rate as standard',
  path: ['vatRateBp'],
};
const cents = z.number().int().min(0).max(100_000_000);

/**
 * A pass: a flat monthly fee for unlimited workspace (services of category "workspace") at a set
 * of sites, or at every site of the network. Everything else stays pay-as-you-go.
 */
export const planSchema = z.object({
  id,
  kind: z.literal('pass'),
  name: nonEmpty,
  /** Excluding VAT, charged for every calendar month a subscription overlaps. */
  monthlyFeeCents: cents,
  vatRateBp,
  sites: z.union([z.literal('all'), z.array(id).min(1)]),
  /** How the pass is taxed when not at a standard rate (its vatRateBp then 0), as a service's. */
  vatTreatment: vatTreatmentSchema.optional(),
}).refine(zeroRateWithTreatment, zeroRateMessage);
export type Plan = z.infer<typeof planSchema>;

/** A member holding a pass from one local day to another (both included; no end: until cancelled). */
export const subscriptionSchema = z
  .object({ id, memberId: id, planId: id, from: localDate, until: localDate.optional() })
  .refine((s) => s.until === undefined || s.from <= s.until, { message: 'until must not be before from', path: ['until'] });
export type Subscription = z.infer<typeof subscriptionSchema>;

/**
 * A company's prepaid package of workspace hours, allocated to some of its staff. Hourly
 * workspace time draws a member's allocation down; past it, pay-as-you-go. The hub adds what each
 * member has drawn so far (`used`, as of `usedAsOf`), so a station offline knows what is left.
 */
export const quotaSchema = z
  .object({
    id,
    payerId: id,
    name: nonEmpty,
    minutes: z.number().int().min(1).max(10_000_000),
    /** The package's price excluding VAT, billed on the statement of the month of validFrom. */
    priceCents: cents,
    vatRateBp,
    validFrom: localDate,
    validUntil: localDate,
    allocations: z.array(z.object({ memberId: id, minutes: z.number().int().min(1).max(10_000_000) })).min(1),
    used: z.record(z.string(), z.number().int().min(0)).default({}),
    usedAsOf: z.iso.datetime({ offset: false }).optional(),
    /** How the package is taxed when not at a standard rate (its vatRateBp then 0), as a service's. */
    vatTreatment: vatTreatmentSchema.optional(),
  })
  .refine(zeroRateWithTreatment, zeroRateMessage)
  .refine((q) => q.validFrom <= q.validUntil, { message: 'validUntil must not be before validFrom', path: ['validUntil'] })
  .refine((q) => q.allocations.reduce((n, a) => n + a.minutes, 0) <= q.minutes, {
    message: 'the allocations add up to more minutes than the package holds',
    path: ['allocations'],
  });
export type Quota = z.infer<typeof quotaSchema>;

/**
 * The hub's answer to a sign-up made at a reception, sent down to the signing site only: confirmed
 * (the member is in the network's data), an operator case (possibly the same person as
 * `duplicateOf`), merged by the operator into an existing member, or refused with a reason.
 */
export const signupOutcomeSchema = z.object({
  memberId: id,
  siteId: id,
  outcome: z.enum(SIGNUP_OUTCOMES),
  /** A refusal's stable reason (payer_blocked, payer_unknown, site_mismatch, operator). */
  reason: z.string().max(64).optional(),
  /** Words for the clerk (a blocked payer's reason, the operator's note). */
  detail: z.string().max(500).optional(),
  duplicateOf: id.optional(),
  mergedInto: id.optional(),
  decidedAt: z.iso.datetime({ offset: false }),
});
export type SignupOutcomeRecord = z.infer<typeof signupOutcomeSchema>;

/**
 * The network's own legal profile: the seller on every invoice and credit note it issues (issue 17),
 * and the account its payers pay into.
 */
export const networkProfileSchema = z.object({
  legalName: nonEmpty,
  address: billingAddressSchema,
  enterpriseNumber: enterpriseNumberSchema,
  vatNumber: vatNumberSchema,
  iban: ibanSchema,
  bic: bicSchema,
  peppolId: peppolIdSchema,
  /** Where payers write about an invoice. */
  email: z.email().optional(),
});
export type NetworkProfile = z.infer<typeof networkProfileSchema>;

export const referenceDataSchema = z.object({
  format: z.literal('escale.reference/1'),
  /** The network's legal profile (issue 17): required to issue invoices, optional for the rest. */
  network: networkProfileSchema.optional(),
  sites: z.array(siteSchema).min(1),
  payers: z.array(payerSchema),
  members: z.array(memberSchema),
  badges: z.array(badgeSchema),
  services: z.array(serviceSchema).min(1),
  tariffs: z.array(tariffVersionSchema).min(1),
  staff: z.array(staffSchema).default([]),
  plans: z.array(planSchema).default([]),
  subscriptions: z.array(subscriptionSchema).default([]),
  quotas: z.array(quotaSchema).default([]),
});
export type ReferenceData = z.infer<typeof referenceDataSchema>;
export type ReferenceDataInput = z.input<typeof referenceDataSchema>;

type PartyNumbers = { vatNumber?: string | undefined; enterpriseNumber?: string | undefined; peppolId?: string | undefined };

/**
 * One company across its numbers: a Belgian VAT number's check digits, and the same enterprise
 * number in the VAT number, the enterprise number and the Peppol id — an e-invoice sent to another
 * company's Peppol id goes to that company. `whose` names the party in the messages.
 */
function partyNumberIssues(party: PartyNumbers, whose: string): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const belgianVat = party.vatNumber?.startsWith('BE') ? party.vatNumber : undefined;
  if (belgianVat && !isValidBelgianVatNumber(belgianVat))
    issues.push({ path: 'vatNumber', message: `a Belgian VAT number whose check digits are right (BE + 10 digits), not "${belgianVat}"` });
  const vatDigits = belgianVat?.slice(2);
  if (party.enterpriseNumber !== undefined && vatDigits !== undefined && party.enterpriseNumber !== vatDigits)
    issues.push({ path: 'enterpriseNumber', message: `enterprise number ${party.enterpriseNumber} is not the one of VAT number ${belgianVat} (${vatDigits})` });
  if (party.peppolId !== undefined) {
    const peppolDigits = party.peppolId.slice('0208:'.length);
    if (party.enterpriseNumber === undefined)
      issues.push({ path: 'enterpriseNumber', message: `required with a Peppol id: the enterprise number its invoices name (${peppolDigits} by the Peppol id)` });
    else if (peppolDigits !== party.enterpriseNumber)
      issues.push({ path: 'peppolId', message: `Peppol id ${party.peppolId} names enterprise number ${peppolDigits}, not ${whose} ${party.enterpriseNumber}` });
    if (vatDigits !== undefined && peppolDigits !== vatDigits)
      issues.push({ path: 'peppolId', message: `Peppol id ${party.peppolId} names enterprise number ${peppolDigits}, not the one of VAT number ${belgianVat}` });
  }
  return issues;
}

/**
 * What a payer's invoices need to name it by and that its fields alone cannot check (issue 17):
 * its numbers name one company (the payer's VAT number is checked for its shape only by its schema,
 * so that payers made before still parse), and a payer invoiced through Peppol has its address (the
 * buyer's, required on a Peppol invoice). Paths are the payer's own fields.
 */
export function payerPartyIssues(payer: Payer): { path: string; message: string }[] {
  const issues = partyNumberIssues(payer, "the payer's");
  if (payer.peppolId !== undefined && payer.billingAddress === undefined)
    issues.push({ path: 'billingAddress', message: "required with a Peppol id: the buyer's address on its e-invoices" });
  return issues;
}

/** The network's own numbers (the seller on every invoice) name one company too. */
export const networkPartyIssues = (network: NetworkProfile): { path: string; message: string }[] => partyNumberIssues(network, "the network's");

/** Checks what zod cannot see field by field: that every reference points at something. */
export function referenceIssues(data: ReferenceData): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const dup = (list: { [k: string]: unknown }[], key: string, name: string) => {
    const seen = new Set<unknown>();
    list.forEach((item, i) => {
      if (seen.has(item[key])) issues.push({ path: `${name}[${i}].${key}`, message: `duplicate ${key} "${String(item[key])}"` });
      seen.add(item[key]);
    });
  };
  dup(data.sites, 'id', 'sites');
  dup(data.payers, 'id', 'payers');
  dup(data.members, 'id', 'members');
  dup(data.badges, 'uid', 'badges');
  dup(data.services, 'code', 'services');
  dup(data.tariffs, 'id', 'tariffs');
  dup(data.tariffs, 'effectiveFrom', 'tariffs');
  dup(data.staff, 'id', 'staff');
  dup(data.plans, 'id', 'plans');
  dup(data.subscriptions, 'id', 'subscriptions');
  dup(data.quotas, 'id', 'quotas');
  if (data.network) issues.push(...networkPartyIssues(data.network).map((x) => ({ path: `network.${x.path}`, message: x.message })));
  data.payers.forEach((p, i) => issues.push(...payerPartyIssues(p).map((x) => ({ path: `payers[${i}].${x.path}`, message: x.message }))));
  const sites = new Set(data.sites.map((s) => s.id));
  const payers = new Set(data.payers.map((p) => p.id));
  const members = new Set(data.members.map((m) => m.id));
  const services = new Map(data.services.map((s) => [s.code, s]));
  data.members.forEach((m, i) => {
    if (!payers.has(m.payerId)) issues.push({ path: `members[${i}].payerId`, message: `no payer "${m.payerId}"` });
    if (!sites.has(m.homeSiteId)) issues.push({ path: `members[${i}].homeSiteId`, message: `no site "${m.homeSiteId}"` });
    if (m.agentSiteId !== undefined && !sites.has(m.agentSiteId))
      issues.push({ path: `members[${i}].agentSiteId`, message: `no site "${m.agentSiteId}"` });
  });
  data.badges.forEach((b, i) => {
    if (!members.has(b.memberId)) issues.push({ path: `badges[${i}].memberId`, message: `no member "${b.memberId}"` });
  });
  data.tariffs.forEach((t, ti) => {
    const seen = new Set<string>();
    t.prices.forEach((p, pi) => {
      const path = `tariffs[${ti}].prices[${pi}]`;
      const service = services.get(p.serviceCode);
      if (!service) issues.push({ path: `${path}.serviceCode`, message: `no service "${p.serviceCode}"` });
      const treatment = service?.vatTreatment;
      if (treatment && p.vatRateBp !== 0)
        issues.push({
          path: `${path}.vatRateBp`,
          message: `the service "${p.serviceCode}" is ${treatment.category === 'Z' ? 'zero rated (Z)' : 'exempt (E)'} by its vatTreatment, so its prices are at 0 %, not ${p.vatRateBp / 100} %: set vatRateBp to 0, or remove the service's vatTreatment`,
        });
      if (service?.unit === 'hour' && p.billingIncrementMinutes === undefined)
        issues.push({ path: `${path}.billingIncrementMinutes`, message: `required for the hourly service "${p.serviceCode}"` });
      const key = `${p.serviceCode}/${p.stars}`;
      if (seen.has(key)) issues.push({ path, message: `a second price for ${p.serviceCode} at ${p.stars} stars` });
      seen.add(key);
    });
  });
  const plans = new Set(data.plans.map((p) => p.id));
  data.plans.forEach((p, i) => {
    if (p.sites !== 'all')
      p.sites.forEach((s, si) => {
        if (!sites.has(s)) issues.push({ path: `plans[${i}].sites[${si}]`, message: `no site "${s}"` });
      });
  });
  data.subscriptions.forEach((s, i) => {
    if (!members.has(s.memberId)) issues.push({ path: `subscriptions[${i}].memberId`, message: `no member "${s.memberId}"` });
    if (!plans.has(s.planId)) issues.push({ path: `subscriptions[${i}].planId`, message: `no plan "${s.planId}"` });
  });
  const memberPayer = new Map(data.members.map((m) => [m.id, m.payerId]));
  data.quotas.forEach((q, i) => {
    if (!payers.has(q.payerId)) issues.push({ path: `quotas[${i}].payerId`, message: `no payer "${q.payerId}"` });
    q.allocations.forEach((a, ai) => {
      const payer = memberPayer.get(a.memberId);
      if (payer === undefined) issues.push({ path: `quotas[${i}].allocations[${ai}].memberId`, message: `no member "${a.memberId}"` });
      else if (payer !== q.payerId)
        issues.push({ path: `quotas[${i}].allocations[${ai}].memberId`, message: `member "${a.memberId}" is not on the staff of payer "${q.payerId}"` });
    });
  });
  return issues;
}

/** A zod issue's path as a clerk reads it: members[12].email. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

/** Each reference entity's schema, as the hub writes it and a station parses it. */
export const REFERENCE_ENTITY_SCHEMAS = {
  site: siteSchema,
  payer: payerSchema,
  service: serviceSchema,
  tariff: tariffVersionSchema,
  member: memberSchema,
  badge: badgeSchema,
  staff: staffSchema,
  plan: planSchema,
  subscription: subscriptionSchema,
  quota: quotaSchema,
  signup: signupOutcomeSchema,
} as const;

/** An entity's key in the hub's change log (staff and sign-up outcomes are per site: "site/id"). */
export function referenceEntityKey(entity: keyof typeof REFERENCE_ENTITY_SCHEMAS, data: Record<string, unknown>): string {
  if (entity === 'service') return String(data.code);
  if (entity === 'badge') return String(data.uid);
  if (entity === 'staff') return `${String(data.siteId)}/${String(data.id)}`;
  // Per site too: each station hears the outcomes of its own sign-ups only.
  if (entity === 'signup') return `${String(data.siteId)}/${String(data.memberId)}`;
  return String(data.id);
}
