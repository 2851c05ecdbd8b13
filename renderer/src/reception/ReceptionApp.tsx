// The reception window: for staff at the front desk. A clerk signs in with a PIN; every action is
// done under that shift. Screens: on site now (and the evacuation list), search and check-in,
// walk-in guests, new network members (agent sale), today's visits, the day's figures, devices, sync and settings; a visit panel
// for consumption, corrections and printing; a banner when a reader reads an unknown badge.
// Keyboard-first: Alt+letter reaches every screen, Enter submits, Escape closes the visit panel.
import { sayError } from '../shared/say-error.js';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Language, Site } from '../../../common/reference-data.js';
import type { Shift, StationApi } from '../../../common/station-api.js';
import type { Result, StationError } from '../../../common/result.js';
import type { IdentityRead } from '../../../common/readers/pcsc-protocol.js';
import { t as sharedT } from '../shared/i18n.js';
import type { StationConnection } from '../shared/station-client.js';
import { DismissNoticeContext, LanguageContext, storeLanguage, storedLanguage, wordsFor, type ReceptionKey } from './i18n.js';
import { SessionContext, fullName, type Notice, type Session } from './session.js';
import { Brand, Kbd, LanguageSwitch } from './components.js';
import { focusFirst, shortcutLetter } from './keys.js';
import { SignIn } from './screens/SignIn.js';
import { SearchScreen } from './screens/Search.js';
import { OnSiteScreen } from './screens/OnSite.js';
import { TodayScreen } from './screens/Today.js';
import { GuestScreen } from './screens/Guest.js';
import { SignUpScreen } from './screens/SignUp.js';
import { FiguresScreen } from './screens/Figures.js';
import { DevicesScreen } from './screens/Devices.js';
import { SyncScreen } from './screens/Sync.js';
import { SettingsScreen } from './screens/Settings.js';
import { VisitPanel } from './screens/VisitPanel.js';
import { TillBanner, TillScreen } from './screens/Till.js';
import { UnknownBadgeBanner, type UnknownRead } from './screens/UnknownBadge.js';
import { EID_PROBLEM_KEYS } from './eid-problems.js';
import { StatusStrip, useStationHealth } from './StatusStrip.js';
import { healthItems, needsAttention } from './health.js';
import type { OpeningNow } from '../../../common/site-hours.js';

export type Screen = 'search' | 'onsite' | 'guest' | 'signup' | 'today' | 'till' | 'figures' | 'devices' | 'sync' | 'settings';

/** The screens in the order of the menu, with their Alt+letter. */
export const NAV: { screen: Screen; label: ReceptionKey; letter: string }[] = [
  { screen: 'search', label: 'navSearch', letter: 'S' },
  { screen: 'onsite', label: 'navOnSite', letter: 'O' },
  { screen: 'guest', label: 'navGuest', letter: 'G' },
  { screen: 'signup', label: 'navSignUp', letter: 'N' },
  { screen: 'today', label: 'navToday', letter: 'T' },
  { screen: 'till', label: 'navTill', letter: 'C' },
  { screen: 'figures', label: 'navFigures', letter: 'F' },
  { screen: 'devices', label: 'navDevices', letter: 'D' },
  { screen: 'sync', label: 'navSync', letter: 'Y' },
  { screen: 'settings', label: 'navSettings', letter: 'P' },
];

/** A refused tap as the clerk hears it, by the station's reason. */
const TAP_REFUSED_KEYS = { badge_lost: 'deskTapRefusedLost', badge_revoked: 'deskTapRefusedRevoked', member_blocked: 'deskTapRefusedBlocked' } as const satisfies Record<string, ReceptionKey>;

/** Screens only a supervisor reaches (the station's settings: its hub). */
const SUPERVISOR_SCREENS: ReadonlySet<Screen> = new Set(['settings']);

export function ReceptionApp({ station }: { station: StationConnection }) {
  const [language, setLanguage] = useState<Language>(storedLanguage);
  const t = useMemo(() => wordsFor(language), [language]);
  const [connected, setConnected] = useState(station.connected);
  const [paired, setPaired] = useState(station.paired);
  useEffect(() => station.onPaired(setPaired), [station]);
  const [shift, setShift] = useState<Shift>();
  const [sessionEnded, setSessionEnded] = useState(false);
  // The station holds the clerk's session: when it says the session is gone (inactivity, the
  // shift ended, the station restarted), the reception goes back to the sign-in screen.
  const api = useMemo(
    () =>
      new Proxy(station.api, {
        get: (target, method: string) => async (input: unknown) => {
          const r = await (target[method as keyof StationApi] as (i: unknown) => Promise<Result<unknown>>)(input);
          if (!r.ok && (r.error.code === 'SIGN_IN_REQUIRED' || r.error.code === 'SESSION_EXPIRED')) {
            setShift(undefined);
            setSessionEnded(true);
          }
          return r;
        },
      }),
    [station],
  );
  const [site, setSite] = useState<Site>();
  const [today, setToday] = useState<{ date: string; timeZone: string }>();
  const [opening, setOpening] = useState<OpeningNow>();
  const [screen, setScreen] = useState<Screen>('search');
  const [focusRequest, setFocusRequest] = useState(0);
  const [visitId, setVisitId] = useState<string>();
  const [unknown, setUnknown] = useState<UnknownRead[]>([]);
  const [notice, setNotice] = useState<Notice & { n: number }>();
  const [visitsVersion, setVisitsVersion] = useState(0);
  const [statusVersion, setStatusVersion] = useState(0);
  // Kept as the station said it, so a language switch says it again in the new language.
  const [signOutError, setSignOutError] = useState<StationError>();
  /** The last eID read at a reader, until the guest screen has taken it. */
  const [card, setCard] = useState<{ read: IdentityRead; n: number }>();

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('windowTitle');
    storeLanguage(language);
    // A notice was said in the language left behind: it goes rather than stay in another language.
    setNotice(undefined);
  }, [language, t]);

  useEffect(() => {
    const off = station.onConnection(setConnected);
    // The socket may have opened before this effect ran.
    setConnected(station.connected);
    return off;
  }, [station]);

  // A clerk still signed in at this window (a reloaded page) carries on; otherwise the sign-in screen.
  useEffect(() => {
    if (!connected) return;
    let live = true;
    void api.staffSession({}).then((r) => {
      if (live && r.ok) setShift(r.value.shift);
    });
    return () => {
      live = false;
    };
  }, [api, connected]);

  // The site: on connecting. The station's own day: once signed in, when visits change, and every minute.
  useEffect(() => {
    if (!connected) return;
    let live = true;
    void api.siteProfile({}).then((r) => live && r.ok && setSite(r.value));
    return () => {
      live = false;
    };
  }, [api, connected]);
  useEffect(() => {
    if (!connected || !shift) return;
    let live = true;
    const load = () => {
      void api.dayFigures({}).then((r) => {
        if (!live || !r.ok) return;
        setToday((d) => (d?.date === r.value.date && d.timeZone === r.value.timeZone ? d : { date: r.value.date, timeZone: r.value.timeZone }));
      });
    };
    const loadOpening = () => {
      void api.siteOpening({}).then((r) => live && r.ok && setOpening(r.value));
    };
    load();
    loadOpening();
    const timer = setInterval(() => {
      load();
      loadOpening();
    }, 60_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, connected, shift, visitsVersion]);

  const notify = useCallback((n: Notice) => setNotice((old) => ({ ...n, n: (old?.n ?? 0) + 1 })), []);
  // A new error shown anywhere ends a success notice: "saved" must never stand beside what failed next.
  const dismissOkNotice = useCallback(() => setNotice((current) => (current?.kind === 'ok' ? undefined : current)), []);
  // A notice says what just happened: it goes after a while, so an old one is never read as new.
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice((current) => (current?.n === notice.n ? undefined : current)), 15_000);
    return () => clearTimeout(timer);
  }, [notice]);
  const visitsChanged = useCallback(() => setVisitsVersion((v) => v + 1), []);

  // What the station's readers and other windows say.
  useEffect(
    () =>
      station.onHostMessage((m) => {
        if (m.kind === 'changed') {
          if (m.what === 'visits') setVisitsVersion((v) => v + 1);
          else setStatusVersion((v) => v + 1);
          return;
        }
        // A card read for a form is the form's (card-read.ts): not a tap, nothing to say here.
        if (m.kind === 'cardRead') return;
        if (m.kind === 'identity') {
          // An eID put in a reception reader: the walk-in guest form takes it (or says why not).
          setCard((old) => ({ read: m.read, n: (old?.n ?? 0) + 1 }));
          setScreen('guest');
          notify(
            m.read.ok
              ? { kind: 'ok', text: t('eidReadNotice', { name: `${m.read.identity.firstNames} ${m.read.identity.lastName}`.trim() }) }
              : { kind: 'warn', text: t('eidFailedNotice', { reason: t(EID_PROBLEM_KEYS[m.read.problem]) }) },
          );
          return;
        }
        setVisitsVersion((v) => v + 1);
        if (!m.result.ok) {
          notify({ kind: 'warn', text: t('tapFailed', { message: sayError(t.language, m.result.error) }) });
          return;
        }
        const r = m.result.value;
        const name = (p: { firstName: string; lastName: string; purged?: true }) => fullName(t, p);
        if (r.outcome === 'unknown_badge') {
          setUnknown((list) => [{ uid: r.uid, at: m.read.at, source: m.read.source }, ...list.filter((u) => u.uid !== r.uid)].slice(0, 5));
          notify({ kind: 'warn', text: t('unknownBadgeNotice', { uid: r.uid }) });
        } else if (r.outcome === 'checked_in') notify({ kind: 'ok', text: t('tapCheckedIn', { name: name(r.visit.person), uid: r.visit.badgeUid ?? '' }) });
        else if (r.outcome === 'checked_out') notify({ kind: 'ok', text: t('tapCheckedOut', { name: name(r.visit.person), total: t.money(r.visit.totals.grossCents) }) });
        // Said to the clerk, in their words: never the kiosk's "please see the reception".
        else if (r.outcome === 'refused') notify({ kind: 'warn', text: t(TAP_REFUSED_KEYS[r.reason], { uid: r.uid, name: r.person ? name(r.person) : r.uid }) });
      }),
    [station, t, notify],
  );

  const go = useCallback((s: Screen) => {
    setScreen(s);
    setSignOutError(undefined);
    setFocusRequest((n) => n + 1);
  }, []);

  useEffect(() => {
    if (shift) focusFirst(document.getElementById('main'));
  }, [screen, focusRequest, shift]);

  // Alt+letter: the screens; Alt+U: the unknown badge's member search.
  useEffect(() => {
    if (!shift) return;
    const onKey = (e: KeyboardEvent) => {
      const letter = shortcutLetter(e);
      if (!letter) return;
      const item = NAV.find((n) => n.letter === letter && (shift.role === 'supervisor' || !SUPERVISOR_SCREENS.has(n.screen)));
      if (item) {
        e.preventDefault();
        go(item.screen);
      } else if (letter === 'U' && unknown.length > 0) {
        e.preventDefault();
        document.getElementById('unknown-badge-search')?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shift, go, unknown.length]);

  const openVisit = useCallback((id: string) => setVisitId(id), []);
  const takeCard = useCallback((n: number) => setCard((c) => (c?.n === n ? undefined : c)), []);
  const closeVisit = useCallback(() => {
    setVisitId(undefined);
    focusFirst(document.getElementById('main'));
  }, []);

  const signOut = async () => {
    if (!shift) return;
    const r = await api.staffSignOut({ shiftId: shift.shiftId });
    if (!r.ok) {
      setSignOutError(r.error);
      return;
    }
    setSignOutError(undefined);
    setShift(undefined);
    setVisitId(undefined);
    setScreen('search');
    notify({ kind: 'ok', text: t('signedOut', { name: r.value.staffName }) });
  };

  const openTill = useCallback(() => go('till'), [go]);
  const session: Session | undefined = useMemo(
    () =>
      shift
        ? { station, api, shift, site, today, visitsVersion, statusVersion, notify, openVisit, visitsChanged, openTill }
        : undefined,
    [station, api, shift, site, today, visitsVersion, statusVersion, notify, openVisit, visitsChanged, openTill],
  );

  const timeZone = site?.timeZone ?? today?.timeZone ?? 'Europe/Brussels';
  const health = useStationHealth(api, connected, shift !== undefined, statusVersion);
  // "Connected" in green only when the hub, every reader and every printer work too.
  const toCheck = needsAttention(healthItems(t, { ...health, timeZone })).length;
  const supervisor = shift?.role === 'supervisor';
  const nav = useMemo(() => NAV.filter((n) => supervisor || !SUPERVISOR_SCREENS.has(n.screen)), [supervisor]);

  return (
    <LanguageContext.Provider value={language}>
      <DismissNoticeContext.Provider value={dismissOkNotice}>
      <div className={`app${session ? ' is-desk' : ''}${visitId ? ' with-panel' : ''}`}>
        <a className="skip-link" href="#main">
          {t('skipToContent')}
        </a>
        <header className="topbar">
          <Brand window={t('reception')}>
            {site && (
              <span className="site-name">
                {site.name}{' '}
                <span className="stars" role="img" aria-label={t('stars', { n: site.stars })}>
                  {'★'.repeat(site.stars)}
                </span>
              </span>
            )}
          </Brand>
          <div className="topbar-right">
            {/* Before sign-in the devices are not known (they are the desk's to see): no green yet. */}
            <span className={`connection ${!connected ? 'is-down' : toCheck > 0 ? 'is-warn' : shift ? 'is-up' : 'is-unknown'}`} data-testid="connection">
              {!connected ? t('stationDisconnected') : toCheck > 0 ? t('stripToCheck', { n: toCheck }) : t('stationConnected')}
            </span>
            <LanguageSwitch language={language} label={t('language')} onChoose={setLanguage} />
            {shift && (
              <div className="shift">
                <span className="shift-who" data-testid="shift">
                  {t('onDuty', { name: shift.staffName, since: t.time(shift.startedAt, timeZone) })}
                </span>
                <button type="button" className="button-quiet" onClick={() => void signOut()}>
                  {t('signOut')}
                </button>
              </div>
            )}
          </div>
        </header>
        {/* A refused sign-out (the clerk's till still open) is a sentence: its own line, not the top bar's. */}
        {shift && signOutError && (
          <div className="signout-refused field-error" role="alert" data-testid="signout-refused">
            {sayError(t.language, signOutError)}
          </div>
        )}
        {!connected && paired && (
          <div className="connection-banner" role="status">
            {sharedT(language, 'stationUnreachable')}
          </div>
        )}
        {session ? (
          <SessionContext.Provider value={session}>
            <StatusStrip health={health} timeZone={timeZone} opening={opening} />
            {unknown[0] && (
              <UnknownBadgeBanner
                read={unknown[0]}
                more={unknown.length - 1}
                onDone={(uid) => setUnknown((list) => list.filter((u) => u.uid !== uid))}
              />
            )}
            {screen !== 'till' && <TillBanner onOpen={() => go('till')} />}
            <div className="workspace">
              <nav className="menu" aria-label={t('menu')}>
                <ul>
                  {nav.map((n) => (
                    <li key={n.screen}>
                      <button type="button" aria-current={screen === n.screen ? 'page' : undefined} aria-keyshortcuts={`Alt+${n.letter}`} onClick={() => go(n.screen)}>
                        <span>{t(n.label)}</span>
                        <Kbd keys={`Alt+${n.letter}`} />
                      </button>
                    </li>
                  ))}
                </ul>
              </nav>
              <main id="main" className="screen" tabIndex={-1}>
                {screen === 'search' && <SearchScreen />}
                {screen === 'onsite' && <OnSiteScreen />}
                {screen === 'guest' && <GuestScreen card={card} onCardTaken={takeCard} />}
                {screen === 'signup' && <SignUpScreen lastUnknownUid={unknown[0]?.uid} onCardUsed={(uid) => setUnknown((list) => list.filter((u) => u.uid !== uid))} />}
                {screen === 'today' && <TodayScreen />}
                {screen === 'till' && <TillScreen />}
                {screen === 'figures' && <FiguresScreen />}
                {screen === 'devices' && <DevicesScreen />}
                {screen === 'sync' && <SyncScreen />}
                {screen === 'settings' && supervisor && <SettingsScreen />}
              </main>
              {visitId && <VisitPanel key={visitId} visitId={visitId} onClose={closeVisit} />}
            </div>
          </SessionContext.Provider>
        ) : (
          <main id="main" className="signin-page" tabIndex={-1}>
            {!paired && (
              <p className="field-error" role="alert" data-testid="not-paired">
                {sharedT(language, 'notPaired')}
              </p>
            )}
            {sessionEnded && paired && (
              <p className="hint" role="status" data-testid="session-ended">
                {t('sessionEnded')}
              </p>
            )}
            <SignIn
              api={api}
              connected={connected}
              onSignedIn={(s) => {
                setSessionEnded(false);
                setShift(s);
              }}
            />
          </main>
        )}
        <div className={`status-line${notice ? ` is-${notice.kind}` : ''}`} role="status" aria-live="polite">
          {notice && <span key={notice.n}>{notice.text}</span>}
        </div>
      </div>
      </DismissNoticeContext.Provider>
    </LanguageContext.Provider>
  );
}
