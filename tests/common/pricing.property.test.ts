// Properties of the network's pricing rules (common/tariff/pricing.ts), checked with fast-check
// over realistic ranges: caps hold, increments hold, totals add up, VAT is rounded half up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divRoundHalfUp, priceLine, sumTotals, vatOf, versionInForce, type PriceInput, type ServiceUnit } from '../../common/tariff/pricing.js';

const RUNS = { numRuns: 500 };

const unitArb = fc.constantFrom<ServiceUnit>('hour', 'half_day', 'day', 'item', 'page');
const priceArb = fc.record(
  {
    unitPriceCents: fc.integer({ min: 0, max: 100_000 }),
    vatRateBp: fc.oneof(fc.constantFrom(0, 600, 1200, 2100), fc.integer({ min: 0, max: 10_000 })),
    billingIncrementMinutes: fc.integer({ min: 1, max: 240 }),
    dailyCapCents: fc.integer({ min: 0, max: 200_000 }),
  },
  { requiredKeys: ['unitPriceCents', 'vatRateBp'] },
);
const inputArb: fc.Arbitrary<PriceInput> = fc.record({
  unit: unitArb,
  quantity: fc.integer({ min: 0, max: 24 * 60 }),
  price: priceArb,
  chargedTodayCents: fc.integer({ min: 0, max: 300_000 }),
});

/** net × rate / 10 000 rounded half up, computed exactly with BigInt. */
function expectedVat(net: number, rateBp: number): number {
  const sign = net < 0 ? -1n : 1n;
  const product = BigInt(Math.abs(net)) * BigInt(rateBp);
  const q = product / 10_000n;
  const r = product % 10_000n;
  return Number(sign * (2n * r >= 10_000n ? q + 1n : q));
}

/** The line before any cap: what the increments and the unit price alone give. */
function uncapped(input: PriceInput): number {
  return priceLine({ ...input, price: { ...input.price, dailyCapCents: undefined }, chargedTodayCents: 0 }).netCents;
}

describe('priceLine', () => {
  it('never exceeds the room left under the daily cap', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const line = priceLine(input);
        expect(line.netCents).toBeGreaterThanOrEqual(0);
        if (input.price.dailyCapCents !== undefined) expect(line.netCents).toBeLessThanOrEqual(Math.max(0, input.price.dailyCapCents - input.chargedTodayCents));
        // The cap only ever lowers a line, and says so.
        expect(line.netCents).toBeLessThanOrEqual(uncapped(input));
        expect(line.capApplied).toBe(line.netCents < uncapped(input));
        if (input.price.dailyCapCents === undefined) expect(line.capApplied).toBe(false);
      }),
      RUNS,
    );
  });

  it('bills hourly time in whole increments, rounded up: quantity ≤ billed < quantity + increment', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const line = priceLine({ ...input, unit: 'hour' });
        const step = input.price.billingIncrementMinutes ?? 1;
        expect(line.billedQuantity % step).toBe(0);
        expect(line.billedQuantity).toBeGreaterThanOrEqual(input.quantity);
        expect(line.billedQuantity).toBeLessThan(input.quantity + step);
        // Uncapped, the billed minutes are priced pro rata of the hourly price, rounded half up.
        expect(uncapped({ ...input, unit: 'hour' })).toBe(Math.round((line.billedQuantity * input.price.unitPriceCents) / 60));
      }),
      RUNS,
    );
  });

  it('bills every other unit by its count, at the unit price', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        fc.pre(input.unit !== 'hour');
        const line = priceLine(input);
        expect(line.billedQuantity).toBe(input.quantity);
        expect(uncapped(input)).toBe(input.quantity * input.price.unitPriceCents);
      }),
      RUNS,
    );
  });

  it('adds VAT rounded half up: gross = net + vat', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const line = priceLine(input);
        expect(line.vatCents).toBe(expectedVat(line.netCents, input.price.vatRateBp));
        expect(line.grossCents).toBe(line.netCents + line.vatCents);
      }),
      RUNS,
    );
  });

  it('rounds VAT half up on exact halves and is symmetric for negative (void) amounts', () => {
    expect(vatOf(50, 100)).toBe(1); // 0.5 → 1
    expect(vatOf(49, 100)).toBe(0);
    expect(vatOf(1250, 2100)).toBe(263); // 262.5 → 263
    expect(vatOf(-1250, 2100)).toBe(-263);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000 }), (net, rate) => {
        expect(vatOf(net, rate)).toBe(expectedVat(net, rate));
        expect(vatOf(-net, rate) + vatOf(net, rate)).toBe(0);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), fc.integer({ min: 1, max: 100_000 }), (a, b) => {
        const q = divRoundHalfUp(a, b);
        // q is the nearest integer to a / b, halves going up.
        expect(2 * a >= (2 * q - 1) * b && 2 * a < (2 * q + 1) * b).toBe(true);
      }),
      RUNS,
    );
  });

  it('refuses a quantity that is negative or not whole', () => {
    const price = { unitPriceCents: 500, vatRateBp: 2100 };
    expect(() => priceLine({ unit: 'hour', quantity: -1, price, chargedTodayCents: 0 })).toThrow(RangeError);
    expect(() => priceLine({ unit: 'item', quantity: 1.5, price, chargedTodayCents: 0 })).toThrow(RangeError);
    expect(() => priceLine({ unit: 'item', quantity: Number.NaN, price, chargedTodayCents: 0 })).toThrow(RangeError);
  });
});

describe('a day of hourly lines', () => {
  it('never costs more than the daily cap in total, and costs the uncapped sum while under it', () => {
    const visitArb = fc.array(fc.integer({ min: 0, max: 11 * 60 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(
        visitArb,
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.constantFrom(0, 600, 2100),
        (visits, unitPriceCents, billingIncrementMinutes, dailyCapCents, vatRateBp) => {
          const price = { unitPriceCents, vatRateBp, billingIncrementMinutes, dailyCapCents };
          let charged = 0;
          let uncappedSum = 0;
          const lines = visits.map((quantity) => {
            const line = priceLine({ unit: 'hour', quantity, price, chargedTodayCents: charged });
            charged += line.netCents;
            uncappedSum += uncapped({ unit: 'hour', quantity, price, chargedTodayCents: 0 });
            return line;
          });
          expect(charged).toBeLessThanOrEqual(dailyCapCents);
          expect(charged).toBe(Math.min(uncappedSum, dailyCapCents));
          const totals = sumTotals(lines);
          expect(totals.netCents).toBe(charged);
          expect(totals.grossCents).toBe(totals.netCents + totals.vatCents);
        },
      ),
      RUNS,
    );
  });
});

describe('sumTotals', () => {
  it('adds net, VAT and gross line by line, in any order and any grouping', () => {
    const lineArb = fc.record({
      netCents: fc.integer({ min: -1_000_000, max: 1_000_000 }),
      vatCents: fc.integer({ min: -210_000, max: 210_000 }),
      grossCents: fc.integer({ min: -1_210_000, max: 1_210_000 }),
    });
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 50 }), fc.nat(), (lines, cut) => {
        const totals = sumTotals(lines);
        expect(totals.netCents).toBe(lines.reduce((s, l) => s + l.netCents, 0));
        expect(totals.vatCents).toBe(lines.reduce((s, l) => s + l.vatCents, 0));
        expect(totals.grossCents).toBe(lines.reduce((s, l) => s + l.grossCents, 0));
        expect(sumTotals([...lines].reverse())).toEqual(totals);
        const at = lines.length === 0 ? 0 : cut % (lines.length + 1);
        expect(sumTotals([sumTotals(lines.slice(0, at)), sumTotals(lines.slice(at))])).toEqual(totals);
      }),
      RUNS,
    );
    expect(sumTotals([])).toEqual({ netCents: 0, vatCents: 0, grossCents: 0 });
  });

  it('keeps gross = net + VAT for priced lines and their voids together', () => {
    fc.assert(
      fc.property(fc.array(inputArb, { minLength: 1, maxLength: 20 }), fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), (inputs, voided) => {
        const lines = inputs.map((i) => priceLine(i));
        const voids = lines.filter((_, i) => voided[i]).map((l) => ({ netCents: -l.netCents, vatCents: -l.vatCents, grossCents: -l.grossCents }));
        const totals = sumTotals([...lines, ...voids]);
        expect(totals.grossCents).toBe(totals.netCents + totals.vatCents);
        const kept = sumTotals(lines.filter((_, i) => !voided[i]));
        expect(totals).toEqual(kept);
      }),
      RUNS,
    );
  });
});

describe('versionInForce', () => {
  it('picks the latest version that started on or before the day', () => {
    const versions = [{ effectiveFrom: '2027-01-01' }, { effectiveFrom: '2026-01-01' }, { effectiveFrom: '2026-07-01' }];
    expect(versionInForce(versions, '2025-12-31')).toBeUndefined();
    expect(versionInForce(versions, '2026-01-01')).toBe(versions[1]);
    expect(versionInForce(versions, '2026-06-30')).toBe(versions[1]);
    expect(versionInForce(versions, '2026-07-01')).toBe(versions[2]);
    expect(versionInForce(versions, '2026-12-31')).toBe(versions[2]);
    expect(versionInForce(versions, '2031-05-05')).toBe(versions[0]);
  });
});
