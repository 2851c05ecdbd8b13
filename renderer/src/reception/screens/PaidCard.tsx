// What a payment just recorded says to the clerk: what was paid and how, the change to count out in
// large figures, and whether the receipt is printing (and its number) or there is no receipt printer.
import { useEffect, useRef } from 'react';
import type { PaymentRecord } from '../../../../common/station-api.js';
import { useT } from '../i18n.js';
import { usePrinterName } from '../printer-names.js';
import { METHOD_WORDS } from './PaymentForm.js';

export function PaidCard({ paid, onDone }: { paid: PaymentRecord; onDone(): void }) {
  const t = useT();
  const printerName = usePrinterName();
  const doneRef = useRef<HTMLButtonElement>(null);
  // The clerk counts the change out, then Enter: the visit panel is theirs again.
  useEffect(() => doneRef.current?.focus(), []);
  return (
    <section className="card success paid-card" aria-labelledby="paid-title" data-testid="paid-card">
      <h3 id="paid-title">{t('paidTitle', { amount: t.money(paid.amountCents), method: t(METHOD_WORDS[paid.method]) })}</h3>
      {paid.method === 'cash' && paid.tenderedCents !== undefined && (
        <>
          <p className="muted">{t('paidTendered', { amount: t.money(paid.tenderedCents) })}</p>
          {paid.changeCents ? (
            <p className="change-figure" data-testid="change-to-give">
              <span className="change-label">{t('paidChange')}</span>
              <strong>{t.money(paid.changeCents)}</strong>
            </p>
          ) : (
            <p>{t('paidNoChange')}</p>
          )}
        </>
      )}
      {paid.method === 'invoice' && paid.company && <p>{t('paidInvoiced', { company: paid.company.name, vat: paid.company.vatNumber })}</p>}
      <p data-testid="paid-receipt">
        {paid.receipt
          ? t('paidReceiptPrinting', { number: paid.receiptNumber ?? '', printer: printerName(paid.receipt.printerId) })
          : paid.receiptNumber
            ? `${t('paidReceiptNumber', { number: paid.receiptNumber })} ${t('paidNoReceiptPrinter')}`
            : t('paidNoReceiptPrinter')}
      </p>
      {paid.outstandingCents > 0 && <p className="success-text">{t('payLeft', { amount: t.money(paid.outstandingCents) })}</p>}
      <div className="actions">
        <button type="button" className="button-primary" ref={doneRef} onClick={onDone}>
          {t('paidDone')}
        </button>
      </div>
    </section>
  );
}
