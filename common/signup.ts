// Agent sale: a center's reception signs a new member up for the whole network, offline if need be.
// What station, hub and reception share: the VAT number check, the versions of the network's terms
// and privacy notice a sign-up accepts, the ids a station makes, and the outcomes the hub sends back.
import { z } from 'zod';

/**
 * The versions of the network's terms of membership and privacy notice that a reception shows
 * today. A sign-up stores the versions it accepted (and when): a later version does not rewrite
 * what a member agreed to.
 */
export const TERMS_VERSION = 'escale-terms-2026-01';
export const PRIVACY_VERSION = 'escale-privacy-2026-01';

/** The EU VAT prefixes (Greece is EL in VAT numbers; XI is Northern Ireland's). */
export const EU_VAT_PREFIXES = [
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'EL', 'ES', 'FI', 'FR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK', 'XI',
] as const;

/** A VAT number as people write it ("BE 0123.456.749") in the one form stored: "BE0123456749". */
export const normaliseVatNumber = (text: string): string => text.toUpperCase().replace(/[\s.\-/]/g, '');

/**
 * Why a VAT number is not valid, or undefined when it is. A Belgian number is BE + 10 digits, the
 * first 0 or 1, and its last two digits are 97 − (the first eight mod 97); other EU numbers are
 * checked for their form only (each country has its own rule, and the hub or VIES is the judge).
 */
export function vatNumberProblem(vat: string): 'format' | 'check_digits' | 'country' | undefined {
  const prefix = vat.slice(0, 2);
  if (!/^[A-Z]{2}/.test(vat)) return 'format';
  if (!(EU_VAT_PREFIXES as readonly string[]).includes(prefix)) return 'country';
  if (prefix === 'BE') {
    const m = /^BE([01]\d{7})(\d{2})$/.exec(vat);
    if (!m) return 'format';
    return 97 - (Number(m[1]) % 97) === Number(m[2]) ? undefined : 'check_digits';
  }
  return /^[A-Z]{2}[0-9A-Z]{2,13}$/.test(vat) ? undefined : 'format';
}

const VAT_MESSAGES = {
  format: 'not a VAT number: write it as BE0123456749 (country code, then the number)',
  check_digits: 'the check digits do not match: a Belgian VAT number BE0xxxxxxxyy has yy = 97 − (0xxxxxxx mod 97); check the number on the invoice',
  country: 'not an EU VAT number: it starts with a country code such as BE, NL, FR, DE or LU',
} as const;

/** A VAT number given at a reception: normalised, then checked (Belgian check digits included). */
export const vatNumberSchema = z
  .string()
  .max(40, 'at most 40 characters')
  .transform(normaliseVatNumber)
  .superRefine((vat, ctx) => {
    const problem = vatNumberProblem(vat);
    if (problem) ctx.addIssue({ code: 'custom', message: VAT_MESSAGES[problem], params: { problem } });
  });

/** The id a station gives a member it signs up: unique network-wide without asking anyone (UUIDv7). */
export const provisionalMemberId = (uuid: string): string => `m-${uuid}`;
/** The id of the payer made for a member who pays for themself, from the same UUID. */
export const provisionalPayerId = (uuid: string): string => `p-${uuid}`;

export const billingAddressSchema = z.object({
  street: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters'),
  postalCode: z.string().trim().min(2, 'a postal code such as 1050').max(12, 'at most 12 characters'),
  city: z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters'),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'a country code such as BE')
    .default('BE'),
});
export type BillingAddress = z.infer<typeof billingAddressSchema>;

/**
 * Where a sign-up stands, as the reception shows it: awaiting the hub, confirmed (a network member
 * every station recognises), an operator case (a possible duplicate of `duplicateOf`), merged by
 * the operator into an existing member, or refused with a reason.
 */
export const SIGNUP_STATES = ['awaiting', 'confirmed', 'duplicate_case', 'merged', 'refused'] as const;
export type SignupState = (typeof SIGNUP_STATES)[number];
/** The outcomes the hub decides (every state but awaiting). */
export const SIGNUP_OUTCOMES = ['confirmed', 'duplicate_case', 'merged', 'refused'] as const;
export type SignupOutcome = (typeof SIGNUP_OUTCOMES)[number];

/** Stable reasons of a refusal (the reception words them in the clerk's language). */
export const SIGNUP_REFUSALS = ['payer_blocked', 'payer_unknown', 'site_mismatch', 'operator'] as const;
export type SignupRefusal = (typeof SIGNUP_REFUSALS)[number];
