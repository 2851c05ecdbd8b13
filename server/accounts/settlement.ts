// What the network owes each center for a period: the pay-as-you-go net earned at it, plus its
// share of the pass and quota revenue pro rata the covered minutes it hosted (roaming members
// included), less the network's fee; and each agent center's commission on what the members it
// signed up were billed. Shares are split to the cent by largest remainder, so the centers' dues,
// the commissions and what the network retains always add up to what payers were billed.
//
// What a center collected at its own desk (cash and card, less refunds: desk.ts) is its revenue
// too: its net counts in the center's gross due like pay-as-you-go (the network's fee applies to
// it), and since the center already holds it, it comes off the payout (which may then be negative:
// the center owes the network its fee). The VAT on it is the center's own to declare (its VAT
// number is on the receipt). So Σ payouts + retained is still what payers were billed, and
// Σ dues + fees + undistributed is that plus what the desks collected.
import type { Period, PriceDifference, Settlement, SiteSettlement } from '../../common/accounts/reports.js';
import { divRoundHalfUp } from '../../common/tariff/pricing.js';
import type { Bucket } from './buckets.js';
import type { AccountsReference } from './reference.js';

/** Splits `total` cents by weights, exactly (largest remainder; ties to the first key). */
export function splitProRata(total: number, weights: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  const sum = [...weights.values()].reduce((a, b) => a + b, 0);
  if (sum <= 0) return out;
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  // cents × minutes passes 2^53 for a big network's month: exact in BigInt.
  const bigSum = BigInt(sum);
  let given = 0;
  const rests: { key: string; rest: bigint }[] = [];
  for (const [key, w] of weights) {
    const exact = BigInt(abs) * BigInt(w);
    const share = Number(exact / bigSum);
    out.set(key, share);
    given += share;
    rests.push({ key, rest: exact % bigSum });
  }
  rests.sort((a, b) => (b.rest > a.rest ? 1 : b.rest < a.rest ? -1 : a.key < b.key ? -1 : 1));
  for (let i = 0; given < abs; i++, given++) out.set(rests[i]!.key, out.get(rests[i]!.key)! + 1);
  if (sign < 0) for (const [k, v] of out) out.set(k, -v);
  return out;
}

const feeOf = (cents: number, bp: number): number => (cents < 0 ? -1 : 1) * divRoundHalfUp(Math.abs(cents) * bp, 10_000);

export interface SettlementInput {
  period: Period;
  status: 'provisional' | 'closed';
  /** Everything this period's statements bill: its own buckets and the adjustments carried onto them. */
  billed: readonly Bucket[];
  networkFeeBp: number;
  commissionBp: number;
  cases: Settlement['cases'];
}

export function buildSettlement(input: SettlementInput, ref: AccountsReference): Settlement {
  const payg = new Map<string, number>();
  const passMinutes = new Map<string, number>();
  const quotaMinutes = new Map<string, number>();
  const byMember = new Map<string, number>();
  const deskNet = new Map<string, number>();
  const deskVat = new Map<string, number>();
  let passRevenue = 0;
  let quotaRevenue = 0;
  let billedNet = 0;
  for (const b of input.billed) {
    if (b.kind === 'desk') {
      deskNet.set(b.siteId!, (deskNet.get(b.siteId!) ?? 0) + b.netCents);
      deskVat.set(b.siteId!, (deskVat.get(b.siteId!) ?? 0) + b.vatCents);
      continue;
    }
    billedNet += b.netCents;
    if (b.memberId && b.commissionable) byMember.set(b.memberId, (byMember.get(b.memberId) ?? 0) + b.netCents);
    if (b.kind === 'pass_fee') passRevenue += b.netCents;
    else if (b.kind === 'quota_package') quotaRevenue += b.netCents;
    else if (b.siteId) {
      payg.set(b.siteId, (payg.get(b.siteId) ?? 0) + b.netCents);
      if (b.coverage === 'pass') passMinutes.set(b.siteId, (passMinutes.get(b.siteId) ?? 0) + b.shareMinutes);
      if (b.coverage === 'quota') quotaMinutes.set(b.siteId, (quotaMinutes.get(b.siteId) ?? 0) + b.shareMinutes);
    }
  }
  // Negative minutes (a late void) lower a center's weight; a weight below zero counts as none.
  const positive = (m: Map<string, number>) => new Map([...m].filter(([, v]) => v > 0));
  const passShare = splitProRata(passRevenue, positive(passMinutes));
  const quotaShare = splitProRata(quotaRevenue, positive(quotaMinutes));
  const commission = new Map<string, number>();
  for (const [memberId, net] of byMember) {
    const agent = ref.members.get(memberId)?.agentSiteId;
    if (agent) commission.set(agent, (commission.get(agent) ?? 0) + net);
  }
  const siteIds = new Set<string>([...payg.keys(), ...passShare.keys(), ...quotaShare.keys(), ...commission.keys(), ...deskNet.keys()]);
  const sites: SiteSettlement[] = [];
  for (const siteId of [...siteIds].sort()) {
    const paygNet = payg.get(siteId) ?? 0;
    const ps = passShare.get(siteId) ?? 0;
    const qs = quotaShare.get(siteId) ?? 0;
    const held = deskNet.get(siteId) ?? 0;
    const gross = paygNet + ps + qs + held;
    const fee = feeOf(gross, input.networkFeeBp);
    const comm = feeOf(commission.get(siteId) ?? 0, input.commissionBp);
    sites.push({
      siteId,
      siteName: ref.sites.get(siteId)?.name ?? siteId,
      paygNetCents: paygNet,
      passMinutes: passMinutes.get(siteId) ?? 0,
      quotaMinutes: quotaMinutes.get(siteId) ?? 0,
      passShareCents: ps,
      quotaShareCents: qs,
      deskNetCents: held,
      deskVatCents: deskVat.get(siteId) ?? 0,
      grossDueCents: gross,
      networkFeeCents: fee,
      dueCents: gross - fee,
      commissionCents: comm,
      payoutCents: gross - fee - held + comm,
    });
  }
  const sum = (f: (s: SiteSettlement) => number) => sites.reduce((a, s) => a + f(s), 0);
  const distributed = sum((s) => s.passShareCents + s.quotaShareCents);
  return {
    period: input.period,
    status: input.status,
    networkFeeBp: input.networkFeeBp,
    commissionBp: input.commissionBp,
    sites,
    network: {
      billedNetCents: billedNet,
      passRevenueCents: passRevenue,
      quotaRevenueCents: quotaRevenue,
      feesCents: sum((s) => s.networkFeeCents),
      commissionsCents: sum((s) => s.commissionCents),
      undistributedCents: passRevenue + quotaRevenue - distributed,
      deskNetCents: sum((s) => s.deskNetCents),
      retainedCents: billedNet - sum((s) => s.payoutCents),
    },
    cases: input.cases,
  };
}

export type { PriceDifference };
