// How the hub splits a desk payment (an amount VAT included) into net and VAT by rate
// (server/accounts/desk.ts), checked with fast-check: every cent is accounted for, each rate gets
// its pro rata share within a cent, a refund mirrors a payment, and the result is the independent
// recount's (tests/accounts/naive-accounts.ts) to the cent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STANDARD_VAT_RATE_BP, splitGross } from '../../server/accounts/desk.js';
import { naiveSplit } from '../accounts/naive-accounts.js';

const RUNS = { numRuns: 500 };
const lineArb = fc.record({ vatRateBp: fc.constantFrom(0, 600, 1200, 2100), net: fc.integer({ min: -5_000, max: 200_000 }) }).map((l) => ({
  ...l,
  vat: Math.floor((2 * Math.abs(l.net) * l.vatRateBp + 10_000) / 20_000) * Math.sign(l.net),
}));
const linesArb = fc.array(lineArb, { maxLength: 8 });
const amountArb = fc.integer({ min: 1, max: 1_000_000 });
/** Zero as +0: a negated or multiplied zero is -0, which toEqual tells apart. */
const z = (n: number) => n + 0;
const base = (lines: { vatRateBp: number; net: number; vat: number }[]) => lines.map((l) => ({ vatRateBp: l.vatRateBp, grossCents: l.net + l.vat }));

describe('splitting a desk payment into net and VAT', () => {
  it('accounts for every cent: the shares add up to the amount, each share is its net plus its VAT', () => {
    fc.assert(
      fc.property(linesArb, amountArb, fc.boolean(), (lines, amount, refund) => {
        const signed = refund ? -amount : amount;
        const shares = splitGross(signed, base(lines));
        expect(shares.reduce((n, s) => n + s.grossCents, 0)).toBe(signed);
        for (const s of shares) {
          expect(s.netCents + s.vatCents).toBe(s.grossCents);
          expect(Math.sign(s.grossCents)).toBe(Math.sign(signed));
          // The VAT is the rate's on the net, to a cent (the net is rounded, the VAT is the rest).
          expect(Math.abs(s.vatCents * 10_000 - s.netCents * s.vatRateBp)).toBeLessThanOrEqual(10_000);
        }
        expect(new Set(shares.map((s) => s.vatRateBp)).size).toBe(shares.length);
      }),
      RUNS,
    );
  });

  it("gives each rate its share pro rata the visit's gross at that rate, within a cent", () => {
    fc.assert(
      fc.property(linesArb, amountArb, (lines, amount) => {
        const byRate = new Map<number, number>();
        for (const l of base(lines)) byRate.set(l.vatRateBp, (byRate.get(l.vatRateBp) ?? 0) + l.grossCents);
        const weights = [...byRate].filter(([, g]) => g > 0);
        const total = weights.reduce((n, [, g]) => n + g, 0);
        const shares = splitGross(amount, base(lines));
        if (total === 0) {
          expect(shares.map((s) => s.vatRateBp)).toEqual([STANDARD_VAT_RATE_BP]);
          return;
        }
        for (const [rate, g] of weights) {
          const share = shares.find((s) => s.vatRateBp === rate)?.grossCents ?? 0;
          expect(Math.abs(share * total - amount * g)).toBeLessThan(total);
        }
      }),
      RUNS,
    );
  });

  it('splits a refund as the payment of the same amount, negated', () => {
    fc.assert(
      fc.property(linesArb, amountArb, (lines, amount) => {
        const negated = splitGross(amount, base(lines)).map((s) => [s.vatRateBp, z(-s.netCents), z(-s.vatCents), z(-s.grossCents)]);
        expect(splitGross(-amount, base(lines)).map((s) => [s.vatRateBp, z(s.netCents), z(s.vatCents), z(s.grossCents)])).toEqual(negated);
      }),
      RUNS,
    );
  });

  it("is the independent recount's split, to the cent", () => {
    fc.assert(
      fc.property(linesArb, amountArb, fc.boolean(), (lines, amount, refund) => {
        const signed = refund ? -amount : amount;
        const engine = splitGross(signed, base(lines)).map((s) => [s.vatRateBp, z(s.netCents), z(s.vatCents)]);
        const naive = naiveSplit(signed, lines).map((s) => [s.rate, z(s.net), z(s.vat)]).sort((a, b) => a[0]! - b[0]!);
        expect(engine).toEqual(naive);
      }),
      RUNS,
    );
  });

  it('splits 10,00 € paid for a 21 % desk hour and a 6 % coffee of equal gross 5,00 € / 5,00 €', () => {
    expect(splitGross(1_000, [{ vatRateBp: 2100, grossCents: 605 }, { vatRateBp: 600, grossCents: 605 }])).toEqual([
      { vatRateBp: 600, netCents: 472, vatCents: 28, grossCents: 500 },
      { vatRateBp: 2100, netCents: 413, vatCents: 87, grossCents: 500 },
    ]);
    // 0,01 € over two equal rates: the cent goes to the rate written first as text ("2100" < "600").
    expect(splitGross(1, [{ vatRateBp: 2100, grossCents: 100 }, { vatRateBp: 600, grossCents: 100 }]).map((s) => [s.vatRateBp, s.grossCents])).toEqual([[2100, 1]]);
  });
});
