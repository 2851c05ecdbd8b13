// What a badge number may look like at a site: a keyboard-wedge read is taken as a tap only when it
// fits one of these formats, so a person typing "2024" and Enter, or the tail of a reader's burst
// ("3748911", "FA2B4"), is never taken for a badge. A setting of the site in the reference data
// (`site.badgeFormats`), with the default below.
import { z } from 'zod';

export const badgeFormatSchema = z.object({
  /** hex: 0-9 A-F (RFID/NFC UIDs); decimal: digits; code: a printed QR/barcode code (letters, digits, "-", "_", "."). */
  alphabet: z.enum(['hex', 'decimal', 'code']),
  /** The lengths a number of this format has, in characters. */
  lengths: z.array(z.number().int().min(1).max(64)).min(1).max(16),
  /** What a printed code starts with, if anything ("ESC-"). */
  prefix: z.string().regex(/^[\x21-\x7e]{1,16}$/, 'a prefix of 1 to 16 printable characters').optional(),
});
export type BadgeFormat = z.infer<typeof badgeFormatSchema>;

export const badgeFormatsSchema = z.array(badgeFormatSchema).min(1, 'at least one badge format').max(16);

/**
 * Derived from the network's badges (resources/demo/reference-data.json and the readers it uses):
 * EM4100 cards give 10 hex digits, MIFARE/NFC UIDs 4, 7 or 10 bytes (8, 14, 20 hex digits), and the
 * network prints codes "ESC-QR-M" + 4 digits (12 characters). A site with other cards says so in
 * its reference data.
 */
export const DEFAULT_BADGE_FORMATS: readonly BadgeFormat[] = [
  { alphabet: 'hex', lengths: [8, 10, 14, 20] },
  { alphabet: 'code', lengths: [12], prefix: 'ESC-' },
];

const ALPHABETS: Record<BadgeFormat['alphabet'], RegExp> = {
  hex: /^[0-9A-F]+$/,
  decimal: /^[0-9]+$/,
  code: /^[0-9A-Z._-]+$/,
};

/** Whether a canonical badge number (upper case) fits one of the formats. */
export function fitsBadgeFormats(uid: string, formats: readonly BadgeFormat[]): boolean {
  return formats.some((f) => f.lengths.includes(uid.length) && ALPHABETS[f.alphabet].test(uid) && (f.prefix === undefined || uid.startsWith(f.prefix.toUpperCase())));
}
