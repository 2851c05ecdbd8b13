// The network's admin page: the operator types the hub's admin token, then watches the sites and
// their stations (online, last seen, watermark and lag), quarantine and cases, the plans, and the
// accounts — statements, the settlement (and the close of a month) and a site's evaluation, each
// downloadable as PDF or CSV. Everything shown was parsed with the schemas of common/.
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { z } from 'zod';
import { evaluationSchema, monthDevicesReported, settlementSchema, statementSchema, type Evaluation, type Settlement, type Statement } from '../../../common/accounts/reports.js';
import {
  alertListingSchema,
  closeResultSchema,
  closedPeriodsSchema,
  overlapListingSchema,
  quarantineListingSchema,
  stationListingSchema,
  streamListingSchema,
  type CloseResultListing,
  type StationListing,
  type StreamListing,
} from '../../../common/admin-api.js';
import { payerSchema, planSchema, quotaSchema, siteSchema, subscriptionSchema } from '../../../common/reference-data.js';
import { formatMoney, formatRateBp } from '../../../common/money.js';
import { AdminApiError, adminCall, download, tokenStore, type Query } from './api.js';

const money = (cents: number) => formatMoney(cents, 'en');
const TIME_ZONE = 'Europe/Brussels';
const when = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString('en-GB', { timeZone: TIME_ZONE, dateStyle: 'medium', timeStyle: 'short' }) : '—');
const hours = (minutes: number) => `${minutes < 0 ? '-' : ''}${Math.floor(Math.abs(minutes) / 60)}:${String(Math.abs(minutes) % 60).padStart(2, '0')} h`;
/** A line's quantity: minutes as hours (as the PDF shows them), anything else with its unit. */
const quantity = (q: number, unit: string) => (['min', 'minute', 'minutes'].includes(unit) ? hours(q) : `${q} ${unit}`);

/** A station clock's offset from the hub's: seconds when small, else the larger unit. */
function offset(ms: number): string {
  const s = Math.round(ms / 1000);
  const abs = Math.abs(s);
  if (abs < 120) return `${s} s`;
  if (abs < 7200) return `${Math.round(s / 60)} min`;
  if (abs < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

/** How long ago, in the largest whole unit: "3 min", "2 h 05", "4 days". */
function ago(iso: string | undefined, now: number): string {
  if (!iso) return '—';
  const ms = Math.max(0, now - Date.parse(iso));
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'under a minute';
  if (min < 60) return `${min} min`;
  if (min < 48 * 60) return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')}`;
  return `${Math.floor(min / 1440)} days`;
}

/** The month before this one, as YYYY-MM (the month an operator usually closes). */
function lastMonth(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

type Load<T> = { state: 'idle' } | { state: 'loading' } | { state: 'done'; value: T } | { state: 'failed'; error: AdminApiError };

/** Runs `loader` when asked (and at once when `auto`); keeps its value or its error. */
function useLoad<T>(loader: () => Promise<T>, onUnauthorised: () => void, auto = true): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>(auto ? { state: 'loading' } : { state: 'idle' });
  const run = useCallback(() => {
    setLoad({ state: 'loading' });
    loader().then(
      (value) => setLoad({ state: 'done', value }),
      (e: unknown) => {
        const error = e instanceof AdminApiError ? e : new AdminApiError('ERROR', (e as Error).message, 0);
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

function Problem({ error }: { error: AdminApiError }) {
  return (
    <p className="problem" role="alert">
      <strong>{error.code}</strong> {error.message}
    </p>
  );
}

function Loaded<T>({ load, children }: { load: Load<T>; children: (value: T) => ReactNode }) {
  if (load.state === 'loading') return <p className="muted" aria-live="polite">Loading…</p>;
  if (load.state === 'failed') return <Problem error={load.error} />;
  if (load.state === 'done') return <>{children(load.value)}</>;
  return null;
}

function Table({ caption, head, rows, numeric = [] }: { caption: string; head: string[]; rows: ReactNode[][]; numeric?: number[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" className={numeric.includes(i) ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={head.length} className="muted">
                None.
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
        <h2 id="sites-title">Sites &amp; stations</h2>
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      <Loaded load={load}>
        {({ sites, stations, streams, at }) => {
          const bySite = (list: { siteId: string }[], id: string) => list.filter((x) => x.siteId === id);
          /** The site's live stream: the one heard from last (a restored database starts a new epoch). */
          const live = (id: string) => (bySite(streams, id) as StreamListing[]).sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))[0];
          const stationCell = (list: StationListing[]) =>
            list.length === 0 ? (
              <span className="muted">none enrolled</span>
            ) : (
              <ul className="plain">
                {list.map((s) => (
                  <li key={s.id}>
                    <span className={`badge ${s.revokedAt ? 'off' : s.online ? 'ok' : 'idle'}`}>{s.revokedAt ? 'revoked' : s.online ? 'online' : 'offline'}</span> {s.name}
                  </li>
                ))}
              </ul>
            );
          return (
            <>
              <Table
                caption="Every site of the network, its stations and how up to date the hub is with it"
                head={['Site', 'Region', 'Stars', 'Membership', 'Stations', 'Last seen', 'Watermark', 'Lag', 'Events held']}
                numeric={[2, 8]}
                rows={sites.map((site) => {
                  const stream = live(site.id);
                  return [
                    <>
                      <strong>{site.name}</strong>
                      <div className="muted small">{site.id}</div>
                    </>,
                    site.region,
                    '★'.repeat(site.stars),
                    site.membership.status === 'trial' ? `trial until ${site.membership.trialUntil}` : site.membership.status,
                    stationCell(bySite(stations, site.id) as StationListing[]),
                    when(stream?.lastSeen),
                    when(stream?.caughtUpAt),
                    stream?.caughtUpAt ? ago(stream.caughtUpAt, at) : '—',
                    stream ? String(stream.ackedSeq) : '—',
                  ];
                })}
              />
              <Table
                caption="Streams (one per station database; the backlog is known only to the station)"
                head={['Site', 'Epoch', 'Acked seq', 'First seen', 'Last seen', 'Watermark', 'Clock offset']}
                numeric={[2, 6]}
                rows={streams.map((s) => [s.siteId, <code key="e">{s.epoch.slice(0, 8)}</code>, String(s.ackedSeq), when(s.firstSeen), when(s.lastSeen), when(s.caughtUpAt), offset(s.lastClockOffsetMs)])}
              />
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

// ——— Quarantine and cases ———

function CasesSection({ token, onUnauthorised }: SectionProps) {
  const loader = useCallback(async () => {
    const [quarantine, alerts, overlaps] = await Promise.all([
      adminCall(token, z.array(quarantineListingSchema), 'GET', 'quarantine', { limit: '200' }),
      adminCall(token, z.array(alertListingSchema), 'GET', 'alerts', { limit: '200' }),
      adminCall(token, z.array(overlapListingSchema), 'GET', 'overlaps', { limit: '200' }),
    ]);
    return { quarantine, alerts, overlaps };
  }, [token]);
  const [load, reload] = useLoad(loader, onUnauthorised);
  return (
    <section aria-labelledby="cases-title">
      <div className="section-head">
        <h2 id="cases-title">Quarantine and cases</h2>
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      <Loaded load={load}>
        {({ quarantine, alerts, overlaps }) => (
          <>
            <Table caption="Quarantined events (same place in a stream, other content)" head={['Site', 'Epoch', 'Seq', 'Reason', 'Received']} numeric={[2]}
              rows={quarantine.map((q) => [q.siteId, <code key="e">{q.epoch.slice(0, 8)}</code>, String(q.seq), q.reason, when(q.receivedAt)])} />
            <Table caption="Alerts" head={['Kind', 'Site', 'Detail', 'At']} rows={alerts.map((a) => [a.kind, a.siteId, a.detail, when(a.at)])} />
            <Table caption="Overlap cases (a member on site at two sites at once)" head={['Member', 'Site A', 'Visit A', 'Site B', 'Visit B', 'Detected']}
              rows={overlaps.map((o) => [o.memberId, o.siteA, <code key="a">{o.visitA}</code>, o.siteB, <code key="b">{o.visitB}</code>, when(o.detectedAt)])} />
          </>
        )}
      </Loaded>
    </section>
  );
}

// ——— Plans ———

function PlansSection({ token, onUnauthorised }: SectionProps) {
  const loader = useCallback(async () => {
    const [plans, subscriptions, quotas] = await Promise.all([
      adminCall(token, z.array(planSchema), 'GET', 'reference/plan'),
      adminCall(token, z.array(subscriptionSchema), 'GET', 'reference/subscription'),
      adminCall(token, z.array(quotaSchema), 'GET', 'reference/quota'),
    ]);
    return { plans, subscriptions, quotas };
  }, [token]);
  const [load] = useLoad(loader, onUnauthorised);
  return (
    <section aria-labelledby="plans-title">
      <h2 id="plans-title">Plans</h2>
      <Loaded load={load}>
        {({ plans, subscriptions, quotas }) => (
          <>
            <Table caption="Passes" head={['Plan', 'Name', 'Monthly fee (excl. VAT)', 'VAT', 'Sites']} numeric={[2, 3]}
              rows={plans.map((p) => [p.id, p.name, money(p.monthlyFeeCents), formatRateBp(p.vatRateBp, 'en'), p.sites === 'all' ? 'every site' : p.sites.join(', ')])} />
            <Table caption="Subscriptions" head={['Subscription', 'Member', 'Plan', 'From', 'Until']}
              rows={subscriptions.map((s) => [s.id, s.memberId, s.planId, s.from, s.until ?? 'until cancelled'])} />
            <Table caption="Company hour quotas" head={['Quota', 'Payer', 'Name', 'Hours', 'Used', 'Price (excl. VAT)', 'Valid']} numeric={[3, 4, 5]}
              rows={quotas.map((q) => [q.id, q.payerId, q.name, hours(q.minutes), hours(Object.values(q.used).reduce((n, m) => n + m, 0)), money(q.priceCents), `${q.validFrom} – ${q.validUntil}`])} />
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

function Downloads({ token, route, query, onDownloaded, onError, what }: { token: string; route: string; query: Query; onDownloaded: (what: string) => void; onError: (e: AdminApiError) => void; what: string }) {
  const get = (ext: 'pdf' | 'csv') => () =>
    download(token, `${route}.${ext}`, query).then(onDownloaded, (e: unknown) => onError(e instanceof AdminApiError ? e : new AdminApiError('ERROR', String(e), 0)));
  return (
    <span className="downloads">
      <button type="button" onClick={get('pdf')} aria-label={`${what} as PDF`}>
        PDF
      </button>
      <button type="button" onClick={get('csv')} aria-label={`${what} as CSV`}>
        CSV
      </button>
    </span>
  );
}

function StatementView({ statement: s }: { statement: Statement }) {
  const members = new Map(s.members.map((m) => [m.memberId, m.name]));
  return (
    <article className="card" aria-label={`Statement of ${s.payerName}`}>
      <header className="card-head">
        <h3>{s.payerName}</h3>
        <span className={`badge ${s.status === 'closed' ? 'ok' : 'warn'}`}>{s.status}</span>
        <span className="muted small">
          {s.payerId} · {s.payerVatNumber ?? 'no VAT number'} · {s.language.toUpperCase()}
        </span>
      </header>
      <dl className="totals">
        <div><dt>Net</dt><dd>{money(s.totals.netCents)}</dd></div>
        <div><dt>VAT</dt><dd>{money(s.totals.vatCents)}</dd></div>
        <div><dt>Gross</dt><dd>{money(s.totals.grossCents)}</dd></div>
      </dl>
      <details>
        <summary>{s.lines.length} lines</summary>
        <Table
          caption={`Lines of ${s.payerName}'s statement`}
          head={['Kind', 'Description', 'Member', 'Site', 'Quantity', 'Unit price', 'VAT rate', 'Net', 'VAT', 'Gross']}
          numeric={[4, 5, 6, 7, 8, 9]}
          rows={s.lines.map((l) => [
            l.kind === 'adjustment' ? `adjusts ${l.adjustsPeriod ?? ''}` : l.kind.replace('_', ' '),
            l.description,
            l.memberId ? members.get(l.memberId) ?? l.memberId : '',
            l.siteName ?? l.siteId ?? '',
            quantity(l.quantity, l.unit),
            money(l.unitPriceCents),
            formatRateBp(l.vatRateBp, 'en'),
            money(l.netCents),
            money(l.vatCents),
            money(l.grossCents),
          ])}
        />
      </details>
    </article>
  );
}

function StatementsSection({ token, onUnauthorised, onDownloaded }: SectionProps) {
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
      <h2 id="statements-title">Statements</h2>
      <form className="query" onSubmit={submit}>
        <Field label="Month">{(id) => <input id={id} type="month" required value={period} onChange={(e) => setPeriod(e.target.value)} />}</Field>
        <Field label="Payer">
          {(id) => (
            <select id={id} value={payer} onChange={(e) => setPayer(e.target.value)}>
              <option value="">Every payer</option>
              {payers.state === 'done' && payers.value.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          )}
        </Field>
        <button type="submit" className="primary">Show statements</button>
        {asked && <Downloads token={token} route="accounts/statements" query={asked} what={`Statements of ${asked.period}`} onDownloaded={onDownloaded} onError={setError} />}
      </form>
      {error && <Problem error={error} />}
      <Loaded load={load}>
        {(statements) =>
          statements.length === 0 ? (
            <p className="muted">No statement for {asked?.period}.</p>
          ) : (
            <>
              <p className="summary">
                {statements.length} statement{statements.length === 1 ? '' : 's'} for {asked?.period} · gross {money(statements.reduce((n, s) => n + s.totals.grossCents, 0))}
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
  const c = s.cases;
  return (
    <>
      <p className="summary">
        <span className={`badge ${s.status === 'closed' ? 'ok' : 'warn'}`}>{s.status}</span> network fee {formatRateBp(s.networkFeeBp, 'en')} · agent commission {formatRateBp(s.commissionBp, 'en')}
      </p>
      <Table
        caption={`What the network owes each center for ${s.period}`}
        head={['Site', 'Pay as you go', 'Pass hours', 'Quota hours', 'Pass share', 'Quota share', 'Gross due', 'Network fee', 'Due', 'Commission', 'Payout']}
        numeric={[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}
        rows={s.sites.map((x) => [x.siteName, money(x.paygNetCents), hours(x.passMinutes), hours(x.quotaMinutes), money(x.passShareCents), money(x.quotaShareCents), money(x.grossDueCents), money(x.networkFeeCents), money(x.dueCents), money(x.commissionCents), money(x.payoutCents)])}
      />
      <dl className="totals wide">
        <div><dt>Billed (net)</dt><dd>{money(s.network.billedNetCents)}</dd></div>
        <div><dt>Pass revenue</dt><dd>{money(s.network.passRevenueCents)}</dd></div>
        <div><dt>Quota revenue</dt><dd>{money(s.network.quotaRevenueCents)}</dd></div>
        <div><dt>Fees</dt><dd>{money(s.network.feesCents)}</dd></div>
        <div><dt>Commissions</dt><dd>{money(s.network.commissionsCents)}</dd></div>
        <div><dt>Undistributed</dt><dd>{money(s.network.undistributedCents)}</dd></div>
        <div><dt>Retained</dt><dd>{money(s.network.retainedCents)}</dd></div>
      </dl>
      <p className="summary">
        Cases: {c.overlaps.length} overlaps · {c.rejected.length} rejected events · {c.quarantined.length} quarantined · {c.priceDifferences.length} price differences
      </p>
    </>
  );
}

function CloseView({ result }: { result: CloseResultListing }) {
  if (result.closed)
    return (
      <p className="notice ok" role="status">
        {result.period} is closed ({when(result.closedAt)}): its statements and settlement no longer change; later events become adjustments.
      </p>
    );
  return (
    <div className="notice warn" role="status">
      <p>{result.period} cannot close yet: these sites have not sent everything up to the period&apos;s end plus the grace days.</p>
      <ul>
        {result.waitingFor.map((w) => (
          <li key={w.siteId}>
            {w.siteId}: complete up to {when(w.watermark)}, needs {when(w.needed)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function SettlementSection({ token, onUnauthorised, onDownloaded }: SectionProps) {
  const [period, setPeriod] = useState(lastMonth());
  const [asked, setAsked] = useState<string | undefined>();
  const [error, setError] = useState<AdminApiError | undefined>();
  const [closing, setClosing] = useState<CloseResultListing | undefined>();
  const loader = useCallback(() => adminCall(token, settlementSchema, 'GET', 'accounts/settlement', { period: asked }), [token, asked]);
  const [load, run] = useLoad(loader, onUnauthorised, false);
  const closedLoader = useCallback(() => adminCall(token, closedPeriodsSchema, 'GET', 'accounts/closed'), [token]);
  const [closed, reloadClosed] = useLoad(closedLoader, onUnauthorised);
  useEffect(() => {
    if (asked) run();
  }, [asked, run]);
  const close = () => {
    if (!asked || !window.confirm(`Close ${asked} for good? Its statements and settlement will never change again.`)) return;
    setError(undefined);
    adminCall(token, closeResultSchema, 'POST', 'accounts/close', undefined, { period: asked }).then(
      (r) => {
        setClosing(r);
        run();
        reloadClosed();
      },
      (e: unknown) => setError(e instanceof AdminApiError ? e : new AdminApiError('ERROR', String(e), 0)),
    );
  };
  return (
    <section aria-labelledby="settlement-title">
      <h2 id="settlement-title">Settlement</h2>
      <form
        className="query"
        onSubmit={(e) => {
          e.preventDefault();
          setClosing(undefined);
          setAsked(period);
        }}
      >
        <Field label="Month">{(id) => <input id={id} type="month" required value={period} onChange={(e) => setPeriod(e.target.value)} />}</Field>
        <button type="submit" className="primary">Show settlement</button>
        {asked && (
          <>
            <Downloads token={token} route="accounts/settlement" query={{ period: asked }} what={`Settlement of ${asked}`} onDownloaded={onDownloaded} onError={setError} />
            {/* A closed month never changes: nothing to close once it shows closed. */}
            {!(load.state === 'done' && load.value.status === 'closed') && (
              <button type="button" className="danger" onClick={close}>
                Close {asked}
              </button>
            )}
          </>
        )}
      </form>
      {error && <Problem error={error} />}
      {closing && <CloseView result={closing} />}
      <Loaded load={load}>{(s) => <SettlementView settlement={s} />}</Loaded>
      <Loaded load={closed}>
        {(list) => <p className="muted small">Closed months: {list.length === 0 ? 'none yet' : list.map((p) => `${p.period} (${when(p.closedAt)})`).join(', ')}</p>}
      </Loaded>
    </section>
  );
}

// ——— Evaluation ———

function EvaluationView({ evaluation: e }: { evaluation: Evaluation }) {
  const facts: [string, string][] = [
    ['Membership', e.membership + (e.trialUntil ? ` until ${e.trialUntil}` : '')],
    ['Visits', `${e.visits} (${e.memberVisits} members, ${e.guestVisits} guests)`],
    ['Distinct members', String(e.distinctMembers)],
    ['Roaming members', formatRateBp(e.roamingShareBp, 'en')],
    ['Hours hosted', hours(e.hostedMinutes)],
    ['Revenue (net)', money(e.revenueNetCents)],
    ['Staffed reception', `${hours(e.staffedMinutes)} of ${hours(e.openingMinutes)} open (${formatRateBp(e.staffedShareBp, 'en')})`],
    ['Visits closed automatically', String(e.autoClosedVisits)],
    ['Sync', `${e.sync.streams} streams · last seen ${when(e.sync.lastSeen)} · complete up to ${when(e.sync.watermark)} · ${e.sync.rejectedEvents} rejected · ${e.sync.quarantinedEvents} quarantined · ${e.sync.epochChanges} restores · ${e.sync.clockSkewAlerts} clock alerts`],
    [
      'Devices',
      e.devices.reported
        ? `${e.devices.readerFaults} reader faults · ${e.devices.printerFaults} printer faults · ${e.devices.printJobsFailed} failed print jobs · down ${hours(e.devices.downMinutes)}` +
          (e.devices.reportedSince ? ` · reported since ${e.devices.reportedSince}` : '')
        : 'not reported',
    ],
  ];
  return (
    <>
      <h3>
        {e.siteName} · {e.from} – {e.until}
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
      <Table caption="Month by month" head={['Month', 'Visits', 'Hours hosted', 'Revenue (net)', 'Device faults', 'Devices down']} numeric={[1, 2, 3, 4, 5]}
        rows={e.months.map((m) => {
          const known = monthDevicesReported(e, m.period);
          return [m.period, String(m.visits), hours(m.hostedMinutes), money(m.revenueNetCents), known ? String(m.readerFaults + m.printerFaults) : '—', known ? hours(m.downMinutes) : '—'];
        })} />
    </>
  );
}

function EvaluationSection({ token, onUnauthorised, onDownloaded }: SectionProps) {
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
      <h2 id="evaluation-title">Evaluation</h2>
      <form
        className="query"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked({ site, from, until });
        }}
      >
        <Field label="Site">
          {(id) => (
            <select id={id} required value={site} onChange={(e) => setSite(e.target.value)}>
              <option value="">Choose a site</option>
              {sites.state === 'done' && sites.value.map((s) => <option key={s.id} value={s.id}>{s.name}{s.membership.status === 'trial' ? ' (trial)' : ''}</option>)}
            </select>
          )}
        </Field>
        <Field label="From (optional)">{(id) => <input id={id} type="month" value={from} onChange={(e) => setFrom(e.target.value)} />}</Field>
        <Field label="Until (optional)">{(id) => <input id={id} type="month" value={until} onChange={(e) => setUntil(e.target.value)} />}</Field>
        <button type="submit" className="primary">Evaluate</button>
        {asked && <Downloads token={token} route="accounts/evaluation" query={asked} what="Evaluation" onDownloaded={onDownloaded} onError={setError} />}
      </form>
      {error && <Problem error={error} />}
      <Loaded load={load}>{(e) => <EvaluationView evaluation={e} />}</Loaded>
    </section>
  );
}

// ——— The page ———

const SECTIONS = [
  { id: 'sites', label: 'Sites & stations', view: SitesSection },
  { id: 'cases', label: 'Quarantine & cases', view: CasesSection },
  { id: 'plans', label: 'Plans', view: PlansSection },
  { id: 'statements', label: 'Statements', view: StatementsSection },
  { id: 'settlement', label: 'Settlement', view: SettlementSection },
  { id: 'evaluation', label: 'Evaluation', view: EvaluationSection },
] as const;

function SignIn({ onToken, refused }: { onToken: (token: string) => void; refused: boolean }) {
  const [token, setToken] = useState('');
  return (
    <main className="sign-in">
      <h1>Escale — network admin</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) onToken(token.trim());
        }}
      >
        <label htmlFor="token">Admin token</label>
        <input id="token" type="password" autoComplete="off" required value={token} onChange={(e) => setToken(e.target.value)} />
        <p className="muted small">The hub&apos;s admin token (escale-hub serve --admin-token). Kept in this tab only.</p>
        {refused && (
          <p className="problem" role="alert">
            The hub refused that token. Check it and try again.
          </p>
        )}
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
    </main>
  );
}

export function AdminApp() {
  const [token, setToken] = useState<string | null>(() => tokenStore.get());
  const [refused, setRefused] = useState(false);
  const [section, setSection] = useState<(typeof SECTIONS)[number]['id']>('sites');
  const [notice, setNotice] = useState<string | undefined>();
  const onUnauthorised = useCallback(() => {
    tokenStore.clear();
    setRefused(true);
    setToken(null);
  }, []);
  if (!token)
    return (
      <SignIn
        refused={refused}
        onToken={(t) => {
          tokenStore.set(t);
          setRefused(false);
          setToken(t);
        }}
      />
    );
  const current = SECTIONS.find((s) => s.id === section)!;
  const View = current.view;
  return (
    <div className="app">
      <header className="top">
        <h1>Escale — network admin</h1>
        <nav aria-label="Sections">
          {SECTIONS.map((s) => (
            <button key={s.id} type="button" className={s.id === section ? 'tab current' : 'tab'} aria-current={s.id === section ? 'page' : undefined} onClick={() => {
                setSection(s.id);
                setNotice(undefined);
              }}>
              {s.label}
            </button>
          ))}
        </nav>
        <button type="button" className="sign-out" onClick={() => { tokenStore.clear(); setToken(null); }}>
          Sign out
        </button>
      </header>
      <main>
        {notice && (
          <p className="notice ok" role="status">
            {notice}
          </p>
        )}
        <View key={current.id} token={token} onUnauthorised={onUnauthorised} onDownloaded={(name) => setNotice(`Downloaded ${name}.`)} />
      </main>
    </div>
  );
}
