// What pays for a member's workspace, decided the same way by the station (offline, with the
// plans and quota balances it last received) and by the hub (authoritative, with every site's
// events): a pass covering the site, else hours left on a company quota, else pay-as-you-go.
import type { Coverage } from '../events.js';
import type { Plan, Quota, Subscription, TariffPrice } from '../reference-data.js';
import { divRoundHalfUp, priceLine, vatOf, type PricedLine, type ServiceUnit } from '../tariff/pricing.js';

export type Entitlement =
  | { kind: 'payg' }
  | { kind: 'pass'; planId: string; planName: string; subscriptionId: string }
  | { kind: 'quota'; quotaId: string; quotaName: string; minutesLeft: number };

export interface EntitlementData {
  plans: ReadonlyMap<string, Plan>;
  /** The member's subscriptions (any order). */
  subscriptions: readonly Subscription[];
  /** Quotas allocating minutes to the member (any order). */
  quotas: readonly Quota[];
  /** Minutes of a quota the member has already drawn, as far as the caller knows. */
  usedMinutes(quotaId: string, memberId: string): number;
}

export const passCoversSite = (plan: Plan, siteId: string): boolean => plan.sites === 'all' || plan.sites.includes(siteId);

export const subscriptionActiveOn = (s: Subscription, localDate: string): boolean => s.from <= localDate && (s.until === undefined || localDate <= s.until);

export function allocationOf(quota: Quota, memberId: string): number {
  let minutes = 0;
  for (const a of quota.allocations) if (a.memberId === memberId) minutes += a.minutes;
  return minutes;
}

/**
 * The entitlement of a member at a site on a local day. Passes first (the member paid a flat
 * fee for exactly this); among quotas, the one ending soonest first, so hours are not lost.
 */
export function entitlementOn(memberId: string, siteId: string, localDate: string, data: EntitlementData): Entitlement {
  const passes = data.subscriptions
    .filter((s) => s.memberId === memberId && subscriptionActiveOn(s, localDate))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.id < b.id ? -1 : 1));
  for (const s of passes) {
    const plan = data.plans.get(s.planId);
    if (plan && passCoversSite(plan, siteId)) return { kind: 'pass', planId: plan.id, planName: plan.name, subscriptionId: s.id };
  }
  const quotas = data.quotas
    .filter((q) => q.validFrom <= localDate && localDate <= q.validUntil && allocationOf(q, memberId) > 0)
    .sort((a, b) => (a.validUntil < b.validUntil ? -1 : a.validUntil > b.validUntil ? 1 : a.id < b.id ? -1 : 1));
  for (const q of quotas) {
    const left = allocationOf(q, memberId) - data.usedMinutes(q.id, memberId);
    if (left > 0) return { kind: 'quota', quotaId: q.id, quotaName: q.name, minutesLeft: left };
  }
  return { kind: 'payg' };
}

export interface CoveredPriceInput {
  unit: ServiceUnit;
  category: string;
  /** Minutes for an "hour" service, a count of units for every other. */
  quantity: number;
  price: Pick<TariffPrice, 'unitPriceCents' | 'vatRateBp' | 'billingIncrementMinutes' | 'dailyCapCents'>;
  /** Net already charged (pay-as-you-go) for this service to this person at this site on this local day. */
  chargedTodayCents: number;
  entitlement: Entitlement;
}

/** Shared, never changed: a network's month prices hundreds of thousands of pay-as-you-go lines. */
const PAYG_COVERAGE: Coverage = Object.freeze({ kind: 'payg' });

export interface CoveredLine extends PricedLine {
  coverage: Coverage;
}

/**
 * Prices one line under an entitlement. A pass makes any workspace line free. A quota covers
 * hourly workspace minutes up to what is left: the rest of the billed minutes are priced
 * pay-as-you-go, the daily cap applying to that part only (a quota running out mid-visit).
 */
export function priceCovered(input: CoveredPriceInput): CoveredLine {
  const { entitlement: e } = input;
  const workspace = input.category === 'workspace';
  if (workspace && e.kind === 'pass') {
    const billed = priceLine({ ...input, chargedTodayCents: 0 }).billedQuantity;
    return { billedQuantity: billed, netCents: 0, vatCents: 0, grossCents: 0, capApplied: false, coverage: { kind: 'pass', planId: e.planId, subscriptionId: e.subscriptionId } };
  }
  if (workspace && e.kind === 'quota' && input.unit === 'hour' && e.minutesLeft > 0) {
    const step = input.price.billingIncrementMinutes ?? 1;
    const billed = Math.ceil(input.quantity / step) * step;
    const covered = Math.min(billed, e.minutesLeft);
    const uncapped = divRoundHalfUp((billed - covered) * input.price.unitPriceCents, 60);
    let net = uncapped;
    if (input.price.dailyCapCents !== undefined) net = Math.min(uncapped, Math.max(0, input.price.dailyCapCents - Math.max(0, input.chargedTodayCents)));
    const vat = vatOf(net, input.price.vatRateBp);
    return { billedQuantity: billed, netCents: net, vatCents: vat, grossCents: net + vat, capApplied: net < uncapped, coverage: { kind: 'quota', quotaId: e.quotaId, coveredMinutes: covered } };
  }
  const line = priceLine(input);
  return { billedQuantity: line.billedQuantity, netCents: line.netCents, vatCents: line.vatCents, grossCents: line.grossCents, capApplied: line.capApplied, coverage: PAYG_COVERAGE };
}

/** Minutes a line drew from a quota (0 for any other coverage). */
export const quotaMinutesOf = (coverage: Coverage | undefined, quotaId?: string): number =>
  coverage?.kind === 'quota' && (quotaId === undefined || coverage.quotaId === quotaId) ? coverage.coveredMinutes : 0;
