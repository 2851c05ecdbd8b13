// Today's visits: everyone who came today, on site or gone, with duration and amount.
import { useT } from '../i18n.js';
import { fullName, timeZoneOf, useLoad, useSession } from '../session.js';
import { visitsOfDay } from '../today-visits.js';
import { Chip, FieldError, Loading } from '../components.js';

export function TodayScreen() {
  const t = useT();
  const s = useSession();
  const timeZone = timeZoneOf(s);
  const visits = useLoad(() => (s.today ? visitsOfDay(s.api, s.today.date, s.today.timeZone) : undefined), [s.api, s.today, s.visitsVersion]);
  const list = visits.data ?? [];
  return (
    <section aria-labelledby="today-title">
      <h1 id="today-title" tabIndex={-1} data-autofocus>
        {t('todayTitle', { n: list.length })}
      </h1>
      {s.today && <p className="muted">{t.day(s.today.date)}</p>}
      <FieldError id="today-error" error={visits.error} />
      {visits.loading && !visits.data ? (
        <Loading text={t('loading')} />
      ) : list.length === 0 ? (
        <p className="empty">{t('noVisitsToday')}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t('todayCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colName')}</th>
              <th scope="col">{t('colCheckedIn')}</th>
              <th scope="col">{t('colCheckedOut')}</th>
              <th scope="col" className="num">
                {t('colDuration')}
              </th>
              <th scope="col" className="num">
                {t('colTotal')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('colActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((v) => (
              <tr key={v.visitId} className={v.voided ? 'is-voided' : undefined}>
                <th scope="row">
                  {fullName(t, v.person)} {v.person.kind === 'guest' && <Chip tone="info">{t('statusGuest')}</Chip>}
                  {v.person.company && <span className="muted block">{v.person.company}</span>}
                </th>
                <td>
                  {t.time(v.checkedInAt, timeZone)} <span className="muted">{t(v.checkedInBy === 'badge' ? 'byBadge' : 'byStaff')}</span>
                </td>
                <td>
                  {v.voided ? (
                    <Chip tone="bad">{t('voidedChip')}</Chip>
                  ) : v.checkedOutAt ? (
                    <>
                      {t.time(v.checkedOutAt, timeZone)} {v.autoClosed && <Chip tone="warn">{t('autoClosedChip')}</Chip>}
                    </>
                  ) : (
                    <Chip tone="ok">{t('onSiteChip')}</Chip>
                  )}
                </td>
                <td className="num">{t.duration(v.durationMinutes)}</td>
                <td className="num">{t.money(v.totals.grossCents)}</td>
                <td>
                  <button type="button" onClick={() => s.openVisit(v.visitId)} aria-label={t('openVisitOf', { name: fullName(t, v.person) })}>
                    {t('openVisit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
