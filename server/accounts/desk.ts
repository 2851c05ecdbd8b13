// What the centres' desks took (issue 16), as the accounts count it.
//
// - Cash and card: the centre collected the money itself, under its own VAT number (on the
//   receipt). It is the centre's revenue, counted like pay-as-you-go for the network's fee, and the
//   network's payout to it is reduced by what it already holds. Its month is the day the money
//   changed hands in the site's time zone: a payment's day for the payment, a refund's day for the
//   refund (a refund in November of an October payment lowers November), as the till counts them.
// - Invoice the company: nothing was taken at the desk; the visit's priced lines are billed on the
//   statement of the payer whose VAT number is the company's (else a payer the accounts make for
//   it), and the site is due them like pay-as-you-go. Their month is the invoice's day. A refund of
//   an invoice payment withdraws the invoice whole: its lines leave that month, as a void does
//   (an adjustment on the next open month when that one is closed).
//
// - Cash or card on a MEMBER's visit: a prepayment of what the network bills the member's payer
//   (EN 16931's prepaid amount, BT-113). The visit's lines stay on the payer's statement as they
//   are; the payment is an entry there that lowers what is left to pay. It is not the centre's
//   revenue (the lines already count as its pay-as-you-go, with the fee): the centre only holds
//   the network's cash, which the settlement takes off its payout with no second fee. Its month is
//   the payment's day (a refund's, its own), like any desk money: one that reaches the hub after
//   its month closed lowers the next open month's payable, as an adjustment naming the closed one.
//
// A payment is an amount VAT included. Its net and VAT come from the visit's live lines as the hub
// priced them: the amount is shared between their VAT rates pro rata their gross (largest
// remainder), and each rate's share is split into net = gross × 10,000 / (10,000 + rate), rounded
// half up, and VAT = the rest — so every cent of the amount is net or VAT of one rate. A visit the
// hub holds no priced line of (not synced yet, or all voided) is taken at the standard rate.
import { compactVatNumber } from '../../common/vat-number.js';
import { invoicedCompanyPayerId } from '../../common/payments.js';
import type { Language, Payer, REGIONS } from '../../common/reference-data.js';
import { divRoundHalfUp } from '../../common/tariff/pricing.js';
import { localDate } from '../../common/time.js';
import type { Ledger } from './ledger.js';
import { periodOf } from './period.js';
import { GUEST_PAYER_ID, type HubPricedLine } from './pricing.js';
import type { AccountsReference } from './reference.js';
import { splitProRata } from './settlement.js';

/** Belgium's standard rate: the rate of a payment whose visit has no priced line at the hub. */
export const STANDARD_VAT_RATE_BP = 2100;

/** A payment made for a company with no payer: its statements are in the language of the site's region. */
const REGION_LANGUAGE: Record<(typeof REGIONS)[number], Language> = { brussels: 'fr', wallonia: 'fr', flanders: 'nl' };

export interface VatShare {
  vatRateBp: number;
  netCents: number;
  vatCents: number;
  grossCents: number;
}

/** Splits an amount VAT included (negative for a refund) between the VAT rates of `base`, exactly. */
export function splitGross(amountCents: number, base: readonly { vatRateBp: number; grossCents: number }[]): VatShare[] {
  const weights = new Map<string, number>();
  for (const l of base) weights.set(String(l.vatRateBp), (weights.get(String(l.vatRateBp)) ?? 0) + l.grossCents);
  for (const [k, w] of weights) if (w <= 0) weights.delete(k);
  if (weights.size === 0) weights.set(String(STANDARD_VAT_RATE_BP), 1);
  const out: VatShare[] = [];
  for (const [rate, gross] of splitProRata(amountCents, weights)) {
    const vatRateBp = Number(rate);
    const net = (gross < 0 ? -1 : 1) * divRoundHalfUp(Math.abs(gross) * 10_000, 10_000 + vatRateBp);
    if (gross !== 0) out.push({ vatRateBp, netCents: net, vatCents: gross - net, grossCents: gross });
  }
  return out.sort((a, b) => a.vatRateBp - b.vatRateBp);
}

/** Money collected at a site's desk in a period, at one VAT rate (a refund: negative). */
export interface DeskCollected extends VatShare {
  siteId: string;
  period: string;
}

/** A company invoiced at a desk: the visit's priced lines, on its payer's statement of `period`. */
export interface DeskInvoice {
  paymentId: string;
  payerId: string;
  siteId: string;
  period: string;
  lines: HubPricedLine[];
}

/**
 * Cash or card taken at a desk for a member's visit (a refund of it: negative): a prepayment of
 * what the network bills the member's payer, on that payer's statement of `period`.
 */
export interface DeskPrepayment {
  paymentId: string;
  /** Set for a refund of the payment. */
  refundId?: string;
  payerId: string;
  memberId: string;
  siteId: string;
  period: string;
  /** The day the money changed hands, in the site's time zone. */
  localDate: string;
  method: 'cash' | 'card';
  amountCents: number;
}

export interface DeskFacts {
  collected: DeskCollected[];
  invoices: DeskInvoice[];
  prepaid: DeskPrepayment[];
  /** Payers made for invoiced companies no payer of the reference data has the VAT number of. */
  madePayers: Payer[];
}

const NO_DESK: DeskFacts = { collected: [], invoices: [], prepaid: [], madePayers: [] };

/** The desks' payments and refunds of the ledger, priced against the hub's lines of their visits. */
export function deskFacts(ledger: Pick<Ledger, 'payments' | 'refunds' | 'consumption'>, lines: readonly HubPricedLine[], ref: AccountsReference): DeskFacts {
  // Nothing here touches the per-line work of a month without payments.
  if (ledger.payments.length === 0 && ledger.refunds.length === 0) return NO_DESK;
  const visitOfLine = new Map<string, string>();
  const paid = new Set(ledger.payments.map((p) => p.payment.visitId));
  for (const r of ledger.refunds) paid.add(r.refund.visitId);
  // A visit is a member's when its payment says so (stations since the prepayments), or its lines
  // name one (a payment needs something due: lines came first) — the lines only when the hub still
  // reads them (a visit older than the ledger's window has none here).
  const memberOfVisit = new Map<string, string>();
  for (const p of ledger.payments) if (p.payment.memberId !== undefined) memberOfVisit.set(p.payment.visitId, p.payment.memberId);
  for (const r of ledger.refunds) if (r.refund.memberId !== undefined) memberOfVisit.set(r.refund.visitId, r.refund.memberId);
  for (const c of ledger.consumption) {
    if (!paid.has(c.line.visitId)) continue;
    visitOfLine.set(c.line.consumptionId, c.line.visitId);
    if (c.line.memberId !== undefined) memberOfVisit.set(c.line.visitId, c.line.memberId);
  }
  const byVisit = new Map<string, HubPricedLine[]>();
  for (const l of lines) {
    const visitId = visitOfLine.get(l.consumptionId);
    if (visitId === undefined) continue;
    const list = byVisit.get(visitId);
    if (list) list.push(l);
    else byVisit.set(visitId, [l]);
  }
  const dayAt = (siteId: string, at: string) => localDate(at, ref.sites.get(siteId)?.timeZone ?? 'Europe/Brussels');
  const periodAt = (siteId: string, at: string) => periodOf(dayAt(siteId, at));
  const collected: DeskCollected[] = [];
  const prepaid: DeskPrepayment[] = [];
  const collect = (siteId: string, at: string, visitId: string, amountCents: number, method: 'cash' | 'card', paymentId: string, refundId?: string) => {
    const memberId = memberOfVisit.get(visitId);
    if (memberId !== undefined) {
      // The payer the hub bills the visit's lines to (it priced them with the month's reference).
      const payerId = byVisit.get(visitId)?.find((l) => l.payerId !== undefined)?.payerId ?? ref.members.get(memberId)?.payerId ?? GUEST_PAYER_ID;
      const localDate_ = dayAt(siteId, at);
      prepaid.push({ paymentId, ...(refundId ? { refundId } : {}), payerId, memberId, siteId, period: periodOf(localDate_), localDate: localDate_, method, amountCents });
      return;
    }
    const period = periodAt(siteId, at);
    for (const share of splitGross(amountCents, byVisit.get(visitId) ?? [])) collected.push({ siteId, period, ...share });
  };
  // A refund is of its payment's method when the hub holds the payment (the refund's own word otherwise).
  const methodOf = new Map(ledger.payments.map((p) => [p.payment.paymentId, p.payment.method]));
  const withdrawn = new Set<string>();
  for (const { siteId, refund } of ledger.refunds) {
    const method = methodOf.get(refund.paymentId) ?? refund.method;
    if (method === 'invoice') withdrawn.add(refund.paymentId);
    else collect(siteId, refund.at, refund.visitId, -refund.amountCents, method, refund.paymentId, refund.refundId);
  }
  const payerByVat = new Map<string, string>();
  const madePayers = new Map<string, Payer>();
  const invoices: DeskInvoice[] = [];
  // The first invoice names a made payer: by time, so the name does not depend on the read order.
  const ordered = [...ledger.payments].sort((a, b) => (a.payment.at < b.payment.at ? -1 : a.payment.at > b.payment.at ? 1 : a.payment.paymentId < b.payment.paymentId ? -1 : 1));
  for (const { siteId, payment } of ordered) {
    if (payment.method !== 'invoice') {
      collect(siteId, payment.at, payment.visitId, payment.amountCents, payment.method, payment.paymentId);
      continue;
    }
    if (withdrawn.has(payment.paymentId) || !payment.company) continue;
    if (payerByVat.size === 0) for (const p of ref.payers.values()) if (p.vatNumber) payerByVat.set(compactVatNumber(p.vatNumber), p.id);
    const vat = compactVatNumber(payment.company.vatNumber);
    let payerId = payerByVat.get(vat);
    if (payerId === undefined) {
      payerId = invoicedCompanyPayerId(vat);
      if (!madePayers.has(payerId) && !ref.payers.has(payerId)) {
        const region = ref.sites.get(siteId)?.region;
        madePayers.set(payerId, { id: payerId, kind: 'company', name: payment.company.name, vatNumber: vat, language: region ? REGION_LANGUAGE[region] : 'fr' });
      }
    }
    invoices.push({ paymentId: payment.paymentId, payerId, siteId, period: periodAt(siteId, payment.at), lines: byVisit.get(payment.visitId) ?? [] });
  }
  return { collected, invoices, prepaid, madePayers: [...madePayers.values()] };
}
