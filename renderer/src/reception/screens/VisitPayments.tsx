// A visit's payments and refunds on its panel (issue 16), and a refund from there: an amount (all
// that is left on that payment by default) and a reason, recorded by the station as a
// compensating entry — a payment is never changed.
import { useState, type FormEvent } from 'react';
import type { VisitPaymentEntry } from '../../../../common/station-api.js';
import { useT, type Words } from '../i18n.js';
import { errorFor, timeZoneOf, useSession } from '../session.js';
import { FieldError, invalidProps, type ShownError } from '../components.js';
import { centsForInput, typedCents } from '../../../../common/typed-amount.js';
import { METHOD_WORDS } from './PaymentForm.js';

function detail(t: Words, e: VisitPaymentEntry): string {
  if (e.kind === 'refund') return t('refundDetail', { reason: e.reason ?? '' });
  if (e.method === 'cash' && e.tenderedCents !== undefined) return t('paymentCashDetail', { tendered: t.money(e.tenderedCents), change: t.money(e.changeCents ?? 0) });
  if (e.method === 'card' && e.cardReference) return t('paymentCardDetail', { reference: e.cardReference });
  if (e.method === 'invoice' && e.company) return `${e.company.name} · ${e.company.vatNumber}`;
  return '';
}

/** A visit's money as its panel sums it up. */
export interface VisitMoney {
  totalCents: number;
  /** Paid at the desk and invoiced to a company, less refunds. */
  settledCents: number;
  dueCents: number;
  entries: VisitPaymentEntry[];
}

/** What may still be refunded on each payment: its amount less its refunds. */
function refundable(entries: readonly VisitPaymentEntry[]): Map<string, number> {
  const left = new Map<string, number>();
  for (const e of entries) left.set(e.paymentId, (left.get(e.paymentId) ?? 0) + (e.kind === 'payment' ? e.amountCents : -e.amountCents));
  return left;
}

export function VisitPayments({ payments, personName, onChanged }: { payments: VisitMoney; personName: string; onChanged(): void }) {
  const t = useT();
  const s = useSession();
  const timeZone = timeZoneOf(s);
  const [refunding, setRefunding] = useState<VisitPaymentEntry>();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ShownError>();
  // One refund per press: a second Enter while the first is on its way would give the money back twice.
  const [busy, setBusy] = useState(false);
  const left = refundable(payments.entries);

  const startRefund = (e: VisitPaymentEntry) => {
    setRefunding(e);
    setAmount(centsForInput(left.get(e.id) ?? e.amountCents, t.language));
    setReason('');
    setError(undefined);
    requestAnimationFrame(() => document.getElementById('refund-amount')?.focus());
  };
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    if (!refunding || busy) return;
    // An invoice is withdrawn whole: the station takes what is left on it.
    const cents = refunding.method === 'invoice' ? undefined : typedCents(amount);
    if (refunding.method !== 'invoice' && (cents === undefined || cents === 0)) return setError({ code: 'INVALID_INPUT', message: 'amountCents', field: 'amountCents', worded: t('payAmountInvalid') });
    setBusy(true);
    const r = await s.api.refundPayment({ paymentId: refunding.id, ...(cents !== undefined ? { amountCents: cents } : {}), reason });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(undefined);
    setRefunding(undefined);
    s.notify({ kind: 'ok', text: t('refunded', { amount: t.money(r.value.amountCents), method: t(METHOD_WORDS[r.value.method]), name: personName }) });
    onChanged();
  };

  const amountError = errorFor(error, 'amountCents');
  const reasonError = errorFor(error, 'reason');
  const otherError = error && !amountError && !reasonError ? error : undefined;

  return (
    <section className="visit-payments" aria-labelledby="payments-title">
      <h3 id="payments-title">{t('paymentsTitle')}</h3>
      <p data-testid="payments-summary">
        {t('paySummary', { total: t.money(payments.totalCents), paid: t.money(payments.settledCents) })} ·{' '}
        <strong>{payments.dueCents > 0 ? t('payLeft', { amount: t.money(payments.dueCents) }) : t('payPaidInFull')}</strong>
      </p>
      {payments.entries.length === 0 ? (
        <p className="muted">{t('noPayments')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table compact" data-testid="payments-table">
            <caption className="visually-hidden">{t('paymentsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colMethod')}</th>
                <th scope="col" className="num">
                  {t('colAmount')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('colActions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {payments.entries.map((e) => (
                <tr key={e.id} className={e.kind === 'refund' ? 'is-correction' : undefined} data-kind={e.kind}>
                  <th scope="row">
                    {t(e.kind === 'refund' ? 'refundRow' : ({ cash: 'payCash', card: 'payCard', invoice: 'payInvoice' } as const)[e.method])}
                    <span className="muted block">
                      {t.time(e.at, timeZone)}
                      {detail(t, e) && ` · ${detail(t, e)}`}
                    </span>
                  </th>
                  <td className="num">{t.money(e.kind === 'refund' ? -e.amountCents : e.amountCents)}</td>
                  <td>
                    {e.kind === 'payment' && (left.get(e.id) ?? 0) > 0 && (
                      <button type="button" className="button-quiet" aria-label={t('refundOf', { amount: t.money(e.amountCents), method: t(METHOD_WORDS[e.method]) })} onClick={() => startRefund(e)}>
                        {t('refund')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {refunding && (
        <form className="inline-form" onSubmit={(ev) => void submit(ev)} noValidate data-testid="refund-form">
          <div className="field narrow">
            <label htmlFor="refund-amount">{t('refundAmount')}</label>
            <input id="refund-amount" inputMode="decimal" autoComplete="off" value={amount} readOnly={refunding.method === 'invoice'} onChange={(ev) => setAmount(ev.target.value)} {...invalidProps('refund-amount-error', amountError)} />
          </div>
          <div className="field">
            <label htmlFor="refund-reason">{t('refundReason')}</label>
            <input id="refund-reason" autoComplete="off" value={reason} onChange={(ev) => setReason(ev.target.value)} {...invalidProps('refund-reason-error', reasonError)} />
          </div>
          <FieldError id="refund-amount-error" error={amountError} />
          <FieldError id="refund-reason-error" error={reasonError} />
          <FieldError id="refund-error" error={otherError} />
          {otherError?.say?.key === 'tillNotOpen' && (
            <button type="button" onClick={s.openTill}>
              {t('tillOpenNow')}
            </button>
          )}
          {refunding.method === 'cash' && <p className="hint span-all">{t('refundCashHint')}</p>}
          <div className="actions">
            <button type="submit" className="button-danger" disabled={busy}>
              {t('refundConfirm')}
            </button>
            <button type="button" className="button-quiet" onClick={() => setRefunding(undefined)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

