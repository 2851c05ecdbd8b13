// The hub's authoritative pricing: every consumption line priced again with the tariff version in
// force on its local day, the site's star level and the member's plan at the time, in the order
// the lines happened network-wide (a quota drawn at two sites offline is drawn once here). A line
// priced differently from the station's provisional price is flagged, never silently replaced:
// the statement bills the hub's price and the difference is listed for an operator.
import { entitlementOn, priceCovered } from '../../common/accounts/entitlement.js';
import type { PriceDifference } from '../../common/accounts/reports.js';
import type { Coverage } from '../../common/events.js';
import { versionInForce } from '../../common/tariff/pricing.js';
import type { Ledger, LedgerConsumption } from './ledger.js';
import { periodOf } from './period.js';
import { priceOf, type AccountsReference } from './reference.js';

export interface HubPricedLine {
  consumptionId: string;
  siteId: string;
  memberId: string | undefined;
  guestId: string | undefined;
  /** The member's payer (none for a guest: guests pay at the reception, not on a statement). */
  payerId: string | undefined;
  localDate: string;
  period: string;
  at: string;
  serviceCode: string;
  unit: string;
  category: string;
  stars: number;
  tariffVersionId: string;
  /** Billed quantity: minutes for an hourly service, units otherwise. */
  quantity: number;
  unitPriceCents: number;
  vatRateBp: number;
  netCents: number;
  vatCents: number;
  grossCents: number;
  coverage: Coverage;
  /** Workspace time this line stands for (an hour service: its minutes; a day: 8 h; a half day: 4 h). */
  hostedMinutes: number;
}

export interface PricingResult {
  lines: HubPricedLine[];
  differences: PriceDifference[];
  /** Minutes each member drew from each quota: "quotaId|memberId" → minutes. */
  quotaUsed: Map<string, number>;
}

/**
 * The payer of lines whose member the network does not know (a sign-up refused, or a duplicate case
 * still open): they stay in the accounts, on this payer's statement, for an operator to settle.
 */
export const GUEST_PAYER_ID = 'guest-payer';

const MINUTES_PER_UNIT: Record<string, number> = { day: 480, half_day: 240 };

export function hostedMinutesOf(unit: string, category: string, quantity: number): number {
  if (category !== 'workspace') return 0;
  if (unit === 'hour') return quantity;
  return (MINUTES_PER_UNIT[unit] ?? 0) * quantity;
}

const PAYG = { kind: 'payg' } as const;

interface ChargedToday {
  day: string;
  siteId: string;
  serviceCode: string;
  cents: number;
}

const coverageKind = (c: Coverage | undefined): 'payg' | 'pass' | 'quota' => c?.kind ?? 'payg';

/** Prices every line of the ledger that was not voided, in the order they happened. */
export function priceLedger(ledger: Ledger, current: AccountsReference, refFor: (period: string) => AccountsReference = () => current): PricingResult {
  const live = ledger.consumption.filter((c) => c.voidedBy === undefined);
  // Sorted by time as numbers (then id): string keys for a network's month cost more than the rest.
  const times = new Float64Array(live.length);
  for (let i = 0; i < live.length; i++) times[i] = Date.parse(live[i]!.line.at);
  const order = Array.from({ length: live.length }, (_, i) => i);
  order.sort((a, b) => times[a]! - times[b]! || (live[a]!.line.consumptionId < live[b]!.line.consumptionId ? -1 : 1));
  const ordered = order.map((i) => live[i]!);
  const charged = new Map<string, ChargedToday[]>();
  const quotaUsed = new Map<string, number>();
  const lines: HubPricedLine[] = [];
  const differences: PriceDifference[] = [];
  const noSubscriptions: never[] = [];
  let lastPeriod = '';
  let ref = current;
  for (const c of ordered) {
    const { line: l } = c;
    // The local day of the visit, as the station wrote it from the visit's check-in in the site's
    // time zone (the hub's): a fact like the line's time, so the hub need not read the check-ins.
    const day = l.localDate;
    const period = periodOf(day);
    // A closed month's lines are priced with the reference it was closed with.
    if (period !== lastPeriod) {
      lastPeriod = period;
      ref = refFor(period);
    }
    const site = ref.sites.get(c.siteId);
    const member = l.memberId ? ref.members.get(l.memberId) : undefined;
    const service = ref.services.get(l.serviceCode);
    const version = versionInForce(ref.tariffs, day);
    const price = version && site ? priceOf(ref, version.id, l.serviceCode, site.stars) : undefined;
    // Every line object is built with the same fields in the same order (no spreads): at a network's
    // month of lines, that is the difference between one hidden class and a dictionary per line.
    const unit = service?.unit ?? 'item';
    const category = service?.category ?? 'other';
    if (!site || !service || !version || !price) {
      const base = { consumptionId: l.consumptionId, siteId: c.siteId, memberId: l.memberId, guestId: l.guestId, payerId: member?.payerId ?? (l.memberId ? GUEST_PAYER_ID : undefined), localDate: day, period, at: l.at, serviceCode: l.serviceCode, unit, category };
      const reason = !site ? `no site "${c.siteId}" at the hub` : !service ? `no service "${l.serviceCode}"` : !version ? `no tariff in force on ${day}` : `tariff ${version.id} has no price for ${l.serviceCode} at ${site.stars} stars`;
      lines.push(stationPriced(c, base, hostedMinutesOf(unit, category, l.billedQuantity)));
      differences.push(difference(c, day, l.netCents, coverageKind(l.coverage), l.tariffVersionId, reason));
      continue;
    }
    // What this person was charged for this service at this site that day (the cap's base), found
    // among their own few entries rather than under a key string built for every line.
    let cap: ChargedToday | undefined;
    if (price.dailyCapCents !== undefined) {
      const who = l.memberId ?? l.guestId ?? '';
      let mine = charged.get(who);
      if (!mine) charged.set(who, (mine = []));
      cap = mine.find((x) => x.day === day && x.siteId === c.siteId && x.serviceCode === l.serviceCode);
      if (!cap) mine.push((cap = { day, siteId: c.siteId, serviceCode: l.serviceCode, cents: 0 }));
    }
    // Most members hold no plan: no entitlement to work out for them.
    const subscriptions = l.memberId ? ref.subscriptionsByMember.get(l.memberId) : undefined;
    const quotas = l.memberId ? ref.quotasByMember.get(l.memberId) : undefined;
    const entitlement =
      l.memberId && (subscriptions || quotas)
        ? entitlementOn(l.memberId, c.siteId, day, {
            plans: ref.plans,
            subscriptions: subscriptions ?? noSubscriptions,
            quotas: quotas ?? noSubscriptions,
            usedMinutes: (quotaId, memberId) => quotaUsed.get(`${quotaId}|${memberId}`) ?? 0,
          })
        : PAYG;
    const priced = priceCovered({ unit: service.unit, category: service.category, quantity: l.quantity, price, chargedTodayCents: cap?.cents ?? 0, entitlement });
    if (cap) cap.cents += priced.netCents;
    if (priced.coverage.kind === 'quota' && l.memberId) {
      const k = `${priced.coverage.quotaId}|${l.memberId}`;
      quotaUsed.set(k, (quotaUsed.get(k) ?? 0) + priced.coverage.coveredMinutes);
    }
    lines.push({
      consumptionId: l.consumptionId,
      siteId: c.siteId,
      memberId: l.memberId,
      guestId: l.guestId,
      payerId: member?.payerId ?? (l.memberId ? GUEST_PAYER_ID : undefined),
      localDate: day,
      period,
      at: l.at,
      serviceCode: l.serviceCode,
      unit,
      category,
      stars: site.stars,
      tariffVersionId: version.id,
      quantity: priced.billedQuantity,
      unitPriceCents: price.unitPriceCents,
      vatRateBp: price.vatRateBp,
      netCents: priced.netCents,
      vatCents: priced.vatCents,
      grossCents: priced.grossCents,
      coverage: priced.coverage,
      hostedMinutes: hostedMinutesOf(service.unit, service.category, priced.billedQuantity),
    });
    if (priced.netCents !== l.netCents || priced.coverage.kind !== coverageKind(l.coverage) || version.id !== l.tariffVersionId)
      differences.push({
        ...difference(c, day, l.netCents, coverageKind(l.coverage), l.tariffVersionId),
        hub: { netCents: priced.netCents, coverage: priced.coverage.kind, tariffVersionId: version.id },
      });
  }
  return { lines, differences, quotaUsed };
}

function stationPriced(c: LedgerConsumption, base: Omit<HubPricedLine, 'stars' | 'tariffVersionId' | 'quantity' | 'unitPriceCents' | 'vatRateBp' | 'netCents' | 'vatCents' | 'grossCents' | 'coverage' | 'hostedMinutes'>, hosted: number): HubPricedLine {
  const l = c.line;
  return {
    ...base,
    stars: l.stars,
    tariffVersionId: l.tariffVersionId,
    quantity: l.billedQuantity,
    unitPriceCents: l.unitPriceCents,
    vatRateBp: l.vatRateBp,
    netCents: l.netCents,
    vatCents: l.vatCents,
    grossCents: l.grossCents,
    coverage: l.coverage ?? { kind: 'payg' },
    hostedMinutes: hosted,
  };
}

function difference(c: LedgerConsumption, day: string, net: number, kind: 'payg' | 'pass' | 'quota', tariffVersionId: string, reason?: string): PriceDifference {
  const l = c.line;
  return {
    consumptionId: l.consumptionId,
    siteId: c.siteId,
    ...(l.memberId ? { memberId: l.memberId } : {}),
    localDate: day,
    serviceCode: l.serviceCode,
    station: { netCents: net, coverage: kind, tariffVersionId },
    hub: { netCents: net, coverage: kind, tariffVersionId },
    ...(reason ? { reason } : {}),
  };
}
