// Keyboard-wedge readers type the badge into the window. The keydown events below are what a
// browser records while a USB reader (which sends US key positions) types "0013748911" and
// "ESC-QR-M0010" on machines set to Belgian AZERTY, US QWERTY and German QWERTZ: the `key` differs
// with the layout, the `code` (the physical key) does not, and the decoder reads the code only.
import { describe, expect, it } from 'vitest';
import { KeyboardWedgeDecoder, codeToChar, type WedgeKey, type WedgeResult } from '../../common/readers/keyboard-wedge.js';

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
