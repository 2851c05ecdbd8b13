// Limits on JSON text that crossed a boundary, checked before it is parsed: how deep its arrays and
// objects nest and how many elements and members it holds, in one linear pass over the text's
// char codes (strings skipped natively), with its UTF-8 size as it came on the wire. Pure:
// the hub (socket.io packets, admin API bodies) and the station's local host use it alike.
//
// Why before JSON.parse, when V8's JSON.parse (Node 20) is iterative and parses 200,000 levels
// without complaint: what comes after it is not. JSON.stringify and structuredClone of such a
// value, and any recursive walk of it, overflow the stack (a RangeError that, thrown in an event
// handler, can end the process). zod copes — z.unknown() passes the value untouched, an object
// schema refuses it at the first level — but code after the schema (measuring, storing the raw
// text) does not. And a few hundred kilobytes of "[0,0,0…" become hundreds of thousands of heap
// values. A limit checked on the text refuses both before anything is built.

export interface JsonLimits {
  /** The deepest nesting of arrays and objects allowed; the outermost one is depth 1. */
  maxDepth: number;
  /** The most array elements and object members allowed in the whole text (an empty array or object counts as one). */
  maxItems: number;
}

export type JsonScan =
  | {
      ok: true;
      /** The deepest nesting seen. */
      depth: number;
      /** Array elements and object members (an empty container counts as one). */
      items: number;
      /** The text's size in UTF-8 bytes (from `start`): its size on the wire. */
      bytes: number;
      /**
       * When the text is an array: each element's size in UTF-8 bytes as written (from after the
       * "[" or "," before it to the "," or "]" after it), e.g. each argument of a socket.io event.
       */
      elementBytes: number[];
    }
  | { ok: false; code: 'TOO_DEEP' | 'TOO_MANY_ITEMS'; message: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Scans `text` from `start` (socket.io puts a header before its JSON) against `limits`. It checks
 * structure only: text that is not JSON passes or fails here as it may, and JSON.parse refuses it
 * after. Strings are skipped with indexOf (native, many times faster than a loop over their chars:
 * most of an upload is strings), and multi-byte characters are found by a regex, only where there
 * are any, each once.
 */
export function scanJson(text: string, limits: JsonLimits, start = 0): JsonScan {
  const { maxDepth, maxItems } = limits;
  const n = text.length;
  let depth = 0;
  let deepest = 0;
  let items = 0;
  // UTF-8 bytes beyond one per UTF-16 code unit before `wideAt`, the next char ≥ U+0080 not counted yet.
  let extra = 0;
  const wide = new RegExp(WIDE.source, 'g');
  const nextWide = (from: number) => {
    wide.lastIndex = from;
    return wide.exec(text)?.index ?? n;
  };
  let wideAt = nextWide(start);
  /** `extra` up to `at`. */
  const extraTo = (at: number) => {
    while (wideAt < at) {
      const c = text.charCodeAt(wideAt);
      // 2 bytes below U+0800; 3 above; a surrogate pair is 4, so 2 per half.
      extra += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
      wideAt = nextWide(wideAt + 1);
    }
    return extra;
  };
  let topIsArray = false;
  // Where the top array's current element began: char index and `extra` there.
  let elementAt = 0;
  let elementExtra = 0;
  const elementBytes: number[] = [];
  for (let i = start; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // A string: to the next quote not escaped (preceded by an even run of backslashes).
      for (;;) {
        const q = text.indexOf('"', i + 1);
        if (q < 0) {
          i = n;
          break;
        }
        let b = q - 1;
        while (text.charCodeAt(b) === BACKSLASH) b--;
        i = q;
        if ((q - 1 - b) % 2 === 0) break;
      }
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > maxDepth) return { ok: false, code: 'TOO_DEEP', message: `JSON nested deeper than ${maxDepth} levels` };
      if (depth > deepest) deepest = depth;
      if (++items > maxItems) return { ok: false, code: 'TOO_MANY_ITEMS', message: `JSON with more than ${maxItems} elements and members` };
      if (depth === 1 && c === OPEN_ARRAY && i === firstValue(text, start)) {
        topIsArray = true;
        elementAt = i + 1;
        elementExtra = extraTo(i + 1);
      }
    } else if (c === COMMA) {
      if (++items > maxItems) return { ok: false, code: 'TOO_MANY_ITEMS', message: `JSON with more than ${maxItems} elements and members` };
      if (depth === 1 && topIsArray) {
        const e = extraTo(i);
        elementBytes.push(i - elementAt + e - elementExtra);
        elementAt = i + 1;
        elementExtra = e;
      }
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      if (--depth === 0 && topIsArray && c === CLOSE_ARRAY) {
        // "[]" has no element; "[ ]" neither.
        if (elementBytes.length > 0 || text.slice(elementAt, i).trim() !== '') elementBytes.push(i - elementAt + extraTo(i) - elementExtra);
        topIsArray = false;
      }
    }
  }
  return { ok: true, depth: deepest, items, bytes: n - start + extraTo(n), elementBytes };
}

/** A UTF-16 code unit that UTF-8 writes in more than one byte. */
const WIDE = /[^\u0000-\u007f]/;

/** The index of the first char after `start` that is not JSON whitespace. */
function firstValue(text: string, start: number): number {
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
  }
  return i;
}

export type JsonParse = { ok: true; value: unknown; bytes: number } | { ok: false; code: 'TOO_DEEP' | 'TOO_MANY_ITEMS' | 'INVALID_JSON'; message: string };

/** Scans, then parses: the value, or why the text is refused (never a throw). */
export function parseJsonWithin(text: string, limits: JsonLimits): JsonParse {
  const scan = scanJson(text, limits);
  if (!scan.ok) return scan;
  try {
    return { ok: true, value: JSON.parse(text) as unknown, bytes: scan.bytes };
  } catch (e) {
    return { ok: false, code: 'INVALID_JSON', message: `not JSON: ${(e as Error).message}` };
  }
}
