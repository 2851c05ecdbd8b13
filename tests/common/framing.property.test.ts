// The serial framings under random streams: valid frames mixed with noise and with frames that are
// invalid by construction, cut into chunks of random sizes. Every valid frame must come out exactly
// once, in order, and nothing else may come out.
//
// The noise is built so that it cannot form a valid frame by chance:
// - EM4100: a valid frame needs STX followed by exactly 12 hex digits, CR, LF, ETX and a matching
//   checksum. Random garbage never contains STX. Frames that do start with STX in the noise are
//   broken on purpose: a wrong checksum, a byte that is wrong for its position, or a frame cut
//   short — either by the next item's STX or by a poison byte ("Z", which is valid nowhere in a
//   frame) when the next item is garbage that could otherwise complete it.
// - Line: a valid line is printable ASCII between terminators. Every non-empty segment of noise
//   between terminators holds at least one byte that is not printable (or is longer than the
//   longest line), and a valid line that follows noise is preceded by a terminator, so no noise
//   byte can join a valid line and no noise segment can pass as one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Em4100Decoder, LineDecoder, em4100Frame, type FrameDecoder } from '../../common/readers/framing.js';

const STX = 0x02;
const ETX = 0x03;
const CR = 0x0d;
const LF = 0x0a;
const POISON = 0x5a; // "Z": not a hex digit, not CR, LF, ETX or STX

const RUNS = 10_000;

/** Feeds `bytes` to `decoder` in chunks of the given sizes (cycled), every chunk a fresh copy. */
function feed(decoder: FrameDecoder, bytes: Uint8Array, sizes: number[], atMs: (i: number) => number = () => 0): string[] {
  const reads: string[] = [];
  let offset = 0;
  let i = 0;
  while (offset < bytes.length) {
    const size = sizes[i % sizes.length]!;
    reads.push(...decoder.push(bytes.slice(offset, offset + size), atMs(i)));
    offset += size;
    i++;
  }
  return reads;
}

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));
const isHex = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

const chunkSizes = fc.array(fc.integer({ min: 1, max: 24 }), { minLength: 1, maxLength: 8 });

// ---- EM4100 --------------------------------------------------------------------------------

const uid10 = fc.uint8Array({ minLength: 5, maxLength: 5 }).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase());

type EmItem =
  | { kind: 'valid'; uid: string; bytes: number[] }
  | { kind: 'garbage'; bytes: number[] }
  | { kind: 'checksum'; bytes: number[] }
  | { kind: 'malformed'; bytes: number[] }
  | { kind: 'truncated'; bytes: number[] };

/** Bytes that look like parts of frames (hex digits, CR, LF, ETX) as often as anything else. */
const frameLikeByte = fc.oneof(fc.constantFrom(...ascii('0123456789ABCDEFabcdef'), CR, LF, ETX), fc.integer({ min: 0, max: 255 }));

const emItem: fc.Arbitrary<EmItem> = fc.oneof(
  // A valid frame, its hex digits sometimes in lower case (readers differ; the read is upper case).
  fc.record({ uid: uid10, lower: fc.boolean() }).map(({ uid, lower }): EmItem => {
    const bytes = Array.from(em4100Frame(uid));
    return { kind: 'valid', uid, bytes: lower ? bytes.map((b) => (b >= 0x41 && b <= 0x46 ? b + 0x20 : b)) : bytes };
  }),
  // Garbage: anything but STX.
  fc.array(frameLikeByte, { minLength: 1, maxLength: 40 }).map((bytes): EmItem => ({ kind: 'garbage', bytes: bytes.map((b) => (b === STX ? 0x82 : b)) })),
  // A well-formed frame whose checksum does not match its data.
  fc.record({ uid: uid10, delta: fc.integer({ min: 1, max: 255 }) }).map(({ uid, delta }): EmItem => {
    const bytes = Array.from(em4100Frame(uid));
    const sum = parseInt(String.fromCharCode(bytes[11]!, bytes[12]!), 16) ^ delta;
    const wrong = ascii(sum.toString(16).toUpperCase().padStart(2, '0'));
    bytes[11] = wrong[0]!;
    bytes[12] = wrong[1]!;
    return { kind: 'checksum', bytes };
  }),
  // A frame with one byte wrong for its position (never STX: that would start another frame).
  fc.record({ uid: uid10, at: fc.integer({ min: 1, max: 15 }), byte: fc.integer({ min: 0, max: 255 }) }).map(({ uid, at, byte }): EmItem => {
    const bytes = Array.from(em4100Frame(uid));
    const expected = bytes[at]!;
    const wrongFor = (b: number) => b !== STX && (at <= 12 ? !isHex(b) : b !== expected);
    let b = byte;
    while (!wrongFor(b)) b = (b + 1) % 256;
    bytes[at] = b;
    return { kind: 'malformed', bytes };
  }),
  // A frame cut short: STX and up to 14 of its 15 following bytes.
  fc.record({ uid: uid10, length: fc.integer({ min: 1, max: 15 }) }).map(({ uid, length }): EmItem => ({ kind: 'truncated', bytes: Array.from(em4100Frame(uid)).slice(0, length) })),
);

/** A truncated frame followed by garbage gets a poison byte: the garbage must not complete it. */
function emStream(items: EmItem[]): { bytes: Uint8Array; expected: string[]; poisoned: number; cutBySTX: number; checksum: number; malformed: number } {
  const parts: Uint8Array[] = [];
  let poisoned = 0;
  let cutBySTX = 0;
  items.forEach((item, i) => {
    const next = items[i + 1];
    if (item.kind === 'truncated' && next) {
      if (next.bytes[0] === STX) cutBySTX++;
      else {
        poisoned++;
        parts.push(Uint8Array.from([...item.bytes, POISON]));
        return;
      }
    }
    parts.push(Uint8Array.from(item.bytes));
  });
  const count = (kind: EmItem['kind']) => items.filter((i) => i.kind === kind).length;
  return {
    bytes: concat(parts),
    expected: items.filter((i): i is Extract<EmItem, { kind: 'valid' }> => i.kind === 'valid').map((i) => i.uid),
    poisoned,
    cutBySTX,
    checksum: count('checksum'),
    malformed: count('malformed'),
  };
}

describe('EM4100 framing under random streams', () => {
  it(`reads every valid frame exactly once, in order, and nothing else (${RUNS} streams)`, () => {
    fc.assert(
      fc.property(fc.array(emItem, { minLength: 1, maxLength: 30 }), chunkSizes, (items, sizes) => {
        const s = emStream(items);
        const decoder = new Em4100Decoder();
        expect(feed(decoder, s.bytes, sizes)).toEqual(s.expected);
        // Every broken frame is counted for what it is.
        expect(decoder.discarded.checksum).toBe(s.checksum);
        expect(decoder.discarded.malformed).toBe(s.malformed + s.poisoned);
        expect(decoder.discarded.partial).toBe(s.cutBySTX);
        if (items.some((i) => i.kind === 'garbage')) expect(decoder.discarded.noise + decoder.discarded.malformed).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('gives the same reads whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(emItem, { minLength: 1, maxLength: 20 }), chunkSizes, (items, sizes) => {
        const { bytes } = emStream(items);
        const whole = feed(new Em4100Decoder(), bytes, [bytes.length]);
        const byteByByte = feed(new Em4100Decoder(), bytes, [1]);
        expect(feed(new Em4100Decoder(), bytes, sizes)).toEqual(whole);
        expect(byteByByte).toEqual(whole);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads from random bytes only frames really in them, checksum right, and never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), chunkSizes, (bytes, sizes) => {
        const decoder = new Em4100Decoder();
        const reads = feed(decoder, bytes, sizes);
        // Whatever comes out must be a frame that is really in the stream, with its checksum right.
        const text = Buffer.from(bytes).toString('latin1').toUpperCase();
        for (const r of reads) expect(text).toContain(Buffer.from(em4100Frame(r)).toString('latin1'));
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- Line ----------------------------------------------------------------------------------

const terminator = fc.constantFrom<number[]>([CR], [LF], [CR, LF]);
const printable = fc.integer({ min: 0x21, max: 0x7e });
/** Bytes a line may never hold: control bytes (but CR and LF), space, DEL and the upper half. */
const badByte = fc.oneof(fc.integer({ min: 0x00, max: 0x20 }).filter((b) => b !== CR && b !== LF), fc.integer({ min: 0x7f, max: 0xff }));

type LineItem = { kind: 'valid'; text: string; lead: number[]; bytes: number[] } | { kind: 'noise'; bytes: number[] };

/** One noise segment: some bytes, at least one of them bad, never a terminator. */
const badSegment = fc
  .record({ before: fc.array(fc.oneof(printable, badByte), { maxLength: 12 }), bad: badByte, after: fc.array(fc.oneof(printable, badByte), { maxLength: 12 }) })
  .map(({ before, bad, after }) => [...before, bad, ...after]);

const lineItem: fc.Arbitrary<LineItem> = fc.oneof(
  fc
    .record({ text: fc.array(printable, { minLength: 1, maxLength: 64 }), lead: terminator, end: terminator })
    .map(({ text, lead, end }): LineItem => ({ kind: 'valid', text: String.fromCharCode(...text), lead, bytes: [...text, ...end] })),
  // Binary noise: segments that each hold a bad byte, separated by terminators, maybe ending with one.
  fc
    .record({ segments: fc.array(fc.record({ segment: badSegment, end: terminator }), { minLength: 1, maxLength: 4 }), lastEnds: fc.boolean() })
    .map(({ segments, lastEnds }): LineItem => ({
      kind: 'noise',
      bytes: segments.flatMap(({ segment, end }, i) => (i < segments.length - 1 || lastEnds ? [...segment, ...end] : segment)),
    })),
  // Printable text too long for a line (more than 64 characters), maybe ended.
  fc
    .record({ text: fc.array(printable, { minLength: 65, maxLength: 100 }), end: fc.option(terminator, { nil: undefined }) })
    .map(({ text, end }): LineItem => ({ kind: 'noise', bytes: [...text, ...(end ?? [])] })),
);

function lineStream(items: LineItem[], leadAlways: boolean[]): { bytes: Uint8Array; expected: string[] } {
  const parts: number[] = [];
  items.forEach((item, i) => {
    if (item.kind === 'valid') {
      // After noise the lead terminator is needed; elsewhere it is there or not, at random.
      const afterNoise = i > 0 && items[i - 1]!.kind === 'noise';
      if (afterNoise || leadAlways[i % leadAlways.length]) parts.push(...item.lead);
    }
    parts.push(...item.bytes);
  });
  return { bytes: Uint8Array.from(parts), expected: items.flatMap((i) => (i.kind === 'valid' ? [i.text] : [])) };
}

describe('line framing under random streams', () => {
  it(`reads every valid line exactly once, in order, and nothing else (${RUNS} streams)`, () => {
    fc.assert(
      fc.property(fc.array(lineItem, { minLength: 1, maxLength: 30 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }), chunkSizes, (items, leads, sizes) => {
        const s = lineStream(items, leads);
        const decoder = new LineDecoder();
        // Chunks 1 ms apart: a scanner's burst, well inside the 200 ms gap allowed in a line.
        expect(feed(decoder, s.bytes, sizes, (i) => i)).toEqual(s.expected);
        const discarded = Object.values(decoder.discarded).reduce((a, b) => a + b, 0);
        // Noise before a valid line is ended by that line's lead terminator at the latest, and counted.
        const noiseBeforeValid = items.some((it, i) => it.kind === 'noise' && items.slice(i + 1).some((v) => v.kind === 'valid'));
        if (noiseBeforeValid) expect(discarded).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('never reads a line that holds a byte outside printable ASCII, and never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), chunkSizes, (bytes, sizes) => {
        for (const r of feed(new LineDecoder(), bytes, sizes)) {
          expect(r).toMatch(/^[\x21-\x7e]{1,64}$/);
          expect(Buffer.from(bytes).toString('latin1')).toContain(r);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
