// Serial framings. A decoder is fed bytes as they arrive (in chunks of any size, frames split
// anywhere) and returns the raw UID text of each complete valid frame. Everything else — noise
// between frames, a frame cut short by the next one, a bad checksum — is discarded and counted,
// never returned as a read.
import { emptyDiscardCounts, type DiscardCounts, type DiscardReason } from './read.js';

export interface FrameDecoder {
  /** Bytes in, complete raw UIDs out. `atMs` is the arrival time of this chunk. */
  push(bytes: Uint8Array, atMs: number): string[];
  readonly discarded: DiscardCounts;
}

const STX = 0x02;
const ETX = 0x03;
const CR = 0x0d;
const LF = 0x0a;

const hexValue = (b: number): number => (b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x41 && b <= 0x46 ? b - 0x37 : b >= 0x61 && b <= 0x66 ? b - 0x57 : -1);

/**
 * EM4100-style ASCII frame: STX, 10 hex digits (5 bytes of card data), 2 hex digits of checksum
 * (XOR of the 5 bytes), CR, LF, ETX. 16 bytes in all.
 */
export class Em4100Decoder implements FrameDecoder {
  readonly discarded = emptyDiscardCounts();
  private frame: number[] = [];
  private inFrame = false;
  private noiseRun = false;

  push(bytes: Uint8Array): string[] {
    const reads: string[] = [];
    for (const b of bytes) {
      if (b === STX) {
        if (this.inFrame) this.count('partial');
        this.inFrame = true;
        this.noiseRun = false;
        this.frame = [];
        continue;
      }
      if (!this.inFrame) {
        // One noise burst counts once, however many bytes it has.
        if (!this.noiseRun) this.count('noise');
        this.noiseRun = true;
        continue;
      }
      this.frame.push(b);
      const i = this.frame.length - 1;
      const expectedHex = i < 12;
      const ok = expectedHex ? hexValue(b) >= 0 : i === 12 ? b === CR : i === 13 ? b === LF : b === ETX;
      if (!ok) {
        this.count('malformed');
        this.inFrame = false;
        this.noiseRun = true;
        continue;
      }
      if (i === 14) {
        this.inFrame = false;
        const digits = String.fromCharCode(...this.frame.slice(0, 12)).toUpperCase();
        let xor = 0;
        for (let k = 0; k < 10; k += 2) xor ^= parseInt(digits.slice(k, k + 2), 16);
        if (xor !== parseInt(digits.slice(10, 12), 16)) this.count('checksum');
        else reads.push(digits.slice(0, 10));
      }
    }
    return reads;
  }

  private count(reason: DiscardReason) {
    this.discarded[reason]++;
  }
}

/** Builds a valid EM4100-style frame for 10 hex digits: used by the simulator and the tests. */
export function em4100Frame(uid10: string): Uint8Array {
  if (!/^[0-9A-Fa-f]{10}$/.test(uid10)) throw new RangeError(`an EM4100 frame carries 10 hex digits, got "${uid10}"`);
  const digits = uid10.toUpperCase();
  let xor = 0;
  for (let k = 0; k < 10; k += 2) xor ^= parseInt(digits.slice(k, k + 2), 16);
  const text = digits + xor.toString(16).toUpperCase().padStart(2, '0');
  return Uint8Array.from([STX, ...Array.from(text, (c) => c.charCodeAt(0)), CR, LF, ETX]);
}

export interface LineFramingOptions {
  /** Longest line accepted; a longer one is discarded whole. Default 64. */
  maxLength?: number;
  /** A line whose bytes arrive further apart than this is a broken transmission. Default 200 ms. */
  maxGapMs?: number;
}

/**
 * Line-terminated text (barcode and QR scanners): printable ASCII ended by CR, LF or CR LF. A line
 * holding a control or non-ASCII byte, too long, or arriving with a pause inside is discarded.
 */
export class LineDecoder implements FrameDecoder {
  readonly discarded = emptyDiscardCounts();
  private line: number[] = [];
  private bad: DiscardReason | undefined;
  private lastByteMs = -Infinity;
  private readonly maxLength: number;
  private readonly maxGapMs: number;

  constructor(options: LineFramingOptions = {}) {
    this.maxLength = options.maxLength ?? 64;
    this.maxGapMs = options.maxGapMs ?? 200;
  }

  push(bytes: Uint8Array, atMs: number): string[] {
    const reads: string[] = [];
    // A pause inside a line breaks it: neither the part before the pause nor the part after it is
    // a code (the tail of a broken "0013748911" is not badge "48911"). The line is thrown away up
    // to the next terminator, where it is counted once.
    if ((this.line.length > 0 || this.bad) && atMs - this.lastByteMs > this.maxGapMs) {
      this.bad ??= 'partial';
      this.line = [];
    }
    this.lastByteMs = atMs;
    for (const b of bytes) {
      if (b === CR || b === LF) {
        if (this.bad) this.discarded[this.bad]++;
        else if (this.line.length > 0) reads.push(String.fromCharCode(...this.line));
        this.reset();
        continue;
      }
      if (this.bad) continue;
      if (b < 0x21 || b > 0x7e) this.bad = b === 0x20 ? 'invalid_text' : 'noise';
      else if (this.line.length >= this.maxLength) this.bad = 'too_long';
      else this.line.push(b);
    }
    return reads;
  }

  private reset() {
    this.line = [];
    this.bad = undefined;
  }
}

export type FramingKind = 'em4100' | 'line';

export function createFrameDecoder(kind: FramingKind, options: LineFramingOptions = {}): FrameDecoder {
  return kind === 'em4100' ? new Em4100Decoder() : new LineDecoder(options);
}
