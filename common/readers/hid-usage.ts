// HID keyboard usages (HID Usage Tables, Keyboard/Keypad page 0x07). A badge reader that is a
// USB keyboard sends usages — physical key positions — not characters. Decoding them with this
// table, not through the operating system's keyboard layout, is what keeps a Belgian AZERTY
// machine from turning "0013748911" into "àà&\"è'…".

import { layoutChar, type WedgeLayout } from './wedge-layout.js';

const unshifted: Record<number, string> = {};
const shifted: Record<number, string> = {};
for (let i = 0; i < 26; i++) {
  unshifted[0x04 + i] = String.fromCharCode(0x61 + i);
  shifted[0x04 + i] = String.fromCharCode(0x41 + i);
}
'1234567890'.split('').forEach((c, i) => (unshifted[0x1e + i] = c));
'!@#$%^&*()'.split('').forEach((c, i) => (shifted[0x1e + i] = c));
const punctuation: [number, string, string][] = [
  [0x2c, ' ', ' '], [0x2d, '-', '_'], [0x2e, '=', '+'], [0x2f, '[', '{'], [0x30, ']', '}'], [0x31, '\\', '|'],
  [0x33, ';', ':'], [0x34, "'", '"'], [0x35, '`', '~'], [0x36, ',', '<'], [0x37, '.', '>'], [0x38, '/', '?'],
];
for (const [u, a, b] of punctuation) {
  unshifted[u] = a;
  shifted[u] = b;
}
// Keypad: the same characters whatever Num Lock's state, as readers mean them.
'/*-+'.split('').forEach((c, i) => (unshifted[0x54 + i] = shifted[0x54 + i] = c));
'1234567890'.split('').forEach((c, i) => (unshifted[0x59 + i] = shifted[0x59 + i] = c));
unshifted[0x63] = shifted[0x63] = '.';

export const HID_USAGE_ENTER = 0x28;
export const HID_USAGE_KEYPAD_ENTER = 0x58;
export const HID_USAGE_TAB = 0x2b;

/** The character a usage stands for, or undefined for keys that are not text. */
export function usageToChar(usage: number, shift: boolean): string | undefined {
  return (shift ? shifted : unshifted)[usage];
}

/** The usage of a character, for building reports in simulators and tests. */
export function charToUsage(char: string): { usage: number; shift: boolean } | undefined {
  for (const [table, shift] of [[unshifted, false], [shifted, true]] as const)
    for (const [u, c] of Object.entries(table)) if (c === char && !(Number(u) >= 0x54 && Number(u) <= 0x63)) return { usage: Number(u), shift };
  return undefined;
}

const SHIFT_MASK = 0x22; // left shift | right shift in the modifier byte

export interface HidKeyboardDecoderOptions {
  /** The layout the reader itself is set to type with: its key positions are read on it. */
  layout?: WedgeLayout;
  /** Where the 8-byte boot keyboard report starts in what the device gives (1 when it prefixes a report id). */
  reportOffset?: number;
  maxLength?: number;
}

/**
 * Decodes boot-protocol keyboard reports ([modifiers, reserved, key1..key6]) into text lines ended
 * by Enter (or Tab). A key counts when it appears in a report, not while it stays pressed.
 */
export class HidKeyboardDecoder {
  private previous = new Set<number>();
  private text = '';
  /** The line went over maxLength: the rest of it, up to Enter, is thrown away with it. */
  private overflow = false;
  readonly discarded = { too_long: 0, noise: 0 };
  private readonly offset: number;
  private readonly maxLength: number;
  private readonly layout: WedgeLayout;

  constructor(options: HidKeyboardDecoderOptions = {}) {
    this.layout = options.layout ?? 'qwerty';
    this.offset = options.reportOffset ?? 0;
    this.maxLength = options.maxLength ?? 64;
  }

  push(report: Uint8Array): string[] {
    const reads: string[] = [];
    if (report.length < this.offset + 3) {
      this.discarded.noise++;
      return reads;
    }
    const modifiers = report[this.offset]!;
    const keys = new Set<number>();
    for (let i = this.offset + 2; i < Math.min(report.length, this.offset + 8); i++) if (report[i]! > 0x03) keys.add(report[i]!);
    for (const usage of keys) {
      if (this.previous.has(usage)) continue;
      if (usage === HID_USAGE_ENTER || usage === HID_USAGE_KEYPAD_ENTER || usage === HID_USAGE_TAB) {
        if (this.text.length > 0 && !this.overflow) reads.push(this.text);
        this.text = '';
        this.overflow = false;
        continue;
      }
      const us = usageToChar(usage, (modifiers & SHIFT_MASK) !== 0);
      // Keypad keys mean the same on every layout.
      const c = us === undefined || (usage >= 0x54 && usage <= 0x63) ? us : layoutChar(us, this.layout);
      if (c === undefined || this.overflow) continue;
      if (this.text.length >= this.maxLength) {
        this.discarded.too_long++;
        this.text = '';
        this.overflow = true;
        continue;
      }
      this.text += c;
    }
    this.previous = keys;
    return reads;
  }
}

/** A reader that reports the card's UID bytes themselves: `length` bytes at `offset`, as hex. */
export function rawUidFromReport(report: Uint8Array, offset: number, length: number): string | undefined {
  if (report.length < offset + length) return undefined;
  const bytes = report.subarray(offset, offset + length);
  if (bytes.every((b) => b === 0)) return undefined; // no card: an empty report
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
}

/** Builds the press and release reports a HID keyboard reader sends for `text` + Enter. */
export function keyboardReportsFor(text: string): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (const char of text) {
    const key = charToUsage(char);
    if (!key) throw new RangeError(`no HID usage for ${JSON.stringify(char)}`);
    reports.push(Uint8Array.from([key.shift ? 0x02 : 0, 0, key.usage, 0, 0, 0, 0, 0]), new Uint8Array(8));
  }
  reports.push(Uint8Array.from([0, 0, HID_USAGE_ENTER, 0, 0, 0, 0, 0]), new Uint8Array(8));
  return reports;
}
