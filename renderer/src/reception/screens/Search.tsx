// Search members and guests (by name, company, e-mail, member number or badge); with nothing typed,
// today: who is on site now and who came today.
// Keyboard: Alt+S here, type, ↓ to the results, ↑/↓ between them, Enter OPENS the person: their
// visit panel when they are on site, their card (with check-in) otherwise. Nothing in a list acts
// on a person: a homonym one row off must never be checked in or out by ↓ Enter.
import { useState, type KeyboardEvent } from 'react';
import type { SearchHit } from '../../../../common/station-api.js';
import { useT } from '../i18n.js';
import { timeZoneOf, useSearch, useSession } from '../session.js';
import { FieldError, Kbd } from '../components.js';
import { HitSummary, PersonCard } from './PersonCard.js';
import { TodayLists } from './TodayLists.js';

/** ↑/↓ between the rows' buttons; ↑ from the first row back to `input`. */
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
  const [chosen, setChosen] = useState<{ kind: string; id: string }>();
  const timeZone = timeZoneOf(s);

  const hits = found.data ?? [];
  const open = (hit: SearchHit) => {
    // On site: their visit (check-out, lines, corrections) is the person's panel.
    if (hit.openVisitId) return s.openVisit(hit.openVisitId);
    setChosen({ kind: hit.person.kind, id: hit.person.id });
  };
  // The card follows the search's answers, so it shows what the station says now (checked in elsewhere…).
  const card = chosen ? hits.find((h) => h.person.kind === chosen.kind && h.person.id === chosen.id) : undefined;
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{t('searchTitle')}</h1>
      <div className="field search-field" onKeyDown={(e) => moveInList(e, query.trim() === '' ? 'today-lists' : 'search-results', 'search-input')}>
        <label htmlFor="search-input">
          {t('searchLabel')} <Kbd keys="Alt+S" />
        </label>
        <input
          id="search-input"
          data-autofocus
          type="search"
          autoComplete="off"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setChosen(undefined);
          }}
          aria-describedby="search-help"
          aria-controls={query.trim() === '' ? 'today-lists' : 'search-results'}
        />
        <p id="search-help" className="hint">
          {t('deskSearchHelp')}
        </p>
        <FieldError id="search-error" error={found.error} />
      </div>
      {card && <PersonCard hit={card} onClose={() => setChosen(undefined)} />}
      {query.trim() === '' ? (
        <TodayLists />
      ) : (
        <>
          <p className="muted" role="status">
            {found.settled === '' ? '' : found.loading && !found.data ? t('searching') : hits.length === 0 ? t('noResults', { query: found.settled }) : t('resultCount', { n: hits.length })}
          </p>
          <ul id="search-results" className="results" onKeyDown={(e) => moveInList(e, 'search-results', 'search-input')}>
            {hits.map((hit) => (
              <li key={`${hit.person.kind}-${hit.person.id}`} className={`result${card === hit ? ' is-chosen' : ''}`}>
                <button type="button" data-row-action className="row-open" onClick={() => open(hit)}>
                  <HitSummary hit={hit} timeZone={timeZone} action={t(hit.openVisitId ? 'openVisitOf' : 'openPersonOf', { name: '' }).trim()} />
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
