// The canonical badge number: one spelling on every side, so case never tells two badges apart.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBadgeUid } from '../../common/badge-uid.js';
import { badgeUidSchema } from '../../common/reference-data.js';

const printable = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 64 });

describe('canonicalBadgeUid', () => {
  it('upper-cases hex UIDs and printed codes, trims, and keeps everything else', () => {
    expect(canonicalBadgeUid('00137542ab')).toBe('00137542AB');
    expect(canonicalBadgeUid(' 7e001Fa2b4\r\n')).toBe('7E001FA2B4');
    expect(canonicalBadgeUid('esc-qr-m0010')).toBe('ESC-QR-M0010');
    expect(canonicalBadgeUid('003:00291')).toBe('003:00291');
  });

  it('is idempotent, and two spellings that differ only in case are one number', () => {
    fc.assert(
      fc.property(printable, fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }), (uid, flips) => {
        const respelt = [...uid].map((c, i) => (flips[i] ? c.toLowerCase() : c.toUpperCase())).join('');
        expect(canonicalBadgeUid(canonicalBadgeUid(uid))).toBe(canonicalBadgeUid(uid));
        expect(canonicalBadgeUid(respelt)).toBe(canonicalBadgeUid(uid));
      }),
    );
  });

  it('is what the shared schema stores, so every side that parses compares canonical numbers', () => {
    expect(badgeUidSchema.parse(' 04a1b2c3 ')).toBe('04A1B2C3');
    expect(badgeUidSchema.safeParse('ab cd').success).toBe(false);
  });
});
