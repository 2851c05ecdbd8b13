// The wire's pure parts, shared by the hub and the station's local host: the JSON limits scanner
// (depth, items and UTF-8 size of a text before it is parsed) and the bounded serialiser (an
// untrusted value's JSON, cut at a budget, whatever its depth). Checked against what Node itself
// says (Buffer.byteLength, JSON.stringify, a recursive count) on random JSON values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonWithin, scanJson, type JsonLimits } from '../../common/wire/json-limits.js';
import { boundedJson } from '../../common/wire/bounded-json.js';
import { z } from 'zod';
import { stationEventSchema } from '../../common/events.js';

const NO_LIMITS: JsonLimits = { maxDepth: Number.MAX_SAFE_INTEGER, maxItems: Number.MAX_SAFE_INTEGER };
const DEEP = 200_000;
const deepArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** The nesting depth and element + member count of a parsed value, the slow way. */
function shape(value: unknown): { depth: number; items: number } {
  if (typeof value !== 'object' || value === null) return { depth: 0, items: 0 };
  const children = Array.isArray(value) ? value : Object.values(value);
  let depth = 0;
  // An empty container counts as one item (the scanner counts openings and commas).
  let items = Math.max(children.length, 1);
  for (const c of children) {
    const s = shape(c);
    depth = Math.max(depth, s.depth);
    items += s.items;
  }
  return { depth: depth + 1, items };
}

// Strings with escapes, quotes, backslashes, multi-byte characters and surrogate pairs.
const text = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\u0000', 'é', '€', '😀', ' ', ','), fc.string({ minLength: 0, maxLength: 1 })) });
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(text, tie('value'), { maxKeys: 5 }),
})).value;

describe('scanJson', () => {
  it('measures depth, items and UTF-8 bytes as Node does, and each element of a top array, for random JSON (with and without spaces)', () => {
    fc.assert(
      fc.property(json, fc.boolean(), (value, spaced) => {
        const written = JSON.stringify(value, null, spaced ? 2 : undefined);
        const scan = scanJson(written, NO_LIMITS);
        if (!scan.ok) throw new Error(scan.message);
        expect(scan.bytes).toBe(Buffer.byteLength(written));
        expect({ depth: scan.depth, items: scan.items }).toEqual(shape(value));
        if (Array.isArray(value) && !spaced) expect(scan.elementBytes).toEqual(value.map((v) => Buffer.byteLength(JSON.stringify(v) ?? 'null')));
      }),
      { numRuns: 2_000 },
    );
  });

  it('starts where it is told (after a socket.io header) and measures each argument of an event', () => {
    const args = ['events.upload', { batchId: 'é€😀', events: [1, '"]', { a: [] }] }, 'x'];
    const packet = `4217${JSON.stringify(args)}`;
    const scan = scanJson(packet, NO_LIMITS, 4);
    expect(scan).toMatchObject({ ok: true, depth: 5, bytes: Buffer.byteLength(packet) - 4 });
    expect(scan.ok && scan.elementBytes).toEqual(args.map((a) => Buffer.byteLength(JSON.stringify(a))));
  });

  it(`refuses a text nested ${DEEP} deep, or holding too many items, at the limit and not one before`, () => {
    expect(scanJson(deepArrays(64), { maxDepth: 64, maxItems: 1000 })).toMatchObject({ ok: true, depth: 64 });
    expect(scanJson(deepArrays(65), { maxDepth: 64, maxItems: 1000 })).toMatchObject({ ok: false, code: 'TOO_DEEP' });
    expect(scanJson(deepArrays(DEEP), { maxDepth: 64, maxItems: 1e9 })).toMatchObject({ ok: false, code: 'TOO_DEEP' });
    expect(scanJson(deepObjects(DEEP), { maxDepth: 64, maxItems: 1e9 })).toMatchObject({ ok: false, code: 'TOO_DEEP' });
    const wide = (n: number) => `[${Array(n).fill('0').join(',')}]`;
    expect(scanJson(wide(1000), { maxDepth: 64, maxItems: 1000 })).toMatchObject({ ok: true, items: 1000 });
    expect(scanJson(wide(1001), { maxDepth: 64, maxItems: 1000 })).toMatchObject({ ok: false, code: 'TOO_MANY_ITEMS' });
    // Brackets in strings are text, not structure.
    expect(scanJson(JSON.stringify(['['.repeat(DEEP), '{,'.repeat(DEEP)]), { maxDepth: 2, maxItems: 2 })).toMatchObject({ ok: true, depth: 1, items: 2 });
  });

  it('parseJsonWithin answers the value or why not, never throws', () => {
    const limits = { maxDepth: 64, maxItems: 100 };
    expect(parseJsonWithin('{"a":[1,2]}', limits)).toEqual({ ok: true, value: { a: [1, 2] }, bytes: 11 });
    expect(parseJsonWithin(deepArrays(DEEP), limits)).toMatchObject({ ok: false, code: 'TOO_DEEP' });
    for (const bad of ['', '{', '{"a":}', '"unterminated', '[1,]', 'nul', '\u00e9']) expect(parseJsonWithin(bad, limits), bad).toMatchObject({ ok: false, code: 'INVALID_JSON' });
  });
});

describe('what the limits are for', () => {
  // Measured on Node 20 (V8 11): why the limits are checked on the text, before parsing.
  it(`V8's JSON.parse reads ${DEEP} levels (it is iterative), but JSON.stringify and structuredClone of the value overflow the stack`, () => {
    const value = JSON.parse(deepArrays(DEEP)) as unknown;
    expect(() => JSON.stringify(value)).toThrow(RangeError);
    expect(() => structuredClone(value)).toThrow(RangeError);
  });

  it(`zod copes with a value ${DEEP} deep: unknown() passes it untouched, an object schema refuses it at the first level (the danger is the code after it)`, () => {
    const value = JSON.parse(deepObjects(DEEP)) as unknown;
    expect(z.unknown().safeParse(value).success).toBe(true);
    expect(z.record(z.string(), z.unknown()).safeParse(value).success).toBe(true);
    expect(z.object({ a: z.string() }).safeParse(value).success).toBe(false);
    expect(stationEventSchema.safeParse({ payload: value }).success).toBe(false);
  });
});

describe('boundedJson', () => {
  it("writes JSON.stringify's text for random JSON values, cut at the budget", () => {
    fc.assert(
      fc.property(json, fc.integer({ min: 0, max: 200 }), (value, max) => {
        const full = JSON.stringify(value);
        expect(boundedJson(value, 1_000_000)).toBe(full);
        expect(boundedJson(value, max)).toBe(full.slice(0, max));
      }),
      { numRuns: 2_000 },
    );
  });

  it('leaves out what JSON leaves out, and writes non-finite numbers as null', () => {
    const value = { a: undefined, b: () => 1, c: [undefined, NaN, Infinity], d: new Date(0), e: 'x' };
    expect(boundedJson(value)).toBe(JSON.stringify(value));
  });

  it(`writes 10,000 characters of a value nested ${DEEP} deep, or of a megabyte, without reading it all`, () => {
    const deep = JSON.parse(deepArrays(DEEP)) as unknown;
    expect(boundedJson(deep)).toBe('['.repeat(10_000));
    const objects = JSON.parse(deepObjects(DEEP)) as unknown;
    expect(boundedJson(objects, 20)).toBe('{"a":{"a":{"a":{"a":');
    const big = { note: 'é'.repeat(1_000_000), more: Array(100_000).fill('x') };
    const expected = JSON.stringify(big).slice(0, 10_000);
    const t0 = performance.now();
    const written = boundedJson(big);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(written).toBe(expected);
  });
});
