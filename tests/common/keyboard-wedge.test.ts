// Keyboard-wedge readers type the badge into the window. The keydown events below are what a
// browser records while a USB reader (which sends US key positions) types "0013748911" and
// "ESC-QR-M0010" on machines set to Belgian AZERTY, US QWERTY and German QWERTZ: the `key` differs
// with the layout, the `code` (the physical key) does not, and the decoder reads the code only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BADGE_FORMATS, fitsBadgeFormats } from '../../common/readers/badge-formats.js';
import { KeyboardWedgeDecoder, codeToChar, type WedgeKey, type WedgeResult } from '../../common/readers/keyboard-wedge.js';
import { WEDGE_LAYOUTS, type WedgeLayout } from '../../common/readers/wedge-layout.js';

interface RecordedKey extends WedgeKey {
  key: string;
}

/** [code, key, timeStamp, shiftKey] as recorded from keydown events. */
type Row = [string, string, number, boolean?];
const recording = (rows: Row[]): RecordedKey[] => rows.map(([code, key, timeStamp, shiftKey]) => ({ code, key, timeStamp, shiftKey: shiftKey === true }));

const AZERTY_BE_0013748911 = recording([
  ['Digit0', 'à', 18233.4],
  ['Digit0', 'à', 18237.9],
  ['Digit1', '&', 18241.6],
  ['Digit3', '"', 18246.2],
  ['Digit7', 'è', 18250.0],
  ['Digit4', "'", 18254.8],
  ['Digit8', '!', 18258.3],
  ['Digit9', 'ç', 18263.1],
  ['Digit1', '&', 18266.7],
  ['Digit1', '&', 18271.2],
  ['Enter', 'Enter', 18275.9],
]);

const QWERTY_0013748911 = recording([
  ['Digit0', '0', 5120.1],
  ['Digit0', '0', 5128.0],
  ['Digit1', '1', 5136.2],
  ['Digit3', '3', 5143.9],
  ['Digit7', '7', 5152.1],
  ['Digit4', '4', 5160.0],
  ['Digit8', '8', 5168.3],
  ['Digit9', '9', 5176.0],
  ['Digit1', '1', 5184.4],
  ['Digit1', '1', 5192.2],
  ['Enter', 'Enter', 5200.1],
]);

// German QWERTZ: the digits row gives digits, as on QWERTY. The reader above through the numeric keypad.
const QWERTZ_DE_0013748911 = recording([
  ['Numpad0', '0', 902.5],
  ['Numpad0', '0', 904.6],
  ['Numpad1', '1', 906.8],
  ['Numpad3', '3', 909.1],
  ['Numpad7', '7', 911.0],
  ['Numpad4', '4', 913.2],
  ['Numpad8', '8', 915.5],
  ['Numpad9', '9', 917.7],
  ['Numpad1', '1', 919.8],
  ['Numpad1', '1', 922.0],
  ['NumpadEnter', 'Enter', 924.3],
]);

// Upper-case letters come with Shift held: a ShiftLeft keydown, then the letter with shiftKey.
const AZERTY_BE_ESC_QR_M0010 = recording([
  ['ShiftLeft', 'Shift', 40001.0, true],
  ['KeyE', 'E', 40004.2, true],
  ['KeyS', 'S', 40008.9, true],
  ['KeyC', 'C', 40013.1, true],
  ['Minus', ')', 40019.7],
  ['ShiftLeft', 'Shift', 40023.0, true],
  ['KeyQ', 'A', 40026.4, true],
  ['KeyR', 'R', 40030.8, true],
  ['Minus', ')', 40036.1],
  ['ShiftLeft', 'Shift', 40039.9, true],
  ['KeyM', '?', 40044.5, true],
  ['Digit0', 'à', 40049.0],
  ['Digit0', 'à', 40053.6],
  ['Digit1', '&', 40058.2],
  ['Digit0', 'à', 40062.7],
  ['Enter', 'Enter', 40067.3],
]);

const QWERTY_ESC_QR_M0010 = recording([
  ['ShiftLeft', 'Shift', 700.0, true],
  ['KeyE', 'E', 702.0, true],
  ['KeyS', 'S', 704.1, true],
  ['KeyC', 'C', 706.0, true],
  ['Minus', '-', 708.2],
  ['ShiftLeft', 'Shift', 710.1, true],
  ['KeyQ', 'Q', 712.0, true],
  ['KeyR', 'R', 714.3, true],
  ['Minus', '-', 716.0],
  ['ShiftLeft', 'Shift', 718.2, true],
  ['KeyM', 'M', 720.1, true],
  ['Digit0', '0', 722.0],
  ['Digit0', '0', 724.4],
  ['Digit1', '1', 726.1],
  ['Digit0', '0', 728.0],
  ['Enter', 'Enter', 730.2],
]);

const QWERTZ_DE_ESC_QR_M0010 = recording([
  ['ShiftRight', 'Shift', 12000.5, true],
  ['KeyE', 'E', 12006.0, true],
  ['KeyS', 'S', 12011.2, true],
  ['KeyC', 'C', 12017.0, true],
  ['Minus', 'ß', 12022.9],
  ['ShiftRight', 'Shift', 12027.1, true],
  ['KeyQ', 'Q', 12032.6, true],
  ['KeyR', 'R', 12038.0, true],
  ['Minus', 'ß', 12043.3],
  ['ShiftRight', 'Shift', 12048.8, true],
  ['KeyM', 'M', 12054.1, true],
  ['Digit0', '0', 12059.9],
  ['Digit0', '0', 12065.0],
  ['Digit1', '1', 12070.6],
  ['Digit0', '0', 12076.2],
  ['Enter', 'Enter', 12081.7],
]);

// QWERTZ swaps Y and Z: a reader typing "ZY-42" gives "yz-42" by key, "ZY-42" by code.
const QWERTZ_DE_ZY = recording([
  ['ShiftLeft', 'Shift', 300.0, true],
  ['KeyZ', 'Y', 303.0, true],
  ['KeyY', 'Z', 306.0, true],
  ['Minus', 'ß', 309.0],
  ['Digit4', '4', 312.0],
  ['Digit2', '2', 315.0],
  ['Enter', 'Enter', 318.0],
]);

function decode(keys: WedgeKey[], decoder = new KeyboardWedgeDecoder()): { reads: string[]; results: WedgeResult[] } {
  const results = keys.map((k) => decoder.key(k));
  return { reads: results.flatMap((r) => (r.kind === 'read' ? [r.uid] : [])), results };
}

const byKey = (keys: RecordedKey[]) => keys.filter((k) => k.key.length === 1).map((k) => k.key).join('');

describe('keyboard-wedge reader', () => {
  it('the recordings differ by key: a decoder reading KeyboardEvent.key would depend on the layout', () => {
    expect(byKey(AZERTY_BE_0013748911)).toBe('àà&"è\'!ç&&');
    expect(byKey(AZERTY_BE_ESC_QR_M0010)).toBe('ESC)AR)?àà&à');
    expect(byKey(QWERTZ_DE_ESC_QR_M0010)).toBe('ESCßQRßM0010');
    expect(byKey(QWERTZ_DE_ZY)).toBe('YZß42');
  });

  it.each([
    ['Belgian AZERTY', AZERTY_BE_0013748911],
    ['US QWERTY', QWERTY_0013748911],
    ['German QWERTZ (numeric keypad)', QWERTZ_DE_0013748911],
  ])('reads 0013748911 on %s', (_layout, keys) => {
    const { reads, results } = decode(keys);
    expect(reads).toEqual(['0013748911']);
    expect(results.at(-1)).toEqual({ kind: 'read', uid: '0013748911', keys: 11 });
  });

  it.each([
    ['Belgian AZERTY', AZERTY_BE_ESC_QR_M0010],
    ['US QWERTY', QWERTY_ESC_QR_M0010],
    ['German QWERTZ', QWERTZ_DE_ESC_QR_M0010],
  ])('reads ESC-QR-M0010 on %s', (_layout, keys) => {
    const { reads, results } = decode(keys);
    expect(reads).toEqual(['ESC-QR-M0010']);
    // Shift presses are not keys of the read.
    expect(results.at(-1)).toEqual({ kind: 'read', uid: 'ESC-QR-M0010', keys: 13 });
  });

  it('reads Y and Z by their position on QWERTZ, where the layout swaps them', () => {
    expect(decode(QWERTZ_DE_ZY).reads).toEqual(['ZY-42']);
  });

  it('tells the window which keys belong to a burst: the first passes, the rest are pending', () => {
    const { results } = decode(QWERTY_0013748911);
    expect(results[0]).toEqual({ kind: 'pass' });
    expect(results.slice(1, -1).every((r) => r.kind === 'pending')).toBe(true);
  });

  it('reads two badges in a row as two reads', () => {
    const decoder = new KeyboardWedgeDecoder();
    // The second badge 125 ms after the first one's Enter.
    const second = AZERTY_BE_ESC_QR_M0010.map((k) => ({ ...k, timeStamp: k.timeStamp - 40001 + 18401 }));
    const keys = [...AZERTY_BE_0013748911, ...second];
    expect(decode(keys, decoder).reads).toEqual(['0013748911', 'ESC-QR-M0010']);
  });

  it('is not a read when a person types the same keys slowly', () => {
    let t = 1000;
    const slow = '0013748911'.split('').map((d) => ({ code: `Digit${d}`, timeStamp: (t += 140 + (Number(d) % 3) * 40) }));
    const { reads, results } = decode([...slow, { code: 'Enter', timeStamp: (t += 180) }]);
    expect(reads).toEqual([]);
    expect(results.every((r) => r.kind === 'pass')).toBe(true);
  });

  it('is not a read when Enter comes after a pause, or the burst is too short', () => {
    const late = [...QWERTY_0013748911.slice(0, -1), { code: 'Enter', timeStamp: 5200.1 + 500 }];
    expect(decode(late).reads).toEqual([]);
    const short = recording([
      ['Digit4', '4', 10],
      ['Digit2', '2', 12],
      ['Enter', 'Enter', 14],
    ]);
    expect(decode(short).results.at(-1)).toEqual({ kind: 'pass' });
  });

  it('lets Enter alone pass to the window', () => {
    expect(new KeyboardWedgeDecoder().key({ code: 'Enter', timeStamp: 1 })).toEqual({ kind: 'pass' });
    expect(new KeyboardWedgeDecoder().key({ code: 'NumpadEnter', timeStamp: 1 })).toEqual({ kind: 'pass' });
  });

  it('drops a burst broken by a key that is not text', () => {
    const keys = [...QWERTY_0013748911.slice(0, 5), { code: 'ArrowLeft', timeStamp: 5152.5 }, ...QWERTY_0013748911.slice(5)];
    const { reads, results } = decode(keys);
    expect(results[5]).toEqual({ kind: 'pass' });
    // "48911" after the break is the tail of the badge, not a badge.
    expect(reads).toEqual([]);
    // The same decoder reads the next badge, after a pause.
    const decoder = new KeyboardWedgeDecoder();
    decode(keys, decoder);
    expect(decode(AZERTY_BE_0013748911, decoder).reads).toEqual(['0013748911']);
  });

  it('drops a burst longer than the longest badge, its tail included', () => {
    const decoder = new KeyboardWedgeDecoder({ maxLength: 6 });
    // "ESC-QR" fills it; "-M0010" must not come out as a read of its own.
    expect(decode(QWERTY_ESC_QR_M0010, decoder).reads).toEqual([]);
    // After a pause the next badge is read as usual.
    expect(decode(AZERTY_BE_0013748911, new KeyboardWedgeDecoder({ maxLength: 10 })).reads).toEqual(['0013748911']);
    expect(decode(AZERTY_BE_0013748911, decoder).reads).toEqual([]);
    expect(decode(recording([['Digit4', '4', 90000], ['Digit2', '2', 90004], ['Digit4', '4', 90008], ['Digit2', '2', 90012], ['Enter', 'Enter', 90016]]), decoder).reads).toEqual(['4242']);
  });

  it('maps physical keys to their US-QWERTY characters', () => {
    expect(codeToChar('Digit7')).toBe('7');
    expect(codeToChar('Numpad7')).toBe('7');
    expect(codeToChar('KeyQ')).toBe('q');
    expect(codeToChar('KeyQ', true)).toBe('Q');
    expect(codeToChar('Minus')).toBe('-');
    expect(codeToChar('Minus', true)).toBe('_');
    expect(codeToChar('NumpadSubtract')).toBe('-');
    expect(codeToChar('F5')).toBeUndefined();
    expect(codeToChar('IntlBackslash')).toBeUndefined();
  });
});

// Bursts as readers and people really type them, on injected timestamps: a reader types a key every
// 2–20 ms and a loaded PC stalls 60–80 ms (up to 250) inside a burst; a person types every 60–300 ms.
const CODES = [...'0123456789'].map((d) => `Digit${d}`).concat([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((l) => `Key${l}`), ['Minus', 'Equal', 'Period', 'Comma', 'Slash', 'Semicolon']);

/** The keys a reader set to `layout` presses for `text`: the inverse of codeToChar on that layout. */
function keysFor(text: string, layout: WedgeLayout): { code: string; shiftKey: boolean }[] {
  return [...text].map((ch) => {
    for (const shiftKey of [false, true]) for (const code of CODES) if (codeToChar(code, shiftKey, layout) === ch) return { code, shiftKey };
    throw new Error(`no key for ${ch} on ${layout}`);
  });
}

/** A burst at `startMs`: each key after `gaps[i]` ms (the first at startMs), then Enter after the last gap. */
function burst(keys: { code: string; shiftKey?: boolean }[], startMs: number, gaps: number[]): WedgeKey[] {
  let t = startMs;
  const out: WedgeKey[] = keys.map((k, i) => ({ ...k, timeStamp: (t += i === 0 ? 0 : gaps[i - 1]!) }));
  out.push({ code: 'Enter', timeStamp: t + gaps[keys.length - 1]! });
  return out;
}

const hexUid = fc.constantFrom(8, 10, 14, 20).chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'), minLength: n, maxLength: n }));
const readerGaps = (n: number) => fc.array(fc.double({ min: 2, max: 20, noNaN: true }), { minLength: n, maxLength: n });
const formats = { formats: DEFAULT_BADGE_FORMATS };

describe('keyboard-wedge reader: a burst is read whole or not at all', () => {
  it('reads a burst with a 60–80 ms stall anywhere inside it whole, never its tail', () => {
    fc.assert(
      fc.property(hexUid, fc.nat(), fc.double({ min: 60, max: 80, noNaN: true }), (uid, at, stall) =>
        fc.assert(
          fc.property(readerGaps(uid.length), (gaps) => {
            gaps[at % (uid.length - 1)] = stall;
            expect(decode(burst(keysFor(uid, 'qwerty'), 1000, gaps), new KeyboardWedgeDecoder(formats)).reads).toEqual([uid]);
          }),
          { numRuns: 3 },
        ),
      ),
    );
  });

  it('reads nothing from a burst cut by a longer pause: neither its head nor its tail', () => {
    fc.assert(
      fc.property(hexUid, fc.nat(), fc.double({ min: 251, max: 990, noNaN: true }), readerGaps(20), (uid, at, pause, gaps) => {
        const g = gaps.slice(0, uid.length);
        g[at % (uid.length - 1)] = pause;
        const { reads } = decode(burst(keysFor(uid, 'qwerty'), 1000, g), new KeyboardWedgeDecoder({ ...formats, formats: [{ alphabet: 'hex', lengths: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20] }] }));
        expect(reads).toEqual([]);
      }),
    );
  });

  it('the issue\'s cases: 0013748911 stalled after "001" and 7E001FA2B4 after "7E001" are read whole; "2024" typed quickly by a person is no badge', () => {
    const stalled = (uid: string, after: number, stall: number) => burst(keysFor(uid, 'qwerty'), 5000, uid.split('').map((_, i) => (i === after - 1 ? stall : 8)));
    expect(decode(stalled('0013748911', 3, 72), new KeyboardWedgeDecoder(formats)).reads).toEqual(['0013748911']);
    expect(decode(stalled('7E001FA2B4', 5, 80), new KeyboardWedgeDecoder(formats)).reads).toEqual(['7E001FA2B4']);
    // Before: the 50 ms gap rule threw "001" away and read "3748911".
    const quickPerson = burst(keysFor('2024', 'qwerty'), 100, [85, 70, 90, 110]);
    expect(decode(quickPerson, new KeyboardWedgeDecoder(formats)).reads).toEqual([]);
    // Even typed at a reader's speed, "2024" fits no badge format of the site.
    expect(decode(burst(keysFor('2024', 'qwerty'), 100, [9, 9, 9, 9]), new KeyboardWedgeDecoder(formats)).results.at(-1)).toEqual({ kind: 'rejected', reason: 'format', text: '2024' });
  });

  it('never takes a person\'s typing for a read, however fast they are', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'), minLength: 4, maxLength: 20 }), fc.array(fc.double({ min: 60, max: 300, noNaN: true }), { minLength: 20, maxLength: 20 }), (text, gaps) => {
        const { reads, results } = decode(burst(keysFor(text, 'qwerty'), 100, gaps), new KeyboardWedgeDecoder());
        expect(reads).toEqual([]);
        expect(results.every((r) => r.kind === 'pass')).toBe(true);
      }),
    );
  });

  it('takes keys that start within a second of an abandoned burst for its tail', () => {
    const d = new KeyboardWedgeDecoder(formats);
    const head = keysFor('00137', 'qwerty').map((k, i) => ({ ...k, timeStamp: 100 + i * 8 }));
    // The rest after a 400 ms stall: "4A8911" and Enter at reader speed, and it happens to be 10 long.
    const rest = burst(keysFor('2A00137FFF', 'qwerty'), 100 + 4 * 8 + 400, new Array(10).fill(8));
    expect(decode([...head, ...rest], d).results.at(-1)).toEqual({ kind: 'rejected', reason: 'tail', text: '2A00137FFF' });
    // The next badge, brought to the reader later, is read.
    expect(decode(burst(keysFor('00137542AB', 'qwerty'), 3000, new Array(10).fill(8)), d).reads).toEqual(['00137542AB']);
  });

  it('gives the same number whatever Shift and Caps Lock did to the letters', () => {
    fc.assert(
      fc.property(hexUid, fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), readerGaps(20), (uid, shifts, gaps) => {
        const keys = keysFor(uid, 'qwerty').map((k, i) => (k.code.startsWith('Key') ? { ...k, shiftKey: shifts[i]! } : k));
        expect(decode(burst(keys, 1, gaps), new KeyboardWedgeDecoder(formats)).reads).toEqual([uid]);
      }),
    );
  });

  it.each(WEDGE_LAYOUTS.map((l) => [l]))("reads what a reader set to %s means, on any computer", (layout) => {
    fc.assert(
      fc.property(fc.oneof(hexUid, fc.constant('ESC-QR-M0010')), readerGaps(20), (uid, gaps) => {
        expect(decode(burst(keysFor(uid, layout), 1, gaps), new KeyboardWedgeDecoder({ ...formats, layout })).reads).toEqual([uid]);
      }),
    );
  });

  it('reads a reader set to AZERTY typing 7E001FA2B4 (on a QWERTY computer: "&e))!fq\\"b\'") as 7E001FA2B4', () => {
    // Its digits are the shifted row; its "a" is the key at QWERTY's Q.
    const keys = [
      ['Digit7', true], ['KeyE', false], ['Digit0', true], ['Digit0', true], ['Digit1', true], ['KeyF', false], ['KeyQ', false], ['Digit2', true], ['KeyB', false], ['Digit4', true],
    ].map(([code, shiftKey]) => ({ code: code as string, shiftKey: shiftKey as boolean }));
    expect(decode(burst(keys, 1, new Array(10).fill(6)), new KeyboardWedgeDecoder({ ...formats, layout: 'azerty' })).reads).toEqual(['7E001FA2B4']);
    // The same keys read as QWERTY are no badge.
    expect(decode(burst(keys, 5000, new Array(10).fill(6)), new KeyboardWedgeDecoder({ ...formats, layout: 'qwerty' })).reads).toEqual([]);
  });
});

describe('badge formats', () => {
  it('takes the network\'s badges by default, and nothing shorter, longer or of another alphabet', () => {
    for (const uid of ['001374A800', '00137542AB', '04A1B2C3', '04A1B2C3D4E5F6', 'ESC-QR-M0010']) expect(fitsBadgeFormats(uid, DEFAULT_BADGE_FORMATS), uid).toBe(true);
    for (const uid of ['3748911', 'FA2B4', '2024', '0013748911A', 'ESC-QR-M001', 'XYZ-QR-M0010', '7E001FQ2B4']) expect(fitsBadgeFormats(uid, DEFAULT_BADGE_FORMATS), uid).toBe(false);
  });
});
