// A keyboard-wedge reader types as if a person pressed keys on a keyboard of the layout it was set
// to. What reaches the computer is physical key positions (KeyboardEvent.code, HID usages) named
// after US QWERTY; the character the reader meant is that position's character on the reader's
// own layout — a setting of the device — never on the computer's. A reader set to AZERTY types
// "a" with the key at QWERTY's Q, and its digits with Shift held.
import { z } from 'zod';

export const WEDGE_LAYOUTS = ['qwerty', 'azerty', 'qwertz'] as const;
export const wedgeLayoutSchema = z.enum(WEDGE_LAYOUTS);
export type WedgeLayout = z.infer<typeof wedgeLayoutSchema>;

// Per layout, what differs from US QWERTY, by the US character of the position (unshifted and
// shifted); null: a key that gives no ASCII character there. French AZERTY: the digits are the
// shifted row; unshifted it gives & é " ' ( - è _ ç à.
const SWAPS: Record<Exclude<WedgeLayout, 'qwerty'>, Record<string, string | null>> = {
  azerty: {
    q: 'a', Q: 'A', a: 'q', A: 'Q', w: 'z', W: 'Z', z: 'w', Z: 'W', ';': 'm', ':': 'M', m: ',', M: '?',
    '1': '&', '2': null, '3': '"', '4': "'", '5': '(', '6': '-', '7': null, '8': '_', '9': null, '0': null,
    '!': '1', '@': '2', '#': '3', $: '4', '%': '5', '^': '6', '&': '7', '*': '8', '(': '9', ')': '0',
    '-': ')', _: null, '=': '=', '+': '+',
  },
  qwertz: {
    y: 'z', Y: 'Z', z: 'y', Z: 'Y', '-': null, _: '?', '/': '-', '?': '_',
    '@': '"', '#': null, '^': '&', '&': '/', '*': '(', '(': ')', ')': '=',
  },
};

/** The character a reader set to `layout` meant by the main-block key whose US character is `us`. */
export function layoutChar(us: string, layout: WedgeLayout): string | undefined {
  if (layout === 'qwerty') return us;
  const table = SWAPS[layout];
  if (!(us in table)) return us;
  return table[us] ?? undefined;
}
