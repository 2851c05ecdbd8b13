// Who is on site now: the evacuation list. "Print" (Alt+E) prints a clean list — names,
// company or host, check-in time — through the print stylesheet; the rest of the window is hidden.
import { useEffect, useState } from 'react';
import type { StationError } from '../../../../common/result.js';
import type { OnSiteEntry } from '../../../../common/station-api.js';
import { useT } from '../i18n.js';
import { fullName, timeZoneOf, useLoad, useSession } from '../session.js';
import { shortcutLetter } from '../keys.js';
import { Chip, FieldError, Kbd, Loading } from '../components.js';

export function OnSiteScreen() {
  const t = useT();
  const s = useSession();
  const list = useLoad(() => s.api.onSite({}), [s.api, s.visitsVersion], 30_000);
  const [printedAt, setPrintedAt] = useState(() => new Date().toISOString());
  const [rowError, setRowError] = useState<{ id: string; error: StationError }>();
  const timeZone = timeZoneOf(s);

  const print = () => {
    setPrintedAt(new Date().toISOString());
    // Let React paint the time of printing first.
    requestAnimationFrame(() => window.print());
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (shortcutLetter(e) === 'E') {
        e.preventDefault();
        print();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const checkOut = async (entry: OnSiteEntry) => {
    const r = await s.api.checkOut({ visitId: entry.visitId });
    if (!r.ok) return setRowError({ id: entry.visitId, error: r.error });
    setRowError(undefined);
    s.notify({ kind: 'ok', text: t('checkedOut', { name: fullName(t, entry.person), total: t.money(r.value.totals.grossCents) }) });
    s.visitsChanged();
    s.openVisit(entry.visitId);
  };

  const entries = list.data ?? [];
  return (
    <section className="evacuation" aria-labelledby="onsite-title">
      <div className="screen-head">
        <h1 id="onsite-title" tabIndex={-1} data-autofocus>
          {t('onSiteTitle', { n: entries.length })}
        </h1>
        <button type="button" className="button-primary no-print" aria-keyshortcuts="Alt+E" onClick={print}>
          {t('printEvacuation')} <Kbd keys="Alt+E" />
        </button>
      </div>
      <p className="print-only print-heading">
        {t('evacuationHeading', { site: s.site?.name ?? '', time: t.dateTime(printedAt, timeZone), n: entries.length })}
      </p>
      <FieldError id="onsite-error" error={list.error} />
      {list.loading && !list.data ? (
        <Loading text={t('loading')} />
      ) : entries.length === 0 ? (
        <p className="empty">{t('nobodyOnSite')}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t('onSiteCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colName')}</th>
              <th scope="col">{t('colCompanyHost')}</th>
              <th scope="col">{t('colCheckedIn')}</th>
              <th scope="col" className="print-only">
                {t('colPresent')}
              </th>
              <th scope="col" className="no-print">
                <span className="visually-hidden">{t('colActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.visitId}>
                <th scope="row">
                  {e.person.purged ? t('purgedGuest') : `${e.person.lastName}, ${e.person.firstName}`}{' '}
                  {e.person.kind === 'guest' && (
                    <span className="no-print">
                      <Chip tone="info">{t('statusGuest')}</Chip>
                    </span>
                  )}
                  {e.person.kind === 'guest' && <span className="print-only"> ({t('statusGuest')})</span>}
                </th>
                <td>{[e.person.company, e.hostName ? t('hostedBy', { host: e.hostName }) : undefined].filter(Boolean).join(' · ') || '—'}</td>
                <td>{t.time(e.checkedInAt, timeZone)}</td>
                <td className="print-only">☐</td>
                <td className="no-print actions">
                  <button type="button" onClick={() => s.openVisit(e.visitId)} aria-label={t('openVisitOf', { name: fullName(t, e.person) })}>
                    {t('openVisit')}
                  </button>
                  <button type="button" onClick={() => void checkOut(e)} aria-label={t('checkOutOf', { name: fullName(t, e.person) })}>
                    {t('checkOut')}
                  </button>
                  {rowError?.id === e.visitId && <FieldError id={`onsite-row-${e.visitId}`} error={rowError.error} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
