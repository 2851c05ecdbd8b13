// A closed month's statements as the documents the network issues: for each payer with a balance,
// an invoice of its lines; and, for each earlier month whose adjustments on the statement are
// negative overall, a credit note giving them back, naming the invoice it corrects. Together they
// add up to the statement to the cent. Drafts carry no number: the store numbers them in the
// transaction that keeps them (gap-free per year), then `numbered` completes each.
//
// What a payer's members paid at the desks (issue 16) is declared on the documents as paid already
// (BT-113): on the month's invoice up to its amount, a refund on the credit note that gives the
// same visit back; what no document of the month can take (a payment for last month's visit, a
// refund with nothing credited) is carried to the payer's next documents, never lost.
import type { InvoiceBuyer, InvoiceDocument, InvoiceLine, VatBreakdown } from '../../../common/accounts/invoices.js';
import type { Statement, StatementLine } from '../../../common/accounts/reports.js';
import type { NetworkProfile, Payer } from '../../../common/reference-data.js';
import { formatStructuredCommunication, structuredCommunicationDigits } from '../../../common/belgian-numbers.js';
import { documentNumber } from '../../store/document-issue.js';
import { exemptionOfLines } from './exemption.js';
import { invoiceLineOf } from './lines.js';
import { GUEST_PAYER_ID } from '../pricing.js';

export type DocumentDraft = Omit<InvoiceDocument, 'number' | 'structuredCommunication'>;

export interface DraftContext {
  issueDate: string;
  dueDate: string;
  network: NetworkProfile;
  payers: ReadonlyMap<string, Payer>;
  /** The invoice a payer was issued for an earlier month, if any: what a credit note corrects. */
  invoiceOf: (payerId: string, period: string) => { number: string; issueDate: string } | undefined;
  /** What each payer paid at the desks (less refunds) that no earlier document declared. */
  carriedPrepaid?: ReadonlyMap<string, number>;
}

/** A month's drafts, and what each payer paid at the desks that they leave for later documents. */
export interface MonthDocuments {
  drafts: DocumentDraft[];
  carriedPrepaid: Map<string, number>;
}

/**
 * The buyer as the payer's reference record says. Only a Peppol id the reference data gives sends a
 * document over Peppol: one made up from an enterprise number could name a company not registered
 * there (the invoice would never arrive), and the import asks an address only of a given id.
 */
export function buyerOf(payer: Payer): InvoiceBuyer {
  const peppolId = payer.peppolId;
  return {
    payerId: payer.id,
    name: payer.name,
    language: payer.language,
    ...(payer.billingAddress ? { address: payer.billingAddress } : {}),
    ...(payer.vatNumber ? { vatNumber: payer.vatNumber } : {}),
    ...(payer.enterpriseNumber ? { enterpriseNumber: payer.enterpriseNumber } : {}),
    ...(peppolId ? { peppolId } : {}),
  };
}

/** The payer a statement names, when the reference data has no record of it: a company invoiced at a desk. */
function payerOfStatement(s: Statement): Payer {
  return { id: s.payerId, kind: s.payerVatNumber ? 'company' : 'self', name: s.payerName, language: s.language, ...(s.payerVatNumber ? { vatNumber: s.payerVatNumber } : {}) };
}

/** One VAT breakdown per category and rate; the exempt one states its lines' grounds (exemption.ts). */
function breakdown(lines: readonly InvoiceLine[], buyer: InvoiceBuyer): VatBreakdown[] {
  const map = new Map<string, { b: VatBreakdown; lines: InvoiceLine[] }>();
  for (const l of lines) {
    const key = `${l.vatCategory}|${l.vatRateBp}`;
    const g = map.get(key) ?? { b: { vatRateBp: l.vatRateBp, vatCategory: l.vatCategory, taxableCents: 0, vatCents: 0 }, lines: [] };
    g.b.taxableCents += l.netCents;
    g.b.vatCents += l.vatCents ?? 0;
    g.lines.push(l);
    map.set(key, g);
  }
  const out = [...map.values()].map(({ b, lines: of }) => (b.vatCategory === 'E' ? { ...b, ...exemptionOfLines(of, buyer.language) } : b));
  return out.sort((a, b) => a.vatRateBp - b.vatRateBp || (a.vatCategory < b.vatCategory ? -1 : 1));
}

function draft(kind: InvoiceDocument['kind'], statement: Statement, lines: readonly StatementLine[], buyer: InvoiceBuyer, ctx: DraftContext, corrects?: { number: string; issueDate: string }): DocumentDraft | undefined {
  const sign = kind === 'credit_note' ? -1 : 1;
  const invoiceLines: InvoiceLine[] = [];
  for (const l of lines) {
    const line = invoiceLineOf(l, invoiceLines.length + 1, buyer.language, sign);
    if (line) invoiceLines.push(line);
  }
  if (invoiceLines.length === 0) return undefined;
  const vat = breakdown(invoiceLines, buyer);
  const netCents = invoiceLines.reduce((n, l) => n + l.netCents, 0);
  const vatCents = vat.reduce((n, v) => n + v.vatCents, 0);
  if (netCents === 0 && vatCents === 0) return undefined;
  return {
    kind,
    issueDate: ctx.issueDate,
    dueDate: ctx.dueDate,
    period: statement.period,
    currency: 'EUR',
    seller: ctx.network,
    buyer,
    lines: invoiceLines,
    vat,
    totals: { netCents, vatCents, grossCents: netCents + vatCents, payableCents: netCents + vatCents },
    ...(corrects ? { corrects } : {}),
    channel: buyer.peppolId ? 'peppol' : 'pdf',
  };
}

/** The month's drafts: invoices first, then credit notes, each in payer order. */
export function documentDrafts(statements: readonly Statement[], ctx: DraftContext): DocumentDraft[] {
  return monthDocuments(statements, ctx).drafts;
}

/** `d` with `prepaidCents` declared paid already (a refund at the desks, on a credit note). */
function withPrepaid(d: DocumentDraft, prepaidCents: number): DocumentDraft {
  if (prepaidCents === 0) return d;
  return { ...d, totals: { ...d.totals, prepaidCents, payableCents: d.totals.grossCents - prepaidCents } };
}

export function monthDocuments(statements: readonly Statement[], ctx: DraftContext): MonthDocuments {
  const invoices: DocumentDraft[] = [];
  const credits: DocumentDraft[] = [];
  const carried = new Map(ctx.carriedPrepaid ?? []);
  for (const s of [...statements].sort((a, b) => (a.payerId < b.payerId ? -1 : a.payerId > b.payerId ? 1 : 0))) {
    // The guest payer (members the network does not know) is a case to settle, not a buyer.
    if (s.payerId === GUEST_PAYER_ID) continue;
    // A payer the reference data lacks is one the accounts made for a company invoiced at a desk
    // (issue 16; it lives in the month's computation, not in the reference a later issue loads):
    // its statement names it, as the invoice must.
    const payer = ctx.payers.get(s.payerId) ?? payerOfStatement(s);
    const buyer = buyerOf(payer);
    // Paid at the desks and not declared yet: this month's, and what earlier months left.
    let open = (carried.get(s.payerId) ?? 0) + s.paidAtDeskCents;
    // What desks handed back this month (refunds, not a payment an adjustment took off): only that
    // is declared refunded on a credit note.
    let refunds = -s.paidAtDesk.filter((p) => p.refundId !== undefined).reduce((n, p) => n + Math.min(0, p.amountCents), 0);
    const byPeriod = new Map<string, StatementLine[]>();
    for (const l of s.lines) if (l.kind === 'adjustment' && l.adjustsPeriod) byPeriod.set(l.adjustsPeriod, [...(byPeriod.get(l.adjustsPeriod) ?? []), l]);
    const credited = new Set<string>();
    for (const [period, lines] of [...byPeriod].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (lines.reduce((n, l) => n + l.netCents, 0) >= 0) continue;
      let d = draft('credit_note', s, lines, buyer, ctx, ctx.invoiceOf(s.payerId, period));
      credited.add(period);
      if (!d) continue;
      // Money handed back at a desk for what this note gives back: refunded already, not owed again.
      if (open < 0 && refunds > 0 && d.totals.grossCents > 0) {
        const refunded = Math.min(-open, refunds, d.totals.grossCents);
        d = withPrepaid(d, refunded);
        open += refunded;
        refunds -= refunded;
      }
      credits.push(d);
    }
    const own = s.lines.filter((l) => !(l.kind === 'adjustment' && l.adjustsPeriod && credited.has(l.adjustsPeriod)));
    let d = draft('invoice', s, own, buyer, ctx);
    if (d) {
      // Paid at the desks lowers the invoice's amount due down to nothing, never below: the rest
      // waits for the next invoice. A refund nothing credited is owed again: it adds to it.
      const paid = open > 0 ? Math.min(open, Math.max(0, d.totals.grossCents)) : open;
      d = withPrepaid(d, paid);
      open -= paid;
      // Said on the invoice, so the payer knows the rest is not lost.
      if (open > 0) d = { ...d, totals: { ...d.totals, keptForNextCents: open } };
      invoices.push(d);
    }
    if (open === 0) carried.delete(s.payerId);
    else carried.set(s.payerId, open);
  }
  return { drafts: [...invoices, ...credits], carriedPrepaid: carried };
}

/** The structured communication of a document: its year and number, and their check digits. */
export const communicationOf = (year: number, seq: number): string => formatStructuredCommunication(structuredCommunicationDigits(year * 1_000_000 + seq));

export function numbered(d: DocumentDraft, year: number, seq: number): InvoiceDocument {
  return { ...d, number: documentNumber(year, seq), structuredCommunication: communicationOf(year, seq) };
}
