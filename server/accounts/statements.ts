// A payer's monthly statement, in the payer's language: pass months, quota packages, usage lines
// per site and service (pay-as-you-go, or covered with their minutes), adjustments for closed
// periods, the VAT summary by rate, totals, and each member's own detail. VAT is worked out per
// rate on the statement, not line by line (statement-vat.ts): a member's detail keeps each
// consumption's own VAT, so its sum may differ from the statement's by up to half a cent per
// consumption (the PDF says the statement's VAT is the one billed).
import type { Language } from '../../common/reference-data.js';
import type { PaidAtDesk, Period, Statement, StatementLine } from '../../common/accounts/reports.js';
import type { Bucket } from './buckets.js';
import { GUEST_PAYER_ID, type HubPricedLine } from './pricing.js';
import type { AccountsReference } from './reference.js';
import { formatDay } from './render/labels.js';
import { shareVatByRate } from './statement-vat.js';
import { lineVatTreatment, treatmentKey } from './line-vat-treatment.js';

interface StatementWords {
  pass: string;
  quota: string;
  coveredPass: string;
  coveredQuota: string;
  adjustment: string;
  guestPayer: string;
  /** A member's prepayment at a desk, and its refund (issue 16). */
  paidAtDesk: (site: string, day: string) => string;
  refundedAtDesk: (site: string, day: string) => string;
}

const LABELS: Record<Language, StatementWords> = {
  fr: {
    pass: 'Abonnement', quota: "Forfait d'heures prépayées", coveredPass: "couvert par l'abonnement", coveredQuota: 'sur le forfait', adjustment: 'Régularisation', guestPayer: 'Invité',
    paidAtDesk: (site, day) => `Payé au comptoir de ${site} le ${day}`, refundedAtDesk: (site, day) => `Remboursé au comptoir de ${site} le ${day}`,
  },
  nl: {
    pass: 'Abonnement', quota: 'Pakket vooruitbetaalde uren', coveredPass: 'gedekt door het abonnement', coveredQuota: 'op het pakket', adjustment: 'Correctie', guestPayer: 'Gast',
    paidAtDesk: (site, day) => `Betaald aan de balie van ${site} op ${day}`, refundedAtDesk: (site, day) => `Terugbetaald aan de balie van ${site} op ${day}`,
  },
  en: {
    pass: 'Pass', quota: 'Prepaid hours package', coveredPass: 'covered by the pass', coveredQuota: 'on the prepaid hours', adjustment: 'Adjustment', guestPayer: 'Guest payer — members the network does not know, to settle',
    paidAtDesk: (site, day) => `Paid at the desk of ${site} on ${day}`, refundedAtDesk: (site, day) => `Refunded at the desk of ${site} on ${day}`,
  },
  de: {
    pass: 'Abonnement', quota: 'Paket vorausbezahlter Stunden', coveredPass: 'durch das Abonnement gedeckt', coveredQuota: 'aus dem Stundenpaket', adjustment: 'Korrektur', guestPayer: 'Gast',
    paidAtDesk: (site, day) => `Bezahlt am Empfang von ${site} am ${day}`, refundedAtDesk: (site, day) => `Erstattet am Empfang von ${site} am ${day}`,
  },
};

/** One collator for every sort: String.localeCompare builds one per call, thousands of payers over. */
const collate = new Intl.Collator('fr-BE').compare;

function describe(b: Bucket, ref: AccountsReference, lang: Language): string {
  const L = LABELS[lang];
  if (b.kind === 'pass_fee') {
    const sub = b.refId ? ref.subscriptionsById.get(b.refId) : undefined;
    const plan = sub ? ref.plans.get(sub.planId) : undefined;
    const member = b.memberId ? ref.members.get(b.memberId) : undefined;
    return `${L.pass} ${plan?.name ?? b.refId}${member ? ` — ${member.firstName} ${member.lastName}` : ''}`;
  }
  if (b.kind === 'quota_package') {
    const q = b.refId ? ref.quotasById.get(b.refId) : undefined;
    return `${L.quota} ${q?.name ?? b.refId} (${Math.round(b.quantity / 60)} h)`;
  }
  const service = b.serviceCode ? ref.services.get(b.serviceCode) : undefined;
  const site = b.siteId ? ref.sites.get(b.siteId) : undefined;
  const covered = b.coverage === 'pass' ? ` (${L.coveredPass})` : b.coverage === 'quota' ? ` (${L.coveredQuota})` : '';
  return `${service?.names[lang] ?? b.serviceCode} — ${site?.name ?? b.siteId}${covered}`;
}

/** Usage buckets of several members shown as one line per site, service, coverage and price. */
function displayLines(buckets: readonly Bucket[], ref: AccountsReference, lang: Language, adjustsPeriod?: string, treatmentRef: AccountsReference = ref): StatementLine[] {
  const map = new Map<string, StatementLine>();
  for (const b of buckets) {
    // What a desk collected is on no statement (the engine gives none here; a guard all the same);
    // a prepayment is no line but an entry paid (paidAtDeskEntries).
    if (b.kind === 'desk' || b.kind === 'prepaid') continue;
    const vatTreatment = lineVatTreatment(b, treatmentRef);
    const key = `${b.kind === 'usage' ? `${b.siteId}|${b.serviceCode}|${b.coverage}|${b.unitPriceCents}|${b.vatRateBp}` : b.key}|${treatmentKey(vatTreatment)}`;
    const have = map.get(key);
    if (have) {
      have.quantity += b.quantity;
      have.netCents += b.netCents;
      have.vatCents += b.vatCents;
      have.grossCents += b.grossCents;
      continue;
    }
    const site = b.siteId ? ref.sites.get(b.siteId) : undefined;
    const description = describe(b, ref, lang);
    map.set(key, {
      kind: adjustsPeriod ? 'adjustment' : (b.kind as Exclude<Bucket['kind'], 'desk' | 'prepaid'>),
      description: adjustsPeriod ? `${LABELS[lang].adjustment} ${adjustsPeriod}: ${description}` : description,
      ...(b.kind !== 'usage' && b.memberId ? { memberId: b.memberId } : {}),
      ...(b.siteId ? { siteId: b.siteId } : {}),
      ...(site ? { siteName: site.name, stars: site.stars } : {}),
      ...(b.serviceCode ? { serviceCode: b.serviceCode } : {}),
      ...(b.coverage ? { coverage: b.coverage } : {}),
      quantity: b.quantity,
      // An hourly service's quantity is in minutes (reports.ts): its unit says so, and documents show hours.
      unit: b.unit === 'hour' ? 'min' : b.unit,
      unitPriceCents: b.unitPriceCents,
      vatRateBp: b.vatRateBp,
      ...(vatTreatment ? { vatTreatment } : {}),
      netCents: b.netCents,
      vatCents: b.vatCents,
      grossCents: b.grossCents,
      ...(adjustsPeriod ? { adjustsPeriod } : {}),
    });
  }
  const order = { pass_fee: 0, quota_package: 1, usage: 2, adjustment: 3 };
  // Plain comparisons (not collation): the order only needs to be the same every time, and a
  // network's month sorts the lines of thousands of statements.
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return [...map.values()].sort((a, b) => order[a.kind] - order[b.kind] || cmp(a.siteName ?? '', b.siteName ?? '') || cmp(a.description, b.description));
}

/** A member's prepayments at desks (and their refunds) among `buckets`, by day. */
function paidAtDeskEntries(buckets: readonly Bucket[], ref: AccountsReference, lang: Language, adjustsPeriod?: string): PaidAtDesk[] {
  const out: PaidAtDesk[] = [];
  for (const b of buckets) {
    if (b.kind !== 'prepaid' || b.grossCents === 0) continue;
    const siteName = ref.sites.get(b.siteId!)?.name ?? b.siteId!;
    const day = formatDay(b.paidOn!, lang);
    const said = b.refundId ? LABELS[lang].refundedAtDesk(siteName, day) : LABELS[lang].paidAtDesk(siteName, day);
    out.push({
      paymentId: b.refId!, ...(b.refundId ? { refundId: b.refundId } : {}), memberId: b.memberId!, siteId: b.siteId!, siteName, localDate: b.paidOn!, method: b.method!,
      description: adjustsPeriod ? `${LABELS[lang].adjustment} ${adjustsPeriod}: ${said}` : said, amountCents: b.grossCents, ...(adjustsPeriod ? { adjustsPeriod } : {}),
    });
  }
  return out.sort((a, b) => (a.localDate < b.localDate ? -1 : a.localDate > b.localDate ? 1 : (a.refundId ?? a.paymentId) < (b.refundId ?? b.paymentId) ? -1 : 1));
}

export interface StatementInput {
  period: Period;
  payerId: string;
  own: readonly Bucket[];
  /** Adjustments carried onto this statement, by the closed period they correct. */
  adjustments: ReadonlyMap<string, readonly Bucket[]>;
  /** The payer's priced lines (of any period: those of this one are its members' detail). */
  lines: readonly HubPricedLine[];
  status: 'provisional' | 'closed';
  closedAt?: string;
  /** The reference a closed month was closed with: its adjustments state that month's VAT treatments. */
  refFor?: (period: string) => AccountsReference;
}

export function buildStatement(input: StatementInput, ref: AccountsReference): Statement {
  const payer = ref.payers.get(input.payerId);
  const lang: Language = payer?.language ?? 'en';
  const guestPayer = input.payerId === GUEST_PAYER_ID;
  const lines = displayLines(input.own, ref, lang);
  const paid = paidAtDeskEntries(input.own, ref, lang);
  for (const [period, deltas] of [...input.adjustments.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(...displayLines(deltas, ref, lang, period, input.refFor?.(period)));
    paid.push(...paidAtDeskEntries(deltas, ref, lang, period));
  }
  shareVatByRate(lines);
  const vat = new Map<number, { vatRateBp: number; netCents: number; vatCents: number }>();
  const totals = { netCents: 0, vatCents: 0, grossCents: 0 };
  for (const l of lines) {
    const v = vat.get(l.vatRateBp) ?? { vatRateBp: l.vatRateBp, netCents: 0, vatCents: 0 };
    v.netCents += l.netCents;
    v.vatCents += l.vatCents;
    vat.set(l.vatRateBp, v);
    totals.netCents += l.netCents;
    totals.vatCents += l.vatCents;
    totals.grossCents += l.grossCents;
  }
  const paidAtDeskCents = paid.reduce((n, p) => n + p.amountCents, 0);
  const byMember = new Map<string, Statement['members'][number]>();
  for (const l of input.lines) {
    if (l.payerId !== input.payerId || l.period !== input.period || !l.memberId) continue;
    let m = byMember.get(l.memberId);
    if (!m) {
      const member = ref.members.get(l.memberId);
      m = { memberId: l.memberId, name: member ? `${member.firstName} ${member.lastName}` : l.memberId, lines: [], totals: { netCents: 0, vatCents: 0, grossCents: 0 } };
      byMember.set(l.memberId, m);
    }
    m.lines.push({
      consumptionId: l.consumptionId, localDate: l.localDate, siteId: l.siteId, serviceCode: l.serviceCode, quantity: l.quantity, coverage: l.coverage.kind,
      coveredMinutes: l.coverage.kind === 'quota' ? l.coverage.coveredMinutes : 0, netCents: l.netCents, vatCents: l.vatCents, grossCents: l.grossCents,
    });
    m.totals.netCents += l.netCents;
    m.totals.vatCents += l.vatCents;
    m.totals.grossCents += l.grossCents;
  }
  for (const m of byMember.values()) m.lines.sort((a, b) => (a.localDate < b.localDate ? -1 : a.localDate > b.localDate ? 1 : a.consumptionId < b.consumptionId ? -1 : 1));
  return {
    period: input.period,
    payerId: input.payerId,
    payerName: payer?.name ?? (guestPayer ? LABELS[lang].guestPayer : input.payerId),
    ...(payer?.vatNumber ? { payerVatNumber: payer.vatNumber } : {}),
    language: lang,
    status: input.status,
    ...(input.closedAt ? { closedAt: input.closedAt } : {}),
    lines,
    vatSummary: [...vat.values()].sort((a, b) => a.vatRateBp - b.vatRateBp),
    totals,
    members: [...byMember.values()].sort((a, b) => collate(a.name, b.name)),
    paidAtDesk: paid,
    paidAtDeskCents,
    payableCents: totals.grossCents - paidAtDeskCents,
  };
}
