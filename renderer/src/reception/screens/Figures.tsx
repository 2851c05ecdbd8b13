// The day's figures: visits, people, hours hosted, amounts, and a bar chart of the amount of
// each service (plain SVG), with the same numbers in a table.
import { useEffect, useState } from 'react';
import type { DayFigures } from '../../../../common/station-api.js';
import { useT, type Words } from '../i18n.js';
import { useLoad, useSession } from '../session.js';
import { FieldError, Loading } from '../components.js';

function Chart({ rows, t }: { rows: { code: string; name: string; grossCents: number; quantity: string }[]; t: Words }) {
  const max = Math.max(1, ...rows.map((r) => r.grossCents));
  const labelWidth = 230;
  const barArea = 380;
  const rowHeight = 34;
  const height = rows.length * rowHeight + 10;
  return (
    <svg className="chart" viewBox={`0 0 ${labelWidth + barArea + 110} ${height}`} role="img" aria-labelledby="chart-title chart-desc" data-testid="figures-chart">
      <title id="chart-title">{t('chartTitle')}</title>
      <desc id="chart-desc">{rows.map((r) => `${r.name}: ${t.money(r.grossCents)}`).join('; ')}</desc>
      {rows.map((r, i) => {
        const y = 5 + i * rowHeight;
        const w = Math.max(2, Math.round((r.grossCents / max) * barArea));
        return (
          <g key={r.code} data-service={r.code}>
            <text x={labelWidth - 10} y={y + rowHeight / 2} textAnchor="end" dominantBaseline="middle" className="chart-label">
              {r.name}
            </text>
            <rect x={labelWidth} y={y + 5} width={w} height={rowHeight - 10} rx={3} className="chart-bar" />
            <text x={labelWidth + w + 8} y={y + rowHeight / 2} dominantBaseline="middle" className="chart-value">
              {t.money(r.grossCents)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function FiguresScreen() {
  const t = useT();
  const s = useSession();
  const [date, setDate] = useState(s.today?.date ?? '');
  useEffect(() => {
    if (!date && s.today) setDate(s.today.date);
  }, [s.today, date]);
  const figures = useLoad(() => s.api.dayFigures(date ? { date } : {}), [s.api, date, s.visitsVersion]);
  const services = useLoad(() => s.api.services({ language: t.language }), [s.api, t.language]);
  const f: DayFigures | undefined = figures.data;
  const nameOf = (code: string, fallback: string) => services.data?.find((o) => o.code === code)?.name ?? fallback;
  const rows = (f?.byService ?? []).map((b) => {
    const unit = services.data?.find((o) => o.code === b.serviceCode)?.unit;
    return { code: b.serviceCode, name: nameOf(b.serviceCode, b.serviceName), grossCents: b.grossCents, netCents: b.netCents, vatCents: b.vatCents, quantity: unit === 'hour' ? t.duration(b.billedQuantity) : t.number(b.billedQuantity) };
  });

  return (
    <section aria-labelledby="figures-title">
      <div className="screen-head">
        <h1 id="figures-title">{t('figuresTitle')}</h1>
        <div className="field inline">
          <label htmlFor="figures-date">{t('day')}</label>
          <input id="figures-date" type="date" data-autofocus value={date} onChange={(e) => setDate(e.target.value)} {...(figures.error ? { 'aria-invalid': true, 'aria-describedby': 'figures-error' } : {})} />
        </div>
      </div>
      <FieldError id="figures-error" error={figures.error} />
      {!f ? (
        <Loading text={t('loading')} />
      ) : (
        <>
          <p className="muted">{t.day(f.date)}</p>
          <ul className="tiles" aria-label={t('figuresSummary')}>
            <li>
              <span className="tile-value">{t.number(f.visits)}</span>
              <span className="tile-label">{t('figVisits')}</span>
            </li>
            <li>
              <span className="tile-value">{t.number(f.distinctMembers)}</span>
              <span className="tile-label">{t('figMembers')}</span>
            </li>
            <li>
              <span className="tile-value">{t.number(f.guests)}</span>
              <span className="tile-label">{t('figGuests')}</span>
            </li>
            <li>
              <span className="tile-value">{t.number(f.onSiteNow)}</span>
              <span className="tile-label">{t('figOnSite')}</span>
            </li>
            <li>
              <span className="tile-value">{t.duration(f.minutesHosted)}</span>
              <span className="tile-label">{t('figHours')}</span>
            </li>
            <li>
              <span className="tile-value">{t.money(f.totals.grossCents)}</span>
              <span className="tile-label">{t('figRevenue', { net: t.money(f.totals.netCents) })}</span>
            </li>
          </ul>
          {(f.autoClosed > 0 || f.voidedVisits > 0) && <p className="muted">{t('figCorrections', { auto: f.autoClosed, voided: f.voidedVisits })}</p>}
          <h2>{t('byService')}</h2>
          {rows.length === 0 ? (
            <p className="empty">{t('noConsumptionDay')}</p>
          ) : (
            <>
              <Chart rows={rows} t={t} />
              <table className="table compact">
                <caption className="visually-hidden">{t('byService')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('colService')}</th>
                    <th scope="col" className="num">
                      {t('colQuantity')}
                    </th>
                    <th scope="col" className="num">
                      {t('colNet')}
                    </th>
                    <th scope="col" className="num">
                      {t('colVat')}
                    </th>
                    <th scope="col" className="num">
                      {t('colTotal')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.code}>
                      <th scope="row">{r.name}</th>
                      <td className="num">{r.quantity}</td>
                      <td className="num">{t.money(r.netCents)}</td>
                      <td className="num">{t.money(r.vatCents)}</td>
                      <td className="num">{t.money(r.grossCents)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{t('total')}</th>
                    <td />
                    <td className="num">{t.money(f.totals.netCents)}</td>
                    <td className="num">{t.money(f.totals.vatCents)}</td>
                    <td className="num">{t.money(f.totals.grossCents)}</td>
                  </tr>
                </tfoot>
              </table>
            </>
          )}
        </>
      )}
    </section>
  );
}
