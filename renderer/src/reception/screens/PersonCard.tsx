// A person found at the desk: what tells them apart from a homonym (company, member number, on site
// since…), and — on their own card, opened from the list — the actions, each disabled with its
// reason when the station would refuse it.
import { useEffect, useRef, useState } from 'react';
import type { StationError } from '../../../../common/result.js';
import type { SearchHit } from '../../../../common/station-api.js';
import { useT, type Words } from '../i18n.js';
import { fullName, timeZoneOf, useSession } from '../session.js';
import { Chip, FieldError } from '../components.js';

const badgeStatusKey = (status: string) => (status === 'active' ? 'badgeActive' : status === 'lost' ? 'badgeLost' : 'badgeRevoked');

/** What tells this person apart, as one line: company, e-mail, member number, on site since. */
export function distinguishing(t: Words, hit: SearchHit, timeZone: string): string {
  return [
    hit.person.company,
    hit.email,
    hit.memberNumber ? t('memberNumber', { id: hit.memberNumber }) : undefined,
    hit.onSiteSince ? t('onSiteSince', { time: t.time(hit.onSiteSince, timeZone) }) : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * A search row's content (inside its button: phrasing content only); `action`, what the button does,
 * is heard before the name by a screen reader and not shown.
 */
export function HitSummary({ hit, timeZone, action }: { hit: SearchHit; timeZone: string; action: string }) {
  const t = useT();
  return (
    <span className="who">
      <strong>
        <span className="visually-hidden">{action} </span>
        {fullName(t, hit.person)}
      </strong>
      <span className="muted">{distinguishing(t, hit, timeZone)}</span>
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
            {t('badgeChip', { uid: b.uid, status: t(badgeStatusKey(b.status)) })}
          </Chip>
        ))}
      </span>
    </span>
  );
}

/** Why checking this person in cannot succeed, or undefined when it can. */
export function checkInBlocker(t: Words, hit: SearchHit, timeZone: string): string | undefined {
  if (hit.person.kind === 'guest') return t('guestNotOnSite');
  if (hit.status === 'blocked') return t('checkInBlockedReason');
  if (hit.openVisitId && hit.onSiteSince) return t('alreadyOnSiteReason', { time: t.time(hit.onSiteSince, timeZone) });
  return undefined;
}

export function PersonCard({ hit, onClose }: { hit: SearchHit; onClose: () => void }) {
  const t = useT();
  const s = useSession();
  const timeZone = timeZoneOf(s);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<StationError>();
  const heading = useRef<HTMLHeadingElement>(null);
  // The card takes the focus, not its button: Enter on a row opens, it never checks in.
  useEffect(() => heading.current?.focus(), [hit.person.id]);
  const blocker = checkInBlocker(t, hit, timeZone);
  const refusedBadges = hit.badges.filter((b) => b.status !== 'active');

  const checkIn = async () => {
    setBusy(true);
    const r = await s.api.checkIn({ memberId: hit.person.id });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(undefined);
    s.notify({ kind: 'ok', text: t('checkedIn', { name: fullName(t, hit.person), time: t.time(r.value.checkedInAt, timeZone) }) });
    s.visitsChanged();
    onClose();
  };

  return (
    <section className="card person-card" aria-labelledby="person-card-title" data-testid="person-card">
      <h2 id="person-card-title" ref={heading} tabIndex={-1}>
        {fullName(t, hit.person)}
      </h2>
      <p className="muted">{distinguishing(t, hit, timeZone)}</p>
      {refusedBadges.map((b) => (
        <p key={b.uid} className="hint">
          {t('badgeRefusedReason', { uid: b.uid, status: t(badgeStatusKey(b.status)) })}
        </p>
      ))}
      <div className="actions">
        {hit.person.kind === 'member' && (
          <button type="button" className="button-primary" disabled={busy || blocker !== undefined} aria-describedby={blocker ? 'person-card-blocker' : undefined} onClick={() => void checkIn()}>
            {t('checkIn')}
          </button>
        )}
        {hit.openVisitId && (
          <button type="button" onClick={() => s.openVisit(hit.openVisitId!)}>
            {t('openVisit')}
          </button>
        )}
        <button type="button" className="button-quiet" onClick={onClose}>
          {t('closePersonCard')}
        </button>
      </div>
      {blocker && (
        <p id="person-card-blocker" className="hint" data-testid="person-card-blocker">
          {blocker}
        </p>
      )}
      <FieldError id="person-card-error" error={error} />
    </section>
  );
}
