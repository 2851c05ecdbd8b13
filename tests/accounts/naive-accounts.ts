// An independent recomputation of a month's accounts from the hub's raw events, written apart from
// the engine (no shared pricing code): plain loops over the events and the reference data. The
// accounts tests compare the engine's statements and settlement with it, cent for cent.
import type { ReferenceDataInput } from '../../common/reference-data.js';
import type { StoredEvent } from '../../server/store/store.js';

const brusselsDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit' });
export const localDay = (iso: string): string => brusselsDay.format(new Date(iso));
const halfUp = (a: number, b: number) => Math.floor((2 * a + b) / (2 * b));
const vat = (net: number, bp: number) => (net < 0 ? -halfUp(-net * bp, 10_000) : halfUp(net * bp, 10_000));

export interface NaiveLine {
  consumptionId: string;
  visitId: string;
  siteId: string;
  memberId?: string;
  payerId?: string;
  day: string;
  serviceCode: string;
  coverage: 'payg' | 'pass' | 'quota';
  coveredMinutes: number;
  vatRateBp: number;
  net: number;
  vat: number;
  /** What the station had said. */
  stationNet: number;
}

/** Every live (not voided) consumption line, priced from scratch, in the order they happened. */
export function naiveLines(events: readonly StoredEvent[], ref: ReferenceDataInput): NaiveLine[] {
  const checkIns = new Map<string, string>();
  const voided = new Set<string>();
  const recorded: { siteId: string; p: Record<string, unknown> }[] = [];
  for (const e of events) {
    if (e.status !== 'accepted') continue;
    const p = e.payload as Record<string, unknown>;
    if (e.type === 'visit.checked_in') checkIns.set(p.visitId as string, p.at as string);
    if (e.type === 'consumption.voided') voided.add(p.voidsConsumptionId as string);
    if (e.type === 'consumption.recorded') recorded.push({ siteId: e.siteId, p });
  }
  const live = recorded.filter((r) => !voided.has(r.p.consumptionId as string));
  live.sort((a, b) => ((a.p.at as string) < (b.p.at as string) ? -1 : (a.p.at as string) > (b.p.at as string) ? 1 : (a.p.consumptionId as string) < (b.p.consumptionId as string) ? -1 : 1));
  const charged = new Map<string, number>();
  const used = new Map<string, number>();
  const out: NaiveLine[] = [];
  for (const { siteId, p } of live) {
    const site = ref.sites.find((s) => s.id === siteId)!;
    const day = localDay(checkIns.get(p.visitId as string) ?? (p.at as string));
    const tariff = [...ref.tariffs].filter((t) => t.effectiveFrom <= day).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0]!;
    const price = tariff.prices.find((x) => x.serviceCode === p.serviceCode && x.stars === site.stars)!;
    const service = ref.services.find((s) => s.code === p.serviceCode)!;
    const memberId = p.memberId as string | undefined;
    const member = memberId ? ref.members.find((m) => m.id === memberId) : undefined;
    const quantity = p.quantity as number;
    const billed = service.unit === 'hour' ? Math.ceil(quantity / price.billingIncrementMinutes!) * price.billingIncrementMinutes! : quantity;
    let coverage: NaiveLine['coverage'] = 'payg';
    let covered = 0;
    if (member && service.category === 'workspace') {
      const pass = (ref.subscriptions ?? []).find((s) => {
        const plan = (ref.plans ?? []).find((x) => x.id === s.planId)!;
        return s.memberId === member.id && s.from <= day && (s.until === undefined || day <= s.until) && (plan.sites === 'all' || plan.sites.includes(siteId));
      });
      if (pass) coverage = 'pass';
      else if (service.unit === 'hour') {
        const quota = (ref.quotas ?? []).find((q) => q.validFrom <= day && day <= q.validUntil && q.allocations.some((a) => a.memberId === member.id));
        if (quota) {
          const allocated = quota.allocations.filter((a) => a.memberId === member.id).reduce((n, a) => n + a.minutes, 0);
          const left = allocated - (used.get(`${quota.id}|${member.id}`) ?? 0);
          if (left > 0) {
            coverage = 'quota';
            covered = Math.min(billed, left);
            used.set(`${quota.id}|${member.id}`, (used.get(`${quota.id}|${member.id}`) ?? 0) + covered);
          }
        }
      }
    }
    let net: number;
    if (coverage === 'pass') net = 0;
    else {
      net = service.unit === 'hour' ? halfUp((billed - covered) * price.unitPriceCents, 60) : billed * price.unitPriceCents;
      if (price.dailyCapCents !== undefined) {
        const key = `${memberId ?? p.guestId}|${siteId}|${day}|${p.serviceCode}`;
        net = Math.min(net, Math.max(0, price.dailyCapCents - (charged.get(key) ?? 0)));
        charged.set(key, (charged.get(key) ?? 0) + net);
      }
    }
    out.push({
      consumptionId: p.consumptionId as string,
      visitId: p.visitId as string,
      siteId,
      ...(memberId ? { memberId } : {}),
      ...(member ? { payerId: member.payerId } : {}),
      day,
      serviceCode: p.serviceCode as string,
      coverage,
      coveredMinutes: covered,
      vatRateBp: price.vatRateBp,
      net,
      vat: vat(net, price.vatRateBp),
      stationNet: p.netCents as number,
    });
  }
  return out;
}

/**
 * What each payer owes for a month: its members' lines of the month, pass months, quota packages.
 * VAT once per rate on the payer's net at that rate, as an invoice works it out (not line by line).
 */
export function naivePayerTotals(lines: readonly NaiveLine[], ref: ReferenceDataInput, period: string): Map<string, { net: number; vat: number }> {
  const netByRate = new Map<string, Map<number, number>>();
  const add = (payer: string, net: number, rate: number) => {
    const rates = netByRate.get(payer) ?? new Map<number, number>();
    rates.set(rate, (rates.get(rate) ?? 0) + net);
    netByRate.set(payer, rates);
  };
  for (const l of lines) if (l.payerId && l.day.startsWith(period)) add(l.payerId, l.net, l.vatRateBp);
  const first = `${period}-01`;
  const last = `${period}-31`;
  for (const s of ref.subscriptions ?? []) {
    if (s.from > last || (s.until !== undefined && s.until < first)) continue;
    const plan = ref.plans!.find((p) => p.id === s.planId)!;
    add(ref.members.find((m) => m.id === s.memberId)!.payerId, plan.monthlyFeeCents, plan.vatRateBp);
  }
  for (const q of ref.quotas ?? []) if (q.validFrom.startsWith(period)) add(q.payerId, q.priceCents, q.vatRateBp);
  const totals = new Map<string, { net: number; vat: number }>();
  for (const [payer, rates] of netByRate) {
    const t = { net: 0, vat: 0 };
    for (const [rate, net] of rates) {
      t.net += net;
      t.vat += vat(net, rate);
    }
    totals.set(payer, t);
  }
  return totals;
}

// ——— The desks (issue 16): payments, invoiced companies, tills ———

export interface NaiveMoney {
  net: number;
  vat: number;
  gross: number;
}

export interface NaiveTills {
  closed: number;
  withDifference: number;
  shortfall: number;
  surplus: number;
}

export interface NaiveDesk {
  /** Collected at a site's desk for guests (cash and card, less refunds) by "site|YYYY-MM" of the day the money changed hands. */
  collected: Map<string, NaiveMoney>;
  /**
   * Cash and card taken for members' visits, less refunds, VAT included: paid ahead of their payer's
   * statement, by "payer|YYYY-MM" of the day the money changed hands; and the same money as the
   * sites hold it for the network, by "site|YYYY-MM".
   */
  prepaid: Map<string, number>;
  heldForNetwork: Map<string, number>;
  /** Invoiced to a company by "VAT number|YYYY-MM" of the invoice's day: the visit's lines, unless withdrawn. */
  invoiced: Map<string, (NaiveMoney & { siteId: string; lines: number })[]>;
  /** Tills closed by "site|YYYY-MM" of their close. */
  tills: Map<string, NaiveTills>;
}

/**
 * `amount` (VAT included) shared between the VAT rates of `lines` pro rata their gross, the cents
 * left over going to the largest remainders (ties: the rate written first as text), then each
 * rate's gross split into net (rounded half up) and VAT. No line: all at 21 %.
 */
export function naiveSplit(amount: number, lines: readonly { vatRateBp: number; net: number; vat: number }[]): { rate: number; net: number; vat: number }[] {
  const byRate = new Map<number, number>();
  for (const l of lines) byRate.set(l.vatRateBp, (byRate.get(l.vatRateBp) ?? 0) + l.net + l.vat);
  const rates = [...byRate].filter(([, g]) => g > 0);
  if (rates.length === 0) rates.push([2100, 1]);
  const total = rates.reduce((n, [, g]) => n + g, 0);
  const abs = Math.abs(amount);
  const shares = rates.map(([rate, g]) => ({ rate, cents: Math.floor((abs * g) / total), rest: (abs * g) % total }));
  let left = abs - shares.reduce((n, x) => n + x.cents, 0);
  for (const x of [...shares].sort((a, b) => b.rest - a.rest || (String(a.rate) < String(b.rate) ? -1 : 1))) {
    if (left === 0) break;
    x.cents++;
    left--;
  }
  const sign = amount < 0 ? -1 : 1;
  return shares
    .filter((x) => x.cents > 0)
    .map((x) => {
      const net = Math.floor((2 * x.cents * 10_000 + 10_000 + x.rate) / (2 * (10_000 + x.rate)));
      return { rate: x.rate, net: sign * net, vat: sign * (x.cents - net) };
    });
}

/** The desks' money and tills from the raw events, with the lines as naiveLines priced them. */
export function naiveDesk(events: readonly StoredEvent[], lines: readonly NaiveLine[]): NaiveDesk {
  const accepted = events.filter((e) => e.status === 'accepted');
  const payload = (e: StoredEvent) => e.payload as Record<string, unknown>;
  const withdrawn = new Set(accepted.filter((e) => e.type === 'payment.refunded' && payload(e).method === 'invoice').map((e) => payload(e).paymentId as string));
  const collected = new Map<string, NaiveMoney>();
  const invoiced = new Map<string, (NaiveMoney & { siteId: string; lines: number })[]>();
  const tills = new Map<string, NaiveTills>();
  const month = (at: string) => localDay(at).slice(0, 7);
  // A member's visit, by its check-in; its payer, by the lines priced for it.
  const members = new Set(accepted.filter((e) => e.type === 'visit.checked_in' && (payload(e).person as { kind: string }).kind === 'member').map((e) => payload(e).visitId as string));
  const prepaid = new Map<string, number>();
  const heldForNetwork = new Map<string, number>();
  const collect = (siteId: string, at: string, visitId: string, amount: number) => {
    if (members.has(visitId)) {
      const payer = lines.find((l) => l.visitId === visitId && l.payerId !== undefined)!.payerId!;
      prepaid.set(`${payer}|${month(at)}`, (prepaid.get(`${payer}|${month(at)}`) ?? 0) + amount);
      heldForNetwork.set(`${siteId}|${month(at)}`, (heldForNetwork.get(`${siteId}|${month(at)}`) ?? 0) + amount);
      return;
    }
    const key = `${siteId}|${month(at)}`;
    const m = collected.get(key) ?? { net: 0, vat: 0, gross: 0 };
    for (const x of naiveSplit(amount, lines.filter((l) => l.visitId === visitId))) {
      m.net += x.net;
      m.vat += x.vat;
      m.gross += x.net + x.vat;
    }
    collected.set(key, m);
  };
  for (const e of accepted) {
    const p = payload(e);
    if (e.type === 'payment.recorded' && p.method !== 'invoice') collect(e.siteId, p.at as string, p.visitId as string, p.amountCents as number);
    if (e.type === 'payment.refunded' && p.method !== 'invoice') collect(e.siteId, p.at as string, p.visitId as string, -(p.amountCents as number));
    if (e.type === 'payment.recorded' && p.method === 'invoice' && !withdrawn.has(p.paymentId as string)) {
      const company = p.company as { vatNumber: string };
      const key = `${company.vatNumber}|${month(p.at as string)}`;
      const visit = lines.filter((l) => l.visitId === p.visitId);
      invoiced.set(key, [
        ...(invoiced.get(key) ?? []),
        { siteId: e.siteId, lines: visit.length, net: visit.reduce((n, l) => n + l.net, 0), vat: visit.reduce((n, l) => n + l.vat, 0), gross: visit.reduce((n, l) => n + l.net + l.vat, 0) },
      ]);
    }
    if (e.type === 'till.closed') {
      const key = `${e.siteId}|${month(p.at as string)}`;
      const t = tills.get(key) ?? { closed: 0, withDifference: 0, shortfall: 0, surplus: 0 };
      const d = p.differenceCents as number;
      t.closed++;
      if (d !== 0) t.withDifference++;
      if (d < 0) t.shortfall += -d;
      if (d > 0) t.surplus += d;
      tills.set(key, t);
    }
  }
  return { collected, prepaid, heldForNetwork, invoiced, tills };
}
