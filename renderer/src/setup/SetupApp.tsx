// The first start's set-up screen (Electron, before the station exists): the hub's address and the
// station's credential, nothing else — never demo data. Errors are said in the screen's language,
// beside their field; the station's own words are behind "Details".
import { useEffect, useState, type FormEvent } from 'react';
import type { Language } from '../../../common/reference-data.js';
import type { Result, StationError } from '../../../common/result.js';
import type { StationSetupInput, StationSetupResult } from '../../../common/station-setup.js';
import { translator } from '../shared/i18n.js';
import { Brand, LanguageSwitch } from '../reception/components.js';
import { SETUP_MESSAGES, type SetupKey } from './messages.js';

/** What the set-up window's preload exposes. */
export interface SetupBridge {
  setUpStation(input: StationSetupInput): Promise<Result<StationSetupResult>>;
}

const st = translator(SETUP_MESSAGES);

/** The sentence for an error, and the field it belongs beside. */
function wordsFor(error: StationError): { key: SetupKey; field?: 'hubUrl' | 'credential' } {
  if (error.code === 'INVALID_INPUT') return error.field === 'credential' ? { key: 'errCredential', field: 'credential' } : { key: 'errHubUrl', field: 'hubUrl' };
  if (error.code === 'BAD_CREDENTIAL') return { key: 'errBadCredential', field: 'credential' };
  if (error.code === 'HUB_UNREACHABLE') return { key: 'errUnreachable', field: 'hubUrl' };
  if (error.code === 'CONFLICT') return { key: 'errAlready' };
  return { key: 'errOther' };
}

export function SetupApp({ bridge }: { bridge: SetupBridge | undefined }) {
  const [language, setLanguage] = useState<Language>('fr');
  const t = (key: SetupKey, values?: Record<string, string>) => st(language, key, values);
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `Escale — ${st(language, 'window')}`;
  }, [language]);
  const [hubUrl, setHubUrl] = useState('');
  const [credential, setCredential] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<StationError>();
  const [done, setDone] = useState<StationSetupResult>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !bridge) return;
    setBusy(true);
    setError(undefined);
    const r = await bridge.setUpStation({ hubUrl: hubUrl.trim(), credential: credential.trim() });
    setBusy(false);
    if (r.ok) setDone(r.value);
    else {
      setError(r.error);
      document.getElementById(wordsFor(r.error).field === 'credential' ? 'setup-credential' : 'setup-hub')?.focus();
    }
  };

  const said = error ? wordsFor(error) : undefined;
  const errorOf = (field: 'hubUrl' | 'credential') => (said?.field === field ? 'setup-error' : undefined);
  return (
    <div className="app">
      <header className="topbar">
        <Brand window={t('window')} />
        <div className="topbar-right">
          <LanguageSwitch language={language} label={t('language')} onChoose={setLanguage} />
        </div>
      </header>
      <main id="main" className="signin-page">
        <section className="signin card" aria-labelledby="setup-title">
          <h1 id="setup-title">{t('title')}</h1>
          {done ? (
            <p className="success-text" role="status" data-testid="setup-done">
              {t(done.referenceLoaded ? 'done' : 'doneNoReference', { site: done.siteName ?? done.siteId })}
            </p>
          ) : (
            <form onSubmit={(e) => void submit(e)} noValidate>
              <p className="muted">{t('intro')}</p>
              <div className="field">
                <label htmlFor="setup-hub">{t('hubUrl')}</label>
                <input id="setup-hub" type="url" autoComplete="off" placeholder="https://hub.escale.example" value={hubUrl} onChange={(e) => setHubUrl(e.target.value)} aria-invalid={errorOf('hubUrl') ? true : undefined} aria-describedby={errorOf('hubUrl')} />
              </div>
              <div className="field">
                <label htmlFor="setup-credential">{t('credential')}</label>
                <input id="setup-credential" type="password" autoComplete="off" value={credential} onChange={(e) => setCredential(e.target.value)} aria-invalid={errorOf('credential') ? true : undefined} aria-describedby={errorOf('credential')} />
              </div>
              {said && error && (
                <div id="setup-error" className="field-error setup-error" role="alert">
                  <p>{t(said.key)}</p>
                  <details>
                    <summary>{t('details')}</summary>
                    <p>{`${error.code}: ${error.message}${error.detail ? ` (${error.detail})` : ''}`}</p>
                  </details>
                </div>
              )}
              <button type="submit" className="button-primary" disabled={busy || !bridge}>
                {busy ? t('working') : t('submit')}
              </button>
            </form>
          )}
        </section>
      </main>
    </div>
  );
}
