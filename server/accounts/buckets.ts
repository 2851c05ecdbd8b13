// What a period bills, as buckets: one per payer, member, site, service, coverage and price for
// usage, one per pass subscription month and per quota package. Buckets are what a closed period
// freezes, and what later corrections are measured against: the adjustment for a closed period is
// (its buckets recomputed now) − (what was billed for it so far), bucket by bucket.
import type { Period } from '../../common/accounts/reports.js';
import { vatOf } from '../../common/tariff/pricing.js';
import { lastDay, overlapsPeriod, periodOf } from './period.js';
import type { HubPricedLine } from './pricing.js';
import type { AccountsReference } from './reference.js';
import type { DeskFacts } from './desk.js';

export interface Bucket {
  key: string;
  /**
   * desk: money a centre collected at its desk (cash and card, less refunds) at one VAT rate — the
   * centre's revenue, on no payer's statement (its payerId is empty); the settlement counts it.
   */
  kind: 'pass_fee' | 'quota_package' | 'usage' | 'desk';
  payerId: string;
  memberId?: string;
  siteId?: string;
  serviceCode?: string;
  coverage?: 'payg' | 'pass' | 'quota';
  /** The subscription or quota a fee bucket is for. */
  refId?: string;
  unit: string;
  unitPriceCents: number;
  vatRateBp: number;
  quantity: number;
  netCents: number;
  vatCents: number;
  grossCents: number;
  /** Workspace minutes hosted under a pass, or quota minutes drawn, for the settlement's shares. */
  shareMinutes: number;
  /** Counts toward the member's agent's commission: consumed (or a pass month) from the sign-up on. */
  commissionable: boolean;
}

function add(map: Map<string, Bucket>, b: Bucket): void {
  const have = map.get(b.key);
  if (!have) {
    map.set(b.key, { ...b });
    return;
  }
  have.quantity += b.quantity;
  have.netCents += b.netCents;
  have.vatCents += b.vatCents;
  have.grossCents += b.grossCents;
  have.shareMinutes += b.shareMinutes;
}

/**
 * The buckets of one period: its priced usage lines (members only), its pass months and packages,
 * the lines of the visits invoiced to companies at a desk, and what each desk collected.
 */
export function periodBuckets(period: Period, lines: readonly HubPricedLine[], ref: AccountsReference, desk?: DeskFacts): Bucket[] {
  const map = new Map<string, Bucket>();
  // Usage is gathered per member first, matching buckets field by field: a network's month has
  // hundreds of thousands of lines, and a key string built per line cost more than the rest.
  const byMember = new Map<string, Bucket[]>();
  const addUsage = (l: HubPricedLine, memberId: string, payerId: string, kind: 'payg' | 'pass' | 'quota', commissionable: boolean, quantity: number, net: number, vat: number, shareMinutes: number) => {
    let list = byMember.get(memberId);
    if (!list) byMember.set(memberId, (list = []));
    const same = list.find(
      (x) =>
        x.siteId === l.siteId && x.serviceCode === l.serviceCode && x.coverage === kind && x.unitPriceCents === l.unitPriceCents &&
        x.vatRateBp === l.vatRateBp && x.commissionable === commissionable && x.payerId === payerId,
    );
    if (same) {
      same.quantity += quantity;
      same.netCents += net;
      same.vatCents += vat;
      same.grossCents += net + vat;
      same.shareMinutes += shareMinutes;
      return;
    }
    list.push({
      key: '', commissionable, kind: 'usage', payerId, memberId, siteId: l.siteId, serviceCode: l.serviceCode, coverage: kind, unit: l.unit,
      unitPriceCents: l.unitPriceCents, vatRateBp: l.vatRateBp, quantity, netCents: net, vatCents: vat, grossCents: net + vat, shareMinutes,
    });
  };
  for (const l of lines) {
    if (l.period !== period || l.payerId === undefined || l.memberId === undefined) continue;
    const signedUpOn = ref.members.get(l.memberId)?.signedUpOn;
    const commissionable = signedUpOn === undefined || l.localDate >= signedUpOn;
    if (l.coverage.kind === 'quota') {
      // A statement shows what the quota covered (free) and what was paid past it apart, so
      // each line's quantity times its unit price is what it says (a quota running out mid-visit).
      const covered = l.coverage.coveredMinutes;
      addUsage(l, l.memberId, l.payerId, 'quota', commissionable, covered, 0, 0, covered);
      if (l.quantity > covered || l.netCents !== 0) addUsage(l, l.memberId, l.payerId, 'payg', commissionable, l.quantity - covered, l.netCents, l.vatCents, 0);
    } else addUsage(l, l.memberId, l.payerId, l.coverage.kind, commissionable, l.quantity, l.netCents, l.vatCents, l.coverage.kind === 'pass' ? l.hostedMinutes : 0);
  }
  for (const list of byMember.values())
    for (const b of list) {
      b.key = `u|${b.payerId}|${b.memberId}|${b.siteId}|${b.serviceCode}|${b.coverage}|${b.unitPriceCents}|${b.vatRateBp}|${b.commissionable ? 'c' : 'n'}`;
      map.set(b.key, b);
    }
  for (const s of ref.subscriptions) {
    if (!overlapsPeriod(s.from, s.until, period)) continue;
    const member = ref.members.get(s.memberId);
    const plan = ref.plans.get(s.planId);
    if (!member || !plan) continue;
    const net = plan.monthlyFeeCents;
    const vat = vatOf(net, plan.vatRateBp);
    add(map, {
      // A pass month counts toward the commission when the member had signed up by its end.
      commissionable: member.signedUpOn === undefined || member.signedUpOn <= lastDay(period),
      key: `p|${member.payerId}|${s.id}|${net}|${plan.vatRateBp}|${member.signedUpOn === undefined || member.signedUpOn <= lastDay(period) ? 'c' : 'n'}`, kind: 'pass_fee', payerId: member.payerId, memberId: member.id, refId: s.id, unit: 'month',
      unitPriceCents: net, vatRateBp: plan.vatRateBp, quantity: 1, netCents: net, vatCents: vat, grossCents: net + vat, shareMinutes: 0,
    });
  }
  for (const q of ref.quotas) {
    if (periodOf(q.validFrom) !== period) continue;
    const vat = vatOf(q.priceCents, q.vatRateBp);
    add(map, {
      commissionable: false,
      key: `q|${q.payerId}|${q.id}|${q.priceCents}|${q.vatRateBp}`, kind: 'quota_package', payerId: q.payerId, refId: q.id, unit: 'minute',
      unitPriceCents: q.priceCents, vatRateBp: q.vatRateBp, quantity: q.minutes, netCents: q.priceCents, vatCents: vat, grossCents: q.priceCents + vat, shareMinutes: 0,
    });
  }
  if (desk) deskBuckets(period, desk, map);
  return [...map.values()];
}

function deskBuckets(period: Period, desk: DeskFacts, map: Map<string, Bucket>): void {
  for (const inv of desk.invoices) {
    if (inv.period !== period) continue;
    // The company's statement lists the visit's lines as a member's pay-as-you-go would be.
    for (const l of inv.lines)
      add(map, {
        key: `i|${inv.payerId}|${l.siteId}|${l.serviceCode}|${l.unitPriceCents}|${l.vatRateBp}`, kind: 'usage', payerId: inv.payerId, siteId: l.siteId, serviceCode: l.serviceCode,
        coverage: 'payg', unit: l.unit, unitPriceCents: l.unitPriceCents, vatRateBp: l.vatRateBp, quantity: l.quantity, netCents: l.netCents, vatCents: l.vatCents,
        grossCents: l.grossCents, shareMinutes: 0, commissionable: false,
      });
  }
  for (const c of desk.collected) {
    if (c.period !== period) continue;
    add(map, {
      key: `d|${c.siteId}|${c.vatRateBp}`, kind: 'desk', payerId: '', siteId: c.siteId, unit: 'EUR', unitPriceCents: 0, vatRateBp: c.vatRateBp, quantity: 0,
      netCents: c.netCents, vatCents: c.vatCents, grossCents: c.grossCents, shareMinutes: 0, commissionable: false,
    });
  }
}

/** Sum of bucket lists by key. */
export function sumBuckets(...lists: readonly (readonly Bucket[])[]): Bucket[] {
  const map = new Map<string, Bucket>();
  for (const list of lists) for (const b of list) add(map, b);
  return [...map.values()];
}

/** now − billed, bucket by bucket; only the buckets whose amounts or quantity changed. */
export function diffBuckets(now: readonly Bucket[], billed: readonly Bucket[]): Bucket[] {
  const negated = billed.map((b) => ({ ...b, quantity: -b.quantity, netCents: -b.netCents, vatCents: -b.vatCents, grossCents: -b.grossCents, shareMinutes: -b.shareMinutes }));
  return sumBuckets(now, negated).filter((b) => b.netCents !== 0 || b.vatCents !== 0 || b.quantity !== 0);
}

