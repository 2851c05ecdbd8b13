// Keyboard-wedge readers type the badge number into the focused window, very fast, then press
// Enter. The renderer feeds every keydown here. Characters come from KeyboardEvent.code — the
// physical key — never from KeyboardEvent.key, which depends on the computer's layout (AZERTY's "0"
// key gives "à"); the position is read on the reader's own layout (wedge-layout.ts), a setting of
// the device. Letters come out in the canonical upper case, so Shift and Caps Lock never change a
// number.
//
// When a burst is a read. Readers type a key every 2–20 ms (USB polls every 1–8 ms; scanners are
// set to "fast" by default); a person types a key every 100–300 ms, 60–80 ms at best for a few
// keys. Projects that tell a scanner from a person (point-of-sale pages, WinForms kiosks) mostly
// reset their buffer whenever one gap exceeds 20–50 ms — which on a loaded PC, where the browser
// stalls 60–80 ms inside a burst, throws the head away and reads the tail alone ("3748911",
// "FA2B4") as a badge. Here, instead, a burst is read whole or not at all:
// - a pause of up to `stallMs` (250 ms) inside a burst is bridged, not a break: the head is kept;
// - at Enter the burst is a reader's when its median gap is a reader's (≤ `readerGapMs`, 35 ms)
//   and at most `maxStalls` (2) gaps are longer: a person's "2024" + Enter has only slow gaps;
// - a longer pause abandons the burst, and keys starting within `quietMs` (1 s) of it are its tail,
//   never a read: a second badge comes later than that, it has to be brought to the reader;
// - the number must fit the site's badge formats (badge-formats.ts), the last guard against a
//   tail or a person's digits that happen to come fast.
import { canonicalBadgeUid } from '../badge-uid.js';
import { fitsBadgeFormats, type BadgeFormat } from './badge-formats.js';
import { layoutChar, type WedgeLayout } from './wedge-layout.js';

export interface WedgeKey {
  /** KeyboardEvent.code: "Digit0", "KeyA", "Numpad7", "Enter"… */
  code: string;
  shiftKey?: boolean;
  /** KeyboardEvent.timeStamp or any monotonic milliseconds. */
  timeStamp: number;
}

export interface WedgeOptions {
  /** The reader's own keyboard layout (a setting of the device). Default: qwerty. */
  layout?: WedgeLayout;
  /** The formats a read must fit (the site's); absent: any number of minLength..maxLength characters. */
  formats?: readonly BadgeFormat[];
  /** Longest gap of a reader's keys. Default 35 ms. */
  readerGapMs?: number;
  /** Longest stall bridged inside a burst. Default 250 ms. */
  stallMs?: number;
  /** How many gaps of a read may be stalls (longer than readerGapMs). Default 2. */
  maxStalls?: number;
  /** After an abandoned burst, keys starting within this time are its tail. Default 1000 ms. */
  quietMs?: number;
  minLength?: number;
  maxLength?: number;
}

const QWERTY_POSITION: Record<string, [string, string]> = {
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  Period: ['.', '>'],
  Comma: [',', '<'],
  Slash: ['/', '?'],
  Semicolon: [';', ':'],
};

const DIGIT_SHIFTED = ')!@#$%^&*(';

const NUMPAD: Record<string, string> = { NumpadDecimal: '.', NumpadSubtract: '-', NumpadAdd: '+', NumpadDivide: '/', NumpadMultiply: '*' };

/**
 * The character a physical key means for a reader set to `layout`, or undefined. Keypad keys mean
 * the same on every layout.
 */
export function codeToChar(code: string, shift = false, layout: WedgeLayout = 'qwerty'): string | undefined {
  let m = /^Numpad([0-9])$/.exec(code);
  if (m) return m[1];
  if (NUMPAD[code]) return NUMPAD[code];
  let us: string | undefined;
  m = /^Digit([0-9])$/.exec(code);
  if (m) us = shift ? DIGIT_SHIFTED[Number(m[1])] : m[1];
  m = /^Key([A-Z])$/.exec(code);
  if (m) us = shift ? m[1] : m[1]!.toLowerCase();
  const p = QWERTY_POSITION[code];
  if (p) us = p[shift ? 1 : 0];
  if (us === undefined) return undefined;
  return layoutChar(us, layout);
}

export type WedgeResult =
  | { kind: 'read'; uid: string; keys: number }
  /** Keys that belong to a burst in progress: the window should not act on them. */
  | { kind: 'pending' }
  /** A reader's burst that is not a badge of the site (no format fits, or a tail): no tap, nothing for the window. */
  | { kind: 'rejected'; reason: 'format' | 'tail'; text: string }
  /** A key that is not part of a read: let the window handle it as usual. */
  | { kind: 'pass' };

export class KeyboardWedgeDecoder {
  private buffer = '';
  private keys = 0;
  private gaps: number[] = [];
  private lastAt = -Infinity;
  /**
   * The burst in progress went wrong (a key that is not text, too long): the rest of it, up to
   * Enter or a pause, is not a read either — its tail is not a badge number.
   */
  private broken = false;
  /** The burst began within quietMs of an abandoned one: it is that one's tail. */
  private tail = false;
  /** When the last abandoned burst's last key came. */
  private abandonedAt = -Infinity;
  private readonly o: Required<Omit<WedgeOptions, 'formats'>> & { formats: readonly BadgeFormat[] | undefined };

  constructor(options: WedgeOptions = {}) {
    this.o = {
      layout: options.layout ?? 'qwerty',
      formats: options.formats,
      readerGapMs: options.readerGapMs ?? 35,
      stallMs: options.stallMs ?? 250,
      maxStalls: options.maxStalls ?? 2,
      quietMs: options.quietMs ?? 1000,
      minLength: options.minLength ?? 4,
      maxLength: options.maxLength ?? 64,
    };
  }

  key(e: WedgeKey): WedgeResult {
    const previousAt = this.lastAt;
    const gap = e.timeStamp - previousAt;
    this.lastAt = e.timeStamp;
    if (gap > this.o.stallMs) {
      if (this.buffer.length > 0 || this.broken) this.abandonedAt = previousAt;
      this.reset();
    }
    if (e.code === 'Enter' || e.code === 'NumpadEnter') return this.end(gap);
    if (e.code.startsWith('Shift')) return this.buffer ? { kind: 'pending' } : { kind: 'pass' };
    if (this.broken) return { kind: 'pass' };
    const c = codeToChar(e.code, e.shiftKey === true, this.o.layout);
    if (c === undefined || this.buffer.length >= this.o.maxLength) {
      const broken = this.buffer.length > 0;
      this.reset();
      this.broken = broken;
      return { kind: 'pass' };
    }
    if (this.buffer.length === 0) {
      this.tail = e.timeStamp - this.abandonedAt <= this.o.quietMs;
      this.buffer = c;
      this.keys = 1;
      return { kind: 'pass' };
    }
    this.buffer += c;
    this.keys++;
    this.gaps.push(gap);
    return this.readerSpeed() ? { kind: 'pending' } : { kind: 'pass' };
  }

  private end(gap: number): WedgeResult {
    const text = canonicalBadgeUid(this.buffer);
    const keys = this.keys;
    const usable = !this.broken && keys > 0 && text.length >= this.o.minLength;
    if (usable) this.gaps.push(gap);
    const fast = usable && this.readerSpeed();
    const tail = this.tail;
    this.reset();
    if (!fast) return { kind: 'pass' };
    if (tail) return { kind: 'rejected', reason: 'tail', text };
    if (this.o.formats && !fitsBadgeFormats(text, this.o.formats)) return { kind: 'rejected', reason: 'format', text };
    return { kind: 'read', uid: text, keys: keys + 1 };
  }

  /** Whether the gaps so far are a reader's: its median one fast, at most maxStalls slow. */
  private readerSpeed(): boolean {
    const sorted = [...this.gaps].sort((a, b) => a - b);
    const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
    return median <= this.o.readerGapMs && sorted.filter((g) => g > this.o.readerGapMs).length <= this.o.maxStalls;
  }

  private reset() {
    this.buffer = '';
    this.keys = 0;
    this.gaps = [];
    this.broken = false;
    this.tail = false;
  }
}
