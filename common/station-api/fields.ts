// The fields station methods share: ids as the station shows them, names, reasons, local dates, the
// shift a desk action is done under (put there by the station from the clerk's session).
import { z } from 'zod';

export const refId = z.string().trim().min(1, 'must not be empty').max(64, 'at most 64 characters');
export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'an id as shown by the station');
export const name = z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters');
export const reason = z.string().trim().min(3, 'give a reason of at least 3 characters').max(500, 'at most 500 characters');
export const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
export const shiftId = uuid.optional();
/**
 * A walk-in guest's nationality as the eID states it ("Belge", "Belg", "Deutsch"…) or as the clerk
 * types it: free text, not a code list, since the card's wording is the commune's. Printable only
 * (no control, format or line-separator characters): it is shown on screens and kept until the
 * retention date. Empty once trimmed means not given.
 */
export const nationality = z
  .string()
  .trim()
  .max(60, 'at most 60 characters')
  .regex(/^[^\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]*$/u, 'printable characters only (no control characters or line breaks)')
  .optional()
  .transform((v) => (v ? v : undefined));
