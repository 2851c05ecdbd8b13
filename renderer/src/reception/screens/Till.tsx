// The till (issue 16): opened by the clerk with a float; what it should hold now; closed by the
// clerk who opened it with the cash counted, the difference shown as they type and a reason asked
// when it is not zero; then the shift report, printed (or why not) and printable again. What the
// station refuses (another clerk's till, a till already open) is said in its words.
import { useEffect, useState, type FormEvent } from 'react';
import type { TillReport, TillState } from '../../../../common/station-api.js';
import { typedCents } from '../../../../common/typed-amount.js';
import { useT, type Words } from '../i18n.js';
import { errorFor, timeZoneOf, useLoad, useSession } from '../session.js';
import { FieldError, Loading, invalidProps, type ShownError } from '../components.js';
import { usePrinterName } from '../printer-names.js';

/** A difference as the clerk reads it: what is missing, what is over, or none. */
export function differenceText(t: Words, cents: number): string {
  if (cents === 0) return t('tillDifferenceNone');
  return cents < 0 ? t('tillDifferenceShort', { amount: t.money(-cents) }) : t('tillDifferenceOver', { amount: t.money(cents) });
}

function Figures({ till, t }: { till: TillState | TillReport; t: Words }) {
  return (
    <>
      <dt>{t('tillFloatRow')}</dt>
      <dd>{t.money(till.floatCents)}</dd>
      <dt>{t('tillCashReceived')}</dt>
      <dd>{t.money(till.cashReceivedCents)}</dd>
      <dt>{t('tillCashRefunds')}</dt>
      <dd>{t.money(till.cashRefundsCents)}</dd>
      <dt>{t('tillCardReceived')}</dt>
      <dd>
        {t.money(till.cardReceivedCents)}
        {till.cardRefundsCents > 0 && <span className="muted"> · {t('tillCardRefunds')} {t.money(till.cardRefundsCents)}</span>}
      </dd>
      {till.invoicedCents > 0 && (
        <>
          <dt>{t('tillInvoiced')}</dt>
          <dd>{t.money(till.invoicedCents)}</dd>
        </>
      )}
      <dt className="till-expected">{t('tillExpected')}</dt>
      <dd className="till-expected" data-testid="till-expected">
        <strong>{t.money(till.expectedCents)}</strong> <span className="muted">{t('tillCounts', { payments: till.payments, refunds: till.refunds })}</span>
      </dd>
    </>
  );
}

function OpenTill({ onOpened }: { onOpened(): void }) {
  const t = useT();
  const s = useSession();
  const [float, setFloat] = useState('');
  const [error, setError] = useState<ShownError>();
  // Shown once the station said no till is open: the clerk types the float straight away.
  useEffect(() => document.getElementById('till-float')?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const floatCents = typedCents(float);
    if (floatCents === undefined) return setError({ code: 'INVALID_INPUT', message: 'floatCents', field: 'floatCents', worded: t('payAmountInvalid') });
    const r = await s.api.openTill({ floatCents });
    if (!r.ok) return setError(r.error);
    setError(undefined);
    setFloat('');
    s.notify({ kind: 'ok', text: t('tillOpened', { amount: t.money(r.value.floatCents) }) });
    onOpened();
  };
  const floatError = errorFor(error, 'floatCents');
  return (
    <form className="card till-card" onSubmit={(e) => void submit(e)} noValidate data-testid="till-open-form">
      <p className="card warning">{t('tillNotOpen')}</p>
      <div className="field narrow-field">
        <label htmlFor="till-float">{t('tillFloat')}</label>
        <input id="till-float" inputMode="decimal" autoComplete="off" data-autofocus value={float} onChange={(e) => setFloat(e.target.value)} aria-describedby="till-float-help" {...invalidProps('till-float-error', floatError)} />
        <p className="hint" id="till-float-help">
          {t('tillFloatHelp')}
        </p>
        <FieldError id="till-float-error" error={floatError} />
      </div>
      <FieldError id="till-open-error" error={error && !floatError ? error : undefined} />
      <button type="submit" className="button-primary">
        {t('tillOpenNow')}
      </button>
    </form>
  );
}

function CloseTill({ till, onClosed }: { till: TillState; onClosed(report: TillReport): void }) {
  const t = useT();
  const s = useSession();
  const [counted, setCounted] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ShownError>();
  const countedCents = typedCents(counted);
  const difference = countedCents === undefined ? undefined : countedCents - till.expectedCents;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (countedCents === undefined) return setError({ code: 'INVALID_INPUT', message: 'countedCents', field: 'countedCents', worded: t('payAmountInvalid') });
    if (difference !== 0 && reason.trim().length < 3) {
      setError({ code: 'INVALID_INPUT', message: 'reason', field: 'reason', worded: t('tillReasonRequired') });
      document.getElementById('till-reason')?.focus();
      return;
    }
    const r = await s.api.closeTill({ countedCents, language: t.language, ...(difference !== 0 || reason.trim() ? { reason } : {}) });
    if (!r.ok) return setError(r.error);
    setError(undefined);
    s.notify({ kind: 'ok', text: t('tillClosedNotice', { difference: t.money(r.value.differenceCents) }) });
    onClosed(r.value);
  };
  const edit = (set: (v: string) => void, value: string) => {
    set(value);
    setError(undefined);
  };
  const countedError = errorFor(error, 'countedCents');
  const reasonError = errorFor(error, 'reason');
  return (
    <form className="card till-card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="till-close-title" data-testid="till-close-form">
      <h2 id="till-close-title">{t('tillCloseTitle')}</h2>
      <div className="till-count">
        <div className="field">
          <label htmlFor="till-counted">{t('tillCounted')}</label>
          <input id="till-counted" inputMode="decimal" autoComplete="off" value={counted} onChange={(e) => edit(setCounted, e.target.value)} {...invalidProps('till-counted-error', countedError)} />
          <FieldError id="till-counted-error" error={countedError} />
        </div>
        <dl className="facts till-difference" aria-live="polite">
          <dt>{t('tillExpected')}</dt>
          <dd>{t.money(till.expectedCents)}</dd>
          <dt>{t('tillDifference')}</dt>
          <dd data-testid="till-difference" className={difference === undefined ? undefined : difference === 0 ? 'is-even' : 'is-off'}>
            {difference === undefined ? '—' : differenceText(t, difference)}
          </dd>
        </dl>
      </div>
      {/* Also when the station finds a difference the screen did not (cash taken meanwhile at another window). */}
      {((difference !== undefined && difference !== 0) || reasonError) && (
        <div className="field">
          <label htmlFor="till-reason">{t('tillReason')}</label>
          <input id="till-reason" autoComplete="off" value={reason} onChange={(e) => edit(setReason, e.target.value)} {...invalidProps('till-reason-error', reasonError)} />
          <FieldError id="till-reason-error" error={reasonError} />
        </div>
      )}
      <FieldError id="till-close-error" error={error && !countedError && !reasonError ? error : undefined} />
      <button type="submit" className="button-primary">
        {t('tillCloseConfirm')}
      </button>
    </form>
  );
}

function Report({ report, onDone }: { report: TillReport; onDone(): void }) {
  const t = useT();
  const s = useSession();
  const printerName = usePrinterName();
  const [error, setError] = useState<ShownError>();
  const reprint = async () => {
    const r = await s.api.reprintTillReport({ tillId: report.tillId, language: t.language });
    if (!r.ok) return setError(r.error);
    setError(undefined);
    s.notify({ kind: 'ok', text: t('tillReprinted', { printer: printerName(r.value.printerId) }) });
  };
  return (
    <section className="card success till-card" aria-labelledby="till-report-title" data-testid="till-report">
      <h2 id="till-report-title">{t('tillReportTitle')}</h2>
      <p className="muted">{t('tillClosedAt', { time: t.dateTime(report.closedAt, timeZoneOf(s)) })}</p>
      <dl className="facts">
        <Figures till={report} t={t} />
        <dt>{t('tillCountedRow')}</dt>
        <dd>{t.money(report.countedCents)}</dd>
        <dt>{t('tillDifference')}</dt>
        <dd data-testid="till-report-difference">
          <strong>{differenceText(t, report.differenceCents)}</strong>
          {report.reason && <span className="block">{report.reason}</span>}
        </dd>
      </dl>
      <p data-testid="till-report-print">{report.report ? t('tillReportPrinting', { printer: printerName(report.report.printerId) }) : t('tillReportNoPrinter')}</p>
      <FieldError id="till-reprint-error" error={error} />
      <div className="actions">
        <button type="button" onClick={() => void reprint()}>
          {t('tillReprint')}
        </button>
        <button type="button" className="button-quiet" onClick={onDone}>
          {t('paidDone')}
        </button>
      </div>
    </section>
  );
}

export function TillScreen() {
  const t = useT();
  const s = useSession();
  const [tick, setTick] = useState(0);
  const till = useLoad(() => s.api.till({}), [s.api, s.visitsVersion, tick]);
  const [closed, setClosed] = useState<TillReport>();
  const open = till.data?.open;
  const changed = () => {
    setTick((n) => n + 1);
    s.visitsChanged();
  };
  return (
    <section aria-labelledby="till-title" className="till-screen">
      <h1 id="till-title" tabIndex={-1} data-autofocus={open || closed ? true : undefined}>
        {t('tillTitle')}
      </h1>
      <FieldError id="till-load-error" error={till.error} />
      {closed && <Report report={closed} onDone={() => setClosed(undefined)} />}
      {!till.data ? (
        <Loading text={t('loading')} />
      ) : open ? (
        <>
          <p className="muted">{t('tillOpenSince', { time: t.time(open.openedAt, timeZoneOf(s)), name: open.staffName })}</p>
          <dl className="facts wide" data-testid="till-state">
            <Figures till={open} t={t} />
          </dl>
          {open.staffId !== s.shift.staffId && s.shift.role !== 'supervisor' && <p className="hint">{t('tillOfOther', { name: open.staffName })}</p>}
          <CloseTill
            key={open.tillId}
            till={open}
            onClosed={(report) => {
              setClosed(report);
              changed();
            }}
          />
        </>
      ) : (
        !closed && <OpenTill onOpened={changed} />
      )}
    </section>
  );
}

/** Said at the top of every screen while no till is open: cash is refused until one is. */
export function TillBanner({ onOpen }: { onOpen(): void }) {
  const t = useT();
  const s = useSession();
  const till = useLoad(() => s.api.till({}), [s.api, s.visitsVersion]);
  if (!till.data || till.data.open) return null;
  return (
    <div className="till-banner" role="status" data-testid="till-banner">
      <span>{t('tillNotOpen')}</span>
      <button type="button" className="button-primary" onClick={onOpen}>
        {t('tillOpenNow')}
      </button>
    </div>
  );
}

