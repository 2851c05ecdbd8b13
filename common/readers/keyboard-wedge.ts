// Keyboard-wedge readers type the badge number into the focused window, very fast, then press
// Enter. The renderer feeds every keydown here; a burst of key presses closer together than a
// person can type, ended by Enter, is a read. Characters come from KeyboardEvent.code — the
// physical key — never from KeyboardEvent.key, which depends on the layout (AZERTY's "0" key gives
// "à"), so the same badge gives the same UID on AZERTY, QWERTY and QWERTZ machines.

export interface WedgeKey {
  /** KeyboardEvent.code: "Digit0", "KeyA", "Numpad7", "Enter"… */
  code: string;
  shiftKey?: boolean;
  /** KeyboardEvent.timeStamp or any monotonic milliseconds. */
  timeStamp: number;
}

export interface WedgeOptions {
  /** Longest pause between two keys of one read. Default 50 ms: readers type every 2–20 ms. */
  maxGapMs?: number;
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
  NumpadDecimal: ['.', '.'],
  NumpadSubtract: ['-', '-'],
  NumpadAdd: ['+', '+'],
  NumpadDivide: ['/', '/'],
  NumpadMultiply: ['*', '*'],
};

/** The character a physical key means for a reader (its US-QWERTY position), or undefined. */
export function codeToChar(code: string, shift = false): string | undefined {
  let m = /^Digit([0-9])$/.exec(code) ?? /^Numpad([0-9])$/.exec(code);
  if (m) return m[1];
  m = /^Key([A-Z])$/.exec(code);
  if (m) return shift ? m[1] : m[1]!.toLowerCase();
  const p = QWERTY_POSITION[code];
  return p ? p[shift ? 1 : 0] : undefined;
}

export type WedgeResult =
  | { kind: 'read'; uid: string; keys: number }
  /** Keys that belong to a burst in progress: the window should not act on them. */
  | { kind: 'pending' }
  /** A key that is not part of a read: let the window handle it as usual. */
  | { kind: 'pass' };

export class KeyboardWedgeDecoder {
  private buffer = '';
  private keys = 0;
  private lastAt = -Infinity;
  /**
   * The burst in progress went wrong (a key that is not text, too long): the rest of it, up to
   * Enter or a pause, is not a read either — its tail is not a badge number.
   */
  private broken = false;
  private readonly maxGapMs: number;
  private readonly minLength: number;
  private readonly maxLength: number;

  constructor(options: WedgeOptions = {}) {
    this.maxGapMs = options.maxGapMs ?? 50;
    this.minLength = options.minLength ?? 4;
    this.maxLength = options.maxLength ?? 64;
  }

  key(e: WedgeKey): WedgeResult {
    const gap = e.timeStamp - this.lastAt;
    this.lastAt = e.timeStamp;
    if (gap > this.maxGapMs) this.reset();
    if (e.code === 'Enter' || e.code === 'NumpadEnter') {
      const uid = this.buffer;
      const keys = this.keys;
      const broken = this.broken;
      this.reset();
      if (!broken && uid.length >= this.minLength && keys > 0 && gap <= this.maxGapMs) return { kind: 'read', uid, keys: keys + 1 };
      return { kind: 'pass' };
    }
    if (e.code.startsWith('Shift')) return this.buffer ? { kind: 'pending' } : { kind: 'pass' };
    if (this.broken) return { kind: 'pass' };
    const c = codeToChar(e.code, e.shiftKey === true);
    if (c === undefined || this.buffer.length >= this.maxLength) {
      const broken = this.buffer.length > 0;
      this.reset();
      this.broken = broken;
      return { kind: 'pass' };
    }
    this.buffer += c;
    this.keys++;
    return this.buffer.length === 1 ? { kind: 'pass' } : { kind: 'pending' };
  }

  private reset() {
    this.buffer = '';
    this.keys = 0;
    this.broken = false;
  }
}
