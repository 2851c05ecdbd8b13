// The network's admin page: the operator types the hub's admin token, then watches the sites and
// their stations (online, last seen, watermark and lag), quarantine and cases, the plans, and the
// accounts — statements, the settlement (and the close of a month) and a site's evaluation, each
// downloadable as PDF or CSV. Everything shown was parsed with the schemas of common/.
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { z } from 'zod';
import { evaluationSchema, monthDevicesReported, settlementSchema, statementSchema, type Evaluation, type Settlement, type Statement, type StatementLine } from '../../../common/accounts/reports.js';
import {
  alertListingSchema,
  closeResultSchema,
  closedPeriodsSchema,
  overlapListingSchema,
  quarantineListingSchema,
  stationListingSchema,
  streamListingSchema,
  type CloseResultListing,
  invoiceListingSchema,
  carriedPrepaidListingSchema,
  type CarriedPrepaidListing,
  type InvoiceListing,
  type StationListing,
  type StreamListing,
} from '../../../common/admin-api.js';
import { LANGUAGES, payerSchema, planSchema, quotaSchema, siteSchema, subscriptionSchema, type Language, type Site } from '../../../common/reference-data.js';
import { AdminApiError, adminCall, download, tokenStore, type Query } from './api.js';
import { LANGUAGE_NAMES, WordsContext, initialLanguage, keepLanguage, useWords, wordsOf, type Words } from './i18n.js';
import { NameCell, loadNames, type Names } from './names.js';
import { carriedAmount, dueOf, paidAtDesks } from './desk-amounts.js';

/** A line's quantity: minutes as hours (as the PDF shows them), anything else counted in its unit. */
function quantity(w: Words, q: number, unit: string): string {
  if (['min', 'minute', 'minutes'].includes(unit)) return w.hours(q);
  if (unit === 'hour') return w.hours(q * 60);
  const counted = { month: 'unitMonth', item: 'unitItem', page: 'unitPage', half_day: 'unitHalfDay', day: 'unitDay' } as const;
  const key = counted[unit as keyof typeof counted];
  return key ? w.tp(key, q) : `${w.number(q)} ${unit}`;
}

/** A station clock's offset from the hub's: seconds when small, else the larger unit. */
function offset(w: Words, ms: number): string {
  const s = Math.round(ms / 1000);
  const abs = Math.abs(s);
  if (abs < 120) return w.t('seconds', { count: w.number(s) });
  if (abs < 7200) return w.t('minutesShort', { count: w.number(Math.round(s / 60)) });
  if (abs < 172_800) return w.t('hoursShort', { count: w.number(Math.round(s / 3600)) });
  return w.tp('days', Math.round(s / 86_400));
}

/** How long ago, in the largest whole unit: "3 min", "2 h 05", "4 days". */
function ago(w: Words, iso: string | undefined, now: number): string {
  if (!iso) return '—';
  const ms = Math.max(0, now - Date.parse(iso));
  const min = Math.floor(ms / 60_000);
  if (min < 1) return w.t('underAMinute');
  if (min < 60) return w.t('minutesShort', { count: min });
  if (min < 48 * 60) return w.hours(min);
  return w.tp('days', Math.floor(min / 1440));
}

/** The month before this one, as YYYY-MM (the month an operator usually closes). */
function lastMonth(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

const REGION_KEYS = { brussels: 'regionBrussels', wallonia: 'regionWallonia', flanders: 'regionFlanders' } as const;

function membership(w: Words, m: Site['membership']): string {
  if (m.status === 'trial') return w.t('membershipTrial', { date: w.day(m.trialUntil) });
  return w.t(m.status === 'confirmed' ? 'membershipConfirmed' : 'membershipSuspended');
}

const asApiError = (e: unknown) => (e instanceof AdminApiError ? e : new AdminApiError('ERROR', e instanceof Error ? e.message : String(e), 0));

type Load<T> = { state: 'idle' } | { state: 'loading' } | { state: 'done'; value: T } | { state: 'failed'; error: AdminApiError };

/** Runs `loader` when asked (and at once when `auto`); keeps its value or its error. */
function useLoad<T>(loader: () => Promise<T>, onUnauthorised: () => void, auto = true): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>(auto ? { state: 'loading' } : { state: 'idle' });
  const run = useCallback(() => {
    setLoad({ state: 'loading' });
    loader().then(
      (value) => setLoad({ state: 'done', value }),
      (e: unknown) => {
        const error = asApiError(e);
        if (error.status === 401) onUnauthorised();
        setLoad({ state: 'failed', error });
      },
    );
  }, [loader, onUnauthorised]);
  useEffect(() => {
    if (auto) run();
    // Only on first show: later loads are asked for (Refresh, Show…).
  }, []);
  return [load, run];
}

/** An API error as a sentence in the page's language; the hub's code and words behind "details". */
function Problem({ error }: { error: AdminApiError }) {
  const w = useWords();
  const key = `err${error.code}`;
  return (
    <div className="problem" role="alert">
      <p>{w.has(key) ? w.t(key) : w.t('errOther')}</p>
      <details>
        <summary>{w.t('details')}</summary>
        <p className="small">
          <code>{error.code}</code> {error.message}
        </p>
      </details>
    </div>
  );
}

function Loaded<T>({ load, children }: { load: Load<T>; children: (value: T) => ReactNode }) {
  const w = useWords();
  if (load.state === 'loading') return <p className="muted" aria-live="polite">{w.t('loading')}</p>;
  if (load.state === 'failed') return <Problem error={load.error} />;
  if (load.state === 'done') return <>{children(load.value)}</>;
  return null;
}

function Table({ caption, head, rows, numeric = [] }: { caption: string; head: string[]; rows: ReactNode[][]; numeric?: number[] }) {
  const w = useWords();
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className={numeric.includes(i) ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={head.length} className="muted">
                {w.t('none')}
              </td>
            </tr>
          ) : (
            rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (
                  <td key={j} className={numeric.includes(j) ? 'num' : undefined}>
                    {c}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

interface SectionProps {
  token: string;
  onUnauthorised: () => void;
  onDownloaded: (what: string) => void;
}

// ——— Sites & stations ———

function SitesSection({ token, onUnauthorised }: SectionProps) {
  const w = useWords();
  const loader = useCallback(async () => {
    const [sites, stations, streams] = await Promise.all([
      adminCall(token, z.array(siteSchema), 'GET', 'reference/site'),
      adminCall(token, z.array(stationListingSchema), 'GET', 'stations'),
      adminCall(token, z.array(streamListingSchema), 'GET', 'streams'),
    ]);
    return { sites, stations, streams, at: Date.now() };
  }, [token]);
  const [load, reload] = useLoad(loader, onUnauthorised);
  return (
    <section aria-labelledby="sites-title">
      <div className="section-head">
        <h2 id="sites-title">{w.t('sectionSites')}</h2>
        <button type="button" onClick={reload}>
          {w.t('refresh')}
        </button>
      </div>
      <Loaded load={load}>
        {({ sites, stations, streams, at }) => {
          const bySite = (list: { siteId: string }[], id: string) => list.filter((x) => x.siteId === id);
          const siteName = new Map(sites.map((s) => [s.id, s.name]));
          /** The site's live stream: the one heard from last (a restored database starts a new epoch). */
          const live = (id: string) => (bySite(streams, id) as StreamListing[]).sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))[0];
          const stationCell = (list: StationListing[]) =>
            list.length === 0 ? (
              <span className="muted">{w.t('noStation')}</span>
            ) : (
              <ul className="plain">
                {list.map((s) => (
                  <li key={s.id}>
                    <span className={`badge ${s.revokedAt ? 'off' : s.online ? 'ok' : 'idle'}`}>{w.t(s.revokedAt ? 'stationRevoked' : s.online ? 'stationOnline' : 'stationOffline')}</span> {s.name}
                  </li>
                ))}
              </ul>
            );
          return (
            <>
              <Table
                caption={w.t('sitesCaption')}
                head={[w.t('colSite'), w.t('colRegion'), w.t('colStars'), w.t('colMembership'), w.t('colStations'), w.t('colLastSeen'), w.t('colWatermark'), w.t('colLag'), w.t('colEventsHeld')]}
                numeric={[2, 8]}
                rows={sites.map((site) => {
                  const stream = live(site.id);
                  return [
                    <>
                      <strong>{site.name}</strong>
                      <div className="muted small">{site.id}</div>
                    </>,
                    w.t(REGION_KEYS[site.region]),
                    <span key="s" role="img" aria-label={w.tp('starsLabel', site.stars)}>{'★'.repeat(site.stars)}</span>,
                    membership(w, site.membership),
                    stationCell(bySite(stations, site.id) as StationListing[]),
                    w.when(stream?.lastSeen),
                    w.when(stream?.caughtUpAt),
                    stream?.caughtUpAt ? ago(w, stream.caughtUpAt, at) : '—',
                    stream ? w.number(stream.ackedSeq) : '—',
                  ];
                })}
              />
              <Table
                caption={w.t('streamsCaption')}
                head={[w.t('colSite'), w.t('colEpoch'), w.t('colAckedSeq'), w.t('colFirstSeen'), w.t('colLastSeen'), w.t('colWatermark'), w.t('colClockOffset')]}
                numeric={[2, 6]}
                rows={streams.map((s) => [
                  siteName.get(s.siteId) ?? s.siteId,
                  <code key="e">{s.epoch.slice(0, 8)}</code>,
                  w.number(s.ackedSeq),
                  w.when(s.firstSeen),
                  w.when(s.lastSeen),
                  w.when(s.caughtUpAt),
                  offset(w, s.lastClockOffsetMs),
                ])}
              />
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

// ——— Quarantine and cases ———

const ALERT_KEYS = { epoch_change: 'alertEpochChange', quarantine: 'alertQuarantine', overlap: 'alertOverlap', clock_skew: 'alertClockSkew' } as const;

function CasesSection({ token, onUnauthorised }: SectionProps) {
  const w = useWords();
  const loader = useCallback(async () => {
    const [quarantine, alerts, overlaps, names] = await Promise.all([
      adminCall(token, z.array(quarantineListingSchema), 'GET', 'quarantine', { limit: '200' }),
      adminCall(token, z.array(alertListingSchema), 'GET', 'alerts', { limit: '200' }),
      adminCall(token, z.array(overlapListingSchema), 'GET', 'overlaps', { limit: '200' }),
      loadNames(token, ['site', 'member']),
    ]);
    return { quarantine, alerts, overlaps, names };
  }, [token]);
  const [load, reload] = useLoad(loader, onUnauthorised);
  return (
    <section aria-labelledby="cases-title">
      <div className="section-head">
        <h2 id="cases-title">{w.t('casesTitle')}</h2>
        <button type="button" onClick={reload}>
          {w.t('refresh')}
        </button>
      </div>
      <Loaded load={load}>
        {({ quarantine, alerts, overlaps, names }) => (
          <>
            <Table caption={w.t('quarantineCaption')} head={[w.t('colSite'), w.t('colEpoch'), w.t('colSeq'), w.t('colReason'), w.t('colReceived')]} numeric={[2]}
              rows={quarantine.map((q) => [
                names.say('site', q.siteId),
                <code key="e">{q.epoch.slice(0, 8)}</code>,
                w.number(q.seq),
                // The hub's own (English, technical) words for why: behind Details, as an alert's.
                <details key="r" className="small">
                  <summary>{w.t('details')}</summary>
                  {q.reason}
                </details>,
                w.when(q.receivedAt),
              ])} />
            {/* The hub words an alert's detail in English for its log: the kind is said here, the detail kept behind Details. */}
            <Table caption={w.t('alertsCaption')} head={[w.t('colKind'), w.t('colSite'), w.t('colDetail'), w.t('colAt')]}
              rows={alerts.map((a) => [
                a.kind in ALERT_KEYS ? w.t(ALERT_KEYS[a.kind as keyof typeof ALERT_KEYS]) : a.kind,
                names.say('site', a.siteId),
                <details key="d" className="small">
                  <summary>{w.t('details')}</summary>
                  {a.detail}
                </details>,
                w.when(a.at),
              ])} />
            <Table caption={w.t('overlapsCaption')} head={[w.t('colMember'), w.t('colSiteA'), w.t('colVisitA'), w.t('colSiteB'), w.t('colVisitB'), w.t('colDetected')]}
              rows={overlaps.map((o) => [
                <NameCell key="m" names={names} kind="member" id={o.memberId} strong />,
                names.say('site', o.siteA),
                <code key="a">{o.visitA}</code>,
                names.say('site', o.siteB),
                <code key="b">{o.visitB}</code>,
                w.when(o.detectedAt),
              ])} />
          </>
        )}
      </Loaded>
    </section>
  );
}

// ——— Plans ———

function PlansSection({ token, onUnauthorised }: SectionProps) {
  const w = useWords();
  const loader = useCallback(async () => {
    const [plans, subscriptions, quotas, names] = await Promise.all([
      adminCall(token, z.array(planSchema), 'GET', 'reference/plan'),
      adminCall(token, z.array(subscriptionSchema), 'GET', 'reference/subscription'),
      adminCall(token, z.array(quotaSchema), 'GET', 'reference/quota'),
      loadNames(token, ['site', 'member', 'payer', 'plan']),
    ]);
    return { plans, subscriptions, quotas, names };
  }, [token]);
  const [load] = useLoad(loader, onUnauthorised);
  return (
    <section aria-labelledby="plans-title">
      <h2 id="plans-title">{w.t('sectionPlans')}</h2>
      <Loaded load={load}>
        {({ plans, subscriptions, quotas, names }) => (
          <>
            <Table caption={w.t('passesCaption')} head={[w.t('colPlan'), w.t('colMonthlyFee'), w.t('colVat'), w.t('colSites')]} numeric={[1, 2]}
              rows={plans.map((p) => [
                <NameCell key="p" names={names} kind="plan" id={p.id} strong />,
                w.money(p.monthlyFeeCents),
                w.rate(p.vatRateBp),
                p.sites === 'all' ? w.t('everySite') : p.sites.map((id) => names.say('site', id)).join(', '),
              ])} />
            <Table caption={w.t('subscriptionsCaption')} head={[w.t('colMember'), w.t('colPlan'), w.t('colFrom'), w.t('colUntil')]}
              rows={subscriptions.map((s) => [
                <>
                  <NameCell names={names} kind="member" id={s.memberId} />
                  <div className="muted small">{s.id}</div>
                </>,
                names.say('plan', s.planId),
                w.day(s.from),
                s.until ? w.day(s.until) : w.t('untilCancelled'),
              ])} />
            <Table caption={w.t('quotasCaption')} head={[w.t('colQuota'), w.t('colPayer'), w.t('colHours'), w.t('colUsed'), w.t('colPrice'), w.t('colValid')]} numeric={[2, 3, 4]}
              rows={quotas.map((q) => [
                <>
                  <strong>{q.name}</strong>
                  <div className="muted small">{q.id}</div>
                </>,
                <NameCell key="p" names={names} kind="payer" id={q.payerId} />,
                w.hours(q.minutes),
                w.hours(Object.values(q.used).reduce((n, m) => n + m, 0)),
                w.money(q.priceCents),
                `${w.day(q.validFrom)} – ${w.day(q.validUntil)}`,
              ])} />
          </>
        )}
      </Loaded>
    </section>
  );
}

// ——— Statements ———

function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

/** The first month offered: the network's accounts start after it. */
const FIRST_MONTH = '2020-01';

/** The months from FIRST_MONTH to a year ahead, newest first, as YYYY-MM. */
function monthsOffered(now = new Date()): string[] {
  const months: string[] = [];
  for (let d = new Date(Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth(), 1)); ; d.setUTCMonth(d.getUTCMonth() - 1)) {
    const period = d.toISOString().slice(0, 7);
    months.push(period);
    if (period <= FIRST_MONTH) return months;
  }
}

/**
 * A month chosen by its name in the page's language ("octobre 2026"): the browser's own month
 * input speaks the browser's language, not the page's.
 */
function MonthSelect({ id, value, onChange, required = false }: { id: string; value: string; onChange: (period: string) => void; required?: boolean }) {
  const w = useWords();
  return (
    <select id={id} required={required} value={value} onChange={(e) => onChange(e.target.value)}>
      {!required && <option value="">—</option>}
      {monthsOffered().map((period) => (
        <option key={period} value={period}>
          {w.month(period)}
        </option>
      ))}
    </select>
  );
}

function Downloads({ token, route, query, onDownloaded, onError, what }: { token: string; route: string; query: Query; onDownloaded: (what: string) => void; onError: (e: AdminApiError) => void; what: string }) {
  const w = useWords();
  const get = (ext: 'pdf' | 'csv') => () => download(token, `${route}.${ext}`, query).then(onDownloaded, (e: unknown) => onError(asApiError(e)));
  return (
    <span className="downloads">
      <button type="button" onClick={get('pdf')} aria-label={w.t('asPdf', { what })}>
        PDF
      </button>
      <button type="button" onClick={get('csv')} aria-label={w.t('asCsv', { what })}>
        CSV
      </button>
    </span>
  );
}

function lineKind(w: Words, l: StatementLine): string {
  switch (l.kind) {
    case 'pass_fee':
      return w.t('kindPassFee');
    case 'quota_package':
      return w.t('kindQuotaPackage');
    case 'usage':
      return w.t('kindUsage');
    case 'adjustment':
      return w.t('kindAdjustment', { period: l.adjustsPeriod ? w.month(l.adjustsPeriod) : '' });
  }
}

function StatementView({ statement: s }: { statement: Statement }) {
  const w = useWords();
  const members = new Map(s.members.map((m) => [m.memberId, m.name]));
  return (
    <article className="card" aria-label={w.t('statementOf', { payer: s.payerName })}>
      <header className="card-head">
        <h3>{s.payerName}</h3>
        <span className={`badge ${s.status === 'closed' ? 'ok' : 'warn'}`}>{w.t(s.status === 'closed' ? 'statusClosed' : 'statusProvisional')}</span>
        <span className="muted small">
          {s.payerId} · {s.payerVatNumber ?? w.t('noVatNumber')} · {w.t('statementLanguage', { language: w.languageName(s.language) })}
        </span>
      </header>
      <dl className="totals">
        <div><dt>{w.t('net')}</dt><dd>{w.money(s.totals.netCents)}</dd></div>
        <div><dt>{w.t('vat')}</dt><dd>{w.money(s.totals.vatCents)}</dd></div>
        <div><dt>{w.t('gross')}</dt><dd>{w.money(s.totals.grossCents)}</dd></div>
        {s.paidAtDesk.length > 0 && (
          <>
            <div><dt>{w.t('paidAtDeskTotal')}</dt><dd>{w.money(-s.paidAtDeskCents)}</dd></div>
            <div><dt>{w.t('payable')}</dt><dd>{w.money(s.payableCents)}</dd></div>
          </>
        )}
      </dl>
      {s.paidAtDesk.length > 0 && (
        <Table
          caption={w.t('paidAtDeskOf', { payer: s.payerName })}
          head={[w.t('colDescription'), w.t('colMember'), w.t('colPaid')]}
          numeric={[2]}
          rows={s.paidAtDesk.map((p) => [p.description, members.get(p.memberId) ?? p.memberId, w.money(p.amountCents)])}
        />
      )}
      <details>
        <summary>{w.tp('lines', s.lines.length)}</summary>
        <Table
          caption={w.t('linesOf', { payer: s.payerName })}
          head={[w.t('colKind'), w.t('colDescription'), w.t('colMember'), w.t('colSite'), w.t('colQuantity'), w.t('colUnitPrice'), w.t('colVatRate'), w.t('colNet'), w.t('colVat'), w.t('colGross')]}
          numeric={[4, 5, 6, 7, 8, 9]}
          rows={s.lines.map((l) => [
            lineKind(w, l),
            l.description,
            l.memberId ? members.get(l.memberId) ?? l.memberId : '',
            l.siteName ?? l.siteId ?? '',
            quantity(w, l.quantity, l.unit),
            w.money(l.unitPriceCents),
            w.rate(l.vatRateBp),
            w.money(l.netCents),
            w.money(l.vatCents),
            w.money(l.grossCents),
          ])}
        />
      </details>
    </article>
  );
}

function StatementsSection({ token, onUnauthorised, onDownloaded }: SectionProps) {
  const w = useWords();
  const [period, setPeriod] = useState(lastMonth());
  const [payer, setPayer] = useState('');
  const [asked, setAsked] = useState<{ period: string; payer: string } | undefined>();
  const [error, setError] = useState<AdminApiError | undefined>();
  const payersLoader = useCallback(() => adminCall(token, z.array(payerSchema), 'GET', 'reference/payer'), [token]);
  const [payers] = useLoad(payersLoader, onUnauthorised);
  const loader = useCallback(
    () => adminCall(token, z.array(statementSchema), 'GET', 'accounts/statements', { period: asked?.period, payer: asked?.payer }),
    [token, asked],
  );
  const [load, run] = useLoad(loader, onUnauthorised, false);
  useEffect(() => {
    if (asked) run();
  }, [asked, run]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setAsked({ period, payer });
  };
  return (
    <section aria-labelledby="statements-title">
      <h2 id="statements-title">{w.t('sectionStatements')}</h2>
      <form className="query" onSubmit={submit}>
        <Field label={w.t('month')}>{(id) => <MonthSelect id={id} required value={period} onChange={setPeriod} />}</Field>
        <Field label={w.t('payer')}>
          {(id) => (
            <select id={id} value={payer} onChange={(e) => setPayer(e.target.value)}>
              <option value="">{w.t('everyPayer')}</option>
              {payers.state === 'done' && payers.value.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          )}
        </Field>
        <button type="submit" className="primary">{w.t('showStatements')}</button>
        {asked && <Downloads token={token} route="accounts/statements" query={asked} what={w.t('statementsOf', { period: w.month(asked.period) })} onDownloaded={onDownloaded} onError={setError} />}
      </form>
      {error && <Problem error={error} />}
      <Loaded load={load}>
        {(statements) =>
          statements.length === 0 ? (
            <p className="muted">{w.t('noStatement', { period: w.month(asked?.period ?? '') })}</p>
          ) : (
            <>
              <p className="summary">
                {w.tp('statementsSummary', statements.length, { period: w.month(asked?.period ?? ''), gross: w.money(statements.reduce((n, s) => n + s.totals.grossCents, 0)) })}
              </p>
              {statements.map((s) => <StatementView key={s.payerId} statement={s} />)}
            </>
          )
        }
      </Loaded>
    </section>
  );
}

// ——— Settlement and the close ———

function SettlementView({ settlement: s }: { settlement: Settlement }) {
  const w = useWords();
  const c = s.cases;
  return (
    <>
      <p className="summary">
        <span className={`badge ${s.status === 'closed' ? 'ok' : 'warn'}`}>{w.t(s.status === 'closed' ? 'statusClosed' : 'statusProvisional')}</span>{' '}
        {w.t('settlementRates', { fee: w.rate(s.networkFeeBp), commission: w.rate(s.commissionBp) })}
      </p>
      <Table
        caption={w.t('settlementCaption', { period: w.month(s.period) })}
        head={[w.t('colSite'), w.t('colPayg'), w.t('colPassHours'), w.t('colQuotaHours'), w.t('colPassShare'), w.t('colQuotaShare'), w.t('colDeskNet'), w.t('colGrossDue'), w.t('colNetworkFee'), w.t('colDue'), w.t('colCommission'), w.t('colPayout')]}
        numeric={[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]}
        rows={s.sites.map((x) => [x.siteName, w.money(x.paygNetCents), w.hours(x.passMinutes), w.hours(x.quotaMinutes), w.money(x.passShareCents), w.money(x.quotaShareCents), w.money(x.deskNetCents), w.money(x.grossDueCents), w.money(x.networkFeeCents), w.money(x.dueCents), w.money(x.commissionCents), w.money(x.payoutCents)])}
      />
      <dl className="totals wide">
        <div><dt>{w.t('billedNet')}</dt><dd>{w.money(s.network.billedNetCents)}</dd></div>
        <div><dt>{w.t('passRevenue')}</dt><dd>{w.money(s.network.passRevenueCents)}</dd></div>
        <div><dt>{w.t('quotaRevenue')}</dt><dd>{w.money(s.network.quotaRevenueCents)}</dd></div>
        <div><dt>{w.t('fees')}</dt><dd>{w.money(s.network.feesCents)}</dd></div>
        <div><dt>{w.t('commissions')}</dt><dd>{w.money(s.network.commissionsCents)}</dd></div>
        <div><dt>{w.t('undistributed')}</dt><dd>{w.money(s.network.undistributedCents)}</dd></div>
        <div><dt>{w.t('retained')}</dt><dd>{w.money(s.network.retainedCents)}</dd></div>
        <div><dt>{w.t('deskCollected')}</dt><dd>{w.money(s.network.deskNetCents)}</dd></div>
        {s.network.heldForNetworkCents !== 0 && <div><dt>{w.t('heldForNetwork')}</dt><dd>{w.money(s.network.heldForNetworkCents)}</dd></div>}
      </dl>
      {s.sites.some((x) => x.heldForNetworkCents !== 0) && (
        <Table
          caption={w.t('heldForNetworkCaption', { period: w.month(s.period) })}
          head={[w.t('colSite'), w.t('colHeldForNetwork')]}
          numeric={[1]}
          rows={s.sites.filter((x) => x.heldForNetworkCents !== 0).map((x) => [x.siteName, w.money(x.heldForNetworkCents)])}
        />
      )}
      <p className="summary">
        {w.t('casesLabel')} {[w.tp('overlaps', c.overlaps.length), w.tp('rejected', c.rejected.length), w.tp('quarantined', c.quarantined.length), w.tp('priceDifferences', c.priceDifferences.length)].join(' · ')}
      </p>
    </>
  );
}

function CloseView({ result, names }: { result: CloseResultListing; names: Names | undefined }) {
  const w = useWords();
  const period = w.month(result.period);
  if (result.closed)
    return (
      <p className="notice ok" role="status">
        {w.t('periodClosed', { period, at: w.when(result.closedAt) })}
      </p>
    );
  return (
    <div className="notice warn" role="status">
      <p>{w.t('cannotClose', { period })}</p>
      {result.reason && <p className="small">{result.reason}</p>}
      <ul>
        {result.waitingFor.map((x) => (
          <li key={x.siteId}>{w.t('waitingFor', { site: names?.say('site', x.siteId) ?? x.siteId, watermark: w.when(x.watermark), needed: w.when(x.needed) })}</li>
        ))}
      </ul>
    </div>
  );
}

function SettlementSection({ token, onUnauthorised, onDownloaded }: SectionProps) {
  const w = useWords();
  const [period, setPeriod] = useState(lastMonth());
  const [asked, setAsked] = useState<string | undefined>();
  const [error, setError] = useState<AdminApiError | undefined>();
  const [closing, setClosing] = useState<CloseResultListing | undefined>();
  const loader = useCallback(() => adminCall(token, settlementSchema, 'GET', 'accounts/settlement', { period: asked }), [token, asked]);
  const [load, run] = useLoad(loader, onUnauthorised, false);
  const closedLoader = useCallback(() => adminCall(token, closedPeriodsSchema, 'GET', 'accounts/closed'), [token]);
  const [closed, reloadClosed] = useLoad(closedLoader, onUnauthorised);
  const namesLoader = useCallback(() => loadNames(token, ['site']), [token]);
  const [names] = useLoad(namesLoader, onUnauthorised);
  useEffect(() => {
    if (asked) run();
  }, [asked, run]);
  const close = () => {
    if (!asked || !window.confirm(w.t('closeConfirm', { period: w.month(asked) }))) return;
    setError(undefined);
    adminCall(token, closeResultSchema, 'POST', 'accounts/close', undefined, { period: asked }).then(
      (r) => {
        setClosing(r);
        run();
        reloadClosed();
      },
      (e: unknown) => setError(asApiError(e)),
    );
  };
  return (
    <section aria-labelledby="settlement-title">
      <h2 id="settlement-title">{w.t('sectionSettlement')}</h2>
      <form
        className="query"
        onSubmit={(e) => {
          e.preventDefault();
          setClosing(undefined);
          setAsked(period);
        }}
      >
        <Field label={w.t('month')}>{(id) => <MonthSelect id={id} required value={period} onChange={setPeriod} />}</Field>
        <button type="submit" className="primary">{w.t('showSettlement')}</button>
        {asked && (
          <>
            <Downloads token={token} route="accounts/settlement" query={{ period: asked }} what={w.t('settlementOf', { period: w.month(asked) })} onDownloaded={onDownloaded} onError={setError} />
            {/* A closed month never changes: nothing to close once it shows closed. */}
            {!(load.state === 'done' && load.value.status === 'closed') && (
              <button type="button" className="danger" onClick={close}>
                {w.t('closePeriod', { period: w.month(asked) })}
              </button>
            )}
          </>
        )}
      </form>
      {error && <Problem error={error} />}
      {closing && <CloseView result={closing} names={names.state === 'done' ? names.value : undefined} />}
      <Loaded load={load}>{(s) => <SettlementView settlement={s} />}</Loaded>
      <Loaded load={closed}>
        {(list) => (
          <p className="muted small">
            {w.t('closedMonths', { list: list.length === 0 ? w.t('noneYet') : list.map((p) => w.t('closedMonth', { period: w.month(p.period), at: w.when(p.closedAt) })).join(', ') })}
          </p>
        )}
      </Loaded>
    </section>
  );
}

// ——— Evaluation ———

function EvaluationView({ evaluation: e }: { evaluation: Evaluation }) {
  const w = useWords();
  const n = w.number;
  const facts: [string, string][] = [
    [w.t('factMembership'), e.trialUntil ? w.t('membershipTrial', { date: w.day(e.trialUntil) }) : w.t(e.membership === 'suspended' ? 'membershipSuspended' : 'membershipConfirmed')],
    [w.t('factVisits'), w.t('visitsSplit', { visits: n(e.visits), members: n(e.memberVisits), guests: n(e.guestVisits) })],
    [w.t('factDistinctMembers'), n(e.distinctMembers)],
    [w.t('factRoaming'), w.rate(e.roamingShareBp)],
    [w.t('factHoursHosted'), w.hours(e.hostedMinutes)],
    [w.t('factRevenue'), w.money(e.revenueNetCents)],
    [w.t('factStaffed'), w.t('staffedOf', { staffed: w.hours(e.staffedMinutes), open: w.hours(e.openingMinutes), share: w.rate(e.staffedShareBp) })],
    [w.t('factAutoClosed'), n(e.autoClosedVisits)],
    [w.t('factTills'), w.t('tillFacts', { closed: n(e.tills.closed), differences: n(e.tills.withDifference), short: w.money(e.tills.shortfallCents), over: w.money(e.tills.surplusCents) })],
    [
      w.t('factSync'),
      w.t('syncFacts', {
        streams: w.tp('streams', e.sync.streams),
        lastSeen: w.when(e.sync.lastSeen),
        watermark: w.when(e.sync.watermark),
        rejected: n(e.sync.rejectedEvents),
        quarantined: n(e.sync.quarantinedEvents),
        restores: n(e.sync.epochChanges),
        clock: n(e.sync.clockSkewAlerts),
      }),
    ],
    [
      w.t('factDevices'),
      e.devices.reported
        ? w.t('deviceFacts', { reader: n(e.devices.readerFaults), printer: n(e.devices.printerFaults), jobs: n(e.devices.printJobsFailed), down: w.hours(e.devices.downMinutes) }) +
          (e.devices.reportedSince ? w.t('reportedSince', { date: w.day(e.devices.reportedSince) }) : '')
        : w.t('notReported'),
    ],
  ];
  return (
    <>
      <h3>
        {e.siteName} · {w.month(e.from)} – {w.month(e.until)}
      </h3>
      <dl className="facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {/* Device figures only for months the site reported them: a zero would claim no fault. */}
      <Table caption={w.t('monthByMonth')} head={[w.t('month'), w.t('colVisits'), w.t('colHoursHosted'), w.t('colRevenue'), w.t('colDeviceFaults'), w.t('colDevicesDown'), w.t('colTills'), w.t('colTillDifferences')]} numeric={[1, 2, 3, 4, 5, 6, 7]}
        rows={e.months.map((m) => {
          const known = monthDevicesReported(e, m.period);
          return [w.month(m.period), n(m.visits), w.hours(m.hostedMinutes), w.money(m.revenueNetCents), known ? n(m.readerFaults + m.printerFaults) : '—', known ? w.hours(m.downMinutes) : '—', `${n(m.tills.closed)} (${n(m.tills.withDifference)})`,
            // No till closed: no difference to show, rather than two zeros.
            m.tills.closed === 0 ? '—' : `−${w.money(m.tills.shortfallCents)} / +${w.money(m.tills.surplusCents)}`];
        })} />
    </>
  );
}

function EvaluationSection({ token, onUnauthorised, onDownloaded }: SectionProps) {
  const w = useWords();
  const [site, setSite] = useState('');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [asked, setAsked] = useState<Query | undefined>();
  const [error, setError] = useState<AdminApiError | undefined>();
  const sitesLoader = useCallback(() => adminCall(token, z.array(siteSchema), 'GET', 'reference/site'), [token]);
  const [sites] = useLoad(sitesLoader, onUnauthorised);
  const loader = useCallback(() => adminCall(token, evaluationSchema, 'GET', 'accounts/evaluation', asked), [token, asked]);
  const [load, run] = useLoad(loader, onUnauthorised, false);
  useEffect(() => {
    if (asked) run();
  }, [asked, run]);
  return (
    <section aria-labelledby="evaluation-title">
      <h2 id="evaluation-title">{w.t('sectionEvaluation')}</h2>
      <form
        className="query"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked({ site, from, until });
        }}
      >
        <Field label={w.t('site')}>
          {(id) => (
            <select id={id} required value={site} onChange={(e) => setSite(e.target.value)}>
              <option value="">{w.t('chooseSite')}</option>
              {sites.state === 'done' &&
                sites.value.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.membership.status === 'trial' ? w.t('trialMark', { site: s.name }) : s.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field label={w.t('fromOptional')}>{(id) => <MonthSelect id={id} value={from} onChange={setFrom} />}</Field>
        <Field label={w.t('untilOptional')}>{(id) => <MonthSelect id={id} value={until} onChange={setUntil} />}</Field>
        <button type="submit" className="primary">{w.t('evaluate')}</button>
        {asked && <Downloads token={token} route="accounts/evaluation" query={asked} what={w.t('evaluationWhat')} onDownloaded={onDownloaded} onError={setError} />}
      </form>
      {error && <Problem error={error} />}
      <Loaded load={load}>{(e) => <EvaluationView evaluation={e} />}</Loaded>
    </section>
  );
}

// ——— Invoices and credit notes (issue 17) ———

function InvoiceFiles({ token, doc, onDownloaded, onError }: { token: string; doc: InvoiceListing[number]; onDownloaded: (what: string) => void; onError: (e: AdminApiError) => void }) {
  const w = useWords();
  const what = doc.kind === 'invoice' ? w.t('invoiceNumbered', { number: doc.number }) : w.t('creditNoteNumbered', { number: doc.number });
  const get = (ext: 'xml' | 'pdf') => () => download(token, `accounts/invoices/${doc.number}.${ext}`, {}).then(onDownloaded, (e: unknown) => onError(asApiError(e)));
  return (
    <span className="downloads">
      {doc.files.ubl && (
        <button type="button" onClick={get('xml')} aria-label={w.t('asUbl', { what })}>
          UBL
        </button>
      )}
      {doc.files.pdf && (
        <button type="button" onClick={get('pdf')} aria-label={w.t('asPdf', { what })}>
          PDF
        </button>
      )}
    </span>
  );
}

/** The desks' balances waiting for a payer's next invoice: money the network holds (or owes) that no document shows yet. */
function CarriedTable({ balances }: { balances: CarriedPrepaidListing }) {
  const w = useWords();
  if (balances.length === 0) return <p className="muted">{w.t('noCarried')}</p>;
  return (
    <Table
      caption={w.t('carriedCaption')}
      head={[w.t('payer'), w.t('colCarried')]}
      numeric={[1]}
      rows={balances.map((b) => [b.payerName, carriedAmount(w, b)])}
    />
  );
}

function InvoicesSection({ token, onUnauthorised, onDownloaded }: SectionProps) {
  const w = useWords();
  const [period, setPeriod] = useState(lastMonth());
  const [asked, setAsked] = useState<string | undefined>();
  const [error, setError] = useState<AdminApiError | undefined>();
  const loader = useCallback(() => adminCall(token, invoiceListingSchema, 'GET', 'accounts/invoices', { period: asked }), [token, asked]);
  const [load, run] = useLoad(loader, onUnauthorised, false);
  useEffect(() => {
    if (asked) run();
  }, [asked, run]);
  // The balances belong to no month (a running balance of every month issued so far): shown
  // whatever month is chosen, and read again after each listing, since listing a month closed
  // without the network's profile issues its documents and moves them.
  const carriedLoader = useCallback(() => adminCall(token, carriedPrepaidListingSchema, 'GET', 'accounts/invoices/carried'), [token]);
  const [carried, readCarried] = useLoad(carriedLoader, onUnauthorised);
  useEffect(() => {
    if (load.state === 'done' || load.state === 'failed') readCarried();
  }, [load.state, readCarried]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    // The same month asked again is read again (and the balances with it): a month may have been
    // issued, or a later one moved the balances, since it was shown.
    if (asked === period) run();
    else setAsked(period);
  };
  return (
    <section aria-labelledby="invoices-title">
      <h2 id="invoices-title">{w.t('sectionInvoices')}</h2>
      <form className="query" onSubmit={submit}>
        <Field label={w.t('month')}>{(id) => <MonthSelect id={id} required value={period} onChange={setPeriod} />}</Field>
        <button type="submit" className="primary">{w.t('showInvoices')}</button>
      </form>
      {error && <Problem error={error} />}
      <Loaded load={load}>
        {(docs) =>
          docs.length === 0 ? (
            <p className="muted">{w.t('noInvoice', { period: w.month(asked ?? '') })}</p>
          ) : (
            <>
              <p className="summary">
                {w.tp('invoicesSummary', docs.length, { period: w.month(asked ?? '') })}{' '}
                <button
                  type="button"
                  onClick={() => download(token, 'accounts/invoices.csv', { period: asked }).then(onDownloaded, (e: unknown) => setError(asApiError(e)))}
                >
                  {w.t('journalCsv')}
                </button>
              </p>
              <Table
                caption={w.t('invoicesOf', { period: w.month(asked ?? '') })}
                head={[w.t('colNumber'), w.t('colDocument'), w.t('payer'), w.t('colChannel'), w.t('colCommunication'), w.t('colNet'), w.t('colVat'), w.t('colGross'), w.t('colPaidAtDesks'), w.t('colInvoiceDue'), w.t('colFiles')]}
                numeric={[5, 6, 7, 8, 9]}
                rows={docs.map((d) => [
                  // A number cut at its hyphen reads as two: kept whole, the payer's words wrap instead.
                  <span className="nowrap">{d.number}</span>,
                  d.kind === 'invoice' ? w.t('kindInvoice') : w.t('kindCreditNote', { number: d.corrects ?? '—' }),
                  d.payerName,
                  w.t(d.channel === 'peppol' ? 'channelPeppol' : 'channelPdf'),
                  <span className="nowrap">{d.structuredCommunication}</span>,
                  w.money(d.totals.netCents),
                  w.money(d.totals.vatCents),
                  w.money(d.totals.grossCents),
                  paidAtDesks(w, d),
                  dueOf(w, d),
                  <InvoiceFiles token={token} doc={d} onDownloaded={onDownloaded} onError={setError} />,
                ])}
              />
            </>
          )
        }
      </Loaded>
      <div className="carried">
        <h3>{w.t('carriedTitle')}</h3>
        <Loaded load={carried}>{(balances) => <CarriedTable balances={balances} />}</Loaded>
      </div>
    </section>
  );
}

// ——— The page ———

const SECTIONS = [
  { id: 'sites', label: 'sectionSites', view: SitesSection },
  { id: 'cases', label: 'sectionCases', view: CasesSection },
  { id: 'plans', label: 'sectionPlans', view: PlansSection },
  { id: 'statements', label: 'sectionStatements', view: StatementsSection },
  { id: 'invoices', label: 'sectionInvoices', view: InvoicesSection },
  { id: 'settlement', label: 'sectionSettlement', view: SettlementSection },
  { id: 'evaluation', label: 'sectionEvaluation', view: EvaluationSection },
] as const;

function LanguageSwitch({ onChange }: { onChange: (l: Language) => void }) {
  const w = useWords();
  const id = useId();
  return (
    <span className="language">
      <label htmlFor={id}>{w.t('language')}</label>
      <select id={id} value={w.language} onChange={(e) => onChange(e.target.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </span>
  );
}

function SignIn({ onToken, refused, languageSwitch }: { onToken: (token: string) => void; refused: boolean; languageSwitch: ReactNode }) {
  const w = useWords();
  const [token, setToken] = useState('');
  return (
    <main className="sign-in">
      <div className="sign-in-head">
        <h1>{w.t('appTitle')}</h1>
        {languageSwitch}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) onToken(token.trim());
        }}
      >
        <label htmlFor="token">{w.t('adminToken')}</label>
        <input id="token" type="password" autoComplete="off" required value={token} onChange={(e) => setToken(e.target.value)} />
        <p className="muted small">{w.t('tokenHint')}</p>
        {refused && (
          <p className="problem" role="alert">
            {w.t('tokenRefused')}
          </p>
        )}
        <button type="submit" className="primary">
          {w.t('signIn')}
        </button>
      </form>
    </main>
  );
}

export function AdminApp() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const words = wordsOf(language);
  const [token, setToken] = useState<string | null>(() => tokenStore.get());
  const [refused, setRefused] = useState(false);
  const [section, setSection] = useState<(typeof SECTIONS)[number]['id']>('sites');
  const [notice, setNotice] = useState<string | undefined>();
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = wordsOf(language).t('appTitle');
  }, [language]);
  const onUnauthorised = useCallback(() => {
    tokenStore.clear();
    setRefused(true);
    setToken(null);
  }, []);
  const languageSwitch = (
    <LanguageSwitch
      onChange={(l) => {
        keepLanguage(l);
        setLanguage(l);
      }}
    />
  );
  if (!token)
    return (
      <WordsContext.Provider value={words}>
        <SignIn
          refused={refused}
          languageSwitch={languageSwitch}
          onToken={(t) => {
            tokenStore.set(t);
            setRefused(false);
            setToken(t);
          }}
        />
      </WordsContext.Provider>
    );
  const current = SECTIONS.find((s) => s.id === section)!;
  const View = current.view;
  return (
    <WordsContext.Provider value={words}>
      <div className="app">
        <header className="top">
          <h1>{words.t('appTitle')}</h1>
          <nav aria-label={words.t('sections')}>
            {SECTIONS.map((s) => (
              <button key={s.id} type="button" className={s.id === section ? 'tab current' : 'tab'} aria-current={s.id === section ? 'page' : undefined} onClick={() => {
                  setSection(s.id);
                  setNotice(undefined);
                }}>
                {words.t(s.label)}
              </button>
            ))}
          </nav>
          {languageSwitch}
          <button type="button" className="sign-out" onClick={() => { tokenStore.clear(); setToken(null); }}>
            {words.t('signOut')}
          </button>
        </header>
        <main>
          {notice && (
            <p className="notice ok" role="status">
              {notice}
            </p>
          )}
          {/* The notice names the file; said again in the language of the moment. */}
          <View key={current.id} token={token} onUnauthorised={onUnauthorised} onDownloaded={(name) => setNotice(words.t('downloaded', { name }))} />
        </main>
      </div>
    </WordsContext.Provider>
  );
}
