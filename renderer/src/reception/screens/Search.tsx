// Search members and guests (by name, company, e-mail, member number or badge), check in and out.
// Keyboard: Alt+S here, type, ↓ to the results, ↑/↓ between them, Enter on the action.
import { useState, type KeyboardEvent } from 'react';
import type { StationError } from '../../../../common/result.js';
import type { SearchHit } from '../../../../common/station-api.js';
import { useT } from '../i18n.js';
import { fullName, useSearch, useSession } from '../session.js';
import { Chip, FieldError, Kbd } from '../components.js';

/** ↑/↓ between the rows' first buttons; ↑ from the first row back to `input`. */
export function moveInList(e: KeyboardEvent<HTMLElement>, listId: string, inputId: string): void {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const rows = [...document.querySelectorAll<HTMLElement>(`#${listId} [data-row-action]`)];
  if (rows.length === 0) return;
  const i = rows.indexOf(document.activeElement as HTMLElement);
  e.preventDefault();
  if (e.key === 'ArrowDown') rows[Math.min(i + 1, rows.length - 1)]!.focus();
  else if (i <= 0) document.getElementById(inputId)?.focus();
  else rows[i - 1]!.focus();
}

export function SearchScreen() {
  const t = useT();
  const s = useSession();
  const [query, setQuery] = useState('');
  const found = useSearch(s.api, query, s.visitsVersion);
  const [rowError, setRowError] = useState<{ id: string; error: StationError }>();
  const [busy, setBusy] = useState<string>();

  const checkIn = async (hit: SearchHit) => {
    setBusy(hit.person.id);
    const r = await s.api.checkIn({ memberId: hit.person.id });
    setBusy(undefined);
    if (!r.ok) return setRowError({ id: hit.person.id, error: r.error });
    setRowError(undefined);
    s.notify({ kind: 'ok', text: t('checkedIn', { name: fullName(t, hit.person), time: t.time(r.value.checkedInAt, s.today?.timeZone ?? 'Europe/Brussels') }) });
    s.visitsChanged();
  };
  const checkOut = async (hit: SearchHit) => {
    if (!hit.openVisitId) return;
    setBusy(hit.person.id);
    const r = await s.api.checkOut({ visitId: hit.openVisitId });
    setBusy(undefined);
    if (!r.ok) return setRowError({ id: hit.person.id, error: r.error });
    setRowError(undefined);
    s.notify({ kind: 'ok', text: t('checkedOut', { name: fullName(t, hit.person), total: t.money(r.value.totals.grossCents) }) });
    s.visitsChanged();
    s.openVisit(r.value.visitId);
  };

  const hits = found.data ?? [];
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{t('searchTitle')}</h1>
      <div className="field search-field" onKeyDown={(e) => moveInList(e, 'search-results', 'search-input')}>
        <label htmlFor="search-input">
          {t('searchLabel')} <Kbd keys="Alt+S" />
        </label>
        <input
          id="search-input"
          data-autofocus
          type="search"
          autoComplete="off"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-describedby="search-help"
          aria-controls="search-results"
        />
        <p id="search-help" className="hint">
          {t('searchHelp')}
        </p>
        <FieldError id="search-error" error={found.error} />
      </div>
      <p className="muted" role="status">
        {found.settled === '' ? '' : found.loading && !found.data ? t('searching') : hits.length === 0 ? t('noResults', { query: found.settled }) : t('resultCount', { n: hits.length })}
      </p>
      <ul id="search-results" className="results" onKeyDown={(e) => moveInList(e, 'search-results', 'search-input')}>
        {hits.map((hit) => (
          <li key={`${hit.person.kind}-${hit.person.id}`} className="result">
            <div className="who">
              <strong>{fullName(t, hit.person)}</strong>
              <span className="muted">
                {[hit.person.company, hit.email, hit.person.kind === 'member' ? t('memberNumber', { id: hit.person.id }) : undefined].filter(Boolean).join(' · ')}
              </span>
              <span className="chips">
                {hit.status === 'active' && <Chip tone="ok">{t('statusActive')}</Chip>}
                {hit.status === 'blocked' && <Chip tone="bad">{t('statusBlocked')}</Chip>}
                {hit.status === 'guest' && <Chip tone="info">{t('statusGuest')}</Chip>}
                {hit.openVisitId && <Chip tone="info">{t('onSiteChip')}</Chip>}
                {hit.signUp && hit.signUp !== 'confirmed' && (
                  // Signed up here, not (yet) a confirmed network member: the clerk sees where it stands.
                  <Chip tone={hit.signUp === 'awaiting' ? 'info' : hit.signUp === 'merged' ? 'neutral' : 'warn'}>
                    {t(hit.signUp === 'awaiting' ? 'signUpAwaiting' : hit.signUp === 'duplicate_case' ? 'signUpCaseChip' : hit.signUp === 'merged' ? 'signUpMergedChip' : 'signUpRefusedChip')}
                  </Chip>
                )}
                {hit.badges.map((b) => (
                  <Chip key={b.uid} tone={b.status === 'active' ? 'neutral' : 'warn'}>
                    {t('badgeChip', { uid: b.uid, status: t(b.status === 'active' ? 'badgeActive' : b.status === 'lost' ? 'badgeLost' : 'badgeRevoked') })}
                  </Chip>
                ))}
              </span>
            </div>
            <div className="actions">
              {hit.openVisitId ? (
                <>
                  <button type="button" data-row-action className="button-primary" disabled={busy === hit.person.id} onClick={() => void checkOut(hit)}>
                    {t('checkOut')}
                  </button>
                  <button type="button" onClick={() => s.openVisit(hit.openVisitId!)}>
                    {t('openVisit')}
                  </button>
                </>
              ) : hit.person.kind === 'member' ? (
                <button type="button" data-row-action className="button-primary" disabled={busy === hit.person.id} onClick={() => void checkIn(hit)}>
                  {t('checkIn')}
                </button>
              ) : (
                <span className="muted">{t('guestNotOnSite')}</span>
              )}
            </div>
            {rowError?.id === hit.person.id && <FieldError id={`row-error-${hit.person.id}`} error={rowError.error} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
