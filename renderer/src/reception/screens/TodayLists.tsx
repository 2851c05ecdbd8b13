// What the reception opens on: today — who is on site now, then who came and went — rather than an
// empty search. Each row opens the visit (its panel); ↑/↓ move between rows as in the results.
import type { VisitDetail } from '../../../../common/station-api.js';
import { useT } from '../i18n.js';
import { fullName, timeZoneOf, useLoad, useSession } from '../session.js';
import { visitsOfDay } from '../today-visits.js';
import { FieldError } from '../components.js';

function VisitRows({ visits, timeZone }: { visits: VisitDetail[]; timeZone: string }) {
  const t = useT();
  const s = useSession();
  return (
    <ul className="results">
      {visits.map((v) => (
        <li key={v.visitId} className="result">
          <button type="button" data-row-action className="row-open" onClick={() => s.openVisit(v.visitId)}>
            <span className="who">
              <strong>
                <span className="visually-hidden">{t('openVisitOf', { name: '' }).trim()} </span>
                {fullName(t, v.person)}
              </strong>
              <span className="muted">
                {[
                  v.person.company,
                  t('arrivedAt', { time: t.time(v.checkedInAt, timeZone) }),
                  v.checkedOutAt ? t('leftAt', { time: t.time(v.checkedOutAt, timeZone) }) : undefined,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function TodayLists() {
  const t = useT();
  const s = useSession();
  const timeZone = timeZoneOf(s);
  const visits = useLoad(() => (s.today ? visitsOfDay(s.api, s.today.date, s.today.timeZone) : undefined), [s.api, s.today, s.visitsVersion]);
  const all = (visits.data ?? []).filter((v) => !v.voided);
  const onSite = all.filter((v) => !v.checkedOutAt);
  const gone = all.filter((v) => v.checkedOutAt);
  return (
    <div id="today-lists" data-testid="today-lists">
      <FieldError id="today-lists-error" error={visits.error} />
      <h2 id="today-on-site-title">{t('deskOnSiteNow', { n: onSite.length })}</h2>
      {onSite.length === 0 ? <p className="empty">{t('deskNobodyOnSite')}</p> : <VisitRows visits={onSite} timeZone={timeZone} />}
      <h2 id="today-gone-title">{t('deskLeftToday', { n: gone.length })}</h2>
      {gone.length === 0 ? <p className="empty">{t('deskNobodyLeft')}</p> : <VisitRows visits={gone} timeZone={timeZone} />}
    </div>
  );
}
