// The README's examples of what each reader sends and the UID the station reads ("What each
// reader sends…") are the decoders' own answers: a README that drifts from the code fails here.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Em4100Decoder, LineDecoder, em4100Frame } from '../../common/readers/framing.js';
import { HidKeyboardDecoder, keyboardReportsFor, rawUidFromReport } from '../../common/readers/hid-usage.js';
import { KeyboardWedgeDecoder } from '../../common/readers/keyboard-wedge.js';
import { normaliseUid } from '../../common/readers/uid.js';
import { hex } from '../../common/readers/apdu.js';
import { root } from '../support/hub-fixture.js';

// One line per README line break: examples are looked for in the text with its wrapping undone.
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8').replace(/\n\s*/g, ' ');
const bytes = (text: string) => Uint8Array.from(text.split(' ').map((b) => parseInt(b, 16)));
const spaced = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

describe('README: reader framings', () => {
  it('EM4100: the frame of 00137542AB and its UID', () => {
    const frame = '02 30 30 31 33 37 35 34 32 41 42 38 46 0d 0a 03';
    expect(readme).toContain(`\`${frame}\``);
    expect(spaced(em4100Frame('00137542AB'))).toBe(frame);
    expect(new Em4100Decoder().push(bytes(frame))).toEqual(['00137542AB']);
  });

  it('line framing: a QR code as text', () => {
    expect(readme).toContain('`45 53 43 2d 51 52 2d 4d 30 30 31 30 0d 0a` → `ESC-QR-M0010`');
    const [raw] = new LineDecoder().push(bytes('45 53 43 2d 51 52 2d 4d 30 30 31 30 0d 0a'), 0);
    expect(normaliseUid(raw!, { input: 'text' })).toBe('ESC-QR-M0010');
  });

  it('HID keyboard and raw reports', () => {
    const reports = keyboardReportsFor('7E001FA2B4');
    expect(spaced(reports[0]!)).toBe('00 00 24 00 00 00 00 00');
    expect(spaced(reports[2]!)).toBe('02 00 08 00 00 00 00 00');
    expect(spaced(reports[reports.length - 2]!)).toBe('00 00 28 00 00 00 00 00');
    for (const r of ['00 00 24 00 00 00 00 00', '02 00 08 00 00 00 00 00', '00 00 28 00 00 00 00 00']) expect(readme).toContain(`\`${r}\``);
    const read = (text: string) => {
      const d = new HidKeyboardDecoder();
      return keyboardReportsFor(text).flatMap((r) => d.push(r));
    };
    expect(read('7E001FA2B4').map((u) => normaliseUid(u))).toEqual(['7E001FA2B4']);
    expect(read('7e001fa2b4')).toEqual(['7e001fa2b4']);
    expect(normaliseUid('7e001fa2b4')).toBe('7E001FA2B4');
    expect(readme).toContain('`04 a1 b2 c3 00 00 00 00` → `04A1B2C3`');
    expect(rawUidFromReport(bytes('04 a1 b2 c3 00 00 00 00'), 0, 4)).toBe('04A1B2C3');
  });

  it('UID formats', () => {
    expect(readme).toContain('`{"byteOrder":"reversed","output":"decimal"}` → `3283263748`');
    expect(normaliseUid('04A1B2C3', { byteOrder: 'reversed', output: 'decimal' })).toBe('3283263748');
    expect(readme).toContain('`{"input":"decimal","output":"wiegand26"}` → `209:51887`');
    expect(normaliseUid('0013748911', { input: 'decimal', output: 'wiegand26' })).toBe('209:51887');
    expect(normaliseUid('00137542ab')).toBe('00137542AB');
  });

  it('keyboard wedge: physical keys, no shift', () => {
    const keys = 'Digit7 KeyE Digit0 Digit0 Digit1 KeyF KeyA Digit2 KeyB Digit4 Enter';
    expect(readme.replace(/\s+/g, ' ')).toContain(`\`${keys}\` (no shift) → \`7E001FA2B4\``);
    const d = new KeyboardWedgeDecoder();
    const results = keys.split(' ').map((code, i) => d.key({ code, timeStamp: i * 10 }));
    expect(results.at(-1)).toMatchObject({ kind: 'read', uid: '7E001FA2B4' });
  });

  it('PC/SC: the get-UID answer', () => {
    expect(readme).toContain('`04 A2 2B 1A 6C 5D 80 90 00` (UID bytes, then status `90 00`) → `04A22B1A6C5D80`');
    expect(hex(bytes('04 A2 2B 1A 6C 5D 80'))).toBe('04A22B1A6C5D80');
  });
});
