// UID normalisation per reader: the same card must give the same UID whatever reader read it,
// so each reader's configuration says how its raw output maps to the network's form.
import { z } from 'zod';

export const uidFormatSchema = z.object({
  /**
   * How the reader writes the number. "text": a printed code (QR, barcode) taken as read, trimmed,
   * with none of the options below applied — "ESC-QR-M0010" is no number to convert.
   */
  input: z.enum(['hex', 'decimal', 'text']).default('hex'),
  /** Some readers send the bytes least significant first. */
  byteOrder: z.enum(['as-read', 'reversed']).default('as-read'),
  /** What the network stores. "wiegand26" gives "FFF:CCCCC" (facility code, card number). */
  output: z.enum(['hex', 'decimal', 'wiegand26']).default('hex'),
  /**
   * For wiegand26 output: whether the reader sends the 24 data bits, or the whole 26-bit frame
   * with its two parity bits (checked, then dropped). The value cannot tell: a frame whose leading
   * bits are 0 is also a 24-bit number, so guessing misreads those cards.
   */
  wiegand: z.enum(['data24', 'frame26']).default('data24'),
  /**
   * The reader's own spelling; whatever it is, the station stores and compares the canonical upper
   * case (common/badge-uid.ts), so "lower" no longer makes a different badge.
   */
  case: z.enum(['upper', 'lower']).default('upper'),
  stripLeadingZeros: z.boolean().default(false),
  /** Left-pad with zeros to this many digits (after stripping). */
  padTo: z.number().int().min(1).max(64).optional(),
});
export type UidFormat = z.output<typeof uidFormatSchema>;
export type UidFormatInput = z.input<typeof uidFormatSchema>;

export class UidFormatError extends Error {}

/** Normalises a raw UID; throws UidFormatError when it is not a number in the reader's input form. */
export function normaliseUid(raw: string, formatInput: UidFormatInput = {}): string {
  const f = uidFormatSchema.parse(formatInput);
  let text = raw.trim();
  if (text === '') throw new UidFormatError('empty UID');
  if (f.input === 'text') {
    if (!/^[\x21-\x7e]{1,64}$/.test(text)) throw new UidFormatError(`not a printable code of at most 64 characters: ${JSON.stringify(raw)}`);
    return text;
  }
  let hex: string;
  if (f.input === 'decimal') {
    if (!/^\d{1,40}$/.test(text)) throw new UidFormatError(`not a decimal number: ${JSON.stringify(raw)}`);
    hex = BigInt(text).toString(16);
  } else {
    text = text.replace(/[:\s-]/g, '');
    if (!/^[0-9A-Fa-f]{1,64}$/.test(text)) throw new UidFormatError(`not a hexadecimal number: ${JSON.stringify(raw)}`);
    hex = text;
  }
  if (hex.length % 2 === 1) hex = '0' + hex;
  if (f.byteOrder === 'reversed') hex = (hex.match(/../g) ?? []).reverse().join('');
  let out: string;
  if (f.output === 'wiegand26') {
    let value = BigInt('0x' + hex);
    if (f.wiegand === 'frame26') {
      if (value > 0x3ffffffn) throw new UidFormatError(`more than 26 bits for a Wiegand-26 frame: ${JSON.stringify(raw)}`);
      value = wiegandData(value, raw);
    } else if (value > 0xffffffn) {
      throw new UidFormatError(`more than 24 bits for Wiegand-26 card data: ${JSON.stringify(raw)} (a reader sending whole frames needs wiegand: "frame26")`);
    }
    out = `${String(Number(value >> 16n)).padStart(3, '0')}:${String(Number(value & 0xffffn)).padStart(5, '0')}`;
    return out;
  }
  out = f.output === 'decimal' ? BigInt('0x' + hex).toString(10) : hex;
  if (f.stripLeadingZeros) out = out.replace(/^0+(?=.)/, '');
  if (f.padTo !== undefined) out = out.padStart(f.padTo, '0');
  return f.case === 'upper' ? out.toUpperCase() : out.toLowerCase();
}

const popcount = (v: bigint): number => v.toString(2).split('').filter((b) => b === '1').length;

/** The 24 data bits of a raw 26-bit Wiegand frame, after checking its two parity bits. */
function wiegandData(frame: bigint, raw: string): bigint {
  // Bit 25: even parity over bits 25..13; bit 0: odd parity over bits 12..0.
  const evenOk = popcount(frame >> 13n) % 2 === 0;
  const oddOk = popcount(frame & 0x1fffn) % 2 === 1;
  if (!evenOk || !oddOk) throw new UidFormatError(`Wiegand-26 parity error: ${JSON.stringify(raw)}`);
  return (frame >> 1n) & 0xffffffn;
}
