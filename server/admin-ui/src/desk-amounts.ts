// What the desks took, as the invoices section says it (issue 17): the money members paid or were
// refunded at the centres' desks, on a document and waiting for a payer's next one, in the words of
// the operator's language.
import type { CarriedPrepaidListing, InvoiceListing } from '../../../common/admin-api.js';
import type { Words } from './i18n.js';

type Listed = InvoiceListing[number];

/**
 * Paid at the desks, for a document: on an invoice what members paid (negative, a refund owed
 * again); on a credit note what a desk already refunded. A dash when the desks took nothing.
 */
export function paidAtDesks(w: Words, d: Listed): string {
  const prepaid = d.totals.prepaidCents;
  if (prepaid === undefined || prepaid === 0) return '—';
  if (d.kind === 'credit_note') return w.t('refundedAtDesksAmount', { amount: w.money(prepaid) });
  return prepaid < 0 ? w.t('owedAgainAmount', { amount: w.money(-prepaid) }) : w.money(prepaid);
}

/** What is left: to pay on an invoice, to credit on a credit note. */
export const dueOf = (w: Words, d: Listed): string =>
  d.kind === 'credit_note' ? w.t('toCreditAmount', { amount: w.money(d.totals.payableCents) }) : w.money(d.totals.payableCents);

/** A payer's balance waiting for their next invoice: paid, or (negative) refunded and owed again. */
export const carriedAmount = (w: Words, b: CarriedPrepaidListing[number]): string =>
  b.cents > 0 ? w.money(b.cents) : w.t('owedAgainAmount', { amount: w.money(-b.cents) });
