// Taking a payment at the desk (issue 16): cash (what the guest hands over; the change is worked
// out as the clerk types), card (the terminal is outside Escale: the clerk confirms it approved),
// or an invoice to the guest's company (its name and VAT number). The station decides; its
// refusals are shown beside the field they are about, in the clerk's language.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { PaymentRecord } from '../../../../common/station-api.js';
import type { PaymentMethod } from '../../../../common/payments.js';
import { useT, type ReceptionKey } from '../i18n.js';
import { errorFor, useSession } from '../session.js';
import { FieldError, invalidProps, type ShownError } from '../components.js';
import { centsForInput, typedCents } from '../../../../common/typed-amount.js';

export const METHOD_WORDS: Record<PaymentMethod, ReceptionKey> = { cash: 'payMethodCash', card: 'payMethodCard', invoice: 'payMethodInvoice' };
const METHOD_LABELS: Record<PaymentMethod, ReceptionKey> = { cash: 'payCash', card: 'payCard', invoice: 'payInvoice' };

export function PaymentForm({ visitId, outstandingCents, autoFocus, onPaid }: { visitId: string; outstandingCents: number; autoFocus: boolean; onPaid(paid: PaymentRecord): void }) {
  const t = useT();
  const s = useSession();
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [amount, setAmount] = useState(() => centsForInput(outstandingCents, t.language));
  const [tendered, setTendered] = useState('');
  const [approved, setApproved] = useState(false);
  const [reference, setReference] = useState('');
  const [companyName, setCompanyName] = useState('');
  const [vatNumber, setVatNumber] = useState('');
  const [error, setError] = useState<ShownError>();
  const [busy, setBusy] = useState(false);
  const tenderedRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  /** A field changed: what the station said of the last try no longer stands. */
  const edit = <T,>(set: (v: T) => void, value: T) => {
    set(value);
    setError(undefined);
  };

  // What is due changed (a line added, another payment): the amount follows it.
  useEffect(() => setAmount(centsForInput(outstandingCents, t.language)), [outstandingCents, t.language]);
  useEffect(() => {
    if (!autoFocus) return;
    tenderedRef.current?.focus();
    // The whole form in view, down to its button, on the panel's short screens.
    formRef.current?.scrollIntoView({ block: 'nearest' });
  }, [autoFocus]);

  // A refusal: the clerk is taken to the first field at fault (and it is scrolled into view).
  useEffect(() => {
    if (error) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);

  const amountCents = typedCents(amount);
  const tenderedCents = typedCents(tendered);
  const change = method === 'cash' && amountCents !== undefined && tenderedCents !== undefined ? tenderedCents - amountCents : undefined;

  const local = (field: string, key: ReceptionKey): ShownError => ({ code: 'INVALID_INPUT', message: field, field, worded: t(key) });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (method !== 'invoice' && (amountCents === undefined || amountCents === 0)) return setError(local('amountCents', 'payAmountInvalid'));
    if (method === 'cash' && tenderedCents === undefined) return setError(local('tenderedCents', 'payAmountInvalid'));
    if (method === 'card' && !approved) return setError(local('approved', 'payCardNotApproved'));
    setBusy(true);
    const r = await s.api.recordPayment({
      visitId,
      method,
      // An invoice is for the whole visit: the station takes what is due.
      ...(method === 'invoice' ? {} : { amountCents }),
      ...(method === 'cash' ? { tenderedCents } : {}),
      ...(method === 'card' ? { approved: true as const, ...(reference.trim() ? { reference: reference.trim() } : {}) } : {}),
      ...(method === 'invoice' ? { company: { name: companyName, vatNumber } } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(undefined);
    setTendered('');
    setApproved(false);
    setReference('');
    onPaid(r.value);
  };

  const amountError = errorFor(error, 'amountCents');
  const tenderedError = errorFor(error, 'tenderedCents');
  const approvedError = errorFor(error, 'approved');
  const referenceError = errorFor(error, 'reference');
  const nameError = errorFor(error, 'name');
  const vatNumberError = errorFor(error, 'vatNumber');
  const formError = error && !amountError && !tenderedError && !approvedError && !referenceError && !nameError && !vatNumberError ? error : undefined;

  return (
    <form className="payment-form" ref={formRef} onSubmit={(e) => void submit(e)} noValidate aria-labelledby="payment-title" data-testid="payment-form">
      <h3 id="payment-title">{t('payTitle')}</h3>
      <fieldset className="payment-methods">
        <legend>{t('payMethod')}</legend>
        {(['cash', 'card', 'invoice'] as const).map((m) => (
          <label key={m} className={`payment-method${method === m ? ' is-chosen' : ''}`}>
            <input
              type="radio"
              name="payment-method"
              value={m}
              checked={method === m}
              onChange={() => {
                setMethod(m);
                setError(undefined);
              }}
            />
            {t(METHOD_LABELS[m])}
          </label>
        ))}
      </fieldset>
      <div className="payment-fields">
        <div className="field">
          <label htmlFor="payment-amount">{t('payAmount')}</label>
          <input id="payment-amount" inputMode="decimal" autoComplete="off" value={method === 'invoice' ? centsForInput(outstandingCents, t.language) : amount} readOnly={method === 'invoice'} onChange={(e) => edit(setAmount, e.target.value)} {...invalidProps('payment-amount-error', amountError)} />
          <FieldError id="payment-amount-error" error={amountError} />
        </div>
        {method === 'cash' && (
          <div className="field">
            <label htmlFor="payment-tendered">{t('payTendered')}</label>
            <div className="input-with-button">
              <input
                id="payment-tendered"
                ref={tenderedRef}
                inputMode="decimal"
                autoComplete="off"
                value={tendered}
                onChange={(e) => edit(setTendered, e.target.value)}
                {...invalidProps('payment-tendered-error', tenderedError)}
              />
              <button type="button" className="button-quiet" onClick={() => edit(setTendered, amount)}>
                {t('payExact')}
              </button>
            </div>
            <FieldError id="payment-tendered-error" error={tenderedError} />
          </div>
        )}
        {method === 'card' && (
          <>
            <div className="field checkbox span-2">
              <input id="payment-approved" type="checkbox" checked={approved} onChange={(e) => edit(setApproved, e.target.checked)} {...invalidProps('payment-approved-error', approvedError)} />
              <label htmlFor="payment-approved">{t('payCardApproved')}</label>
            </div>
            <FieldError id="payment-approved-error" error={approvedError} />
            <div className="field">
              <label htmlFor="payment-reference">{t('payCardReference')}</label>
              <input id="payment-reference" autoComplete="off" maxLength={40} value={reference} onChange={(e) => edit(setReference, e.target.value)} {...invalidProps('payment-reference-error', referenceError)} />
              <FieldError id="payment-reference-error" error={referenceError} />
            </div>
          </>
        )}
        {method === 'invoice' && (
          <>
            <div className="field span-2">
              <label htmlFor="payment-company">{t('payCompanyName')}</label>
              <input id="payment-company" autoComplete="organization" value={companyName} onChange={(e) => edit(setCompanyName, e.target.value)} {...invalidProps('payment-company-error', nameError)} />
              <FieldError id="payment-company-error" error={nameError} />
            </div>
            <div className="field span-2">
              <label htmlFor="payment-vat">{t('payVatNumber')}</label>
              <input id="payment-vat" autoComplete="off" value={vatNumber} onChange={(e) => edit(setVatNumber, e.target.value)}
                {...(vatNumberError ? { 'aria-invalid': true, 'aria-describedby': 'payment-vat-error payment-vat-help' } : { 'aria-describedby': 'payment-vat-help' })}
              />
              <p className="hint" id="payment-vat-help">
                {t('payVatHelp')}
              </p>
              <FieldError id="payment-vat-error" error={vatNumberError} />
            </div>
          </>
        )}
      </div>
      {change !== undefined && (
        <p className={`change-live${change < 0 ? ' is-short' : ''}`} aria-live="polite" data-testid="change-live">
          {change < 0 ? t('payShortLive', { amount: t.money(-change) }) : t('payChangeLive', { amount: t.money(change) })}
        </p>
      )}
      <FieldError id="payment-error" error={formError} />
      {formError?.say?.key === 'tillNotOpen' && (
        <button type="button" onClick={s.openTill}>
          {t('tillOpenNow')}
        </button>
      )}
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy}>
          {t('payConfirm')}
        </button>
      </div>
    </form>
  );
}
