// The pricing rules of the network's common tariff, as pure functions shared by the station
// (provisional prices, offline) and the hub (authoritative re-pricing): same inputs, same cents.
import type { TariffPrice } from '../reference-data.js';

export type ServiceUnit = 'hour' | 'half_day' | 'day' | 'item' | 'page';

export interface PriceInput {
  unit: ServiceUnit;
  /** Minutes for an "hour" service, a count of units for every other. */
  quantity: number;
  price: Pick<TariffPrice, 'unitPriceCents' | 'vatRateBp' | 'billingIncrementMinutes' | 'dailyCapCents'>;
  /** Net already charged for this service to this person at this site on this local day. */
  chargedTodayCents: number;
}

export interface PricedLine {
  /** Minutes rounded up to the billing increment for an "hour" service, else the quantity. */
  billedQuantity: number;
  netCents: number;
  vatCents: number;
  grossCents: number;
  /** True when the daily cap lowered this line. */
  capApplied: boolean;
}

/** a / b rounded half up, for non-negative integers. */
export const divRoundHalfUp = (a: number, b: number): number => Math.floor((2 * a + b) / (2 * b));

export function vatOf(netCents: number, vatRateBp: number): number {
  const sign = netCents < 0 ? -1 : 1;
  return sign * divRoundHalfUp(Math.abs(netCents) * vatRateBp, 10_000);
}

export function priceLine(input: PriceInput): PricedLine {
  const { unit, quantity, price } = input;
  if (!Number.isInteger(quantity) || quantity < 0) throw new RangeError(`quantity must be a non-negative integer, got ${quantity}`);
  let billedQuantity = quantity;
  let uncapped: number;
  if (unit === 'hour') {
    const step = price.billingIncrementMinutes ?? 1;
    billedQuantity = Math.ceil(quantity / step) * step;
    uncapped = divRoundHalfUp(billedQuantity * price.unitPriceCents, 60);
  } else {
    uncapped = quantity * price.unitPriceCents;
  }
  let netCents = uncapped;
  if (price.dailyCapCents !== undefined) {
    const room = Math.max(0, price.dailyCapCents - Math.max(0, input.chargedTodayCents));
    netCents = Math.min(uncapped, room);
  }
  const vatCents = vatOf(netCents, price.vatRateBp);
  return { billedQuantity, netCents, vatCents, grossCents: netCents + vatCents, capApplied: netCents < uncapped };
}

export interface Totals {
  netCents: number;
  vatCents: number;
  grossCents: number;
}

export function sumTotals(lines: readonly Totals[]): Totals {
  const t = { netCents: 0, vatCents: 0, grossCents: 0 };
  for (const l of lines) {
    t.netCents += l.netCents;
    t.vatCents += l.vatCents;
    t.grossCents += l.grossCents;
  }
  return t;
}

/** The tariff version in force on a local date: the latest that started on or before it. */
export function versionInForce<T extends { effectiveFrom: string }>(versions: readonly T[], localDate: string): T | undefined {
  let best: T | undefined;
  for (const v of versions) if (v.effectiveFrom <= localDate && (!best || v.effectiveFrom > best.effectiveFrom)) best = v;
  return best;
}
