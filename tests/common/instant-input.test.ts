// The one reader of a typed instant (common/instant-input.ts): every ISO-8601 form that names an
// instant is read into ISO-8601 UTC with milliseconds; a time without an offset, or a date that
// does not exist, is refused with a sentence that says what to give.
import { describe, expect, it } from 'vitest';
import { instantInputSchema, readInstant } from '../../common/instant-input.js';

const value = (text: string) => {
  const r = readInstant(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('readInstant', () => {
  it('reads Z and offsets, with or without seconds and fractions, into UTC with milliseconds', () => {
    expect(value('2026-12-01T08:00:00.000Z')).toBe('2026-12-01T08:00:00.000Z');
    expect(value('2026-12-01T08:00:00Z')).toBe('2026-12-01T08:00:00.000Z');
    expect(value('2026-12-01T08:00Z')).toBe('2026-12-01T08:00:00.000Z');
    expect(value('2026-12-01T11:00:00+01:00')).toBe('2026-12-01T10:00:00.000Z');
    expect(value('2026-12-01T09:00+01:00')).toBe('2026-12-01T08:00:00.000Z');
    expect(value('2026-12-01T07:30:00-0030')).toBe('2026-12-01T08:00:00.000Z');
    expect(value('2026-12-01T08:00:00.5Z')).toBe('2026-12-01T08:00:00.500Z');
    expect(value('2026-12-01T08:00:00.123456789Z')).toBe('2026-12-01T08:00:00.123Z');
    // Across midnight and a month's end.
    expect(value('2026-12-01T00:30+02:00')).toBe('2026-11-30T22:30:00.000Z');
  });

  it('refuses a time without an offset, saying to add one', () => {
    const r = readInstant('2026-12-01T08:00:00');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/no time zone: add Z .*2026-12-01T08:00:00Z/);
  });

  it('refuses what is not a date and time, and dates that do not exist', () => {
    for (const bad of ['yesterday', '2026-12-01', '2026-12-01 08:00Z', '2026-02-30T08:00Z', '2026-12-01T24:00Z', '2026-12-01T08:61Z', '2026-12-01T08:00+25:00', '']) {
      expect(readInstant(bad).ok, bad).toBe(false);
    }
  });

  it('as a zod schema: the parsed value, or the sentence as the issue', () => {
    expect(instantInputSchema.parse('2026-12-01T11:00:00+01:00')).toBe('2026-12-01T10:00:00.000Z');
    const r = instantInputSchema.safeParse('2026-12-01T08:00');
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toContain('add Z');
  });
});
