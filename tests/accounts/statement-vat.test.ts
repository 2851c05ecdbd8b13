// VAT on a statement, once per rate and per corrected month, shared over its lines
// (server/accounts/statement-vat.ts): whatever the lines, each group's VAT is its net × rate rounded
// once, each line's share is within a cent of its own exact VAT, and net + VAT = gross.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shareVatByRate } from '../../server/accounts/statement-vat.js';

const RATES = [0, 600, 1200, 2100];
/** Rounded once, half away from zero, in integers: written apart from the code under test. */
const roundedVat = (net: number, bp: number) => (net < 0 ? -1 : 1) * Math.floor((Math.abs(net) * bp + 5000) / 10000) + 0;

const line = fc.record({
  netCents: fc.integer({ min: -2_000_000, max: 2_000_000 }),
  vatRateBp: fc.constantFrom(...RATES),
  adjustsPeriod: fc.option(fc.constantFrom('2026-08', '2026-09'), { nil: undefined }),
});

describe('VAT per rate on a statement', () => {
  it('gives each group its net × rate rounded once, every line within a cent of its own VAT, net + VAT = gross', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 60 }), (specs) => {
        const lines = specs.map((s) => ({ ...s, vatCents: 0, grossCents: 0 }));
        shareVatByRate(lines);
        const groups = new Map<string, { net: number; vat: number; rate: number }>();
        for (const l of lines) {
          // Within a cent of the line's own exact VAT (in 1/10,000 of a cent).
          expect(Math.abs(l.vatCents * 10_000 - l.netCents * l.vatRateBp)).toBeLessThan(10_000);
          expect(l.grossCents).toBe(l.netCents + l.vatCents);
          const key = `${l.adjustsPeriod}|${l.vatRateBp}`;
          const g = groups.get(key) ?? { net: 0, vat: 0, rate: l.vatRateBp };
          g.net += l.netCents;
          g.vat += l.vatCents;
          groups.set(key, g);
        }
        for (const g of groups.values()) expect(g.vat).toBe(roundedVat(g.net, g.rate));
      }),
      { numRuns: 500 },
    );
  });

  it('takes the drift of many small lines off: 1,000 lines at 0,50 € and 21 % make 105 €, not 110 €', () => {
    const lines = Array.from({ length: 1_000 }, () => ({ netCents: 50, vatRateBp: 2100, vatCents: 11, grossCents: 61 }));
    shareVatByRate(lines);
    expect(lines.reduce((n, l) => n + l.vatCents, 0)).toBe(10_500);
    // Half of them 11 cents, half 10: each a cent from its own 10,5.
    expect(lines.filter((l) => l.vatCents === 11)).toHaveLength(500);
    expect(lines.filter((l) => l.vatCents === 10)).toHaveLength(500);
  });

  it('rounds a negative group (an adjustment given back) half away from zero, as the tariff does', () => {
    const lines = [
      { netCents: -50, vatRateBp: 2100, vatCents: 0, grossCents: 0, adjustsPeriod: '2026-09' },
      { netCents: -100, vatRateBp: 2100, vatCents: 0, grossCents: 0, adjustsPeriod: '2026-09' },
    ];
    shareVatByRate(lines);
    // −150 × 21 % = −31,5 → −32.
    expect(lines.reduce((n, l) => n + l.vatCents, 0)).toBe(-32);
  });
});
