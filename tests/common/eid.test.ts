// The eID identity file parser and the APDU exchange rules, on bytes: what a card may send, and
// what must be refused rather than half believed. The same code runs against pcscd and virtual
// cards in tests/devices/pcsc-reader.test.ts.
import { describe, expect, it } from 'vitest';
import { CardError, exchange, isContactlessAtr, readCardUid } from '../../common/readers/apdu.js';
import { parseIdentityFile } from '../../common/readers/eid.js';
import { EID_ATR, NFC_ATR, identityFile, tlv } from '../support/virtual-card.js';

const PERSON = { cardNumber: '592123456789', nationalNumber: '85073003328', birthDate: '30 JUL  1985', lastName: 'Dubois', firstNames: 'Jean Luc', nationality: 'Belge' };
const hexBytes = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

function problem(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof CardError) return `${e.problem}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('parseIdentityFile', () => {
  it('keeps the last name, first names and nationality, and nothing else', () => {
    const identity = parseIdentityFile(identityFile(PERSON));
    expect(identity).toEqual({ lastName: 'Dubois', firstNames: 'Jean Luc', nationality: 'Belge' });
  });

  it('reads lengths of several bytes (7 bits each) and a leading tag 00, and stops at zero padding', () => {
    const file = tlv([[0x00, hexBytes('01')], [0x07, 'Dubois'], [0x08, 'Jean'], [0x0a, 'Belge'], [0x11, new Uint8Array(200)]]);
    expect(file.includes(0x81)).toBe(true); // 200 = 0x81 0x48
    expect(parseIdentityFile(Uint8Array.of(...file, 0, 0, 0, 0))).toEqual({ lastName: 'Dubois', firstNames: 'Jean', nationality: 'Belge' });
  });

  it('refuses a truncated field, a duplicated tag, a missing field, a misplaced tag 00, control characters', () => {
    const good = identityFile(PERSON);
    expect(problem(() => parseIdentityFile(good.subarray(0, good.length - 5)))).toMatch(/^malformed: .*truncated/);
    expect(problem(() => parseIdentityFile(tlv([[0x07, 'A'], [0x07, 'B'], [0x08, 'C'], [0x0a, 'D']])))).toMatch(/^malformed: .*twice/);
    expect(problem(() => parseIdentityFile(tlv([[0x07, 'A'], [0x08, 'C']])))).toMatch(/^malformed: .*no nationality/);
    expect(problem(() => parseIdentityFile(Uint8Array.of(...tlv([[0x07, 'A'], [0x08, 'C'], [0x0a, 'D']]), 0x00, 0x01, 0x41)))).toMatch(/^malformed: .*tag 00/);
    expect(problem(() => parseIdentityFile(tlv([[0x07, 'A\u0007B'], [0x08, 'C'], [0x0a, 'D']])))).toMatch(/^malformed: .*control/);
    expect(problem(() => parseIdentityFile(tlv([[0x07, ''], [0x08, 'C'], [0x0a, 'D']])))).toMatch(/^malformed: .*lastName/);
    expect(problem(() => parseIdentityFile(Uint8Array.of(0x07, 0x85)))).toMatch(/^malformed: .*ends inside the length/);
  });
});

describe('APDU exchange', () => {
  it('repeats a command with the Le a 6Cxx asks for, and gathers 61xx data with GET RESPONSE', async () => {
    const sent: string[] = [];
    const answers = ['6C04', '01026102', '03049000'];
    const transmit = async (apdu: Uint8Array) => {
      sent.push(Buffer.from(apdu).toString('hex').toUpperCase());
      return hexBytes(answers.shift()!);
    };
    expect(await exchange(transmit, hexBytes('00B00000FC'))).toEqual({ data: Uint8Array.of(1, 2, 3, 4), sw: 0x9000 });
    expect(sent).toEqual(['00B00000FC', '00B0000004', '00C0000002']);
  });

  it('refuses a card that answers without a status word or loops on 61xx', async () => {
    await expect(exchange(async () => new Uint8Array(1), hexBytes('FFCA000000'))).rejects.toThrow(/not even a status word/);
    await expect(exchange(async () => hexBytes('6110'), hexBytes('FFCA000000'))).rejects.toThrow(/kept asking/);
  });

  it('reads a UID and refuses one of an impossible length; tells contactless pseudo-ATRs from contact ATRs', async () => {
    expect(await readCardUid(async () => hexBytes('04A1B2C3D4E5F69000'))).toBe('04A1B2C3D4E5F6');
    await expect(readCardUid(async () => hexBytes('04A19000'))).rejects.toThrow(/2 bytes/);
    await expect(readCardUid(async () => hexBytes('6A81'))).rejects.toThrow(/6A81/);
    expect(isContactlessAtr(NFC_ATR)).toBe(true);
    expect(isContactlessAtr(EID_ATR)).toBe(false);
  });
});
