// UID normalisation: the same card gives the same UID whatever reader read it, once each reader's
// format says how it writes the number.
import { describe, expect, it } from 'vitest';
import { UidFormatError, normaliseUid, uidFormatSchema } from '../../common/readers/uid.js';

/** A 26-bit Wiegand frame for facility and card, built here independently of the code under test. */
function wiegandFrame(facility: number, card: number): number {
  const data = ((facility & 0xff) << 16) | (card & 0xffff);
  const ones = (v: number) => v.toString(2).split('').filter((b) => b === '1').length;
  const high = data >> 12; // first 12 data bits: even parity in front
  const low = data & 0xfff; // last 12 data bits: odd parity behind
  const even = ones(high) % 2; // 1 when needed to make the count even
  const odd = ones(low) % 2 === 0 ? 1 : 0;
  return (even << 25) | (data << 1) | odd;
}
const hex = (n: number, digits = 7) => n.toString(16).toUpperCase().padStart(digits, '0');

describe('normaliseUid', () => {
  it('writes hex in one case, whatever case and separators the reader used', () => {
    expect(normaliseUid('04a1b2c3d4')).toBe('04A1B2C3D4');
    expect(normaliseUid('04:a1:b2:c3')).toBe('04A1B2C3');
    expect(normaliseUid(' 04-A1 B2-C3\r\n')).toBe('04A1B2C3');
    expect(normaliseUid('04A1B2C3', { case: 'lower' })).toBe('04a1b2c3');
  });

  it('reverses the byte order of a reader that sends the least significant byte first', () => {
    expect(normaliseUid('C3B2A104', { byteOrder: 'reversed' })).toBe('04A1B2C3');
    // Odd digit counts are whole bytes first: "ABC" is 0A BC.
    expect(normaliseUid('ABC', { byteOrder: 'reversed' })).toBe('BC0A');
  });

  it('strips and pads leading zeros', () => {
    expect(normaliseUid('0013748911', { stripLeadingZeros: true })).toBe('13748911');
    expect(normaliseUid('00', { stripLeadingZeros: true })).toBe('0');
    expect(normaliseUid('13748911', { padTo: 10 })).toBe('0013748911');
    expect(normaliseUid('000013748911', { stripLeadingZeros: true, padTo: 10 })).toBe('0013748911');
  });

  it('reads and writes decimal', () => {
    expect(normaliseUid('0013748911', { output: 'decimal' })).toBe('326404369');
    expect(normaliseUid('326404369', { input: 'decimal' })).toBe('13748911');
    expect(normaliseUid('326404369', { input: 'decimal', padTo: 10 })).toBe('0013748911');
    expect(normaliseUid('0326404369', { input: 'decimal', output: 'decimal', padTo: 10 })).toBe('0326404369');
  });

  it('gives the same UID for one card through a hex reader and a decimal, byte-reversed one', () => {
    // Card 04 A1 B2 C3; the second reader prints the 32-bit number least significant byte first.
    const viaHex = normaliseUid('04a1b2c3');
    const viaDecimal = normaliseUid(String(0xc3b2a104), { input: 'decimal', byteOrder: 'reversed' });
    expect(viaDecimal).toBe(viaHex);
    expect(viaHex).toBe('04A1B2C3');
  });

  it('formats Wiegand-26 as FFF:CCCCC from the 24 data bits', () => {
    expect(normaliseUid('030123', { output: 'wiegand26' })).toBe('003:00291');
    expect(normaliseUid('C8FFFF', { output: 'wiegand26' })).toBe('200:65535');
    expect(normaliseUid(String(0x030123), { input: 'decimal', output: 'wiegand26' })).toBe('003:00291');
    expect(() => normaliseUid('1030123', { output: 'wiegand26' })).toThrow(UidFormatError);
  });

  it('formats Wiegand-26 from a whole 26-bit frame, parity checked', () => {
    const f = { output: 'wiegand26', wiegand: 'frame26' } as const;
    expect(normaliseUid(hex(wiegandFrame(200, 12345)), f)).toBe('200:12345');
    expect(normaliseUid(String(wiegandFrame(200, 12345)), { ...f, input: 'decimal' })).toBe('200:12345');
    // Facility 3: the frame's first two bits are 0, so it is also a 24-bit number — the reader's
    // format, not the value, says it is a frame.
    expect(wiegandFrame(3, 291)).toBeLessThanOrEqual(0xffffff);
    expect(normaliseUid(hex(wiegandFrame(3, 291)), f)).toBe('003:00291');
    for (const [facility, card] of [
      [0, 0],
      [1, 1],
      [127, 65535],
      [255, 0],
      [255, 65535],
      [18, 4660],
    ] as const)
      expect(normaliseUid(hex(wiegandFrame(facility, card)), f)).toBe(`${String(facility).padStart(3, '0')}:${String(card).padStart(5, '0')}`);
  });

  it('refuses a Wiegand-26 frame with a parity error or more than 26 bits', () => {
    const f = { output: 'wiegand26', wiegand: 'frame26' } as const;
    const good = wiegandFrame(200, 12345);
    // Each single flipped bit breaks one of the two parities.
    for (let bit = 0; bit < 26; bit++) expect(() => normaliseUid(hex(good ^ (1 << bit)), f), `bit ${bit}`).toThrow(/parity/);
    expect(() => normaliseUid(hex(0x4000000), f)).toThrow(UidFormatError);
  });

  it('takes a printed code (QR, barcode) as read, trimmed, with no number conversion', () => {
    expect(normaliseUid('ESC-QR-M0010\r\n', { input: 'text' })).toBe('ESC-QR-M0010');
    // Options about numbers do not apply to a code: its case and zeros are its own.
    expect(normaliseUid('esc-qr-m0010', { input: 'text', case: 'upper', stripLeadingZeros: true })).toBe('esc-qr-m0010');
    expect(normaliseUid('0042', { input: 'text', stripLeadingZeros: true })).toBe('0042');
    expect(() => normaliseUid('ESC QR', { input: 'text' })).toThrow(UidFormatError);
    expect(() => normaliseUid('x'.repeat(65), { input: 'text' })).toThrow(UidFormatError);
  });

  it('refuses what is not a number in the reader’s form', () => {
    expect(() => normaliseUid('')).toThrow(UidFormatError);
    expect(() => normaliseUid('   ')).toThrow(UidFormatError);
    expect(() => normaliseUid('04A1G2')).toThrow(UidFormatError);
    expect(() => normaliseUid('12AB', { input: 'decimal' })).toThrow(UidFormatError);
    expect(() => normaliseUid('-12', { input: 'decimal' })).toThrow(UidFormatError);
  });

  it('has defaults that leave a plain hex UID as it is, upper case', () => {
    expect(uidFormatSchema.parse({})).toEqual({ input: 'hex', byteOrder: 'as-read', output: 'hex', wiegand: 'data24', case: 'upper', stripLeadingZeros: false });
    expect(normaliseUid('0013748911')).toBe('0013748911');
  });
});
