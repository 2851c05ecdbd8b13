// Sync with the hub: online or not, the backlog of events the hub has not acknowledged (with the
// progress of the current round), the last successful sync, and events the hub rejected.
import { hubItem } from '../health.js';
import { useT } from '../i18n.js';
import { timeZoneOf, useLoad, useSession } from '../session.js';
import { Chip, FieldError, Loading } from '../components.js';

export function SyncScreen() {
  const t = useT();
  const s = useSession();
  const timeZone = timeZoneOf(s);
  const status = useLoad(() => s.api.syncStatus({}), [s.api, s.statusVersion], 2000);
  const st = status.data;
  const progress = st ? (st.progress && st.progress.total > 0 ? st.progress : { sent: st.backlog === 0 ? 1 : 0, total: 1 }) : undefined;
  const percent = progress ? Math.round((progress.sent / progress.total) * 100) : 0;
  const minutes = (ms: number) => t.duration(Math.round(ms / 60_000));
  return (
    <section aria-labelledby="sync-title">
      <h1 id="sync-title" tabIndex={-1} data-autofocus>
        {t('syncTitle')}
      </h1>
      <FieldError id="sync-error" error={status.error} />
      {!st ? (
        <Loading text={t('loading')} />
      ) : (
        <>
          <dl className="facts wide">
            <dt>{t('hub')}</dt>
            <dd>{st.configured ? st.hubUrl : <Chip tone="warn">{t('hubNotConfigured')}</Chip>}</dd>
            <dt>{t('connectionToHub')}</dt>
            <dd data-testid="sync-online">{st.online ? <Chip tone="ok">{t('online')}</Chip> : <Chip tone="warn">{t('offlineHub')}</Chip>}</dd>
            <dt>{t('backlog')}</dt>
            <dd data-testid="sync-backlog">
              {st.backlog === 0 ? t('backlogNone') : t('backlogEvents', { n: st.backlog })}
              {st.oldestUnsyncedAt && st.backlog > 0 && (
                <span className="muted block">
                  {t('oldestUnsynced', { time: t.dateTime(st.oldestUnsyncedAt, timeZone), age: minutes(st.oldestUnsyncedAgeMs ?? 0) })}
                </span>
              )}
            </dd>
            <dt id="sync-progress-label">{t('progress')}</dt>
            <dd>
              <div
                className="progress"
                role="progressbar"
                aria-labelledby="sync-progress-label"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={percent}
                aria-valuetext={st.progress ? t('progressText', { sent: st.progress.sent, total: st.progress.total }) : `${percent} %`}
              >
                <div className="progress-bar" style={{ width: `${percent}%` }} />
              </div>
              <span className="muted">{st.progress ? t('progressText', { sent: st.progress.sent, total: st.progress.total }) : `${percent} %`}</span>
            </dd>
            <dt>{t('lastSync')}</dt>
            <dd data-testid="sync-last">{st.lastSuccessAt ? t.dateTime(st.lastSuccessAt, timeZone) : t('never')}</dd>
            {st.lastError && (
              <>
                <dt>{t('lastError')}</dt>
                <dd>
                  {st.online ? t('syncLastErrorPassed') : (hubItem(t, st, timeZone).problem ?? '')}
                  <details className="device-error">
                    <summary>{t('stripDetails')}</summary>
                    {st.lastError}
                  </details>
                </dd>
              </>
            )}
          </dl>
          <h2>{t('problemsTitle', { n: st.problems.length })}</h2>
          {st.problems.length === 0 ? (
            <p className="empty">{t('noProblems')}</p>
          ) : (
            <table className="table compact">
              <caption className="visually-hidden">{t('problemsTitle', { n: st.problems.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('colWhen')}</th>
                  <th scope="col">{t('colKind')}</th>
                  <th scope="col">{t('colEvent')}</th>
                  <th scope="col">{t('colReason')}</th>
                </tr>
              </thead>
              <tbody>
                {st.problems.map((p) => (
                  <tr key={`${p.epoch}-${p.seq}`}>
                    <td>{t.dateTime(p.at, timeZone)}</td>
                    <td>
                      <Chip tone={p.kind === 'rejected' ? 'warn' : 'bad'}>{t(p.kind === 'rejected' ? 'rejected' : 'quarantined')}</Chip>
                    </td>
                    <th scope="row">#{p.seq}</th>
                    <td>{p.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
