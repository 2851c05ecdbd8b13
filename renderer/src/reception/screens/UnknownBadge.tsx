// A reader read a badge the station does not know: its raw number is shown here so staff can
// assign it to a member on the spot (Alt+U searches). The member's next tap checks them in.
import { useDeviceName } from '../printer-names.js';
import { useState } from 'react';
import type { StationError } from '../../../../common/result.js';
import type { SearchHit } from '../../../../common/station-api.js';
import { useT } from '../i18n.js';
import { fullName, timeZoneOf, useSearch, useSession } from '../session.js';
import { Chip, FieldError, Kbd } from '../components.js';
import { moveInList } from './Search.js';

export interface UnknownRead {
  uid: string;
  at: string;
  source: string;
}

export function UnknownBadgeBanner({ read, more, onDone }: { read: UnknownRead; more: number; onDone(uid: string): void }) {
  const t = useT();
  const s = useSession();
  const [query, setQuery] = useState('');
  const found = useSearch(s.api, query, s.visitsVersion, 8);
  const [error, setError] = useState<StationError>();
  const deviceName = useDeviceName();

  const assign = async (hit: SearchHit) => {
    const r = await s.api.assignBadge({ memberId: hit.person.id, uid: read.uid, kind: 'rfid' });
    if (!r.ok) return setError(r.error);
    setError(undefined);
    setQuery('');
    s.notify({ kind: 'ok', text: t('badgeAssigned', { uid: r.value.uid, name: fullName(t, hit.person) }) });
    s.visitsChanged();
    onDone(read.uid);
  };

  const members = (found.data ?? []).filter((h) => h.person.kind === 'member');
  return (
    <section className="unknown-badge" aria-labelledby="unknown-badge-title">
      <div className="banner-head">
        <h2 id="unknown-badge-title">{t('unknownBadgeTitle', { uid: read.uid })}</h2>
        <span className="muted">
          {t('unknownBadgeRead', { time: t.time(read.at, timeZoneOf(s)), reader: deviceName(read.source) })}
          {more > 0 && ` · ${t('unknownBadgeMore', { n: more })}`}
        </span>
        <button type="button" className="button-quiet" onClick={() => onDone(read.uid)}>
          {t('dismiss')}
        </button>
      </div>
      <div className="field" onKeyDown={(e) => moveInList(e, 'unknown-badge-results', 'unknown-badge-search')}>
        <label htmlFor="unknown-badge-search">
          {t('unknownBadgeSearch')} <Kbd keys="Alt+U" />
        </label>
        <input
          id="unknown-badge-search"
          type="search"
          autoComplete="off"
          aria-keyshortcuts="Alt+U"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          {...(error ? { 'aria-invalid': true, 'aria-describedby': 'unknown-badge-error' } : {})}
        />
        <FieldError id="unknown-badge-error" error={error ?? found.error} />
      </div>
      {members.length > 0 && (
        <ul id="unknown-badge-results" className="pick-list" onKeyDown={(e) => moveInList(e, 'unknown-badge-results', 'unknown-badge-search')}>
          {members.map((h) => (
            <li key={h.person.id}>
              <button type="button" data-row-action className="button-primary" onClick={() => void assign(h)}>
                {t('assignTo', { name: fullName(t, h.person) })}
              </button>{' '}
              <span className="muted">{[h.person.company, h.email].filter(Boolean).join(' · ')}</span>{' '}
              {h.badges.length > 0 && <Chip tone="neutral">{t('hasBadges', { n: h.badges.length })}</Chip>}
              {h.status === 'blocked' && <Chip tone="bad">{t('statusBlocked')}</Chip>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
