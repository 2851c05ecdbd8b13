// HID keyboard readers send usages — physical key positions — in 8-byte boot keyboard reports
// ([modifiers, reserved, key1..key6]). Decoded with the HID usage table they give the badge text
// whatever the operating system's layout; raw-mode readers send the UID bytes themselves.
import { describe, expect, it } from 'vitest';
import {
  HID_USAGE_ENTER,
  HID_USAGE_KEYPAD_ENTER,
  HID_USAGE_TAB,
  HidKeyboardDecoder,
  charToUsage,
  keyboardReportsFor,
  rawUidFromReport,
  usageToChar,
} from '../../common/readers/hid-usage.js';

const report = (modifiers: number, ...keys: number[]) => Uint8Array.from([modifiers, 0, ...keys, ...new Array(6 - keys.length).fill(0)]);
const RELEASE = report(0);
const LEFT_SHIFT = 0x02;
const RIGHT_SHIFT = 0x20;
const LEFT_CTRL = 0x01;

function decodeAll(reports: Uint8Array[], decoder = new HidKeyboardDecoder()): string[] {
  return reports.flatMap((r) => decoder.push(r));
}

describe('HID keyboard usages', () => {
  it('decodes a reader typing 0013748911: usages 0x27 (0) and 0x1E (1)…, never the OS layout', () => {
    const reports = keyboardReportsFor('0013748911');
    // What a Belgian AZERTY machine would type for these usages is "àà&\"è'!ç&&"; the table says digits.
    expect(reports[0]).toEqual(report(0, 0x27));
    expect(reports[4]).toEqual(report(0, 0x1e));
    expect(decodeAll(reports)).toEqual(['0013748911']);
  });

  it('decodes upper case, digits and punctuation with shift: ESC-QR-M0010', () => {
    const reports = keyboardReportsFor('ESC-QR-M0010');
    expect(reports[0]).toEqual(report(LEFT_SHIFT, 0x08)); // E
    expect(reports[6]).toEqual(report(0, 0x2d)); // -
    expect(decodeAll(reports)).toEqual(['ESC-QR-M0010']);
  });

  it('round-trips every printable ASCII character that has a key', () => {
    const printable = Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i)).join('');
    expect(printable.length).toBe(94);
    expect(decodeAll(keyboardReportsFor(printable), new HidKeyboardDecoder({ maxLength: 100 }))).toEqual([printable]);
    for (const c of printable) {
      const key = charToUsage(c)!;
      expect(usageToChar(key.usage, key.shift)).toBe(c);
    }
  });

  it('takes the right shift as a shift, and ignores other modifiers', () => {
    const reports = [report(RIGHT_SHIFT, 0x04), RELEASE, report(LEFT_CTRL, 0x05), RELEASE, report(0, HID_USAGE_ENTER), RELEASE];
    expect(decodeAll(reports)).toEqual(['Ab']);
  });

  it('counts a key held across reports once, and a key pressed again after its release twice', () => {
    const held = [report(0, 0x1e), report(0, 0x1e), report(0, 0x1e), RELEASE, report(0, 0x1e), RELEASE];
    expect(decodeAll([...held, report(0, HID_USAGE_ENTER), report(0, HID_USAGE_ENTER), RELEASE])).toEqual(['11']);
  });

  it('takes keys pressed together (rollover) in report order, each once while held', () => {
    // 1 down; 1 and 2 down; 2 held with 3; all up.
    const reports = [report(0, 0x1e), report(0, 0x1e, 0x1f), report(0, 0x1f, 0x20), RELEASE, report(0, HID_USAGE_ENTER), RELEASE];
    expect(decodeAll(reports)).toEqual(['123']);
  });

  it('ends a read with Enter, keypad Enter or Tab, and ignores an end with nothing typed', () => {
    const d = new HidKeyboardDecoder();
    const type = (text: string, end: number) => [...keyboardReportsFor(text).slice(0, -2), report(0, end), RELEASE];
    expect(decodeAll([...type('AB12', HID_USAGE_ENTER), ...type('CD34', HID_USAGE_KEYPAD_ENTER), ...type('EF56', HID_USAGE_TAB)], d)).toEqual(['AB12', 'CD34', 'EF56']);
    expect(decodeAll([report(0, HID_USAGE_ENTER), RELEASE], d)).toEqual([]);
  });

  it('reads keypad digits as digits', () => {
    // Keypad 1..9 are 0x59..0x61, keypad 0 is 0x62.
    const keypad = [0x62, 0x62, 0x59, 0x5b, 0x5f].flatMap((u) => [report(0, u), RELEASE]);
    expect(decodeAll([...keypad, report(0, HID_USAGE_KEYPAD_ENTER), RELEASE])).toEqual(['00137']);
  });

  it('skips the report id byte when the device prefixes one', () => {
    const d = new HidKeyboardDecoder({ reportOffset: 1 });
    const withId = keyboardReportsFor('0013748911').map((r) => Uint8Array.from([0x01, ...r]));
    expect(decodeAll(withId, d)).toEqual(['0013748911']);
  });

  it('ignores the rollover error code and keys that are not text', () => {
    const rolloverError = report(0, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01);
    const f5 = report(0, 0x3e);
    expect(decodeAll([report(0, 0x1e), RELEASE, rolloverError, RELEASE, f5, RELEASE, report(0, 0x1f), RELEASE, report(0, HID_USAGE_ENTER), RELEASE])).toEqual(['12']);
  });

  it('counts a report too short to hold keys as noise, and a line too long', () => {
    const d = new HidKeyboardDecoder({ maxLength: 8 });
    expect(d.push(Uint8Array.of(0x00, 0x00))).toEqual([]);
    expect(d.discarded.noise).toBe(1);
    // Neither the first 8 characters nor the tail "11" is a read.
    expect(decodeAll(keyboardReportsFor('0013748911'), d)).toEqual([]);
    expect(d.discarded.too_long).toBe(1);
    expect(decodeAll(keyboardReportsFor('13748911'), d)).toEqual(['13748911']);
  });

  it('refuses to build reports for a character no key types', () => {
    expect(() => keyboardReportsFor('é')).toThrow(RangeError);
  });
});

describe('raw UID reports', () => {
  it('reads the UID bytes at their place in the report, as upper-case hex', () => {
    const r = Uint8Array.from([0x01, 0x04, 0xa1, 0xb2, 0xc3, 0x00, 0x00, 0x00]);
    expect(rawUidFromReport(r, 1, 4)).toBe('04A1B2C3');
    expect(rawUidFromReport(r, 1, 7)).toBe('04A1B2C3000000');
    expect(rawUidFromReport(Uint8Array.from([0x00, 0x00, 0x13, 0x74, 0x89, 0x11]), 1, 5)).toBe('0013748911');
  });

  it('reads nothing from an empty report (no card) or one too short', () => {
    expect(rawUidFromReport(new Uint8Array(8), 0, 4)).toBeUndefined();
    expect(rawUidFromReport(Uint8Array.of(0x04, 0xa1), 0, 4)).toBeUndefined();
  });
});

describe('HID keyboard reader set to another layout', () => {
  it('reads a reader set to AZERTY (digits with Shift, "a" at QWERTY\'s Q) as the number it meant; keypad digits whatever the layout', () => {
    // The usages it sends are those US QWERTY types "&E))!FQ@B$" with.
    expect(decodeAll(keyboardReportsFor('&E))!FQ@B$'), new HidKeyboardDecoder({ layout: 'azerty' }))).toEqual(['7E001FA2B4']);
    expect(decodeAll(keyboardReportsFor('&E))!FQ@B$'))).toEqual(['&E))!FQ@B$']);
    // QWERTZ swaps Y and Z.
    expect(decodeAll(keyboardReportsFor('ZY'), new HidKeyboardDecoder({ layout: 'qwertz' }))).toEqual(['YZ']);
    const keypad = [0x62, 0x59, 0x5a].map((u) => Uint8Array.from([0, 0, u, 0, 0, 0, 0, 0])).flatMap((r) => [r, new Uint8Array(8)]);
    expect(decodeAll([...keypad, Uint8Array.from([0, 0, 0x28, 0, 0, 0, 0, 0])], new HidKeyboardDecoder({ layout: 'azerty' }))).toEqual(['012']);
  });
});
