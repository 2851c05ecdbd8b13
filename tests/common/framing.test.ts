// The serial framings, case by case: what a reader sends when things go right and the ways they
// go wrong, each discarded and counted under its reason.
import { describe, expect, it } from 'vitest';
import { Em4100Decoder, LineDecoder, createFrameDecoder, em4100Frame, type FrameDecoder } from '../../common/readers/framing.js';

const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const join = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('EM4100 frame', () => {
  it('is STX, 10 hex digits, the XOR checksum, CR LF ETX', () => {
    // 00 13 74 89 11: 00^13^74^89^11 = FF
    expect(Array.from(em4100Frame('0013748911'))).toEqual([0x02, ...bytes('0013748911FF'), 0x0d, 0x0a, 0x03]);
    expect(() => em4100Frame('12345')).toThrow(RangeError);
    expect(() => em4100Frame('00137489GG')).toThrow(RangeError);
  });

  it('reads a valid frame, upper-casing its digits', () => {
    const d: FrameDecoder = new Em4100Decoder();
    expect(d.push(em4100Frame('04a1b2c3d4'), 0)).toEqual(['04A1B2C3D4']);
    const lower = em4100Frame('04A1B2C3D4').map((b) => (b >= 0x41 && b <= 0x46 ? b + 0x20 : b));
    expect(d.push(lower, 0)).toEqual(['04A1B2C3D4']);
    expect(Object.values(d.discarded).every((n) => n === 0)).toBe(true);
  });

  it('discards a frame with a bad checksum and counts it', () => {
    const d: FrameDecoder = new Em4100Decoder();
    const frame = em4100Frame('0013748911');
    frame[12] = 0x45; // "FF" → "FE"
    expect(d.push(frame, 0)).toEqual([]);
    expect(d.discarded.checksum).toBe(1);
    // The next good frame is read as usual.
    expect(d.push(em4100Frame('0013748911'), 0)).toEqual(['0013748911']);
  });

  it('discards a partial frame cut by a new STX, and reads the new frame', () => {
    const d: FrameDecoder = new Em4100Decoder();
    const cut = em4100Frame('1111111111').slice(0, 7);
    expect(d.push(join(cut, em4100Frame('2222222222')), 0)).toEqual(['2222222222']);
    expect(d.discarded.partial).toBe(1);
    expect(d.discarded.checksum + d.discarded.malformed).toBe(0);
  });

  it('reads the frame that interrupts another, and discards both halves of the interrupted one', () => {
    const d: FrameDecoder = new Em4100Decoder();
    const a = em4100Frame('AAAAAAAAAA');
    const b = em4100Frame('BBBBBBBBBB');
    // A's first 8 bytes, all of B, A's last 8 bytes: two readers on one line, or a retransmission.
    expect(d.push(join(a.slice(0, 8), b, a.slice(8)), 0)).toEqual(['BBBBBBBBBB']);
    expect(d.discarded.partial).toBe(1);
    expect(d.discarded.noise).toBe(1);
  });

  it('reads a frame split across chunks byte by byte', () => {
    const d: FrameDecoder = new Em4100Decoder();
    const frame = em4100Frame('0013748911');
    const reads: string[] = [];
    frame.forEach((b, i) => {
      const out = d.push(Uint8Array.of(b), i);
      if (i < frame.length - 1) expect(out).toEqual([]);
      reads.push(...out);
    });
    expect(reads).toEqual(['0013748911']);
  });

  it('reads several frames in one chunk', () => {
    const d: FrameDecoder = new Em4100Decoder();
    expect(d.push(join(em4100Frame('0000000001'), em4100Frame('0000000002'), em4100Frame('0000000003')), 0)).toEqual(['0000000001', '0000000002', '0000000003']);
  });

  it('counts a burst of noise once, and a byte wrong for its place in the frame as malformed', () => {
    const d: FrameDecoder = new Em4100Decoder();
    expect(d.push(bytes('hello, world'), 0)).toEqual([]);
    expect(d.push(bytes('more noise'), 1)).toEqual([]);
    expect(d.discarded.noise).toBe(1);
    // A non-hex digit in the data, then the rest of the frame: malformed, and its tail is not noise again.
    const bad = em4100Frame('0013748911');
    bad[4] = 0x47; // "G"
    expect(d.push(bad, 2)).toEqual([]);
    expect(d.discarded.malformed).toBe(1);
    // Missing ETX: the next frame's STX comes where ETX should be.
    const noEtx = em4100Frame('0013748911').slice(0, 15);
    expect(d.push(join(noEtx, em4100Frame('0013748911')), 3)).toEqual(['0013748911']);
    expect(d.discarded.malformed).toBe(1);
    expect(d.discarded.partial).toBe(1);
    // LF and CR swapped.
    const swapped = em4100Frame('0013748911');
    swapped[13] = 0x0a;
    swapped[14] = 0x0d;
    expect(d.push(swapped, 4)).toEqual([]);
    expect(d.discarded.malformed).toBe(2);
    expect(d.discarded).toEqual({ noise: 1, partial: 1, malformed: 2, checksum: 0, too_long: 0, invalid_text: 0 });
  });

  it('is what createFrameDecoder makes for "em4100"', () => {
    expect(createFrameDecoder('em4100')).toBeInstanceOf(Em4100Decoder);
    expect(createFrameDecoder('line')).toBeInstanceOf(LineDecoder);
  });
});

describe('line framing', () => {
  it('reads lines ended by CR, LF or CR LF, and ignores empty lines', () => {
    const d = new LineDecoder();
    expect(d.push(bytes('ESC-QR-M0010\r\n0013748911\rABC\n\r\n\n'), 0)).toEqual(['ESC-QR-M0010', '0013748911', 'ABC']);
    expect(Object.values(d.discarded).every((n) => n === 0)).toBe(true);
  });

  it('reads a line split byte by byte, CR and LF in different chunks', () => {
    const d = new LineDecoder();
    const reads: string[] = [];
    for (const [i, b] of [...bytes('ESC-QR-M0010\r\n')].entries()) reads.push(...d.push(Uint8Array.of(b), i));
    expect(reads).toEqual(['ESC-QR-M0010']);
  });

  it('discards a line holding a control byte, a space, or a byte outside ASCII, and counts why', () => {
    const d = new LineDecoder();
    expect(d.push(bytes('00137\x0748911\r\n'), 0)).toEqual([]);
    expect(d.push(bytes('0013 748911\r\n'), 0)).toEqual([]);
    expect(d.push(Uint8Array.of(0x30, 0xe9, 0x31, 0x0d), 0)).toEqual([]);
    expect(d.discarded).toMatchObject({ noise: 2, invalid_text: 1 });
    expect(d.push(bytes('0013748911\r\n'), 0)).toEqual(['0013748911']);
  });

  it('discards a line longer than the longest allowed', () => {
    const d = new LineDecoder({ maxLength: 12 });
    expect(d.push(bytes('1234567890123\r\n123456789012\r\n'), 0)).toEqual(['123456789012']);
    expect(d.discarded.too_long).toBe(1);
  });

  it('discards a whole line that has a pause inside: neither part is a code', () => {
    const d = new LineDecoder({ maxGapMs: 200 });
    expect(d.push(bytes('00137'), 1000)).toEqual([]);
    // 300 ms later the rest arrives: "48911" is the tail of a broken transmission, not a badge.
    expect(d.push(bytes('48911\r\n'), 1300)).toEqual([]);
    expect(d.discarded.partial).toBe(1);
    // The next line, whole, is read.
    expect(d.push(bytes('0013748911\r\n'), 5000)).toEqual(['0013748911']);
    // A pause between lines is no pause inside a line.
    expect(d.push(bytes('AB'), 5010)).toEqual([]);
    expect(d.push(bytes('CD\r'), 5100)).toEqual(['ABCD']);
  });
});
