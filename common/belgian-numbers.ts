// The numbers an invoice names its parties and its payment by (issue 17), checked by their check
// digits so that a typo is caught when the reference data is imported, not by a bank or an
// access point weeks later: Belgian enterprise numbers (KBO/BCE), IBANs, BICs, Peppol participant
// ids, and the Belgian structured communication (+++123/4567/89012+++).
import { z } from 'zod';

const mod97 = (digits: string): number => {
  // Piecewise: an IBAN's digits pass 2^53.
  let rest = 0;
  for (const ch of digits) rest = (rest * 10 + Number(ch)) % 97;
  return rest;
};

/** "0123.456.749" or "BE 0123 456 749" as stored: 10 digits. */
export const compactEnterpriseNumber = (raw: string): string => raw.replace(/[\s.\-]/g, '').replace(/^BE/i, '');

/** A Belgian enterprise number: 10 digits starting with 0 or 1; the last two = 97 − (the first eight mod 97). */
export function isValidEnterpriseNumber(compact: string): boolean {
  if (!/^[01]\d{9}$/.test(compact)) return false;
  return 97 - mod97(compact.slice(0, 8)) === Number(compact.slice(8));
}

export const enterpriseNumberSchema = z
  .string()
  .transform(compactEnterpriseNumber)
  .refine(isValidEnterpriseNumber, 'a Belgian enterprise number whose check digits are right, such as 0123.456.749');

/** "BE68 5390 0754 7034" as stored: upper case, no spaces. */
export const compactIban = (raw: string): string => raw.replace(/\s/g, '').toUpperCase();

/** ISO 13616: the country and check digits moved to the end, letters as numbers, mod 97 = 1. */
export function isValidIban(compact: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  if (compact.startsWith('BE') && compact.length !== 16) return false;
  const moved = compact.slice(4) + compact.slice(0, 4);
  const digits = [...moved].map((c) => (c >= 'A' ? String(c.charCodeAt(0) - 55) : c)).join('');
  return mod97(digits) === 1;
}

export const ibanSchema = z.string().transform(compactIban).refine(isValidIban, 'an IBAN whose check digits are right, such as BE68 5390 0754 7034');

export const bicSchema = z
  .string()
  .transform((v) => v.replace(/\s/g, '').toUpperCase())
  .refine((v) => /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(v), 'a BIC of 8 or 11 characters, such as GEBABEBB');

/** A Peppol participant id of a Belgian company: scheme 0208 (the enterprise number), "0208:0123456749". */
export const peppolIdSchema = z
  .string()
  .transform((v) => v.replace(/\s/g, ''))
  .refine((v) => {
    const m = /^0208:(\d{10})$/.exec(v);
    return m !== null && isValidEnterpriseNumber(m[1]!);
  }, 'a Peppol id as 0208: and the enterprise number, such as 0208:0123456749');

/** The 12 digits of a structured communication: 10, then their mod 97 (97 for 0). */
export function structuredCommunicationDigits(base: number): string {
  if (!Number.isInteger(base) || base < 0 || base >= 1e10) throw new RangeError('a structured communication carries a number of at most 10 digits');
  const ten = String(base).padStart(10, '0');
  const check = mod97(ten) || 97;
  return ten + String(check).padStart(2, '0');
}

/** +++123/4567/89012+++ as printed on a Belgian invoice. */
export const formatStructuredCommunication = (digits12: string): string => `+++${digits12.slice(0, 3)}/${digits12.slice(3, 7)}/${digits12.slice(7)}+++`;

export function isValidStructuredCommunication(text: string): boolean {
  const digits = text.replace(/[+/\s*]/g, '');
  if (!/^\d{12}$/.test(digits)) return false;
  return (mod97(digits.slice(0, 10)) || 97) === Number(digits.slice(10));
}
