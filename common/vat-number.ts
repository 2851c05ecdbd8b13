// VAT numbers as printed on a receipt. A Belgian one is checked by its check digits (BE + 10
// digits, the last two = 97 - the first eight mod 97), so a typo is caught before it is printed
// on every receipt of a centre; other countries' numbers are only checked for their shape.
import { z } from 'zod';

/** "BE 0123.456.749" or "be0123456749" as stored: upper case, no spaces, dots or dashes. */
export const compactVatNumber = (raw: string): string => raw.replace(/[\s.\-]/g, '').toUpperCase();

export function isValidBelgianVatNumber(compact: string): boolean {
  const m = /^BE([01]\d{9})$/.exec(compact);
  if (!m) return false;
  const digits = m[1]!;
  return 97 - (Number(digits.slice(0, 8)) % 97) === Number(digits.slice(8));
}

export const vatNumberSchema = z
  .string()
  .transform(compactVatNumber)
  .refine((v) => /^[A-Z]{2}(?=[0-9A-Z]*\d)[0-9A-Z]{2,13}$/.test(v), { message: 'a VAT number such as BE0123456749', params: { say: 'fieldVatNumber' } })
  .refine((v) => !v.startsWith('BE') || isValidBelgianVatNumber(v), {
    message: 'a Belgian VAT number whose check digits are right (BE + 10 digits)',
    // The sentence a screen shows (common/messages/errors/field-issue.ts); the message stays for the command line.
    params: { say: 'fieldVatCheckDigits' },
  });
