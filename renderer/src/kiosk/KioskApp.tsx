// The kiosk: fullscreen, touch, for visitors. A welcome screen with the site and its stars; a tap
// (from the station's readers, or typed by a keyboard-wedge reader into this window) shows the
// person's welcome or goodbye in their own language, then the kiosk goes back to its welcome
// screen by itself. It says, calmly, when it works offline; no error leaves it stuck.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Language, Site } from '../../../common/reference-data.js';
import type { Result } from '../../../common/result.js';
import type { TapResult } from '../../../common/station-api.js';
import type { BadgeRead } from '../../../common/readers/read.js';
import { t } from '../shared/i18n.js';
import type { StationConnection } from '../shared/station-client.js';
import { ErrorBoundary } from './ErrorBoundary.js';
import { CloudIcon, InfoIcon, Star } from './icons.js';
import { k } from './kiosk-i18n.js';
import {
  BUSY_AFTER_MS,
  defaultLanguage,
  holdMs,
  LANGUAGE_RESET_MS,
  languageOfResult,
  SYNC_POLL_MS,
  TAP_TIMEOUT_MS,
  type Shown,
} from './kiosk-logic.js';
import { TapResultView } from './TapResultView.js';
import { useKeyboardWedge, type WedgeReading } from './useKeyboardWedge.js';
import { LanguageChoice, Welcome } from './Welcome.js';

interface Screen {
  /** Each screen shown gets a new id: a timer of an older screen never closes a newer one. */
  id: number;
  shown: Shown;
}

const WELCOME: Shown = { kind: 'welcome' };

export function KioskApp({ station }: { station: StationConnection }) {
  const [site, setSite] = useState<Site | undefined>();
  const [reading, setReading] = useState<WedgeReading | undefined>();
  const [connected, setConnected] = useState(station.connected);
  const [paired, setPaired] = useState(station.paired);
  useEffect(() => station.onPaired(setPaired), [station]);
  const [hubOffline, setHubOffline] = useState(false);
  const [chosen, setChosen] = useState<Language | undefined>();
  const [screen, setScreen] = useState<Screen>({ id: 0, shown: WELCOME });
  const [busy, setBusy] = useState(false);
  /** How long a check-out's amounts are shown here (the station's setting; 0: not on this public screen). */
  const [amountMs, setAmountMs] = useState(0);
  /** The screen whose amounts are still shown. */
  const [amountsOf, setAmountsOf] = useState<number>();
  const nextId = useRef(1);
  /** UIDs this window tapped itself, so an echo of the same tap from the station is not shown twice. */
  const ownTaps = useRef(new Map<string, number>());

  const screenLanguage = chosen ?? defaultLanguage(site, window.location.hash);
  const shown = screen.shown;
  const language = (shown.kind === 'result' ? languageOfResult(shown.result) : undefined) ?? screenLanguage;

  const show = useCallback((next: Shown) => setScreen({ id: nextId.current++, shown: next }), []);
  const backToWelcome = useCallback(() => show(WELCOME), [show]);
  const showTap = useCallback((r: Result<TapResult>) => {
    if (r.ok) show({ kind: 'result', result: r.value });
    else {
      console.warn(`kiosk: tap not done: ${r.error.code} ${r.error.message}`);
      show({ kind: 'error' });
    }
  }, [show]);

  // How a reader typing into this window is read: at each connection, and again when the devices
  // (its layout) or the synced reference data (the site's badge formats) change.
  const loadReading = useRef(() => {});
  loadReading.current = () =>
    void station.api
      .kioskReading({})
      .then((r) => r.ok && setReading(r.value))
      .catch((e: unknown) => console.warn('kiosk: reading settings', e));

  // The station: who we are, whether we reach it, what its readers tap.
  useEffect(() => {
    const loadSite = () => {
      loadReading.current();
      return Promise.all([
        station.api.siteProfile({}).then((r) => r.ok && setSite(r.value)),
        station.api.kioskSettings({}).then((r) => r.ok && setAmountMs(r.value.amountMs)),
      ]).catch((e: unknown) => console.warn('kiosk: site profile', e));
    };
    setConnected(station.connected);
    if (station.connected) void loadSite();
    return station.onConnection((c) => {
      setConnected(c);
      if (c) void loadSite();
    });
  }, [station]);

  // The hub: asked every few seconds and whenever the station says something changed. A hub that
  // does not answer twice in a row is shown; back online is shown at once.
  const refreshSync = useRef<() => void>(() => undefined);
  useEffect(() => {
    let missed = 0;
    let stopped = false;
    const poll = () => {
      station.api
        .syncStatus({})
        .then((r) => {
          if (stopped || !r.ok) return;
          const offline = r.value.configured && !r.value.online;
          missed = offline ? missed + 1 : 0;
          setHubOffline(missed >= 2);
        })
        .catch((e: unknown) => console.warn('kiosk: sync status', e));
    };
    refreshSync.current = poll;
    poll();
    const timer = setInterval(poll, SYNC_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [station]);

  const isOwnEcho = useCallback((read: BadgeRead) => {
    const at = ownTaps.current.get(read.uid);
    if (at === undefined || Date.now() - at > 10_000) return false;
    ownTaps.current.delete(read.uid);
    return true;
  }, []);

  useEffect(
    () =>
      station.onHostMessage((m) => {
        if (m.kind === 'tap') {
          if (!isOwnEcho(m.read)) showTap(m.result);
        } else if (m.kind === 'changed') {
          refreshSync.current();
          if (m.what !== 'visits') loadReading.current();
          if (m.what === 'devices') void station.api.kioskSettings({}).then((r) => r.ok && setAmountMs(r.value.amountMs));
        }
      }),
    [station, showTap, isOwnEcho],
  );

  // A keyboard-wedge reader typing into this window.
  const tapFromKeyboard = useCallback(
    async (uid: string) => {
      ownTaps.current.set(uid, Date.now());
      const busyTimer = setTimeout(() => setBusy(true), BUSY_AFTER_MS);
      // No answer in time: an apology now; should the answer come later, it is shown then.
      const lateTimer = setTimeout(() => {
        setBusy(false);
        show({ kind: 'error' });
      }, TAP_TIMEOUT_MS);
      let result: Result<TapResult>;
      try {
        result = await station.api.tap({ uid, source: 'keyboard' });
      } catch (e) {
        result = { ok: false, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } };
      }
      clearTimeout(busyTimer);
      clearTimeout(lateTimer);
      setBusy(false);
      showTap(result);
    },
    [station, show, showTap],
  );
  useKeyboardWedge((uid) => void tapFromKeyboard(uid), reading);

  // Back to the welcome screen by itself.
  useEffect(() => {
    if (shown.kind === 'welcome') return;
    const timer = setTimeout(backToWelcome, holdMs(shown));
    return () => clearTimeout(timer);
  }, [shown, backToWelcome]);

  // A check-out's amounts: shown briefly, and only where the station allows it on this public screen.
  useEffect(() => {
    if (shown.kind !== 'result' || shown.result.outcome !== 'checked_out' || amountMs <= 0) return;
    setAmountsOf(screen.id);
    const timer = setTimeout(() => setAmountsOf((id) => (id === screen.id ? undefined : id)), amountMs);
    return () => clearTimeout(timer);
  }, [shown, screen.id, amountMs]);

  // Nobody at the kiosk for a while: its own language again, for the next visitor.
  useEffect(() => {
    if (shown.kind !== 'welcome' || chosen === undefined) return;
    const timer = setTimeout(() => setChosen(undefined), LANGUAGE_RESET_MS);
    return () => clearTimeout(timer);
  }, [shown, chosen]);

  // Errors outside rendering (a handler, a promise nobody awaited): back to the welcome screen.
  useEffect(() => {
    const recover = (e: ErrorEvent | PromiseRejectionEvent) => {
      console.error('kiosk: unexpected error; back to the welcome screen', 'reason' in e ? e.reason : e.error);
      setBusy(false);
      backToWelcome();
    };
    window.addEventListener('error', recover);
    window.addEventListener('unhandledrejection', recover);
    return () => {
      window.removeEventListener('error', recover);
      window.removeEventListener('unhandledrejection', recover);
    };
  }, [backToWelcome]);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = k(language, 'pageTitle');
  }, [language]);

  const timeZone = site?.timeZone ?? 'Europe/Brussels';
  const ready = connected && site !== undefined;
  return (
    <div className="kiosk" data-screen={shown.kind === 'result' ? shown.result.outcome : shown.kind} data-ready={ready} data-language={language} data-wedge-layout={reading?.layout}>
      <header className="kiosk-header">
        <p className="site-name">{site?.name ?? 'Escale'}</p>
        {site && (
          <p className="stars" role="img" aria-label={k(language, 'stars', { n: site.stars })}>
            {Array.from({ length: site.stars }, (_, i) => (
              <Star key={i} />
            ))}
          </p>
        )}
      </header>
      <main className="kiosk-main">
        {shown.kind === 'welcome' ? (
          <Welcome language={language} />
        ) : (
          // A touch anywhere on a result returns to the welcome screen at once.
          <div className="result-screen" onClick={backToWelcome}>
            <div className="result-body" aria-live="polite" role="group" aria-labelledby="result-title" tabIndex={0}>
              <ErrorBoundary key={screen.id} onError={backToWelcome}>
                {shown.kind === 'result' ? (
                  <TapResultView result={shown.result} language={language} timeZone={timeZone} showAmounts={amountsOf === screen.id} />
                ) : (
                  <section className="result result-notice" aria-labelledby="result-title">
                    <InfoIcon />
                    <h1 id="result-title" className="greeting greeting-small" data-testid="greeting">
                      {k(language, 'errorTitle')}
                    </h1>
                    <p className="result-line">{k(language, 'errorText')}</p>
                  </section>
                )}
              </ErrorBoundary>
            </div>
            <div className="result-actions">
              <p className="touch-hint">{k(language, 'touchToContinue')}</p>
              <button type="button" className="ok">
                {k(language, 'ok')}
              </button>
            </div>
            <div className="countdown" aria-hidden="true">
              <div key={screen.id} className="countdown-bar" style={{ animationDuration: `${holdMs(shown)}ms` }} />
            </div>
          </div>
        )}
        {busy && (
          <div className="busy" role="alert" aria-busy="true">
            <p>{k(language, 'oneMoment')}</p>
          </div>
        )}
      </main>
      {shown.kind === 'welcome' && <LanguageChoice language={language} onChoose={setChosen} />}
      <footer className="kiosk-footer">
        <div role="status" aria-label={k(language, 'status')} className="notes">
          {!connected ? (
            <p className="note" data-testid="station-note">
              <CloudIcon />
              {t(language, paired ? 'stationUnreachable' : 'notPaired')}
            </p>
          ) : (
            hubOffline && (
              <p className="note" data-testid="offline-note">
                <CloudIcon />
                {t(language, 'offline')}
              </p>
            )
          )}
        </div>
      </footer>
    </div>
  );
}

/** Shown while the kiosk starts again after a failure: nothing in it can fail. */
export function StaticWelcome() {
  return (
    <div className="kiosk" data-screen="welcome" data-ready="false">
      <main className="kiosk-main">
        <section className="welcome">
          <h1 className="welcome-title">
            <span lang="fr">Bienvenue</span> · <span lang="nl">Welkom</span> · <span lang="en">Welcome</span> · <span lang="de">Willkommen</span>
          </h1>
        </section>
      </main>
    </div>
  );
}

/** The kiosk inside its last safety net: a failure anywhere starts it again on its welcome screen. */
export function KioskRoot({ station }: { station: StationConnection }) {
  const [generation, setGeneration] = useState(0);
  const failures = useRef<number[]>([]);
  const onError = useCallback(() => {
    const now = Date.now();
    failures.current = [...failures.current.filter((at) => now - at < 30_000), now];
    // Failing again and again: pause on the plain welcome before the next attempt.
    setTimeout(() => setGeneration((g) => g + 1), failures.current.length > 3 ? 5_000 : 0);
  }, []);
  return (
    <ErrorBoundary key={generation} onError={onError} fallback={<StaticWelcome />}>
      <KioskApp station={station} />
    </ErrorBoundary>
  );
}
