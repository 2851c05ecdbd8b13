// One visit, beside the current screen: who, when, what was consumed; add a consumption (Alt+A),
// void a line or the whole visit with a reason, check out (Alt+X), print the receipt (Alt+R) or a
// visitor badge (Alt+B), reprint a job, take a payment (Alt+M) and refund one. Escape closes it.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { StationError } from '../../../../common/result.js';
import type { ConsumptionLine, Entitlement, PaymentRecord, ServiceOffer } from '../../../../common/station-api.js';
import { useT, type Words } from '../i18n.js';
import { errorFor, fullName, timeZoneOf, useLoad, useSession } from '../session.js';
import { shortcutLetter } from '../keys.js';
import { Chip, FieldError, Kbd, Loading, invalidProps } from '../components.js';
import { PrintJobs } from './PrintJobs.js';
import { printerTrouble } from '../health.js';
import { UndoCheckOut } from './UndoCheckOut.js';
import { usePrinterName } from '../printer-names.js';
import { shortMemberNumber } from '../../../../common/member-number.js';
import { localDate } from '../../../../common/time.js';
import { PaymentForm, METHOD_WORDS } from './PaymentForm.js';
import { PaidCard } from './PaidCard.js';
import { VisitPayments, type VisitMoney } from './VisitPayments.js';

function quantityText(t: Words, line: Pick<ConsumptionLine, 'quantity' | 'billedQuantity' | 'unit'>): string {
  return line.unit === 'hour' ? t.duration(line.billedQuantity) : t.number(line.quantity);
}

/** A service as the picker lists it: its price VAT included, per hour and per started block for time. */
function offerText(t: Words, o: ServiceOffer): string {
  const price = t.money(o.unitGrossCents);
  if (o.unit !== 'hour') return t('serviceOption', { name: o.name, price: t('priceIncl', { price }) });
  const perHour = o.billingIncrementMinutes ? t('pricePerHourIncrement', { price, step: o.billingIncrementMinutes }) : t('pricePerHour', { price });
  return t('serviceOption', { name: o.name, price: perHour });
}

/** What pays for the member's desk, as this station last knew it (the hub's figures are authoritative). */
function planText(t: Words, e: Entitlement): string {
  if (e.kind === 'pass') return t('planPass', { plan: e.planName });
  if (e.kind === 'quota') return t('planQuota', { quota: e.quotaName, time: t.duration(e.minutesLeft) });
  return t('planPayg');
}

function coverageNote(t: Words, line: ConsumptionLine): string {
  if (line.coverage.kind === 'pass') return ` · ${t('lineCoveredPass')}`;
  if (line.coverage.kind === 'quota' && line.coverage.coveredMinutes > 0) return ` · ${t('lineCoveredQuota', { time: t.duration(line.coverage.coveredMinutes) })}`;
  return '';
}

export function VisitPanel({ visitId, onClose }: { visitId: string; onClose(): void }) {
  const t = useT();
  const s = useSession();
  const timeZone = timeZoneOf(s);
  const printerName = usePrinterName();
  const [tick, setTick] = useState(0);
  const visit = useLoad(() => s.api.visitDetail({ visitId }), [s.api, visitId, s.visitsVersion, tick]);
  const services = useLoad(() => s.api.services({ language: t.language }), [s.api, t.language]);
  // A payment just taken, shown until the clerk is done with it (the change counted out).
  const [paid, setPaid] = useState<PaymentRecord>();
  // The payment form: open by itself on a guest's check-out until a first payment; else on demand (Alt+M).
  const [paying, setPaying] = useState(false);
  const [payFocus, setPayFocus] = useState(false);
  const [jobsTick, setJobsTick] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [actionError, setActionError] = useState<StationError>();
  const changed = () => {
    setTick((n) => n + 1);
    s.visitsChanged();
  };

  // Consumption form
  const [serviceCode, setServiceCode] = useState('');
  const [quantity, setQuantity] = useState('1');
  // Time is entered as hours and minutes: an hour by default.
  const [hours, setHours] = useState('1');
  const [minutes, setMinutes] = useState('0');
  const [addError, setAddError] = useState<StationError>();
  // Voiding a line, or the visit
  const [voidingLine, setVoidingLine] = useState<string>();
  const [lineReason, setLineReason] = useState('');
  const [lineError, setLineError] = useState<StationError>();
  const [voidingVisit, setVoidingVisit] = useState(false);
  const [visitReason, setVisitReason] = useState('');
  const [visitVoidError, setVisitVoidError] = useState<StationError>();

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const offers = services.data ?? [];
  const service: ServiceOffer | undefined = offers.find((o) => o.code === serviceCode);
  /** In the clerk's language (lines come in the visitor's). */
  const serviceName = (line: Pick<ConsumptionLine, 'serviceCode' | 'serviceName'>) => offers.find((o) => o.code === line.serviceCode)?.name ?? line.serviceName;

  const checkOut = async () => {
    const r = await s.api.checkOut({ visitId });
    if (!r.ok) return setActionError(r.error);
    setActionError(undefined);
    s.notify({ kind: 'ok', text: t('checkedOut', { name: fullName(t, r.value.person), total: t.money(r.value.totals.grossCents) }) });
    setPayFocus(r.value.person.kind === 'guest' && r.value.totals.grossCents > 0);
    changed();
  };
  const takePayment = () => {
    setPaid(undefined);
    setPaying(true);
    setPayFocus(true);
    requestAnimationFrame(() => document.getElementById('payment-tendered')?.focus() ?? document.getElementById('payment-amount')?.focus());
  };
  const onPaid = (record: PaymentRecord) => {
    setPaid(record);
    setPaying(false);
    setPayFocus(false);
    s.notify({ kind: 'ok', text: t('paidNotice', { name: visit.data ? fullName(t, visit.data.person) : '', amount: t.money(record.amountCents), method: t(METHOD_WORDS[record.method]) }) });
    changed();
  };
  const devices = useLoad(() => s.api.devices({}), [s.api, s.statusVersion]);
  // Printing to a printer that is down only queues the document: the clerk is told first, and may still queue it.
  const [printWarning, setPrintWarning] = useState<{ kind: 'receipt' | 'badge'; text: string }>();
  const print = async (kind: 'receipt' | 'badge', confirmed = false) => {
    const trouble = confirmed ? undefined : printerTrouble(devices.data, kind);
    if (trouble) {
      const document = t(kind === 'receipt' ? 'documentReceipt' : 'documentBadge');
      setPrintWarning({
        kind,
        text: trouble.fallback
          ? t('printerDownWarningFallback', { printer: trouble.printer.name, fallback: trouble.fallback.name, document })
          : t('printerDownWarning', { printer: trouble.printer.name, document }),
      });
      return;
    }
    setPrintWarning(undefined);
    const r = kind === 'receipt' ? await s.api.printReceipt({ visitId }) : await s.api.printBadge({ visitId });
    if (!r.ok) return setActionError(r.error);
    setActionError(undefined);
    s.notify({ kind: 'ok', text: t(kind === 'receipt' ? 'receiptQueued' : 'badgeQueued', { printer: printerName(r.value.printerId) }) });
    setJobsTick((n) => n + 1);
  };

  const keys = useRef({ checkOut, print, onClose, takePayment });
  keys.current = { checkOut, print, onClose, takePayment };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.altKey) {
        e.preventDefault();
        keys.current.onClose();
        return;
      }
      const letter = shortcutLetter(e);
      if (letter === 'A') {
        e.preventDefault();
        document.getElementById('consumption-service')?.focus();
      } else if (letter === 'X') {
        e.preventDefault();
        void keys.current.checkOut();
      } else if (letter === 'R') {
        e.preventDefault();
        void keys.current.print('receipt');
      } else if (letter === 'B') {
        e.preventDefault();
        void keys.current.print('badge');
      } else if (letter === 'M') {
        e.preventDefault();
        keys.current.takePayment();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const amount = service?.unit === 'hour' ? Number(hours || '0') * 60 + Number(minutes || '0') : Number(quantity);
    const r = await s.api.addConsumption({ visitId, serviceCode, quantity: amount });
    if (!r.ok) return setAddError(r.error);
    setAddError(undefined);
    s.notify({ kind: 'ok', text: t('consumptionAdded', { service: serviceName(r.value), amount: t.money(r.value.grossCents) }) });
    setQuantity('1');
    setHours('1');
    setMinutes('0');
    changed();
  };
  const voidLine = async (e: FormEvent) => {
    e.preventDefault();
    if (!voidingLine) return;
    const r = await s.api.voidConsumption({ consumptionId: voidingLine, reason: lineReason });
    if (!r.ok) return setLineError(r.error);
    setLineError(undefined);
    setVoidingLine(undefined);
    setLineReason('');
    s.notify({ kind: 'ok', text: t('consumptionVoided', { service: serviceName(r.value) }) });
    changed();
  };
  const voidVisit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await s.api.voidVisit({ visitId, reason: visitReason });
    if (!r.ok) return setVisitVoidError(r.error);
    setVisitVoidError(undefined);
    setVoidingVisit(false);
    s.notify({ kind: 'ok', text: t('visitVoided', { name: fullName(t, r.value.person) }) });
    changed();
  };

  const v = visit.data;
  // What the visit owes: its lines less what was paid or invoiced (the station sums it once anything was).
  const p: VisitMoney | undefined = v && {
    totalCents: v.totals.grossCents,
    settledCents: (v.payments?.paidCents ?? 0) + (v.payments?.invoicedCents ?? 0),
    dueCents: v.payments?.dueCents ?? Math.max(0, v.totals.grossCents),
    entries: v.payments?.entries ?? [],
  };
  // After a check-out the clerk reads out the visit: the panel goes back to its top (who, how long,
  // the total), and the total is brought into view should the panel be too short for all of it.
  const checkedOutAt = v?.checkedOutAt;
  useEffect(() => {
    if (!checkedOutAt) return;
    document.querySelector('.visit-panel')?.scrollTo({ top: 0 });
    document.querySelector('[data-testid="visit-total"]')?.scrollIntoView({ block: 'nearest' });
  }, [checkedOutAt]);
  const voidedIds = new Set((v?.lines ?? []).filter((l) => l.voidsId).map((l) => l.voidsId!));

  return (
    <aside className="visit-panel" aria-labelledby="visit-title">
      <div className="panel-head">
        <h2 id="visit-title" ref={headingRef} tabIndex={-1}>
          {v ? t('visitOf', { name: fullName(t, v.person) }) : t('visit')}
        </h2>
        <button type="button" className="button-quiet" onClick={onClose} aria-keyshortcuts="Escape">
          {t('close')} <Kbd keys="Esc" />
        </button>
      </div>
      <FieldError id="visit-error" error={visit.error} />
      {!v ? (
        <Loading text={t('loading')} />
      ) : (
        <>
          <dl className="facts">
            <dt>{t('person')}</dt>
            <dd>
              {fullName(t, v.person)} {v.person.kind === 'guest' ? <Chip tone="info">{t('statusGuest')}</Chip> : <span className="muted">{t('memberNumber', { id: shortMemberNumber(v.person.id) })}</span>}
              {v.person.company && <span className="muted block">{v.person.company}</span>}
            </dd>
            {v.person.nationality && (
              <>
                <dt>{t('nationality')}</dt>
                <dd>{v.person.nationality}</dd>
              </>
            )}
            <dt>{t('colCheckedIn')}</dt>
            <dd>
              {t.dateTime(v.checkedInAt, timeZone)}{' '}
              <span className="muted">{v.badgeUid ? t('badgeUsed', { uid: v.badgeUid }) : t(v.checkedInBy === 'badge' ? 'byBadge' : 'byStaff')}</span>
            </dd>
            <dt>{t('colCheckedOut')}</dt>
            <dd>
              {v.checkedOutAt ? (
                <>
                  {t.dateTime(v.checkedOutAt, timeZone)} {v.autoClosed && <Chip tone="warn">{t('autoClosedChip')}</Chip>}
                </>
              ) : v.voided ? (
                '—'
              ) : (
                <Chip tone="ok">{t('onSiteChip')}</Chip>
              )}
            </dd>
            <dt>{t('colDuration')}</dt>
            <dd>{t.duration(v.durationMinutes)}</dd>
            {v.entitlement && (
              <>
                <dt>{t('colPlan')}</dt>
                <dd data-testid="visit-plan" data-kind={v.entitlement.kind}>
                  {planText(t, v.entitlement)}
                </dd>
              </>
            )}
            <dt>{t('colTotal')}</dt>
            <dd data-testid="visit-total">
              <strong>{t.money(v.totals.grossCents)}</strong> <span className="muted">{t('netAndVat', { net: t.money(v.totals.netCents), vat: t.money(v.totals.vatCents) })}</span>
            </dd>
            {v.provisional && (
              <>
                <dt>{t('provisionalNow')}</dt>
                <dd data-testid="visit-provisional">
                  <strong>{t.money(v.provisional.grossCents)}</strong>{' '}
                  <span className="muted">{t('netAndVat', { net: t.money(v.provisional.netCents), vat: t.money(v.provisional.vatCents) })}</span>
                </dd>
              </>
            )}
            {v.voided && (
              <>
                <dt>{t('voidedChip')}</dt>
                <dd>
                  <Chip tone="bad">{t('voidedBecause', { reason: v.voided.reason })}</Chip>
                </dd>
              </>
            )}
          </dl>

          <div className="panel-actions">
            {!v.checkedOutAt && !v.voided && (
              <button type="button" className="button-primary" aria-keyshortcuts="Alt+X" onClick={() => void checkOut()}>
                {t('checkOut')} <Kbd keys="Alt+X" />
              </button>
            )}
            <button type="button" aria-keyshortcuts="Alt+R" onClick={() => void print('receipt')}>
              {t('printReceipt')} <Kbd keys="Alt+R" />
            </button>
            <button type="button" aria-keyshortcuts="Alt+B" onClick={() => void print('badge')}>
              {t('printBadge')} <Kbd keys="Alt+B" />
            </button>
          </div>
          {printWarning && (
            <div className="print-warning" role="alert" data-testid="print-warning">
              <p>{printWarning.text}</p>
              <div className="actions">
                <button type="button" onClick={() => void print(printWarning.kind, true)}>
                  {t('queueAnyway')}
                </button>
                <button type="button" className="button-quiet" onClick={() => setPrintWarning(undefined)}>
                  {t('cancel')}
                </button>
              </div>
            </div>
          )}
          <FieldError id="visit-action-error" error={actionError} />

          {paid && (
            <PaidCard
              paid={paid}
              onDone={() => {
                setPaid(undefined);
                headingRef.current?.focus();
              }}
            />
          )}
          {!paid && p && !v.voided && p.dueCents > 0 &&
            (paying || (v.person.kind === 'guest' && v.checkedOutAt && p.entries.length === 0) ? (
              <PaymentForm visitId={visitId} outstandingCents={p.dueCents} autoFocus={payFocus} onPaid={onPaid} />
            ) : (
              <div className="panel-actions">
                <button type="button" aria-keyshortcuts="Alt+M" onClick={takePayment}>
                  {t('payTake')} <Kbd keys="Alt+M" />
                </button>
              </div>
            ))}
          {p && (p.entries.length > 0 || (v.person.kind === 'guest' && p.totalCents > 0)) && <VisitPayments payments={p} personName={fullName(t, v.person)} onChanged={changed} />}

          <h3>{t('consumptionTitle')}</h3>
          {v.lines.length === 0 ? (
            <p className="muted">{t('noConsumption')}</p>
          ) : (
            <div className="table-scroll">
            <table className="table compact">
              <caption className="visually-hidden">{t('consumptionTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('colService')}</th>
                  <th scope="col" className="num">
                    {t('colQuantity')}
                  </th>
                  <th scope="col" className="num">
                    {t('colAmount')}
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">{t('colActions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {v.lines.map((line) => (
                  <tr key={line.id} className={line.voidsId ? 'is-correction' : voidedIds.has(line.id) ? 'is-voided' : undefined}>
                    <th scope="row">
                      {serviceName(line)}
                      <span className="muted block">
                        {line.source === 'void' ? t('voidLineNote', { reason: line.reason ?? '' }) : `${t.time(line.at, timeZone)} · ${t(line.source === 'checkout' ? 'sourceCheckout' : 'sourceStaff')}`}
                        {line.capApplied && ` · ${t('capApplied')}`}
                        {coverageNote(t, line)}
                        {line.billingIncrementMinutes && line.billedQuantity !== line.quantity ? ` · ${t('billedPerStarted', { step: line.billingIncrementMinutes })}` : ''}
                      </span>
                    </th>
                    <td className="num">{quantityText(t, line)}</td>
                    <td className="num">{t.money(line.grossCents)}</td>
                    <td>
                      {!line.voidsId && !voidedIds.has(line.id) && !v.voided && (
                        <button
                          type="button"
                          className="button-quiet"
                          aria-label={t('voidLineOf', { service: serviceName(line) })}
                          onClick={() => {
                            setVoidingLine(line.id);
                            setLineReason('');
                            setLineError(undefined);
                            requestAnimationFrame(() => document.getElementById('void-line-reason')?.focus());
                          }}
                        >
                          {t('voidLine')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          )}
          {voidingLine && (
            <form className="inline-form" onSubmit={(e) => void voidLine(e)} noValidate>
              <div className="field">
                <label htmlFor="void-line-reason">{t('voidLineReason', { service: serviceName(v.lines.find((l) => l.id === voidingLine)!) })}</label>
                <input id="void-line-reason" value={lineReason} onChange={(e) => setLineReason(e.target.value)} autoComplete="off" {...invalidProps('void-line-error', lineError)} />
                <FieldError id="void-line-error" error={lineError} />
              </div>
              <div className="actions">
                <button type="submit" className="button-danger">
                  {t('confirmVoidLine')}
                </button>
                <button type="button" className="button-quiet" onClick={() => setVoidingLine(undefined)}>
                  {t('cancel')}
                </button>
              </div>
            </form>
          )}

          {!v.voided && (
            <form className="inline-form add-consumption" onSubmit={(e) => void add(e)} noValidate>
              <div className="field">
                <label htmlFor="consumption-service">
                  {t('addService')} <Kbd keys="Alt+A" />
                </label>
                <select
                  id="consumption-service"
                  value={serviceCode}
                  aria-keyshortcuts="Alt+A"
                  onChange={(e) => {
                    setServiceCode(e.target.value);
                    setQuantity('1');
                    setHours('1');
                    setMinutes('0');
                  }}
                  {...invalidProps('add-error', errorFor(addError, 'serviceCode'))}
                >
                  <option value="">{t('chooseService')}</option>
                  {offers.map((o) => (
                    <option key={o.code} value={o.code}>
                      {offerText(t, o)}
                    </option>
                  ))}
                </select>
              </div>
              {service?.unit === 'hour' ? (
                <>
                  <div className="field narrow">
                    <label htmlFor="consumption-hours">{t('quantityHours')}</label>
                    <input
                      id="consumption-hours"
                      type="number"
                      inputMode="numeric"
                      min={0}
                      value={hours}
                      onChange={(e) => setHours(e.target.value)}
                      {...invalidProps('add-error', errorFor(addError, 'quantity'))}
                    />
                  </div>
                  <div className="field narrow">
                    <label htmlFor="consumption-minutes">{t('quantityMinutesPart')}</label>
                    <input
                      id="consumption-minutes"
                      type="number"
                      inputMode="numeric"
                      min={0}
                      max={59}
                      step={5}
                      value={minutes}
                      onChange={(e) => setMinutes(e.target.value)}
                      {...invalidProps('add-error', errorFor(addError, 'quantity'))}
                    />
                  </div>
                </>
              ) : (
                <div className="field narrow">
                  <label htmlFor="consumption-quantity">{t('quantityCount')}</label>
                  <input
                    id="consumption-quantity"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    value={quantity}
                    onChange={(e) => setQuantity(e.target.value)}
                    {...invalidProps('add-error', errorFor(addError, 'quantity'))}
                  />
                </div>
              )}
              <button type="submit" className="button-primary">
                {t('add')}
              </button>
              <FieldError id="add-error" error={addError} />
              <FieldError id="services-error" error={services.error} />
            </form>
          )}

          <h3>{t('printJobsTitle')}</h3>
          <PrintJobs visitId={visitId} version={jobsTick} />

          {v.checkedOutAt && !v.voided && s.today && localDate(v.checkedOutAt, timeZone) === s.today.date && <UndoCheckOut visitId={visitId} onUndone={changed} />}
          {!v.voided && (
            <div className="danger-zone">
              {voidingVisit ? (
                <form className="inline-form" onSubmit={(e) => void voidVisit(e)} noValidate>
                  <div className="field">
                    <label htmlFor="void-visit-reason">{t('voidVisitReason')}</label>
                    <input id="void-visit-reason" value={visitReason} onChange={(e) => setVisitReason(e.target.value)} autoComplete="off" {...invalidProps('void-visit-error', visitVoidError)} />
                    <FieldError id="void-visit-error" error={visitVoidError} />
                  </div>
                  <div className="actions">
                    <button type="submit" className="button-danger">
                      {t('confirmVoidVisit')}
                    </button>
                    <button type="button" className="button-quiet" onClick={() => setVoidingVisit(false)}>
                      {t('cancel')}
                    </button>
                  </div>
                </form>
              ) : (
                <button
                  type="button"
                  className="button-danger-quiet"
                  onClick={() => {
                    setVoidingVisit(true);
                    requestAnimationFrame(() => document.getElementById('void-visit-reason')?.focus());
                  }}
                >
                  {t('voidVisit')}
                </button>
              )}
            </div>
          )}
        </>
      )}
    </aside>
  );
}
